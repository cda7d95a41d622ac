//===- InterchangeForVectorization.cpp - contiguous innermost loops -------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace qc {
#define GEN_PASS_DEF_INTERCHANGEFORVECTORIZATION
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// The loop order [other parallel loops] [reductions] [output's last dim],
// or nothing if the op already has it or the output's last dim is not a
// plain loop index.
std::optional<SmallVector<unsigned>> contiguousOrder(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0)
    return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0)
    return std::nullopt;
  auto last = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!last)
    return std::nullopt;
  unsigned inner = last.getPosition();
  // Worth it only if an input also walks that loop along its last (contiguous)
  // dimension; otherwise the inner loop would stride through memory (a row
  // reduction, say, is better left as it is).
  bool inputFollows = llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *input) {
    AffineMap map = op.getMatchingIndexingMap(input);
    return map.getNumResults() > 0 && map.getResults().back().isFunctionOfDim(inner);
  });
  if (!inputFollows)
    return std::nullopt;
  SmallVector<unsigned> parallel, reductions;
  for (auto [i, type] : llvm::enumerate(op.getIteratorTypesArray())) {
    if (i == inner)
      continue;
    (type == utils::IteratorType::reduction ? reductions : parallel).push_back(i);
  }
  SmallVector<unsigned> order = parallel;
  order.append(reductions);
  order.push_back(inner);
  if (llvm::equal(order, llvm::seq<unsigned>(0, order.size())))
    return std::nullopt;
  return order;
}

struct InterchangeForVectorizationPass
    : impl::InterchangeForVectorizationBase<InterchangeForVectorizationPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation().walk([&](linalg::GenericOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : ops) {
      auto order = contiguousOrder(op);
      if (!order)
        continue;
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, *order)))
        return signalPassFailure();
    }
  }
};

} // namespace
} // namespace qc

//===- SerializeNestedParallelLoops.cpp - one parallel level per kernel ---===//
#include "passes/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace qc {
#define GEN_PASS_DEF_SERIALIZENESTEDPARALLELLOOPS
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// Replaces `loop` (no reductions) by a nest of scf.for with the same body.
void serialize(scf::ParallelOp loop) {
  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  SmallVector<Value> ivs;
  Block *innermost = nullptr;
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    auto forOp = scf::ForOp::create(builder, loc, lb, ub, step);
    ivs.push_back(forOp.getInductionVar());
    innermost = forOp.getBody();
    builder.setInsertionPoint(innermost->getTerminator());
  }
  IRMapping mapping;
  mapping.map(loop.getInductionVars(), ivs);
  for (Operation &op : loop.getBody()->without_terminator())
    builder.clone(op, mapping);
  loop.erase();
}

struct SerializeNestedParallelLoopsPass
    : impl::SerializeNestedParallelLoopsBase<SerializeNestedParallelLoopsPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> nested;
    getOperation().walk([&](scf::ParallelOp loop) {
      Operation *parent = loop->getParentOp();
      bool insideLoop = false;
      for (; parent && !isa<FunctionOpInterface>(parent); parent = parent->getParentOp())
        if (isa<scf::ParallelOp, scf::ForOp, scf::WhileOp>(parent))
          insideLoop = true;
      if (insideLoop && loop.getNumReductions() == 0)
        nested.push_back(loop);
    });
    // Innermost first (post-order walk), so clones never copy a loop that
    // is still to be serialized.
    for (scf::ParallelOp loop : nested)
      serialize(loop);
  }
};

} // namespace
} // namespace qc

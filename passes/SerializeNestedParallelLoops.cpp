//===- SerializeNestedParallelLoops.cpp - one parallel level per kernel ---===//
#include "passes/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
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

// Trip count of dimension `d` if static.
std::optional<int64_t> tripCount(scf::ParallelOp loop, unsigned d) {
  auto lb = getConstantIntValue(loop.getLowerBound()[d]);
  auto ub = getConstantIntValue(loop.getUpperBound()[d]);
  auto step = getConstantIntValue(loop.getStep()[d]);
  if (!lb || !ub || !step || *step <= 0)
    return std::nullopt;
  return std::max<int64_t>(0, (*ub - *lb + *step - 1) / *step);
}

// Below this many iterations a loop runs on the calling thread: the fork
// costs more than it saves.
constexpr int64_t kMinParallelIterations = 4096;
// Parallel dimensions are kept from the outside in until they give this
// many chunks of work; the rest become sequential loops.
constexpr int64_t kParallelChunks = 64;

// The OpenMP lowering collapses all dimensions of a parallel loop into one
// and recovers each index with a division per iteration, which also keeps
// the innermost loop from vectorizing. Keep only the leading dimensions
// needed for enough chunks parallel and run the others as scf.for inside.
void splitParallel(scf::ParallelOp loop) {
  unsigned rank = loop.getNumLoops();
  int64_t total = 1;
  bool allStatic = true;
  for (unsigned d = 0; d < rank; ++d) {
    auto trips = tripCount(loop, d);
    allStatic &= trips.has_value();
    total *= trips.value_or(1);
  }
  // Work inside each iteration: the trip counts of the loops in the body.
  loop.getBody()->walk([&](scf::ForOp inner) {
    auto lb = getConstantIntValue(inner.getLowerBound());
    auto ub = getConstantIntValue(inner.getUpperBound());
    auto step = getConstantIntValue(inner.getStep());
    if (lb && ub && step && *step > 0)
      total *= std::max<int64_t>(1, (*ub - *lb + *step - 1) / *step);
  });
  if (allStatic && total < kMinParallelIterations) {
    serialize(loop);
    return;
  }
  unsigned keep = 0;
  for (int64_t chunks = 1; keep + 1 < rank && chunks < kParallelChunks; ++keep) {
    auto trips = tripCount(loop, keep);
    if (!trips)
      break;
    chunks *= *trips;
  }
  keep = std::max(keep, 1u);
  if (keep >= rank)
    return;
  OpBuilder builder(loop);
  Location loc = loop.getLoc();
  auto outer = scf::ParallelOp::create(
      builder, loc, loop.getLowerBound().take_front(keep), loop.getUpperBound().take_front(keep),
      loop.getStep().take_front(keep), [&](OpBuilder &b, Location l, ValueRange outerIvs) {
        SmallVector<Value> ivs(outerIvs);
        OpBuilder inner = b;
        for (unsigned d = keep; d < rank; ++d) {
          auto forOp = scf::ForOp::create(inner, l, loop.getLowerBound()[d],
                                          loop.getUpperBound()[d], loop.getStep()[d]);
          ivs.push_back(forOp.getInductionVar());
          inner.setInsertionPoint(forOp.getBody()->getTerminator());
        }
        IRMapping mapping;
        mapping.map(loop.getInductionVars(), ivs);
        for (Operation &op : loop.getBody()->without_terminator())
          inner.clone(op, mapping);
      });
  (void)outer;
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
    SmallVector<scf::ParallelOp> outermost;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (loop.getNumReductions() == 0)
        outermost.push_back(loop);
    });
    for (scf::ParallelOp loop : outermost)
      splitParallel(loop);
  }
};

} // namespace
} // namespace qc

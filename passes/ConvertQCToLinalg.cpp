//===- ConvertQCToLinalg.cpp - lower qc ops to linalg ---------------------===//
#include "passes/Passes.h"
#include "passes/QCToLinalg/Patterns.h"

#include "QC/QCDialect.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qc {
#define GEN_PASS_DEF_CONVERTQCTOLINALG
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

struct ConvertQCToLinalgPass
    : impl::ConvertQCToLinalgBase<ConvertQCToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateElementwiseToLinalgPatterns(patterns);
    // Ops without a lowering (or with dynamic shapes) stay as they are.
    GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
} // namespace qc

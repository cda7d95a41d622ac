//===- ConvertQCToLinalg.cpp - lower qc ops to linalg ---------------------===//
#include "passes/Passes.h"
#include "passes/QCToLinalg/Patterns.h"

#include "QC/QCOps.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace qc {
#define GEN_PASS_DEF_CONVERTQCTOLINALG
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// Constants (weights included, still as dense resources) become
// arith.constant, which bufferizes to a read-only global.
struct ConstantToArith : OpRewritePattern<ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConstantOp op, PatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

struct ConvertQCToLinalgPass
    : impl::ConvertQCToLinalgBase<ConvertQCToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConstantToArith>(&getContext());
    populateElementwiseToLinalgPatterns(patterns);
    populateContractionToLinalgPatterns(patterns);
    populateIntegerToLinalgPatterns(patterns);
    populateNormalizationToLinalgPatterns(patterns);
    populateDataMovementToLinalgPatterns(patterns);
    // Ops without a lowering (or with dynamic shapes) stay as they are.
    GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
} // namespace qc

//===- FoldBatchNorm.cpp - BatchNormalization into the Conv before it -----===//
//
// Conv(x, W, b) -> BatchNormalization(s, beta, mean, var) with constant
// parameters is one Conv with
//   W'[m] = W[m] * k[m],  b'[m] = (b[m] - mean[m]) * k[m] + beta[m],
//   k[m] = s[m] / sqrt(var[m] + epsilon)
// (computed in double, stored as f32). Float cleanup before calibration:
// quantization then sees the weights that actually run, as every INT8
// deployment does. The new Conv is named by both nodes, Conv first, takes
// the BatchNormalization's ONNX output name and the unit attribute
// `qc.folded_batch_norm`, which the QDQ export reads to drop the node from
// the ONNX graph too.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/Quantization.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace qc {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

std::optional<SmallVector<double>> f32Values(Value v, int64_t count) {
  DenseElementsAttr attr = constantAsDense(v);
  if (!attr || !attr.getElementType().isF32() || attr.getNumElements() != count)
    return std::nullopt;
  SmallVector<double> values;
  for (float x : attr.getValues<float>())
    values.push_back(x);
  return values;
}

struct FoldBatchNormIntoConv : OpRewritePattern<BatchNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormalizationOp bn, PatternRewriter &rewriter) const override {
    auto conv = bn.getX().getDefiningOp<ConvOp>();
    if (bn.getTrainingMode() != 0 || !conv || !conv->hasOneUse() ||
        !bn.getRunningMean().use_empty() || !bn.getRunningVar().use_empty())
      return failure();
    auto wType = dyn_cast<RankedTensorType>(conv.getW().getType());
    if (!wType || !wType.hasStaticShape() || !wType.getElementType().isF32())
      return failure();
    int64_t channels = wType.getDimSize(0);
    std::optional<SmallVector<double>> w = f32Values(conv.getW(), wType.getNumElements());
    std::optional<SmallVector<double>> scale = f32Values(bn.getScale(), channels);
    std::optional<SmallVector<double>> beta = f32Values(bn.getB(), channels);
    std::optional<SmallVector<double>> mean = f32Values(bn.getInputMean(), channels);
    std::optional<SmallVector<double>> var = f32Values(bn.getInputVar(), channels);
    std::optional<SmallVector<double>> bias = isa<NoneType>(conv.getB().getType())
                                                  ? SmallVector<double>(channels, 0.0)
                                                  : f32Values(conv.getB(), channels);
    if (!w || !scale || !beta || !mean || !var || !bias)
      return failure();
    double epsilon = bn.getEpsilon().convertToDouble();
    int64_t perChannel = wType.getNumElements() / channels;
    SmallVector<float> newW(w->size()), newBias(channels);
    for (int64_t m = 0; m < channels; ++m) {
      double k = (*scale)[m] / std::sqrt((*var)[m] + epsilon);
      for (int64_t i = 0; i < perChannel; ++i)
        newW[m * perChannel + i] = static_cast<float>((*w)[m * perChannel + i] * k);
      newBias[m] = static_cast<float>(((*bias)[m] - (*mean)[m]) * k + (*beta)[m]);
    }
    // Named by both nodes, the Conv first (the layer reports and the
    // calibration's @float lines name), with the BatchNormalization's output
    // names.
    SmallVector<Location> names;
    for (Location part : {conv.getLoc(), bn.getLoc()}) {
      if (auto fused = dyn_cast<FusedLoc>(part))
        llvm::append_range(names, fused.getLocations());
      else
        names.push_back(part);
    }
    auto bnLoc = dyn_cast<FusedLoc>(bn.getLoc());
    Location loc =
        FusedLoc::get(rewriter.getContext(), names, bnLoc ? bnLoc.getMetadata() : Attribute());
    auto bytes = [](ArrayRef<float> v) {
      return ArrayRef<char>(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(float));
    };
    // The constants are named for themselves: the BatchNormalization's
    // location names its output, which is the new Conv's alone.
    std::string name = onnxTensorName(bn.getY());
    auto constantLoc = [&](const std::string &constantName) {
      return NameLoc::get(rewriter.getStringAttr(constantName), conv.getW().getLoc());
    };
    Value weights = createConstant(rewriter, constantLoc(name + "_folded_W"), wType, bytes(newW),
                                   name + "_folded_W");
    Value biasValue = createConstant(rewriter, constantLoc(name + "_folded_B"),
                                     RankedTensorType::get({channels}, rewriter.getF32Type()),
                                     bytes(newBias), name + "_folded_B");
    auto folded = ConvOp::create(rewriter, loc, TypeRange{bn.getY().getType()},
                                 ValueRange{conv.getX(), weights, biasValue}, conv->getAttrs());
    folded->setAttr("qc.folded_batch_norm", rewriter.getUnitAttr());
    rewriter.replaceAllUsesWith(bn.getY(), folded.getY());
    rewriter.eraseOp(bn);
    rewriter.eraseOp(conv);
    return success();
  }
};

struct FoldBatchNormPass : impl::FoldBatchNormBase<FoldBatchNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoConv>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace qc

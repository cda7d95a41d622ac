//===- ElementwiseFolds.cpp - Add, activations, GlobalAveragePool ---------===//
//
//   Q(act(DQ(a) + DQ(b)))     => requantize(a, residual b)     (any scales)
//   Q(act(DQ(x)))             => requantize(x)                 (Relu, Clip)
//   Q(GlobalAveragePool(DQ(x))) => requantize(sum over H, W of x as i32)
//
// Each term is (value - zero point) times its scale over the output scale,
// so inputs and output may all have different quantizations.
//
//===----------------------------------------------------------------------===//
#include "passes/QdqFolding/Folding.h"

using namespace mlir;

namespace qc {
namespace {

RankedTensorType staticType(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() ? type : RankedTensorType();
}

std::optional<QuantParams> perTensorInput(Value v, DequantizeLinearOp &dq) {
  dq = dequantizeOf(v);
  if (!dq)
    return std::nullopt;
  std::optional<QuantParams> params = quantParamsOf(dq);
  if (!params->perTensor() || !staticType(dq.getX()))
    return std::nullopt;
  return params;
}

struct AddFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantParams> out = quantParamsOf(q);
    auto resultType = staticType(q.getY());
    if (!out || !out->perTensor() || !resultType)
      return failure();
    ClampRange range{out->lowest, out->highest};
    Value v = absorbActivation(q.getX(), *out, range);
    auto add = v.getDefiningOp<AddOp>();
    if (!add || !add->hasOneUse())
      return failure();
    DequantizeLinearOp a, b;
    std::optional<QuantParams> pa = perTensorInput(add.getA(), a);
    std::optional<QuantParams> pb = perTensorInput(add.getB(), b);
    if (!pa || !pb || !canRequantize({pa->scale()}, pb->scale(), *out))
      return failure();
    rewriter.replaceOp(q, createRequantize(rewriter, add.getLoc(), resultType, a.getX(),
                                           pa->zeroPoint(), {pa->scale()}, 1, b.getX(),
                                           pb->zeroPoint(), pb->scale(), *out, range));
    return success();
  }
};

struct ActivationFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantParams> out = quantParamsOf(q);
    auto resultType = staticType(q.getY());
    if (!out || !out->perTensor() || !resultType)
      return failure();
    ClampRange range{out->lowest, out->highest};
    Value v = absorbActivation(q.getX(), *out, range);
    DequantizeLinearOp x;
    std::optional<QuantParams> px;
    if (v == q.getX() || !(px = perTensorInput(v, x)) ||
        staticType(x.getX()).getShape() != resultType.getShape() ||
        !canRequantize({px->scale()}, std::nullopt, *out))
      return failure();
    rewriter.replaceOp(q, createRequantize(rewriter, q.getX().getDefiningOp()->getLoc(), resultType,
                                           x.getX(), px->zeroPoint(), {px->scale()}, 1, Value(),
                                           0, 0.0, *out, range));
    return success();
  }
};

struct GlobalAveragePoolFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantParams> out = quantParamsOf(q);
    auto resultType = staticType(q.getY());
    auto pool = q.getX().getDefiningOp<GlobalAveragePoolOp>();
    if (!out || !out->perTensor() || !resultType || !pool || !pool->hasOneUse())
      return failure();
    DequantizeLinearOp x;
    std::optional<QuantParams> px = perTensorInput(pool.getX(), x);
    if (!px)
      return failure();
    auto xType = staticType(x.getX());
    if (xType.getRank() < 3)
      return failure();
    int64_t count = 1;
    SmallVector<int64_t> axes;
    for (int64_t d = 2; d < xType.getRank(); ++d) {
      count *= xType.getDimSize(d);
      axes.push_back(d);
    }
    double scale = px->scale() / static_cast<double>(count);
    if (!canRequantize({scale}, std::nullopt, *out))
      return failure();
    Location loc = pool.getLoc();
    Type i32 = rewriter.getI32Type();
    // ONNX Cast to INT32 (6) widens exactly; the window sum then fits i32.
    Value wide = CastOp::create(rewriter, loc, xType.clone(i32), x.getX(),
                                rewriter.getI64IntegerAttr(6), rewriter.getI64IntegerAttr(1));
    auto axesType = RankedTensorType::get({static_cast<int64_t>(axes.size())},
                                          rewriter.getI64Type());
    Value axesValue =
        ConstantOp::create(rewriter, loc, axesType, DenseElementsAttr::get(axesType, ArrayRef<int64_t>(axes)));
    Value sum = ReduceSumOp::create(rewriter, loc, resultType.clone(i32), wide, axesValue,
                                    rewriter.getI64IntegerAttr(1), rewriter.getI64IntegerAttr(0));
    // sum(x - zx) = sum(x) - count * zx.
    ClampRange range{out->lowest, out->highest};
    rewriter.replaceOp(q, createRequantize(rewriter, loc, resultType, sum, px->zeroPoint() * count,
                                           {scale}, 1, Value(), 0, 0.0, *out, range));
    return success();
  }
};

} // namespace

void populateElementwiseFoldPatterns(RewritePatternSet &patterns) {
  patterns.add<AddFold, ActivationFold, GlobalAveragePoolFold>(patterns.getContext());
}

} // namespace qc

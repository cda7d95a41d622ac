//===- ElementwiseFolds.cpp - Add, activations, GlobalAveragePool ---------===//
//
//   Q(act(DQ(a) + DQ(b)))     => requantize(a, residual b)     (any scales)
//   Q(act(DQ(a) * DQ(b)))     => requantize((a - za)(b - zb) in i32)
//   Q(act(DQ(x)))             => requantize(x)                 (Relu, Clip)
//   Q(GlobalAveragePool(DQ(x))) => requantize(sum over H, W of x as i32)
//   Q(f(DQ(x)))               => table lookup (Sigmoid, Tanh, LeakyRelu, ...)
//
// Each term is (value - zero point) times its scale over the output scale,
// so inputs and output may all have different quantizations.
//
//===----------------------------------------------------------------------===//
#include "passes/QCToLinalg/LoweringUtils.h"
#include "passes/QdqFolding/Folding.h"

#include <cmath>
#include <functional>

using namespace mlir;

namespace qc {
namespace {

std::optional<QuantParams> perTensorInput(Value v, DequantizeLinearOp &dq) {
  dq = dequantizeOf(v);
  if (!dq)
    return std::nullopt;
  std::optional<QuantParams> params = quantParamsOf(dq);
  if (!params->perTensor() || !staticTensor(dq.getX()))
    return std::nullopt;
  return params;
}

struct AddFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> result = quantizedResult(q);
    if (!result)
      return failure();
    const QuantParams &out = result->params;
    RankedTensorType resultType = result->type;
    ClampRange range{out.lowest, out.highest};
    Value v = absorbActivation(q.getX(), out, range);
    auto add = v.getDefiningOp<AddOp>();
    if (!add || !add->hasOneUse())
      return failure();
    DequantizeLinearOp a, b;
    std::optional<QuantParams> pa = perTensorInput(add.getA(), a);
    std::optional<QuantParams> pb = perTensorInput(add.getB(), b);
    if (!pa || !pb || !canRequantize({pa->scale()}, pb->scale(), out))
      return failure();
    rewriter.replaceOp(q, createRequantize(rewriter, add.getLoc(), resultType, a.getX(),
                                           pa->zeroPoint(), {pa->scale()}, 1, b.getX(),
                                           pb->zeroPoint(), pb->scale(), out, range));
    return success();
  }
};

// Q(act(DQ(a) * DQ(b))): (a - za)(b - zb) in i32 (|product| < 2^16), then
// one requantize at s_a * s_b.
struct MulFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> result = quantizedResult(q);
    if (!result)
      return failure();
    const QuantParams &out = result->params;
    RankedTensorType resultType = result->type;
    ClampRange range{out.lowest, out.highest};
    Value v = absorbActivation(q.getX(), out, range);
    auto mul = v.getDefiningOp<MulOp>();
    if (!mul || !mul->hasOneUse())
      return failure();
    DequantizeLinearOp a, b;
    std::optional<QuantParams> pa = perTensorInput(mul.getA(), a);
    std::optional<QuantParams> pb = perTensorInput(mul.getB(), b);
    if (!pa || !pb || !canRequantize({pa->scale() * pb->scale()}, std::nullopt, out))
      return failure();
    Location loc = mul.getLoc();
    Type i32 = rewriter.getI32Type();
    // x - zx as i32.
    auto centered = [&](DequantizeLinearOp dq, int64_t zeroPoint) -> Value {
      Value wide = widenInteger(rewriter, loc, dq.getX(), i32);
      if (zeroPoint == 0)
        return wide;
      auto scalar = RankedTensorType::get({}, i32);
      Value zero = ConstantOp::create(
          rewriter, loc, scalar,
          DenseElementsAttr::get(scalar, ArrayRef<int32_t>{static_cast<int32_t>(zeroPoint)}));
      return SubOp::create(rewriter, loc, wide.getType(), wide, zero);
    };
    Value product = MulOp::create(rewriter, loc, resultType.clone(i32),
                                  centered(a, pa->zeroPoint()), centered(b, pb->zeroPoint()));
    rewriter.replaceOp(q, createRequantize(rewriter, loc, resultType, product, 0,
                                           {pa->scale() * pb->scale()}, 1, Value(), 0, 0.0, out,
                                           range));
    return success();
  }
};

struct ActivationFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> result = quantizedResult(q);
    if (!result)
      return failure();
    const QuantParams &out = result->params;
    RankedTensorType resultType = result->type;
    ClampRange range{out.lowest, out.highest};
    Value v = absorbActivation(q.getX(), out, range);
    DequantizeLinearOp x;
    std::optional<QuantParams> px;
    if (v == q.getX() || !(px = perTensorInput(v, x)) ||
        staticTensor(x.getX()).getShape() != resultType.getShape() ||
        !canRequantize({px->scale()}, std::nullopt, out))
      return failure();
    rewriter.replaceOp(q, createRequantize(rewriter, q.getX().getDefiningOp()->getLoc(), resultType,
                                           x.getX(), px->zeroPoint(), {px->scale()}, 1, Value(), 0,
                                           0.0, out, range));
    return success();
  }
};

struct GlobalAveragePoolFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> result = quantizedResult(q);
    auto pool = q.getX().getDefiningOp<GlobalAveragePoolOp>();
    if (!result || !pool || !pool->hasOneUse())
      return failure();
    const QuantParams &out = result->params;
    RankedTensorType resultType = result->type;
    DequantizeLinearOp x;
    std::optional<QuantParams> px = perTensorInput(pool.getX(), x);
    if (!px)
      return failure();
    auto xType = staticTensor(x.getX());
    if (xType.getRank() < 3)
      return failure();
    int64_t count = 1;
    SmallVector<int64_t> axes;
    for (int64_t d = 2; d < xType.getRank(); ++d) {
      count *= xType.getDimSize(d);
      axes.push_back(d);
    }
    double scale = px->scale() / static_cast<double>(count);
    if (!canRequantize({scale}, std::nullopt, out))
      return failure();
    Location loc = pool.getLoc();
    Type i32 = rewriter.getI32Type();
    // The window sum of widened values fits i32.
    Value wide = widenInteger(rewriter, loc, x.getX(), i32);
    auto axesType =
        RankedTensorType::get({static_cast<int64_t>(axes.size())}, rewriter.getI64Type());
    Value axesValue = ConstantOp::create(rewriter, loc, axesType,
                                         DenseElementsAttr::get(axesType, ArrayRef<int64_t>(axes)));
    Value sum = ReduceSumOp::create(rewriter, loc, resultType.clone(i32), wide, axesValue,
                                    rewriter.getI64IntegerAttr(1), rewriter.getI64IntegerAttr(0));
    // sum(x - zx) = sum(x) - count * zx.
    ClampRange range{out.lowest, out.highest};
    rewriter.replaceOp(q, createRequantize(rewriter, loc, resultType, sum, px->zeroPoint() * count,
                                           {scale}, 1, Value(), 0, 0.0, out, range));
    return success();
  }
};

// f(x) for the unary ops a lookup table can stand for; none for others.
std::optional<std::function<double(double)>> unaryFunction(Operation *op) {
  if (isa<SigmoidOp>(op))
    return [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  if (isa<TanhOp>(op))
    return [](double x) { return std::tanh(x); };
  if (auto leaky = dyn_cast<LeakyReluOp>(op)) {
    double alpha = leaky.getAlpha().convertToDouble();
    return [alpha](double x) { return x >= 0 ? x : alpha * x; };
  }
  if (auto hard = dyn_cast<HardSigmoidOp>(op)) {
    double alpha = hard.getAlpha().convertToDouble(), beta = hard.getBeta().convertToDouble();
    return [alpha, beta](double x) { return std::clamp(alpha * x + beta, 0.0, 1.0); };
  }
  if (isa<HardSwishOp>(op))
    return [](double x) { return x * std::clamp(x / 6.0 + 0.5, 0.0, 1.0); };
  if (auto elu = dyn_cast<EluOp>(op)) {
    double alpha = elu.getAlpha().convertToDouble();
    return [alpha](double x) { return x >= 0 ? x : alpha * (std::exp(x) - 1.0); };
  }
  if (auto gelu = dyn_cast<GeluOp>(op)) {
    if (gelu.getApproximate() == "tanh")
      return [](double x) {
        return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
      };
    return [](double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); };
  }
  if (isa<ExpOp>(op))
    return [](double x) { return std::exp(x); };
  if (isa<SoftplusOp>(op))
    return [](double x) { return std::log1p(std::exp(x)); };
  if (isa<AbsOp>(op))
    return [](double x) { return std::fabs(x); };
  if (isa<NegOp>(op))
    return [](double x) { return -x; };
  return std::nullopt;
}

// Q(f(DQ(x))) for a unary f of one 8-bit input: f takes at most 256
// values, so the compiler tabulates Q(f(DQ(v))) for every v and the kernel
// is a lookup, table[x - lowest] (Gather). DQ and Q are computed as ONNX
// defines them (f32), f in double.
struct LookupTableFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> result = quantizedResult(q);
    Operation *op = q.getX().getDefiningOp();
    if (!result || !op || op->getNumOperands() != 1 || !op->hasOneUse())
      return failure();
    const QuantParams &out = result->params;
    RankedTensorType resultType = result->type;
    std::optional<std::function<double(double)>> f = unaryFunction(op);
    DequantizeLinearOp x;
    std::optional<QuantParams> px;
    if (!f || !(px = perTensorInput(op->getOperand(0), x)))
      return failure();
    auto xType = staticTensor(x.getX());
    if (xType.getShape() != resultType.getShape())
      return failure();
    Location loc = op->getLoc();
    SmallVector<APInt> table;
    float inScale = static_cast<float>(px->scale()), outScale = static_cast<float>(out.scale());
    for (int64_t v = px->lowest; v <= px->highest; ++v) {
      float real = static_cast<float>(v - px->zeroPoint()) * inScale;
      float y = static_cast<float>((*f)(real));
      double quantized =
          std::nearbyint(static_cast<double>(y / outScale)) + static_cast<double>(out.zeroPoint());
      if (std::isnan(quantized))
        quantized = out.zeroPoint();
      quantized = std::clamp(quantized, double(out.lowest), double(out.highest));
      table.push_back(APInt(8, static_cast<uint64_t>(static_cast<int64_t>(quantized)),
                            /*isSigned=*/true));
    }
    auto tableType = RankedTensorType::get({static_cast<int64_t>(table.size())}, out.storage);
    Value tableValue =
        ConstantOp::create(rewriter, loc, tableType, DenseElementsAttr::get(tableType, table));
    // Index = x - lowest, in i64.
    Value wide = widenInteger(rewriter, loc, x.getX(), rewriter.getI64Type());
    auto scalarType = RankedTensorType::get({}, rewriter.getI64Type());
    Value lowest =
        ConstantOp::create(rewriter, loc, scalarType,
                           DenseElementsAttr::get(scalarType, ArrayRef<int64_t>{px->lowest}));
    Value index = SubOp::create(rewriter, loc, wide.getType(), wide, lowest);
    rewriter.replaceOp(q, GatherOp::create(rewriter, loc, resultType, tableValue, index,
                                           rewriter.getI64IntegerAttr(0))
                              .getResult());
    return success();
  }
};

} // namespace

void populateElementwiseFoldPatterns(RewritePatternSet &patterns) {
  patterns.add<AddFold, MulFold, ActivationFold, GlobalAveragePoolFold, LookupTableFold>(
      patterns.getContext());
}

} // namespace qc

//===- ContractionFolds.cpp - Conv, Gemm, MatMul into integer kernels -----===//
//
//   Q(act(DQ(x) (*) DQ(w) + bias [+ DQ(r)]))
//     => requantize(conv_integer | matmul_integer (x, w) + bias_i32 [, r])
//
// x is a per-tensor 8-bit activation, w a constant 8-bit weight (per output
// channel or per tensor; for MatMul also a per-tensor activation). The
// accumulator's real scale is s_x * s_w[c]. A bias, from the op (Conv B,
// Gemm C) or from an Add of a constant right after it, becomes int32 at that
// scale: an int32 DequantizeLinear whose scale is s_x * s_w[c] (up to the
// f32 rounding of the stored scale) as its integers are, any other bias
// (int32 at another scale, a float constant) rounded half to even from its
// real value. A bias that does not fit int32 stops the fold. The activation (Relu,
// Clip with constant bounds) becomes the requantize clamp range, and an Add
// of another quantized tensor of the same shape its residual term.
//
//===----------------------------------------------------------------------===//
#include "passes/QCToLinalg/LoweringUtils.h"
#include "passes/QdqFolding/Folding.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace qc {
namespace {

// The integer form of a contraction: the i32 accumulator and the real scale
// of each of its channels along `axis` (one scale: per tensor).
struct Accumulator {
  Value acc;
  SmallVector<double> scales;
  int64_t axis;
  int64_t channels;
};

Value zeroPointOrNone(PatternRewriter &rewriter, Location loc, DequantizeLinearOp dq) {
  Value zp = dq.getXZeroPoint();
  if (!isa<NoneType>(zp.getType()))
    return zp;
  return NoneOp::create(rewriter, loc, NoneType::get(rewriter.getContext())).getResult();
}

// A bias: the real value of each element, and for an int32
// DequantizeLinear also its integers (minus the zero point) and scales.
struct BiasValues {
  SmallVector<double> real;
  SmallVector<int64_t> integers;
  SmallVector<double> scales;
};

// The bias from an int32 DequantizeLinear or a float constant; none if
// `bias` is neither.
std::optional<BiasValues> biasValues(Value bias) {
  BiasValues result;
  if (auto dq = bias.getDefiningOp<DequantizeLinearOp>()) {
    DenseElementsAttr values = constantAsDense(dq.getX());
    auto attr = dq->getAttrOfType<TypeAttr>("qtype");
    if (!values || !attr || !values.getElementType().isInteger(32))
      return std::nullopt;
    SmallVector<int64_t> zeroPoints;
    if (auto t = dyn_cast<quant::UniformQuantizedType>(attr.getValue())) {
      result.scales = {t.getScale()};
      zeroPoints = {t.getZeroPoint()};
    } else if (auto t = dyn_cast<quant::UniformQuantizedPerAxisType>(attr.getValue())) {
      result.scales.assign(t.getScales().begin(), t.getScales().end());
      zeroPoints.assign(t.getZeroPoints().begin(), t.getZeroPoints().end());
    } else {
      return std::nullopt;
    }
    if (result.scales.size() != 1 &&
        static_cast<int64_t>(result.scales.size()) != values.getNumElements())
      return std::nullopt;
    for (auto [i, v] : llvm::enumerate(values.getValues<APInt>())) {
      size_t c = result.scales.size() == 1 ? 0 : i;
      result.integers.push_back(v.getSExtValue() - zeroPoints[c]);
      result.real.push_back(static_cast<double>(result.integers.back()) * result.scales[c]);
    }
    return result;
  }
  DenseElementsAttr values = constantAsDense(bias);
  if (!values || !isa<FloatType>(values.getElementType()))
    return std::nullopt;
  for (const APFloat &v : values.getValues<APFloat>())
    result.real.push_back(v.convertToDouble());
  return result;
}

// The bias as int32 at the accumulator's scale[c], for `channels` channels
// (a single bias value is broadcast): an int32 bias already at that scale
// (within the f32 rounding of the stored scale) as it is, any other
// rounded half to even from its real value; none if a value does not fit.
std::optional<SmallVector<int32_t>> biasAsInt32(const BiasValues &bias, ArrayRef<double> scales,
                                                int64_t channels) {
  size_t n = bias.real.size();
  if (n != 1 && static_cast<int64_t>(n) != channels)
    return std::nullopt;
  SmallVector<int32_t> result;
  for (int64_t c = 0; c < channels; ++c) {
    size_t i = n == 1 ? 0 : c;
    double scale = scales.size() == 1 ? scales[0] : scales[c];
    double q;
    if (!bias.integers.empty() &&
        std::fabs(bias.scales[bias.scales.size() == 1 ? 0 : i] - scale) <= 1e-6 * scale)
      q = static_cast<double>(bias.integers[i]);
    else
      q = std::nearbyint(bias.real[i] / scale);
    if (!(std::fabs(q) <= 2147483647.0))
      return std::nullopt;
    result.push_back(static_cast<int32_t>(q));
  }
  return result;
}

// acc + bias, with the bias as an i32 constant along the accumulator's axis.
Value addBias(PatternRewriter &rewriter, Location loc, const Accumulator &acc,
              ArrayRef<int32_t> bias) {
  auto accType = cast<RankedTensorType>(acc.acc.getType());
  SmallVector<int64_t> shape(accType.getRank() - acc.axis, 1);
  shape[0] = static_cast<int64_t>(bias.size());
  auto type = RankedTensorType::get(shape, rewriter.getI32Type());
  Value constant = ConstantOp::create(rewriter, loc, type, DenseElementsAttr::get(type, bias));
  return AddOp::create(rewriter, loc, TypeRange{accType}, ValueRange{acc.acc, constant})
      .getResult();
}

// Quantized operands of a contraction: a per-tensor activation and a weight
// (constant unless `weightMayVary`), per axis `weightAxis` or per tensor.
struct Operands {
  DequantizeLinearOp x, w;
  QuantParams xParams, wParams;
};
std::optional<Operands> quantizedOperands(Value x, Value w, std::optional<int64_t> weightAxis,
                                          bool weightMayVary) {
  Operands ops{dequantizeOf(x), dequantizeOf(w), {}, {}};
  if (!ops.x || !ops.w)
    return std::nullopt;
  ops.xParams = *quantParamsOf(ops.x);
  ops.wParams = *quantParamsOf(ops.w);
  if (!ops.xParams.perTensor())
    return std::nullopt;
  if (!weightMayVary && !constantAsDense(ops.w.getX()))
    return std::nullopt;
  if (ops.wParams.axis && ops.wParams.axis != weightAxis)
    return std::nullopt;
  return ops;
}

SmallVector<double> accumulatorScales(const Operands &ops) {
  SmallVector<double> scales;
  for (double s : ops.wParams.scales)
    scales.push_back(ops.xParams.scale() * s);
  return scales;
}

// Called with the accumulator's scales and channel count before anything is
// built; false stops the fold (patterns may not change the IR and fail).
using AcceptFn = function_ref<bool(ArrayRef<double> scales, int64_t channels)>;

FailureOr<Accumulator> convAccumulator(ConvOp conv, PatternRewriter &rewriter,
                                       const AcceptFn &accept) {
  auto resultType = staticTensor(conv.getY());
  auto wType = staticTensor(conv.getW());
  if (!resultType || !wType)
    return failure();
  std::optional<Operands> ops = quantizedOperands(conv.getX(), conv.getW(), 0, false);
  if (!ops)
    return failure();
  Location loc = conv.getLoc();
  Accumulator acc;
  acc.axis = 1;
  acc.channels = wType.getDimSize(0);
  acc.scales = accumulatorScales(*ops);
  std::optional<BiasValues> bias;
  if (!isa<NoneType>(conv.getB().getType()) && !(bias = biasValues(conv.getB())))
    return failure();
  std::optional<SmallVector<int32_t>> bias32;
  if ((bias && !(bias32 = biasAsInt32(*bias, acc.scales, acc.channels))) ||
      !accept(acc.scales, acc.channels))
    return failure();
  acc.acc = ConvIntegerOp::create(rewriter, loc, TypeRange{resultType.clone(rewriter.getI32Type())},
                                  ValueRange{ops->x.getX(), ops->w.getX(),
                                             zeroPointOrNone(rewriter, loc, ops->x),
                                             zeroPointOrNone(rewriter, loc, ops->w)},
                                  conv->getAttrs())
                .getResult();
  if (bias32)
    acc.acc = addBias(rewriter, loc, acc, *bias32);
  return acc;
}

FailureOr<Accumulator> gemmAccumulator(GemmOp gemm, PatternRewriter &rewriter,
                                       const AcceptFn &accept) {
  auto resultType = staticTensor(gemm.getY());
  auto bType = staticTensor(gemm.getB());
  if (!resultType || !bType || gemm.getTransA() != 0 || gemm.getAlpha().convertToFloat() != 1.0f)
    return failure();
  bool transB = gemm.getTransB() != 0;
  std::optional<Operands> ops = quantizedOperands(gemm.getA(), gemm.getB(), transB ? 0 : 1, false);
  if (!ops)
    return failure();
  Location loc = gemm.getLoc();
  Accumulator acc;
  acc.axis = 1;
  acc.channels = resultType.getDimSize(1);
  acc.scales = accumulatorScales(*ops);
  std::optional<SmallVector<int32_t>> bias32;
  if (!isa<NoneType>(gemm.getC().getType())) {
    auto cType = staticTensor(gemm.getC());
    std::optional<BiasValues> bias = biasValues(gemm.getC());
    // Only a bias per column (or one value) folds; a full [M, N] C does not.
    if (!cType || cType.getNumElements() != acc.channels || !bias ||
        gemm.getBeta().convertToFloat() != 1.0f ||
        !(bias32 = biasAsInt32(*bias, acc.scales, acc.channels)))
      return failure();
  }
  if (!accept(acc.scales, acc.channels))
    return failure();
  Value b = ops->w.getX();
  if (transB) {
    auto bInt = cast<RankedTensorType>(b.getType());
    auto transposed =
        RankedTensorType::get({bInt.getDimSize(1), bInt.getDimSize(0)}, bInt.getElementType());
    // Constant weights (the usual case) are transposed here, once, rather
    // than by the model on every run.
    DenseElementsAttr values = constantAsDense(b);
    if (DenseElementsAttr t = values ? transposedConstant(values) : nullptr) {
      b = ConstantOp::create(rewriter, loc, transposed, t);
    } else {
      b = TransposeOp::create(rewriter, loc, transposed, b, rewriter.getDenseI64ArrayAttr({1, 0}));
    }
  }
  acc.acc = MatMulIntegerOp::create(rewriter, loc, resultType.clone(rewriter.getI32Type()),
                                    ops->x.getX(), b, zeroPointOrNone(rewriter, loc, ops->x),
                                    zeroPointOrNone(rewriter, loc, ops->w))
                .getResult();
  if (bias32)
    acc.acc = addBias(rewriter, loc, acc, *bias32);
  return acc;
}

FailureOr<Accumulator> matmulAccumulator(MatMulOp matmul, PatternRewriter &rewriter,
                                         const AcceptFn &accept) {
  auto resultType = staticTensor(matmul.getY());
  auto bType = staticTensor(matmul.getB());
  if (!resultType || !bType || resultType.getRank() < 1)
    return failure();
  // A per-column B is a 2-D weight; activations on both sides are per tensor.
  std::optional<Operands> ops =
      quantizedOperands(matmul.getA(), matmul.getB(),
                        bType.getRank() == 2 ? std::optional<int64_t>(1) : std::nullopt, true);
  if (!ops)
    return failure();
  Location loc = matmul.getLoc();
  Accumulator acc;
  acc.axis = resultType.getRank() - 1;
  acc.channels = resultType.getDimSize(acc.axis);
  acc.scales = accumulatorScales(*ops);
  if (!accept(acc.scales, acc.channels))
    return failure();
  acc.acc =
      MatMulIntegerOp::create(rewriter, loc, resultType.clone(rewriter.getI32Type()), ops->x.getX(),
                              ops->w.getX(), zeroPointOrNone(rewriter, loc, ops->x),
                              zeroPointOrNone(rewriter, loc, ops->w))
          .getResult();
  return acc;
}

bool isContraction(Operation *op) { return op && isa<ConvOp, GemmOp, MatMulOp>(op); }

// The channel axis of a contraction's result.
int64_t channelAxis(Operation *op) {
  if (isa<ConvOp>(op))
    return 1;
  return cast<RankedTensorType>(op->getResult(0).getType()).getRank() - 1;
}

// A constant that only varies along `axis` of `result` (a bias), as its
// values; none otherwise.
std::optional<SmallVector<double>> constantAlongAxis(Value v, RankedTensorType result,
                                                     int64_t axis) {
  auto type = staticTensor(v);
  if (!type || type.getRank() > result.getRank())
    return std::nullopt;
  int64_t offset = result.getRank() - type.getRank();
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.getDimSize(d) != 1 && d + offset != axis)
      return std::nullopt;
  if (type.getNumElements() != 1 && type.getNumElements() != result.getDimSize(axis))
    return std::nullopt;
  DenseElementsAttr values = constantAsDense(v);
  if (!values || !isa<FloatType>(values.getElementType()))
    return std::nullopt;
  SmallVector<double> result_;
  for (const APFloat &x : values.getValues<APFloat>())
    result_.push_back(x.convertToDouble());
  return result_;
}

struct ContractionFold : OpRewritePattern<QuantizeLinearOp> {
  ContractionFold(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantizedResult> result = quantizedResult(q);
    if (!result)
      return failure();
    const QuantParams &out = result->params;
    RankedTensorType resultType = result->type;
    ClampRange range{out.lowest, out.highest};
    Value v = absorbActivation(q.getX(), out, range);

    // An Add right after the contraction: a bias (constant) or a residual
    // (another quantized tensor of the result's shape).
    Value residual;
    QuantParams residualParams;
    std::optional<BiasValues> extraBias;
    if (auto add = v.getDefiningOp<AddOp>(); add && add->hasOneUse()) {
      for (unsigned i = 0; i < 2; ++i) {
        Operation *other = add->getOperand(1 - i).getDefiningOp();
        if (!isContraction(other) || !other->hasOneUse())
          continue;
        auto addType = staticTensor(add.getC());
        Value operand = add->getOperand(i);
        if (!addType)
          return failure();
        if (auto dq = dequantizeOf(operand); dq && quantParamsOf(dq)->perTensor() &&
                                             staticTensor(operand) == addType &&
                                             addType == staticTensor(other->getResult(0))) {
          residual = dq.getX();
          residualParams = *quantParamsOf(dq);
        } else if (auto values = constantAlongAxis(operand, addType, channelAxis(other))) {
          extraBias = BiasValues{*values, {}, {}};
        } else {
          return failure();
        }
        v = add->getOperand(1 - i);
        break;
      }
    }
    Operation *contraction = v.getDefiningOp();
    if (!isContraction(contraction) || !contraction->hasOneUse())
      return failure();
    if (v != q.getX() && staticTensor(v) != staticTensor(q.getX()))
      return failure();

    rewriter.setInsertionPoint(q);
    double residualScale = residual ? residualParams.scale() : 0.0;
    std::optional<SmallVector<int32_t>> bias32;
    auto accept = [&](ArrayRef<double> scales, int64_t channels) {
      if (extraBias && !(bias32 = biasAsInt32(*extraBias, scales, channels)))
        return false;
      return canRequantize(scales, residual ? std::optional<double>(residualScale) : std::nullopt,
                           out);
    };
    FailureOr<Accumulator> acc = failure();
    if (auto conv = dyn_cast<ConvOp>(contraction))
      acc = convAccumulator(conv, rewriter, accept);
    else if (auto gemm = dyn_cast<GemmOp>(contraction))
      acc = gemmAccumulator(gemm, rewriter, accept);
    else
      acc = matmulAccumulator(cast<MatMulOp>(contraction), rewriter, accept);
    if (failed(acc))
      return failure();
    Location loc = contraction->getLoc();
    if (bias32)
      acc->acc = addBias(rewriter, loc, *acc, *bias32);
    Value requantized =
        createRequantize(rewriter, loc, resultType, acc->acc, 0, acc->scales, acc->axis, residual,
                         residual ? residualParams.zeroPoint() : 0, residualScale, out, range);
    rewriter.replaceOp(q, requantized);
    return success();
  }
};

// Whether `value` reaches a QuantizeLinear through the single-use
// activation and Add that ContractionFold absorbs.
bool feedsQuantize(Value value) {
  for (int step = 0; step < 3; ++step) {
    if (!value.hasOneUse())
      return llvm::any_of(value.getUsers(), [](Operation *u) { return isa<QuantizeLinearOp>(u); });
    Operation *user = *value.getUsers().begin();
    if (isa<QuantizeLinearOp>(user))
      return true;
    if (!isa<ReluOp, ClipOp, AddOp>(user))
      return false;
    value = user->getResult(0);
  }
  return false;
}

// A contraction on quantized inputs whose result stays float (a classifier's
// last Gemm, a MatMul before Softmax): the integer accumulator, dequantized
// once at s_x * s_w[c] by a DequantizeLinear of its i32 values.
struct FloatOutputContractionFold : RewritePattern {
  FloatOutputContractionFold(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isContraction(op) || feedsQuantize(op->getResult(0)))
      return failure();
    auto resultType = staticTensor(op->getResult(0));
    if (!resultType || !resultType.getElementType().isF32())
      return failure();
    auto accept = [](ArrayRef<double>, int64_t) { return true; };
    FailureOr<Accumulator> acc = failure();
    if (auto conv = dyn_cast<ConvOp>(op))
      acc = convAccumulator(conv, rewriter, accept);
    else if (auto gemm = dyn_cast<GemmOp>(op))
      acc = gemmAccumulator(gemm, rewriter, accept);
    else
      acc = matmulAccumulator(cast<MatMulOp>(op), rewriter, accept);
    if (failed(acc))
      return failure();
    Location loc = op->getLoc();
    MLIRContext *ctx = rewriter.getContext();
    bool perChannel = acc->scales.size() > 1;
    SmallVector<int64_t> paramShape;
    if (perChannel)
      paramShape.push_back(static_cast<int64_t>(acc->scales.size()));
    auto scaleType = RankedTensorType::get(paramShape, rewriter.getF32Type());
    auto zeroType = RankedTensorType::get(paramShape, rewriter.getI32Type());
    SmallVector<float> scales(acc->scales.begin(), acc->scales.end());
    Value scale = ConstantOp::create(rewriter, loc, scaleType,
                                     DenseElementsAttr::get(scaleType, ArrayRef<float>(scales)));
    Value zero =
        ConstantOp::create(rewriter, loc, zeroType, DenseElementsAttr::get(zeroType, APInt(32, 0)));
    auto i32 = rewriter.getI32Type();
    auto f32 = rewriter.getF32Type();
    int64_t lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
    Type qtype = perChannel
                     ? Type(quant::UniformQuantizedPerAxisType::get(
                           quant::QuantizationFlags::Signed, i32, f32, acc->scales,
                           SmallVector<int64_t>(acc->scales.size(), 0), acc->axis, lo, hi))
                     : Type(quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed, i32,
                                                             f32, acc->scales[0], 0, lo, hi));
    SmallVector<NamedAttribute> attrs = {
        rewriter.getNamedAttr("qtype", TypeAttr::get(qtype)),
        rewriter.getNamedAttr("axis", rewriter.getI64IntegerAttr(acc->axis)),
        rewriter.getNamedAttr(kEpilogueAttr, UnitAttr::get(ctx))};
    Value result = DequantizeLinearOp::create(rewriter, loc, TypeRange{resultType},
                                              ValueRange{acc->acc, scale, zero}, attrs)
                       .getY();
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateContractionFoldPatterns(RewritePatternSet &patterns) {
  patterns.add<ContractionFold, FloatOutputContractionFold>(patterns.getContext());
}

} // namespace qc

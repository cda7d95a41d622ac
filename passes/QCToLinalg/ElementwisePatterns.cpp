//===- ElementwisePatterns.cpp - qc elementwise ops to linalg.generic -----===//
//
// Every elementwise qc op becomes one linalg.generic over the result shape.
// Operands broadcast the ONNX (numpy) way: right-aligned, and a size-1 dim
// against a larger result dim reads index 0.
//
//===----------------------------------------------------------------------===//
#include "passes/QCToLinalg/LoweringUtils.h"
#include "passes/QCToLinalg/Patterns.h"

#include "QC/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;

namespace qc {
namespace {

// Computes one result element from the operands' elements.
using ScalarBuilder =
    function_ref<Value(OpBuilder &b, Location loc, ValueRange args, Type resultElement)>;

// Unsigned integers compute on their signless twins inside the generic; the
// ops whose meaning depends on the sign pick unsigned arith ops.
bool isSupportedElement(Type t) { return isa<IntegerType, FloatType>(t); }

// Whether the op's (first) operand holds unsigned integers.
bool hasUnsignedOperand(Operation *op) {
  return isUnsignedInt(getElementTypeOrSelf(op->getOperand(0).getType()));
}

LogicalResult lowerElementwise(Operation *op, ValueRange operands, PatternRewriter &rewriter,
                               ScalarBuilder scalar) {
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !resultType.hasStaticShape())
    return rewriter.notifyMatchFailure(op, "needs a static result shape");
  if (!isSupportedElement(resultType.getElementType()))
    return rewriter.notifyMatchFailure(op, "unsupported result element type");
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  for (Value operand : operands) {
    auto type = dyn_cast<RankedTensorType>(operand.getType());
    if (!type || !type.hasStaticShape() || type.getRank() > rank ||
        !isSupportedElement(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs static operands of supported types");
    FailureOr<AffineMap> map = broadcastingMap(type, resultType);
    if (failed(map))
      return rewriter.notifyMatchFailure(op, "operand does not broadcast to the result");
    maps.push_back(*map);
  }
  maps.push_back(rewriter.getMultiDimIdentityMap(rank));
  Location loc = op->getLoc();
  Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  Type resultElement = resultType.getElementType();
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{resultType}, operands, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
        SmallVector<Value> signless;
        for (Value arg : args.drop_back())
          signless.push_back(reinterpretInt(b, nestedLoc, arg, signlessOf(arg.getType())));
        Value v = scalar(b, nestedLoc, signless, signlessOf(resultElement));
        linalg::YieldOp::create(b, nestedLoc, reinterpretInt(b, nestedLoc, v, resultElement));
      });
  rewriter.replaceOp(op, generic.getResults());
  return success();
}

// Applies `fop` to floats and `iop` to signless integers.
template <typename FOp, typename IOp>
Value floatOrInt(OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0].getType()))
    return FOp::create(b, loc, args);
  return IOp::create(b, loc, args);
}

// Applies `fop` to floats, `sop` to signed and `uop` to unsigned integers.
template <typename FOp, typename SOp, typename UOp>
Value bySign(OpBuilder &b, Location loc, ValueRange args, bool isUnsigned) {
  if (isFloat(args[0].getType()))
    return FOp::create(b, loc, args);
  if (isUnsigned)
    return UOp::create(b, loc, args);
  return SOp::create(b, loc, args);
}

// max(x, lo) then min(., hi) for floats.
Value clampFloat(OpBuilder &b, Location loc, Value x, Value lo, Value hi) {
  return arith::MinimumFOp::create(b, loc, arith::MaximumFOp::create(b, loc, x, lo), hi);
}

template <typename SrcOp>
struct ElementwisePattern : OpRewritePattern<SrcOp> {
  using ScalarFn = Value (*)(OpBuilder &, Location, ValueRange, Type, SrcOp);
  ElementwisePattern(MLIRContext *ctx, ScalarFn fn, bool floatOnly)
      : OpRewritePattern<SrcOp>(ctx), fn(fn), floatOnly(floatOnly) {}

  LogicalResult matchAndRewrite(SrcOp op, PatternRewriter &rewriter) const override {
    if (floatOnly && !isFloat(getElementTypeOrSelf(op->getResult(0).getType())))
      return rewriter.notifyMatchFailure(op, "defined on floats only");
    if (isa<PReluOp, SignOp>(op) && hasUnsignedOperand(op))
      return rewriter.notifyMatchFailure(op, "signed semantics only");
    return lowerElementwise(op, op->getOperands(), rewriter,
                            [&](OpBuilder &b, Location loc, ValueRange args, Type elt) {
                              return fn(b, loc, args, elt, op);
                            });
  }

  ScalarFn fn;
  bool floatOnly;
};

template <typename SrcOp>
void add(RewritePatternSet &patterns,
         Value (*fn)(OpBuilder &, Location, ValueRange, Type, SrcOp),
         bool floatOnly = true) {
  patterns.add<ElementwisePattern<SrcOp>>(patterns.getContext(), fn, floatOnly);
}

template <typename MathOp, typename SrcOp>
void addMath(RewritePatternSet &patterns) {
  add<SrcOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, SrcOp) -> Value {
    return MathOp::create(b, loc, a[0]);
  });
}

float attrValue(FloatAttr a) { return a.getValue().convertToFloat(); }

Value intConstant(OpBuilder &b, Location loc, Type t, int64_t v) {
  return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, v));
}

// Comparisons: ordered float predicates (false on NaN), signed integers,
// unsigned order for bools (false < true) and unsigned integers.
Value compare(OpBuilder &b, Location loc, ValueRange a, arith::CmpFPredicate fpred,
              arith::CmpIPredicate ipred, arith::CmpIPredicate boolPred, Operation *op) {
  if (isFloat(a[0].getType()))
    return arith::CmpFOp::create(b, loc, fpred, a[0], a[1]);
  if (a[0].getType().isInteger(1) || hasUnsignedOperand(op))
    return arith::CmpIOp::create(b, loc, boolPred, a[0], a[1]);
  return arith::CmpIOp::create(b, loc, ipred, a[0], a[1]);
}

// Folds a variadic op's operands left to right with `combine`.
template <typename FOp, typename IOp, typename UOp = IOp>
Value foldOperands(OpBuilder &b, Location loc, ValueRange a, bool isUnsigned = false) {
  Value acc = a[0];
  for (Value v : a.drop_front())
    acc = bySign<FOp, IOp, UOp>(b, loc, ValueRange{acc, v}, isUnsigned);
  return acc;
}

// log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)).
Value softplus(OpBuilder &b, Location loc, Value x, Type t) {
  Value zero = floatConstant(b, loc, t, 0);
  Value negAbs = arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
  Value tail = math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
  return arith::AddFOp::create(b, loc, arith::MaximumFOp::create(b, loc, x, zero), tail);
}

// Clip: min and max are optional (`none`) scalar operands; only the present
// ones become inputs of the generic.
struct ClipPattern : OpRewritePattern<ClipOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ClipOp op, PatternRewriter &rewriter) const override {
    auto isPresent = [](Value v) { return v && !isa<NoneType>(v.getType()); };
    bool hasMin = isPresent(op.getMin()), hasMax = isPresent(op.getMax());
    SmallVector<Value> operands{op.getInput()};
    if (hasMin)
      operands.push_back(op.getMin());
    if (hasMax)
      operands.push_back(op.getMax());
    bool isUnsigned = hasUnsignedOperand(op);
    return lowerElementwise(op, operands, rewriter,
                            [&](OpBuilder &b, Location loc, ValueRange a, Type t) -> Value {
                              Value x = a[0];
                              if (hasMin)
                                x = bySign<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
                                    b, loc, ValueRange{x, a[1]}, isUnsigned);
                              if (hasMax)
                                x = bySign<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>(
                                    b, loc, ValueRange{x, a[hasMin ? 2 : 1]}, isUnsigned);
                              return x;
                            });
  }
};

//===----------------------------------------------------------------------===//
// QuantizeLinear / DequantizeLinear
//===----------------------------------------------------------------------===//

// How a scale or zero point of `param` type is read for an element of `x`:
// one value (per tensor), one per index along `axis` (per axis), or one per
// block of `blockSize` indices along `axis` (blocked); failure otherwise.
FailureOr<AffineMap> quantParamMap(RankedTensorType param, RankedTensorType x, int64_t axis,
                                   int64_t blockSize, MLIRContext *ctx) {
  int64_t rank = x.getRank();
  if (param.getNumElements() == 1 && blockSize == 0)
    return AffineMap::get(rank, 0,
                          SmallVector<AffineExpr>(param.getRank(), getAffineConstantExpr(0, ctx)),
                          ctx);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return failure();
  if (blockSize == 0) {
    if (param.getRank() != 1 || param.getDimSize(0) != x.getDimSize(axis))
      return failure();
    return AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx), ctx);
  }
  if (param.getRank() != rank)
    return failure();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t expected = d == axis ? (x.getDimSize(d) + blockSize - 1) / blockSize : x.getDimSize(d);
    if (param.getDimSize(d) != expected)
      return failure();
    exprs.push_back(d == axis ? getAffineDimExpr(d, ctx).floorDiv(blockSize)
                              : getAffineDimExpr(d, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

// A quantized element (integer, unsigned, 4-bit or float8) as f32.
Value quantizedToF32(OpBuilder &b, Location loc, Value v, Type storage) {
  Type f32 = b.getF32Type();
  if (isSmallFloat(storage))
    return extSmallFloatToF32(b, loc, v);
  if (isFloat(storage))
    return convertFloat(b, loc, v, f32);
  Value signless = reinterpretInt(b, loc, v, signlessOf(storage));
  if (isUnsignedInt(storage))
    return arith::UIToFPOp::create(b, loc, f32, signless);
  return arith::SIToFPOp::create(b, loc, f32, signless);
}

bool isQuantizedStorage(Type t) {
  if (isSmallFloat(t))
    return true;
  auto i = dyn_cast<IntegerType>(t);
  return i && i.getWidth() > 1 && i.getWidth() <= 32;
}

// A constant integer zero point as an f32 constant of the same shape (exact
// up to 2^24). As an integer operand, a splat unsigned constant would be
// folded into the generic's body as an unsigned arith.constant, which arith
// does not allow.
Value zeroPointAsF32Constant(PatternRewriter &rewriter, Location loc, Value zeroPoint) {
  DenseElementsAttr values = constantAsDense(zeroPoint);
  auto intType = values ? dyn_cast<IntegerType>(values.getElementType()) : nullptr;
  if (!intType || intType.getWidth() > 32)
    return nullptr;
  SmallVector<float> floats;
  for (const APInt &v : values.getValues<APInt>())
    // Each branch converts on its own: a mixed ternary would make a
    // negative value unsigned.
    floats.push_back(intType.isUnsigned() ? static_cast<float>(v.getZExtValue())
                                          : static_cast<float>(v.getSExtValue()));
  auto type = RankedTensorType::get(values.getType().getShape(), rewriter.getF32Type());
  return arith::ConstantOp::create(rewriter, loc, type,
                                   DenseElementsAttr::get(type, ArrayRef<float>(floats)));
}

// The generic over `x` with the scale and (optional) zero point read through
// their quantization maps; `body` gets x, scale and the zero point as f32
// (or null).
LogicalResult lowerQuantOp(Operation *op, Value x, Value scale, Value zeroPoint, int64_t axis,
                           int64_t blockSize, PatternRewriter &rewriter,
                           function_ref<Value(OpBuilder &, Location, Value, Value, Value)> body) {
  auto xType = staticTensor(x), scaleType = staticTensor(scale);
  auto resultType = staticTensor(op->getResult(0));
  if (!xType || !scaleType || !resultType || resultType.getShape() != xType.getShape())
    return rewriter.notifyMatchFailure(op, "needs static shapes");
  MLIRContext *ctx = rewriter.getContext();
  SmallVector<Value> inputs{x, scale};
  SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(xType.getRank())};
  FailureOr<AffineMap> scaleMap = quantParamMap(scaleType, xType, axis, blockSize, ctx);
  if (failed(scaleMap))
    return rewriter.notifyMatchFailure(op, "scale shape fits no quantization granularity");
  maps.push_back(*scaleMap);
  bool hasZeroPoint = !isNone(zeroPoint);
  if (hasZeroPoint) {
    auto zpType = staticTensor(zeroPoint);
    FailureOr<AffineMap> zpMap =
        zpType ? quantParamMap(zpType, xType, axis, blockSize, ctx) : FailureOr<AffineMap>();
    if (failed(zpMap))
      return rewriter.notifyMatchFailure(op, "zero point shape fits no quantization granularity");
    Value asF32 = zeroPointAsF32Constant(rewriter, op->getLoc(), zeroPoint);
    inputs.push_back(asF32 ? asF32 : zeroPoint);
    maps.push_back(*zpMap);
  }
  Type zpStorage = hasZeroPoint ? getElementTypeOrSelf(zeroPoint.getType()) : Type();
  maps.push_back(rewriter.getMultiDimIdentityMap(xType.getRank()));
  Location loc = op->getLoc();
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{resultType}, inputs, ValueRange{emptyOf(rewriter, loc, resultType)},
      maps, SmallVector<utils::IteratorType>(xType.getRank(), utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value zp;
        if (hasZeroPoint)
          zp = args[2].getType().isF32() ? args[2] : quantizedToF32(b, l, args[2], zpStorage);
        Value v = body(b, l, args[0], args[1], zp);
        linalg::YieldOp::create(b, l, v);
      });
  rewriter.replaceOp(op, generic.getResults());
  return success();
}

// y = saturate(round_half_to_even(x / scale) + zero_point); float8 and
// float4 results are x / scale (+ zero point) cast with ONNX Cast rounding
// and the op's saturate flag.
struct QuantizeLinearPattern : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp op, PatternRewriter &rewriter) const override {
    Type storage = getElementTypeOrSelf(op.getY().getType());
    Type xElt = getElementTypeOrSelf(op.getX().getType());
    if (!isQuantizedStorage(storage) || !isFloat(xElt) || isSmallFloat(xElt))
      return rewriter.notifyMatchFailure(op, "unsupported element types");
    bool saturate = op.getSaturate() != 0;
    return lowerQuantOp(
        op, op.getX(), op.getYScale(), op.getYZeroPoint(), op.getAxis(), op.getBlockSize(),
        rewriter, [&](OpBuilder &b, Location l, Value x, Value scale, Value zp) -> Value {
          Type f32 = b.getF32Type();
          Value scaled = arith::DivFOp::create(b, l, convertFloat(b, l, x, f32),
                                               convertFloat(b, l, scale, f32));
          if (isSmallFloat(storage)) {
            if (zp)
              scaled = arith::AddFOp::create(b, l, scaled, zp);
            return truncToSmallFloat(b, l, scaled, storage, saturate);
          }
          Value v = math::RoundEvenOp::create(b, l, scaled);
          if (zp)
            v = arith::AddFOp::create(b, l, v, zp);
          unsigned width = storage.getIntOrFloatBitWidth();
          bool isUnsigned = isUnsignedInt(storage);
          double lo = isUnsigned ? 0.0 : -std::ldexp(1.0, width - 1);
          double hi = isUnsigned ? std::ldexp(1.0, width) - 1 : std::ldexp(1.0, width - 1) - 1;
          // maxnumf/minnumf also keep a NaN out of the integer conversion.
          v = arith::MaxNumFOp::create(b, l, v, floatConstant(b, l, f32, lo));
          v = arith::MinNumFOp::create(b, l, v, floatConstant(b, l, f32, hi));
          Value wide = arith::FPToSIOp::create(b, l, b.getI64Type(), v);
          Value narrow = arith::TruncIOp::create(b, l, signlessOf(storage), wide);
          return reinterpretInt(b, l, narrow, storage);
        });
  }
};

// y = (x - zero_point) * scale, computed in f32.
struct DequantizeLinearPattern : OpRewritePattern<DequantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeLinearOp op, PatternRewriter &rewriter) const override {
    Type storage = getElementTypeOrSelf(op.getX().getType());
    Type yElt = getElementTypeOrSelf(op.getY().getType());
    if (!isQuantizedStorage(storage) || !isFloat(yElt) || isSmallFloat(yElt))
      return rewriter.notifyMatchFailure(op, "unsupported element types");
    return lowerQuantOp(
        op, op.getX(), op.getXScale(), op.getXZeroPoint(), op.getAxis(), op.getBlockSize(),
        rewriter, [&](OpBuilder &b, Location l, Value x, Value scale, Value zp) -> Value {
          Type f32 = b.getF32Type();
          Value v = quantizedToF32(b, l, x, storage);
          if (zp)
            v = arith::SubFOp::create(b, l, v, zp);
          v = arith::MulFOp::create(b, l, v, convertFloat(b, l, scale, f32));
          return convertFloat(b, l, v, yElt);
        });
  }
};

// uint8 quantization with the scale and zero point from the data range
// (which always includes 0): scale = (max - min) / 255, zero point =
// saturate(round(-min / scale)), y = saturate(round(x / scale) + zero point).
struct DynamicQuantizeLinearPattern : OpRewritePattern<DynamicQuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DynamicQuantizeLinearOp op,
                                PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getX());
    auto yType = staticTensor(op.getY());
    if (!xType || !yType || xType.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "needs a static, non-empty input");
    Location loc = op.getLoc();
    Type f32 = rewriter.getF32Type(), i8 = rewriter.getI8Type();
    Type ui8 = getElementTypeOrSelf(op.getY().getType());
    int64_t rank = xType.getRank();
    MLIRContext *ctx = rewriter.getContext();
    // min and max in one pass, starting from 0.
    auto scalarType = RankedTensorType::get({}, f32);
    Value zero = floatConstant(rewriter, loc, f32, 0);
    Value init = filledTensor(rewriter, loc, {}, f32, zero);
    AffineMap toScalar = AffineMap::get(rank, 0, {}, ctx);
    auto range = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scalarType, scalarType}, ValueRange{op.getX()},
        ValueRange{init, init}, {rewriter.getMultiDimIdentityMap(rank), toScalar, toScalar},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::reduction),
        [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::MinimumFOp::create(b, l, args[0], args[1]),
                                             arith::MaximumFOp::create(b, l, args[0], args[2])});
        });
    Value lo = tensor::ExtractOp::create(rewriter, loc, range.getResult(0), ValueRange{});
    Value hi = tensor::ExtractOp::create(rewriter, loc, range.getResult(1), ValueRange{});
    Value scale = arith::DivFOp::create(rewriter, loc, arith::SubFOp::create(rewriter, loc, hi, lo),
                                        floatConstant(rewriter, loc, f32, 255));
    auto saturateU8 = [&](OpBuilder &b, Location l, Value v) -> Value {
      v = arith::MaxNumFOp::create(b, l, v, floatConstant(b, l, f32, 0));
      return arith::MinNumFOp::create(b, l, v, floatConstant(b, l, f32, 255));
    };
    Value zpFloat = saturateU8(
        rewriter, loc,
        math::RoundEvenOp::create(rewriter, loc,
                                  arith::DivFOp::create(rewriter, loc,
                                                        arith::NegFOp::create(rewriter, loc, lo),
                                                        scale)));
    Value y = linalg::GenericOp::create(
                  rewriter, loc, TypeRange{yType}, ValueRange{op.getX()},
                  ValueRange{emptyOf(rewriter, loc, yType)},
                  SmallVector<AffineMap>(2, rewriter.getMultiDimIdentityMap(rank)),
                  SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
                  [&](OpBuilder &b, Location l, ValueRange args) {
                    Value q = math::RoundEvenOp::create(b, l,
                                                        arith::DivFOp::create(b, l, args[0], scale));
                    q = saturateU8(b, l, arith::AddFOp::create(b, l, q, zpFloat));
                    Value narrow = arith::FPToUIOp::create(b, l, i8, q);
                    linalg::YieldOp::create(b, l, reinterpretInt(b, l, narrow, ui8));
                  })
                  .getResult(0);
    Value zp = reinterpretInt(rewriter, loc, arith::FPToUIOp::create(rewriter, loc, i8, zpFloat), ui8);
    Value scaleTensor = tensor::FromElementsOp::create(rewriter, loc, scalarType, ValueRange{scale});
    Value zpTensor = tensor::FromElementsOp::create(
        rewriter, loc, RankedTensorType::get({}, ui8), ValueRange{zp});
    SmallVector<Value> results{y, scaleTensor, zpTensor};
    for (auto [value, result] : llvm::zip(results, op->getResults()))
      if (value.getType() != result.getType())
        value = tensor::CastOp::create(rewriter, loc, result.getType(), value);
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeLinearPattern, DequantizeLinearPattern, DynamicQuantizeLinearPattern>(
      patterns.getContext());
  // Arithmetic on floats and signless integers.
  add<AddOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, AddOp) {
    return floatOrInt<arith::AddFOp, arith::AddIOp>(b, loc, a);
  }, false);
  add<SubOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, SubOp) {
    return floatOrInt<arith::SubFOp, arith::SubIOp>(b, loc, a);
  }, false);
  add<MulOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, MulOp) {
    return floatOrInt<arith::MulFOp, arith::MulIOp>(b, loc, a);
  }, false);
  // ONNX integer Div truncates toward zero, as arith.divsi does.
  add<DivOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, DivOp op) {
    return bySign<arith::DivFOp, arith::DivSIOp, arith::DivUIOp>(b, loc, a,
                                                                 hasUnsignedOperand(op));
  }, false);
  // Integer bases compute in f64 (exact for the results that fit) and
  // truncate back, as numpy's integer power does.
  add<PowOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, PowOp op) -> Value {
    bool intBase = !isFloat(a[0].getType());
    Type computeType = intBase ? b.getF64Type() : a[0].getType();
    auto toCompute = [&](Value v, Value original) -> Value {
      if (isFloat(v.getType()))
        return convertFloat(b, loc, v, computeType);
      if (isUnsignedInt(getElementTypeOrSelf(original.getType())))
        return arith::UIToFPOp::create(b, loc, computeType, v);
      return arith::SIToFPOp::create(b, loc, computeType, v);
    };
    Value base = toCompute(a[0], op->getOperand(0));
    Value exponent = toCompute(a[1], op->getOperand(1));
    Value power = math::PowFOp::create(b, loc, base, exponent);
    if (!intBase)
      return power;
    if (hasUnsignedOperand(op))
      return arith::FPToUIOp::create(b, loc, t, power);
    return arith::FPToSIOp::create(b, loc, t, power);
  }, false);

  // Activations.
  add<ReluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, ReluOp op) -> Value {
    if (hasUnsignedOperand(op))
      return a[0];
    if (isFloat(t))
      return arith::MaximumFOp::create(b, loc, a[0], floatConstant(b, loc, t, 0));
    Value zero = arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, 0));
    return arith::MaxSIOp::create(b, loc, a[0], zero);
  }, false);
  add<SigmoidOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, SigmoidOp) -> Value {
    Value one = floatConstant(b, loc, t, 1);
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, a[0]));
    return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
  });
  add<LeakyReluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, LeakyReluOp op) -> Value {
    Value zero = floatConstant(b, loc, t, 0);
    Value alpha = floatConstant(b, loc, t, attrValue(op.getAlphaAttr()));
    Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, a[0], zero);
    return arith::SelectOp::create(b, loc, negative, arith::MulFOp::create(b, loc, a[0], alpha), a[0]);
  });
  add<HardSigmoidOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, HardSigmoidOp op) -> Value {
    Value alpha = floatConstant(b, loc, t, attrValue(op.getAlphaAttr()));
    Value beta = floatConstant(b, loc, t, attrValue(op.getBetaAttr()));
    Value linear = arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, a[0], alpha), beta);
    return clampFloat(b, loc, linear, floatConstant(b, loc, t, 0), floatConstant(b, loc, t, 1));
  });
  add<HardSwishOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, HardSwishOp) -> Value {
    // x * max(0, min(1, x/6 + 1/2))
    Value linear = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, a[0], floatConstant(b, loc, t, 1.0 / 6.0)),
        floatConstant(b, loc, t, 0.5));
    Value gate = clampFloat(b, loc, linear, floatConstant(b, loc, t, 0), floatConstant(b, loc, t, 1));
    return arith::MulFOp::create(b, loc, a[0], gate);
  });
  add<GeluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, GeluOp op) -> Value {
    Value x = a[0];
    Value half = floatConstant(b, loc, t, 0.5), one = floatConstant(b, loc, t, 1);
    Value inner;
    if (op.getApproximate() == "tanh") {
      // tanh(sqrt(2/pi) * (x + 0.044715 x^3))
      Value x3 = arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
      Value poly = arith::AddFOp::create(
          b, loc, x, arith::MulFOp::create(b, loc, x3, floatConstant(b, loc, t, 0.044715)));
      inner = math::TanhOp::create(
          b, loc, arith::MulFOp::create(b, loc, poly, floatConstant(b, loc, t, 0.7978845608028654)));
    } else {
      inner = math::ErfOp::create(
          b, loc, arith::MulFOp::create(b, loc, x, floatConstant(b, loc, t, 0.7071067811865476)));
    }
    return arith::MulFOp::create(b, loc, arith::MulFOp::create(b, loc, half, x),
                                 arith::AddFOp::create(b, loc, one, inner));
  });

  // Unary math.
  addMath<math::TanhOp, TanhOp>(patterns);
  addMath<math::ErfOp, ErfOp>(patterns);
  addMath<math::SqrtOp, SqrtOp>(patterns);
  addMath<math::ExpOp, ExpOp>(patterns);
  addMath<math::LogOp, LogOp>(patterns);
  addMath<math::FloorOp, FloorOp>(patterns);
  addMath<math::CeilOp, CeilOp>(patterns);
  addMath<math::RoundEvenOp, RoundOp>(patterns);
  addMath<math::SinOp, SinOp>(patterns);
  addMath<math::CosOp, CosOp>(patterns);
  addMath<math::TanOp, TanOp>(patterns);
  addMath<math::AsinOp, AsinOp>(patterns);
  addMath<math::AcosOp, AcosOp>(patterns);
  addMath<math::AtanOp, AtanOp>(patterns);
  addMath<math::SinhOp, SinhOp>(patterns);
  addMath<math::CoshOp, CoshOp>(patterns);
  addMath<math::AsinhOp, AsinhOp>(patterns);
  addMath<math::AcoshOp, AcoshOp>(patterns);
  addMath<math::AtanhOp, AtanhOp>(patterns);
  add<AbsOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, AbsOp op) -> Value {
    if (hasUnsignedOperand(op))
      return a[0];
    if (isFloat(t))
      return math::AbsFOp::create(b, loc, a[0]);
    return math::AbsIOp::create(b, loc, a[0]);
  }, false);
  add<NegOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, NegOp) -> Value {
    if (isFloat(t))
      return arith::NegFOp::create(b, loc, a[0]);
    Value zero = arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, 0));
    return arith::SubIOp::create(b, loc, zero, a[0]);
  }, false);
  add<ReciprocalOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, ReciprocalOp) -> Value {
    return arith::DivFOp::create(b, loc, floatConstant(b, loc, t, 1), a[0]);
  });

  // Clip, Where.
  patterns.add<ClipPattern>(patterns.getContext());
  add<WhereOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, WhereOp) -> Value {
    return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
  }, false);

  // Comparisons.
  add<EqualOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, EqualOp op) {
    return compare(b, loc, a, arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq,
                   arith::CmpIPredicate::eq, op);
  }, false);
  add<LessOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, LessOp op) {
    return compare(b, loc, a, arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
                   arith::CmpIPredicate::ult, op);
  }, false);
  add<LessOrEqualOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, LessOrEqualOp op) {
    return compare(b, loc, a, arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle,
                   arith::CmpIPredicate::ule, op);
  }, false);
  add<GreaterOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, GreaterOp op) {
    return compare(b, loc, a, arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
                   arith::CmpIPredicate::ugt, op);
  }, false);
  add<GreaterOrEqualOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type,
                                     GreaterOrEqualOp op) {
    return compare(b, loc, a, arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge,
                   arith::CmpIPredicate::uge, op);
  }, false);

  // Logical ops on bools.
  add<AndOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, AndOp) -> Value {
    return arith::AndIOp::create(b, loc, a[0], a[1]);
  }, false);
  add<OrOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, OrOp) -> Value {
    return arith::OrIOp::create(b, loc, a[0], a[1]);
  }, false);
  add<XorOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, XorOp) -> Value {
    return arith::XOrIOp::create(b, loc, a[0], a[1]);
  }, false);
  add<NotOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, NotOp) -> Value {
    return arith::XOrIOp::create(b, loc, a[0], intConstant(b, loc, t, 1));
  }, false);

  // Variadic Max/Min/Sum/Mean. maximumf/minimumf propagate NaN as ONNX does.
  add<MaxOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, MaxOp op) {
    return foldOperands<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
        b, loc, a, hasUnsignedOperand(op));
  }, false);
  add<MinOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, MinOp op) {
    return foldOperands<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>(
        b, loc, a, hasUnsignedOperand(op));
  }, false);
  add<SumOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, SumOp) {
    return foldOperands<arith::AddFOp, arith::AddIOp>(b, loc, a);
  }, false);
  add<MeanOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, MeanOp) -> Value {
    Value sum = foldOperands<arith::AddFOp, arith::AddIOp>(b, loc, a);
    return arith::DivFOp::create(b, loc, sum, floatConstant(b, loc, t, a.size()));
  });

  // Mod: fmod=1 is C fmod (sign of the dividend); fmod=0 is Python's %
  // (sign of the divisor): r = a rem b, then r += b where r != 0 and the
  // signs of r and b differ.
  // Integer divisors 0 and -1 give 0 (as numpy does) instead of trapping.
  add<ModOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, ModOp op) -> Value {
    bool isF = isFloat(t);
    if (hasUnsignedOperand(op)) {
      // Both signs agree; a zero divisor gives 0 as numpy does.
      Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a[1],
                                           intConstant(b, loc, t, 0));
      Value divisor = arith::SelectOp::create(b, loc, isZero, intConstant(b, loc, t, 1), a[1]);
      Value rem = arith::RemUIOp::create(b, loc, a[0], divisor);
      return arith::SelectOp::create(b, loc, isZero, intConstant(b, loc, t, 0), rem);
    }
    Value rem;
    if (isF) {
      rem = arith::RemFOp::create(b, loc, a[0], a[1]);
    } else {
      Value one = intConstant(b, loc, t, 1);
      Value isZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a[1],
                                           intConstant(b, loc, t, 0));
      Value isMinusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a[1],
                                               intConstant(b, loc, t, -1));
      Value trivial = arith::OrIOp::create(b, loc, isZero, isMinusOne);
      Value divisor = arith::SelectOp::create(b, loc, trivial, one, a[1]);
      rem = arith::RemSIOp::create(b, loc, a[0], divisor);
    }
    if (op.getFmod() != 0)
      return rem;
    Value zero = isF ? floatConstant(b, loc, t, 0) : intConstant(b, loc, t, 0);
    Value remNeg, divNeg, remNonZero;
    if (isF) {
      remNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, rem, zero);
      divNeg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, a[1], zero);
      remNonZero = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, rem, zero);
    } else {
      remNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, rem, zero);
      divNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, a[1], zero);
      remNonZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rem, zero);
    }
    Value signsDiffer = arith::XOrIOp::create(b, loc, remNeg, divNeg);
    Value adjust = arith::AndIOp::create(b, loc, signsDiffer, remNonZero);
    Value adjusted = floatOrInt<arith::AddFOp, arith::AddIOp>(b, loc, ValueRange{rem, a[1]});
    return arith::SelectOp::create(b, loc, adjust, adjusted, rem);
  }, false);

  // More activations.
  add<PReluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, PReluOp) -> Value {
    Value negative;
    if (isFloat(t))
      negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, a[0],
                                       floatConstant(b, loc, t, 0));
    else
      negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, a[0],
                                       intConstant(b, loc, t, 0));
    Value scaled = floatOrInt<arith::MulFOp, arith::MulIOp>(b, loc, a);
    return arith::SelectOp::create(b, loc, negative, scaled, a[0]);
  }, false);
  add<EluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, EluOp op) -> Value {
    // alpha * (exp(x) - 1) for x < 0, else x
    Value zero = floatConstant(b, loc, t, 0), one = floatConstant(b, loc, t, 1);
    Value alpha = floatConstant(b, loc, t, attrValue(op.getAlphaAttr()));
    Value em1 = arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, a[0]), one);
    Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, a[0], zero);
    return arith::SelectOp::create(b, loc, negative, arith::MulFOp::create(b, loc, alpha, em1),
                                   a[0]);
  });
  add<SeluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, SeluOp op) -> Value {
    // gamma * x for x > 0, else gamma * (alpha * exp(x) - alpha)
    Value zero = floatConstant(b, loc, t, 0);
    Value alpha = floatConstant(b, loc, t, attrValue(op.getAlphaAttr()));
    Value gamma = floatConstant(b, loc, t, attrValue(op.getGammaAttr()));
    Value neg = arith::SubFOp::create(
        b, loc, arith::MulFOp::create(b, loc, alpha, math::ExpOp::create(b, loc, a[0])), alpha);
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, a[0], zero);
    Value inner = arith::SelectOp::create(b, loc, positive, a[0], neg);
    return arith::MulFOp::create(b, loc, gamma, inner);
  });
  add<CeluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, CeluOp op) -> Value {
    // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
    Value zero = floatConstant(b, loc, t, 0), one = floatConstant(b, loc, t, 1);
    Value alpha = floatConstant(b, loc, t, attrValue(op.getAlphaAttr()));
    Value e = math::ExpOp::create(b, loc, arith::DivFOp::create(b, loc, a[0], alpha));
    Value neg = arith::MulFOp::create(b, loc, alpha, arith::SubFOp::create(b, loc, e, one));
    return arith::AddFOp::create(b, loc, arith::MaximumFOp::create(b, loc, a[0], zero),
                                 arith::MinimumFOp::create(b, loc, neg, zero));
  });
  add<ThresholdedReluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t,
                                      ThresholdedReluOp op) -> Value {
    Value alpha = floatConstant(b, loc, t, attrValue(op.getAlphaAttr()));
    Value above = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, a[0], alpha);
    return arith::SelectOp::create(b, loc, above, a[0], floatConstant(b, loc, t, 0));
  });
  add<SoftplusOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, SoftplusOp) {
    return softplus(b, loc, a[0], t);
  });
  add<SoftsignOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, SoftsignOp) -> Value {
    // x / (1 + |x|)
    Value denom = arith::AddFOp::create(b, loc, floatConstant(b, loc, t, 1),
                                        math::AbsFOp::create(b, loc, a[0]));
    return arith::DivFOp::create(b, loc, a[0], denom);
  });
  add<SignOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, SignOp) -> Value {
    // 1 for x > 0, -1 for x < 0, else x (0, or NaN for floats)
    Value x = a[0];
    if (isFloat(t)) {
      Value zero = floatConstant(b, loc, t, 0);
      Value pos = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero);
      Value neg = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
      Value r = arith::SelectOp::create(b, loc, neg, floatConstant(b, loc, t, -1), x);
      return arith::SelectOp::create(b, loc, pos, floatConstant(b, loc, t, 1), r);
    }
    Value zero = intConstant(b, loc, t, 0);
    Value pos = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, zero);
    Value neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero);
    Value r = arith::SelectOp::create(b, loc, neg, intConstant(b, loc, t, -1), zero);
    return arith::SelectOp::create(b, loc, pos, intConstant(b, loc, t, 1), r);
  }, false);
  add<MishOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, MishOp) -> Value {
    // x * tanh(softplus(x))
    return arith::MulFOp::create(b, loc, a[0],
                                 math::TanhOp::create(b, loc, softplus(b, loc, a[0], t)));
  });
}

} // namespace qc

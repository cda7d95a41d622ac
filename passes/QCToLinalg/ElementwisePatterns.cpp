//===- ElementwisePatterns.cpp - qc elementwise ops to linalg.generic -----===//
//
// Every elementwise qc op becomes one linalg.generic over the result shape.
// Operands broadcast the ONNX (numpy) way: right-aligned, and a size-1 dim
// against a larger result dim reads index 0.
//
//===----------------------------------------------------------------------===//
#include "passes/QCToLinalg/Patterns.h"

#include "QC/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace qc {
namespace {

// Computes one result element from the operands' elements.
using ScalarBuilder =
    function_ref<Value(OpBuilder &b, Location loc, ValueRange args, Type resultElement)>;

bool isSupportedElement(Type t) {
  // Unsigned integers need explicit extensions in arith; they come with the
  // integer lowering.
  if (auto i = dyn_cast<IntegerType>(t))
    return i.isSignless();
  return isa<FloatType>(t);
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
    SmallVector<AffineExpr> exprs;
    int64_t offset = rank - type.getRank();
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t size = type.getDimSize(d), resultSize = resultType.getDimSize(d + offset);
      if (size == resultSize)
        exprs.push_back(rewriter.getAffineDimExpr(d + offset));
      else if (size == 1)
        exprs.push_back(rewriter.getAffineConstantExpr(0));
      else
        return rewriter.notifyMatchFailure(op, "operand does not broadcast to the result");
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, rewriter.getContext()));
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
        Value v = scalar(b, nestedLoc, args.drop_back(), resultElement);
        linalg::YieldOp::create(b, nestedLoc, v);
      });
  rewriter.replaceOp(op, generic.getResults());
  return success();
}

Value floatConstant(OpBuilder &b, Location loc, Type t, double v) {
  return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
}

bool isFloat(Type t) { return isa<FloatType>(t); }

// Applies `fop` to floats and `iop` to signless integers.
template <typename FOp, typename IOp>
Value floatOrInt(OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0].getType()))
    return FOp::create(b, loc, args);
  return IOp::create(b, loc, args);
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

} // namespace

void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
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
  add<DivOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, DivOp) {
    return floatOrInt<arith::DivFOp, arith::DivSIOp>(b, loc, a);
  }, false);
  add<PowOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type, PowOp) -> Value {
    Value exponent = a[1];
    if (!isFloat(exponent.getType()))
      exponent = arith::SIToFPOp::create(b, loc, a[0].getType(), exponent);
    else if (exponent.getType() != a[0].getType())
      exponent = arith::ExtFOp::create(b, loc, a[0].getType(), exponent);
    return math::PowFOp::create(b, loc, a[0], exponent);
  });

  // Activations.
  add<ReluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, ReluOp) -> Value {
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
  add<AbsOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a, Type t, AbsOp) -> Value {
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
}

} // namespace qc

//===- LoweringUtils.cpp - helpers shared by the qc to linalg patterns ----===//
#include "passes/QCToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cstring>
#include <vector>
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

#include <cmath>

using namespace mlir;

namespace qc {

RankedTensorType staticTensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape() ? t : RankedTensorType();
}

FailureOr<MatmulShapes> matmulShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b, const char *&why) {
  MatmulShapes s;
  s.a.assign(a.begin(), a.end());
  s.b.assign(b.begin(), b.end());
  if (s.a.size() == 1)
    s.a.insert(s.a.begin(), 1);
  if (s.b.size() == 1)
    s.b.push_back(1);
  s.m = s.a[s.a.size() - 2];
  s.k = s.a.back();
  s.n = s.b.back();
  if (s.b[s.b.size() - 2] != s.k) {
    why = "contraction dims differ";
    return failure();
  }
  s.batch.assign(std::max(s.aBatch().size(), s.bBatch().size()), 1);
  for (ArrayRef<int64_t> dims : {s.aBatch(), s.bBatch()})
    for (auto [i, d] : llvm::enumerate(dims)) {
      int64_t &r = s.batch[i + s.batch.size() - dims.size()];
      if (r != 1 && d != 1 && r != d) {
        why = "batch dims do not broadcast";
        return failure();
      }
      if (d != 1)
        r = d;
    }
  return s;
}

Type signlessOf(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  if (!i || i.isSignless())
    return t;
  return IntegerType::get(t.getContext(), i.getWidth());
}

Value reinterpretInt(OpBuilder &b, Location loc, Value v, Type to) {
  if (v.getType() == to)
    return v;
  return UnrealizedConversionCastOp::create(b, loc, to, v).getResult(0);
}

DenseElementsAttr transposedConstant(DenseElementsAttr values) {
  auto type = dyn_cast<RankedTensorType>(values.getType());
  if (!type || type.getRank() != 2 || type.getElementTypeBitWidth() % 8)
    return nullptr;
  auto transposed = RankedTensorType::get({type.getDimSize(1), type.getDimSize(0)},
                                          type.getElementType());
  if (values.isSplat())
    return values.resizeSplat(transposed);
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  size_t bytes = type.getElementTypeBitWidth() / 8;
  ArrayRef<char> raw = values.getRawData();
  std::vector<char> out(raw.size());
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      std::memcpy(&out[(j * rows + i) * bytes], &raw[(i * cols + j) * bytes], bytes);
  return DenseElementsAttr::getFromRawBuffer(transposed, out);
}

namespace {

// Bit layout and special values of a small float format.
struct SmallFloatFormat {
  unsigned width, mantissaBits;
  int bias;
  uint32_t maxCode;  // largest finite magnitude
  uint32_t nanCode;  // what NaN becomes (sign included where unsigned NaN)
  bool hasInf;       // E5M2: exponent all ones is inf / NaN
  bool unsignedZero; // FNUZ: no negative zero (0x80 is NaN)
};

SmallFloatFormat formatOf(Type t) {
  if (isa<Float8E4M3FNType>(t))
    return {8, 3, 7, 0x7E, 0x7F, false, false};
  if (isa<Float8E4M3FNUZType>(t))
    return {8, 3, 8, 0x7F, 0x80, false, true};
  if (isa<Float8E5M2Type>(t))
    return {8, 2, 15, 0x7B, 0x7E, true, false};
  if (isa<Float8E5M2FNUZType>(t))
    return {8, 2, 16, 0x7F, 0x80, false, true};
  // Float4E2M1FN: no inf, no NaN; ONNX's reference turns NaN into -0.
  return {4, 1, 1, 0x7, 0x8, false, false};
}

Value i32Constant(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(static_cast<int32_t>(v)));
}

} // namespace

bool isSmallFloat(Type t) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type, Float8E5M2FNUZType,
             Float4E2M1FNType>(t);
}

Value truncToSmallFloat(OpBuilder &b, Location loc, Value x, Type to, bool saturate) {
  SmallFloatFormat f = formatOf(to);
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  int minNormalExp = 1 - f.bias;
  auto c = [&](int64_t v) { return i32Constant(b, loc, v); };
  Value bits = arith::BitcastOp::create(b, loc, i32, x);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, bits, c(0));
  Value absBits = arith::AndIOp::create(b, loc, bits, c(0x7FFFFFFF));
  Value absValue = arith::BitcastOp::create(b, loc, f32, absBits);
  Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);

  // Normal range: rebias the exponent and round the mantissa to nearest
  // even on the bits; a carry into the exponent is the right result.
  unsigned shift = 23 - f.mantissaBits;
  Value rebased = arith::SubIOp::create(b, loc, absBits, c(int64_t(127 - f.bias) << 23));
  Value lsb = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, rebased, c(shift)), c(1));
  Value bias = arith::AddIOp::create(b, loc, c((1 << (shift - 1)) - 1), lsb);
  Value normalCode = arith::ShRUIOp::create(
      b, loc, arith::AddIOp::create(b, loc, rebased, bias), c(shift));
  // Subnormal range: the value in units of the smallest subnormal, rounded
  // to nearest even (2^M there is the smallest normal's code).
  Value minNormal = floatConstant(b, loc, f32, std::ldexp(1.0, minNormalExp));
  Value clamped = arith::MinimumFOp::create(b, loc, absValue, minNormal);
  Value units = arith::MulFOp::create(
      b, loc, clamped,
      floatConstant(b, loc, f32, std::ldexp(1.0, int(f.mantissaBits) - minNormalExp)));
  Value subnormalCode =
      arith::FPToSIOp::create(b, loc, i32, math::RoundEvenOp::create(b, loc, units));
  Value isNormal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, absBits,
                                         c(int64_t(minNormalExp + 127) << 23));
  Value code = arith::SelectOp::create(b, loc, isNormal, normalCode, subnormalCode);

  // Out of range (infinities included).
  bool saturates = saturate || f.width == 4;
  uint32_t overflowCode = saturates ? f.maxCode : f.hasInf ? f.maxCode + 1 : f.nanCode;
  Value overflow = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, code, c(f.maxCode));
  code = arith::SelectOp::create(b, loc, overflow, c(overflowCode), code);

  // Sign, then NaN.
  Value signBit = c(int64_t(1) << (f.width - 1));
  Value signedCode = arith::OrIOp::create(b, loc, code, signBit);
  Value useSign = negative;
  if (f.unsignedZero) {
    Value nonZero = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, code, c(0));
    useSign = arith::AndIOp::create(b, loc, negative, nonZero);
  }
  code = arith::SelectOp::create(b, loc, useSign, signedCode, code);
  code = arith::SelectOp::create(b, loc, isNaN, c(f.nanCode), code);
  Value narrow = arith::TruncIOp::create(b, loc, b.getIntegerType(f.width), code);
  return arith::BitcastOp::create(b, loc, to, narrow);
}

Value extSmallFloatToF32(OpBuilder &b, Location loc, Value v) {
  SmallFloatFormat f = formatOf(v.getType());
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  auto c = [&](int64_t x) { return i32Constant(b, loc, x); };
  Value narrow = arith::BitcastOp::create(b, loc, b.getIntegerType(f.width), v);
  Value code = arith::ExtUIOp::create(b, loc, i32, narrow);
  Value magnitude = arith::AndIOp::create(b, loc, code, c((1 << (f.width - 1)) - 1));
  Value exponent = arith::ShRUIOp::create(b, loc, magnitude, c(f.mantissaBits));
  Value mantissa = arith::AndIOp::create(b, loc, magnitude, c((1 << f.mantissaBits) - 1));
  Value isSubnormal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, exponent, c(0));
  // value = significand * 2^(max(exponent, 1) - bias - M), both exact in f32.
  Value significand = arith::SelectOp::create(
      b, loc, isSubnormal, mantissa,
      arith::OrIOp::create(b, loc, mantissa, c(1 << f.mantissaBits)));
  Value scaleExp = arith::AddIOp::create(b, loc, arith::MaxSIOp::create(b, loc, exponent, c(1)),
                                         c(127 - f.bias - int(f.mantissaBits)));
  Value scale = arith::BitcastOp::create(
      b, loc, f32, arith::ShLIOp::create(b, loc, scaleExp, c(23)));
  Value value =
      arith::MulFOp::create(b, loc, arith::UIToFPOp::create(b, loc, f32, significand), scale);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, code,
                                         c(1 << (f.width - 1)));
  value = arith::SelectOp::create(b, loc, negative, arith::NegFOp::create(b, loc, value), value);

  Value nan = floatConstant(b, loc, f32, std::nan(""));
  if (f.hasInf) {
    // Exponent all ones: inf with a zero mantissa, else NaN.
    Value allOnes = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, exponent,
                                          c((1 << (f.width - 1 - f.mantissaBits)) - 1));
    Value inf = floatConstant(b, loc, f32, INFINITY);
    Value signedInf =
        arith::SelectOp::create(b, loc, negative, arith::NegFOp::create(b, loc, inf), inf);
    Value isInf = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, mantissa, c(0));
    Value special = arith::SelectOp::create(b, loc, isInf, signedInf, nan);
    return arith::SelectOp::create(b, loc, allOnes, special, value);
  }
  if (f.width == 4)
    return value;
  Value isNaN = f.unsignedZero
                    ? arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, code, c(0x80))
                    : arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, magnitude, c(0x7F));
  return arith::SelectOp::create(b, loc, isNaN, nan, value);
}

Type accumulatorType(Type elt) {
  if (isa<Float16Type, BFloat16Type>(elt))
    return Float32Type::get(elt.getContext());
  return elt;
}

Value floatConstant(OpBuilder &b, Location loc, Type t, double v) {
  return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
}

Value scalarConstant(OpBuilder &b, Location loc, Type t, double v) {
  if (isFloat(t))
    return floatConstant(b, loc, t, v);
  return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, static_cast<int64_t>(v)));
}

Value convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

Value emptyOf(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
}

Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type elt, Value v) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, elt);
  return linalg::FillOp::create(b, loc, ValueRange{v}, ValueRange{empty}).getResult(0);
}

Value add(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

Value maximum(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  if (isBool(x.getType()))
    return arith::OrIOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value minimum(OpBuilder &b, Location loc, Value x, Value y) {
  if (isFloat(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  if (isBool(x.getType()))
    return arith::AndIOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

FailureOr<AffineMap> broadcastingMap(RankedTensorType operand, RankedTensorType result) {
  int64_t rank = result.getRank(), offset = rank - operand.getRank();
  if (offset < 0)
    return failure();
  MLIRContext *ctx = result.getContext();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < operand.getRank(); ++d) {
    int64_t size = operand.getDimSize(d), resultSize = result.getDimSize(d + offset);
    if (size == resultSize)
      exprs.push_back(getAffineDimExpr(d + offset, ctx));
    else if (size == 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      return failure();
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value reshapeTo(OpBuilder &b, Location loc, Value src, RankedTensorType dst) {
  auto srcType = cast<RankedTensorType>(src.getType());
  if (srcType == dst)
    return src;
  if (dst.getNumElements() == 0)
    return emptyOf(b, loc, dst);
  if (srcType.getRank() == 0)
    return tensor::ExpandShapeOp::create(b, loc, dst, src, ArrayRef<ReassociationIndices>{});
  if (dst.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, dst, src, ArrayRef<ReassociationIndices>{});
  if (auto reassociation = getReassociationIndicesForReshape(srcType, dst)) {
    if (srcType.getRank() > dst.getRank())
      return tensor::CollapseShapeOp::create(b, loc, dst, src, *reassociation);
    if (srcType.getRank() < dst.getRank())
      return tensor::ExpandShapeOp::create(b, loc, dst, src, *reassociation);
  }
  auto flatType = RankedTensorType::get({srcType.getNumElements()}, srcType.getElementType());
  Value flat = src;
  if (srcType.getRank() != 1) {
    ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, srcType.getRank()));
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, src,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (dst.getRank() == 1)
    return flat;
  ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, dst.getRank()));
  return tensor::ExpandShapeOp::create(b, loc, dst, flat, ArrayRef<ReassociationIndices>{all});
}

} // namespace qc

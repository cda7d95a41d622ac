//===- LoweringUtils.cpp - helpers shared by the qc to linalg patterns ----===//
#include "passes/QCToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;

namespace qc {

RankedTensorType staticTensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape() ? t : RankedTensorType();
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

//===- LoweringUtils.h - helpers shared by the qc to linalg patterns -*- C++ -*-===//
#ifndef QUANTC_PASSES_QCTOLINALG_LOWERINGUTILS_H
#define QUANTC_PASSES_QCTOLINALG_LOWERINGUTILS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace qc {

// The value's type if it is a tensor of static shape, else null.
mlir::RankedTensorType staticTensor(mlir::Value v);

// An absent optional ONNX operand (a `none` value).
inline bool isNone(mlir::Value v) { return !v || mlir::isa<mlir::NoneType>(v.getType()); }

inline bool isFloat(mlir::Type t) { return mlir::isa<mlir::FloatType>(t); }
inline bool isBool(mlir::Type t) { return t.isInteger(1); }

inline bool isUnsignedInt(mlir::Type t) { return t.isUnsignedInteger(); }

// Unsigned integer types (ui8, ...) as the signless type of the same width
// that arith computes on; other types as they are.
mlir::Type signlessOf(mlir::Type t);
// Reinterprets a scalar between an unsigned integer type and its signless
// twin (a no-op cast that the LLVM lowering reconciles away: both become
// the same LLVM integer); returns `v` if it already has type `to`.
mlir::Value reinterpretInt(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, mlir::Type to);

// The transpose of a 2-D constant (elements of whole bytes), computed at
// compile time; null for anything else.
mlir::DenseElementsAttr transposedConstant(mlir::DenseElementsAttr values);

// The float8 types and float4 E2M1, which LLVM has no arithmetic for: their
// values are converted with integer code on their bits.
bool isSmallFloat(mlir::Type t);
// An f32 scalar as the small float type `to`, rounding to nearest even as
// ONNX Cast does. `saturate` maps out-of-range values (infinities included)
// to the largest finite value; otherwise they become inf (E5M2) or NaN.
// E2M1 always saturates.
mlir::Value truncToSmallFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value f32Value,
                              mlir::Type to, bool saturate);
// A small float scalar as f32 (exact).
mlir::Value extSmallFloatToF32(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v);

// f16/bf16 accumulate in f32; other types in themselves.
mlir::Type accumulatorType(mlir::Type elt);

mlir::Value floatConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type t, double v);
// A float or integer scalar constant of type `t`.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type t, double v);
// extf / truncf between float types (no-op if equal).
mlir::Value convertFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v, mlir::Type to);

mlir::Value emptyOf(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type);
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc, llvm::ArrayRef<int64_t> shape,
                         mlir::Type elt, mlir::Value v);

// Scalar arithmetic on floats, signless integers and (max/min) booleans.
mlir::Value add(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x, mlir::Value y);
mlir::Value mul(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x, mlir::Value y);
mlir::Value maximum(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x, mlir::Value y);
mlir::Value minimum(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x, mlir::Value y);

// The indexing map that reads `operand` broadcast (numpy style: right-aligned,
// size-1 dims read index 0) into an iteration space shaped like `result`;
// failure if it does not broadcast.
mlir::FailureOr<mlir::AffineMap> broadcastingMap(mlir::RankedTensorType operand,
                                                 mlir::RankedTensorType result);

// The shapes of a numpy matmul of A [..., M, K] and B [..., K, N]: 1-D
// operands promoted (A [K] -> [1, K], B [K] -> [K, 1]), and the batch dims
// broadcast numpy's way. `why` names the mismatch on failure.
struct MatmulShapes {
  llvm::SmallVector<int64_t> a, b, batch;
  int64_t m, k, n;
  llvm::ArrayRef<int64_t> aBatch() const { return llvm::ArrayRef<int64_t>(a).drop_back(2); }
  llvm::ArrayRef<int64_t> bBatch() const { return llvm::ArrayRef<int64_t>(b).drop_back(2); }
};
mlir::FailureOr<MatmulShapes> matmulShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b,
                                           const char *&why);

// Reshapes a static tensor to another static shape with as many elements,
// with collapse_shape/expand_shape (through 1-D when neither alone does).
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value src,
                      mlir::RankedTensorType dst);

} // namespace qc

#endif // QUANTC_PASSES_QCTOLINALG_LOWERINGUTILS_H

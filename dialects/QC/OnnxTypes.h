//===- OnnxTypes.h - ONNX element types <-> MLIR types ----------*- C++ -*-===//
//
// ONNX TensorProto.DataType codes and their MLIR element types. Signedness is
// kept in the type (ui8 vs i8) because quantization semantics depend on it.
//
//===----------------------------------------------------------------------===//
#ifndef QC_ONNXTYPES_H
#define QC_ONNXTYPES_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace qc {

// The TensorProto.DataType codes of onnx.proto (as of ONNX 1.22).
enum class OnnxDataType : int {
  Undefined = 0, Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5,
  Int32 = 6, Int64 = 7, String = 8, Bool = 9, Float16 = 10, Double = 11,
  UInt32 = 12, UInt64 = 13, Complex64 = 14, Complex128 = 15, BFloat16 = 16,
  Float8E4M3FN = 17, Float8E4M3FNUZ = 18, Float8E5M2 = 19, Float8E5M2FNUZ = 20,
  UInt4 = 21, Int4 = 22, Float4E2M1 = 23, Float8E8M0 = 24, UInt2 = 25, Int2 = 26,
};

// The MLIR element type for an ONNX data type code; null for codes quantc
// cannot represent (string, complex, unknown).
mlir::Type getElementTypeForOnnx(mlir::MLIRContext *ctx, int64_t onnxDataType);

// The ONNX code of an MLIR element type, if it has one.
std::optional<int64_t> getOnnxDataType(mlir::Type elementType);

// "FLOAT", "INT8", ... for diagnostics.
llvm::StringRef getOnnxDataTypeName(int64_t onnxDataType);

} // namespace qc

#endif // QC_ONNXTYPES_H

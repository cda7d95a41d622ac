//===- OnnxTypes.cpp - ONNX element types <-> MLIR types ------------------===//
#include "QC/OnnxTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace qc {

Type getElementTypeForOnnx(MLIRContext *ctx, int64_t code) {
  Builder b(ctx);
  auto integer = [&](unsigned width, bool isUnsigned) -> Type {
    return IntegerType::get(ctx, width,
                            isUnsigned ? IntegerType::Unsigned : IntegerType::Signless);
  };
  switch (static_cast<OnnxDataType>(code)) {
  case OnnxDataType::Float: return b.getF32Type();
  case OnnxDataType::Double: return b.getF64Type();
  case OnnxDataType::Float16: return b.getF16Type();
  case OnnxDataType::BFloat16: return b.getBF16Type();
  case OnnxDataType::Float8E4M3FN: return Float8E4M3FNType::get(ctx);
  case OnnxDataType::Float8E4M3FNUZ: return Float8E4M3FNUZType::get(ctx);
  case OnnxDataType::Float8E5M2: return Float8E5M2Type::get(ctx);
  case OnnxDataType::Float8E5M2FNUZ: return Float8E5M2FNUZType::get(ctx);
  case OnnxDataType::Float4E2M1: return Float4E2M1FNType::get(ctx);
  case OnnxDataType::Bool: return integer(1, false);
  case OnnxDataType::Int2: return integer(2, false);
  case OnnxDataType::Int4: return integer(4, false);
  case OnnxDataType::Int8: return integer(8, false);
  case OnnxDataType::Int16: return integer(16, false);
  case OnnxDataType::Int32: return integer(32, false);
  case OnnxDataType::Int64: return integer(64, false);
  case OnnxDataType::UInt2: return integer(2, true);
  case OnnxDataType::UInt4: return integer(4, true);
  case OnnxDataType::UInt8: return integer(8, true);
  case OnnxDataType::UInt16: return integer(16, true);
  case OnnxDataType::UInt32: return integer(32, true);
  case OnnxDataType::UInt64: return integer(64, true);
  default: return nullptr;
  }
}

std::optional<int64_t> getOnnxDataType(Type t) {
  auto code = [](OnnxDataType d) { return static_cast<int64_t>(d); };
  if (t.isF32()) return code(OnnxDataType::Float);
  if (t.isF64()) return code(OnnxDataType::Double);
  if (t.isF16()) return code(OnnxDataType::Float16);
  if (t.isBF16()) return code(OnnxDataType::BFloat16);
  if (isa<Float8E4M3FNType>(t)) return code(OnnxDataType::Float8E4M3FN);
  if (isa<Float8E4M3FNUZType>(t)) return code(OnnxDataType::Float8E4M3FNUZ);
  if (isa<Float8E5M2Type>(t)) return code(OnnxDataType::Float8E5M2);
  if (isa<Float8E5M2FNUZType>(t)) return code(OnnxDataType::Float8E5M2FNUZ);
  if (isa<Float4E2M1FNType>(t)) return code(OnnxDataType::Float4E2M1);
  auto it = dyn_cast<IntegerType>(t);
  if (!it) return std::nullopt;
  bool u = it.isUnsigned();
  switch (it.getWidth()) {
  case 1: return code(OnnxDataType::Bool);
  case 2: return code(u ? OnnxDataType::UInt2 : OnnxDataType::Int2);
  case 4: return code(u ? OnnxDataType::UInt4 : OnnxDataType::Int4);
  case 8: return code(u ? OnnxDataType::UInt8 : OnnxDataType::Int8);
  case 16: return code(u ? OnnxDataType::UInt16 : OnnxDataType::Int16);
  case 32: return code(u ? OnnxDataType::UInt32 : OnnxDataType::Int32);
  case 64: return code(u ? OnnxDataType::UInt64 : OnnxDataType::Int64);
  default: return std::nullopt;
  }
}

llvm::StringRef getOnnxDataTypeName(int64_t code) {
  static const char *names[] = {
      "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32",
      "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64",
      "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ",
      "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1", "FLOAT8E8M0", "UINT2",
      "INT2"};
  if (code >= 0 && code < static_cast<int64_t>(std::size(names)))
    return names[code];
  return "UNKNOWN";
}

} // namespace qc

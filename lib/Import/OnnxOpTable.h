//===- OnnxOpTable.h - the ONNX operators quantc imports --------*- C++ -*-===//
#ifndef QUANTC_IMPORT_ONNXOPTABLE_H
#define QUANTC_IMPORT_ONNXOPTABLE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"


namespace qc {

struct OnnxOpSpec {
  llvm::StringLiteral onnxType;
  llvm::StringLiteral qcName;
  int numInputs;  // -1: variadic
  int numOutputs; // -1: variadic
  // Versions in ascending order; unused slots are 0.
  int versions[12];

  bool variadicInputs() const { return numInputs < 0; }
  bool variadicOutputs() const { return numOutputs < 0; }
  // The operator version a model of this opset uses (0 if none).
  int64_t resolveVersion(int64_t opset) const;
};

const OnnxOpSpec *lookupOnnxOp(llvm::StringRef opType);
llvm::ArrayRef<OnnxOpSpec> getOnnxOpTable();

// onnxruntime's contrib operators, the domain of its QOperator format.
constexpr llvm::StringLiteral kMicrosoftDomain = "com.microsoft";

// A com.microsoft QLinear* operator. Each is defined as dequantize ->
// `floatOp` (an ONNX operator of the table above) -> quantize, and is
// imported as exactly that chain.
struct QLinearContribSpec {
  llvm::StringLiteral onnxType;
  llvm::StringLiteral floatOp;
  // (x, x_scale, x_zero_point) triples before the output's scale and zero
  // point; -1: any number, after them (QLinearConcat).
  int numQuantizedInputs;
  // The com.microsoft opset that defines it.
  int version;

  bool variadicInputs() const { return numQuantizedInputs < 0; }
};

const QLinearContribSpec *lookupQLinearContribOp(llvm::StringRef opType);
llvm::ArrayRef<QLinearContribSpec> getQLinearContribOpTable();

} // namespace qc

#endif // QUANTC_IMPORT_ONNXOPTABLE_H

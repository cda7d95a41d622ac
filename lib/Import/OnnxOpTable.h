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

} // namespace qc

#endif // QUANTC_IMPORT_ONNXOPTABLE_H

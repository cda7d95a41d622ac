//===- QdqExport.h - a quantized model as QDQ ONNX ----------------*- C++ -*-===//
//
// Writes the float ONNX model back with the QuantizeLinear/DequantizeLinear
// the compiler placed (the quantc-qdq-placement pipeline on the imported
// model), so onnxruntime's QDQ path and TensorRT's explicit quantization
// see exactly the quantization quantc compiles: activations per tensor
// (int8 with zero point 0, or uint8), weights int8 per output channel and
// biases int32 at s_x * s_w, stored as initializers behind a
// DequantizeLinear. Nodes are found by their first output's name, which
// the importer records on each op.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_EXPORT_QDQEXPORT_H
#define QUANTC_EXPORT_QDQEXPORT_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace qc {

struct QdqExportStats {
  int activations = 0, weights = 0, biases = 0;
};

// `quantized` is the model at `modelPath` imported and quantized. Returns
// false and sets `error` on failure.
bool writeQdqModel(const std::string &modelPath, mlir::ModuleOp quantized,
                   const std::string &outputPath, QdqExportStats &stats, std::string &error);

} // namespace qc

#endif

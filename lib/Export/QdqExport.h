//===- QdqExport.h - a calibrated model as QDQ ONNX ---------------*- C++ -*-===//
//
// Writes the float model back with QuantizeLinear/DequantizeLinear pairs, as
// onnxruntime's quantize_static (QDQ format) and TensorRT's explicit
// quantization expect: int8 symmetric (zero point 0) everywhere;
// activations per tensor from the calibration table, on the inputs of
// Conv, ConvTranspose, MatMul, Gemm and Add; float weights of Conv,
// ConvTranspose, MatMul and Gemm per output channel (max |w| / 127),
// stored as int8 initializers behind a DequantizeLinear.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_EXPORT_QDQEXPORT_H
#define QUANTC_EXPORT_QDQEXPORT_H

#include "Calibration/Table.h"

#include <string>

namespace qc {

struct QdqExportStats {
  int activations = 0, weights = 0;
};

// Returns false and sets `error` on failure.
bool writeQdqModel(const std::string &modelPath, const calib::Table &table,
                   const std::string &outputPath, QdqExportStats &stats, std::string &error);

} // namespace qc

#endif

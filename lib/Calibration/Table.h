//===- Table.h - the calibration table file -----------------------*- C++ -*-===//
//
// A readable, editable text file: comment lines start with '#', then one
// line per tensor with tab-separated fields
//   tensor  type  scale  zero_point  amax  min  max  count  bins  bin_width  [method]
// `type` (int8 | uint8), `scale` and `zero_point` are what quantization
// uses; the rest documents how they were found (the method's clipping
// threshold amax, the observed signed extremes, the histogram, and with
// `--method auto` the method chosen for the tensor) and may be dropped from
// an edited line. Directive lines follow the tensors:
//   @equalize                    the tensors are those of the model after
//                                cross-layer equalization (qc-equalize-layers),
//                                which quantization then applies too
//   @float  node                 the ONNX node stays FP32 (accuracy budget)
//   @bias   node  d0 d1 ...      added to the node's bias, per output
//                                channel, when it is quantized (bias
//                                correction)
//   @weights  FILE               the int8 values of some layers' weights, found
//                                by data-aware rounding, in the binary file
//                                FILE beside the table (see below); other
//                                weights are rounded to nearest
//
// The weights file: "QCWEIGHTS1\n", then per layer a little-endian uint32
// name length, the node name, a uint64 element count and that many int8
// values in the ONNX weight's layout. The scales stay max|w| / 127 per
// output channel, as for weights rounded to nearest.
//===----------------------------------------------------------------------===//
#ifndef QUANTC_CALIBRATION_TABLE_H
#define QUANTC_CALIBRATION_TABLE_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qc::calib {

// How an activation is stored: int8 symmetric (zero point 0) or uint8
// asymmetric.
enum class ActivationType { Int8, Uint8 };

std::optional<ActivationType> parseActivationType(const std::string &name);
const char *activationTypeName(ActivationType type);

struct QuantParams {
  double scale = 1;
  int64_t zeroPoint = 0;
};

// int8 symmetric for |x| <= amax: scale = amax / 127, zero point 0.
QuantParams int8Symmetric(double amax);
// uint8 asymmetric for [lo, hi] widened to hold 0: scale = (hi - lo) / 255,
// zero point round(-lo / scale). Scales are kept as the f32 a model stores.
QuantParams uint8Asymmetric(double lo, double hi);

// The quantization of a tensor whose values span [min, max], clipped at
// amax by the calibration method.
QuantParams activationParams(ActivationType type, double amax, double min, double max);

struct TableEntry {
  std::string tensor;
  ActivationType type = ActivationType::Int8;
  QuantParams params;
  double amax = 0, min = 0, max = 0, binWidth = 0;
  int64_t count = 0, bins = 0;
  std::string method; // the method that chose amax, when it varies by tensor
};

struct BiasCorrection {
  std::string layer;
  std::vector<float> delta;
};

struct RoundedWeight {
  std::string layer;
  std::vector<int8_t> values;
};

struct Table {
  std::string model, method;
  std::string preprocessing; // for image data
  double percentile = 0;
  int64_t samples = 0, batches = 0;
  std::vector<TableEntry> entries;
  bool equalized = false;
  std::vector<std::string> floatLayers;
  std::vector<BiasCorrection> biasCorrections;
  std::vector<RoundedWeight> roundedWeights;
};

// Returns false and sets `error` on failure. With rounded weights,
// writeTable also writes PATH.weights; readTable reads the file its
// @weights line names, relative to the table's directory.
bool writeTable(const Table &table, const std::string &path, std::string &error);
bool readTable(const std::string &path, Table &table, std::string &error);

} // namespace qc::calib

#endif

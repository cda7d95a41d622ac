//===- Calibrators.h - amax of a tensor from its histogram --------*- C++ -*-===//
//
// The four calibration methods of DESIGN.md, on a Histogram:
//   max         amax = max |x|
//   percentile  the upper edge of the bin where the |x| CDF reaches p%
//   entropy     TensorRT-style KL search over candidate clip points
//   mse         the clip point with the least histogram-weighted squared
//               error of symmetric fake quantization
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_CALIBRATION_CALIBRATORS_H
#define QUANTC_CALIBRATION_CALIBRATORS_H

#include "Calibration/Histogram.h"

#include <optional>
#include <string>

namespace qc::calib {

enum class Method { Max, Percentile, Entropy, Mse };

std::optional<Method> parseMethod(const std::string &name);
const char *methodName(Method method);

struct CalibrationOptions {
  Method method = Method::Max;
  double percentile = 99.99;
  // Quantized levels on each side of zero.
  int levels = kInt8Levels;
};

// The clipping threshold; 0 for a tensor that was never nonzero.
double computeAmax(const Histogram &histogram, const CalibrationOptions &options);

} // namespace qc::calib

#endif

//===- Histogram.h - streaming |x| histograms for calibration ----*- C++ -*-===//
//
// The calibration statistics of one tensor: the exact max |x|, min and max, and a
// histogram of |x| whose bin width is fixed by the first nonzero value
// seen (2048 bins up to it) and which grows by appending bins of the same
// width when larger values arrive. Values are added sample by sample in
// data order, so the result does not depend on how samples are batched.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_CALIBRATION_HISTOGRAM_H
#define QUANTC_CALIBRATION_HISTOGRAM_H

#include <cstdint>
#include <vector>

namespace qc::calib {

// Quantized levels on each side of zero for int8 symmetric: scale = amax / 127.
constexpr int kInt8Levels = 127;

class Histogram {
public:
  static constexpr int64_t kInitialBins = 2048;

  // Adds the values of one sample.
  void add(const float *values, int64_t count);
  // Adds `count` values holding `samples` equal-sized samples, one by one.
  void addSamples(const float *values, int64_t count, int64_t samples);

  double maxAbs() const { return maxAbs_; }
  // The signed extremes of the finite values (0 before any value).
  double min() const { return min_; }
  double max() const { return max_; }
  double binWidth() const { return width_; }
  const std::vector<double> &bins() const { return bins_; }
  int64_t count() const { return count_; }
  int64_t nonFinite() const { return nonFinite_; }

private:
  double maxAbs_ = 0, width_ = 0, min_ = 0, max_ = 0;
  std::vector<double> bins_;
  int64_t count_ = 0, nonFinite_ = 0;
  bool seenFinite_ = false;
  // Zeros seen before the first nonzero value fixed the bin width.
  int64_t zerosBeforeBins_ = 0;
};

} // namespace qc::calib

#endif

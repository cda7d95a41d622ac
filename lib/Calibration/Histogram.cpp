//===- Histogram.cpp - streaming |x| histograms for calibration -----------===//
#include "Calibration/Histogram.h"

#include <algorithm>
#include <cmath>

namespace qc::calib {

void Histogram::add(const float *values, int64_t count) {
  // The sample's max first: bins grow once per sample, not per value.
  double sampleMax = 0;
  for (int64_t i = 0; i < count; ++i) {
    double x = values[i];
    if (!std::isfinite(x))
      continue;
    min_ = seenFinite_ ? std::min(min_, x) : x;
    max_ = seenFinite_ ? std::max(max_, x) : x;
    seenFinite_ = true;
    sampleMax = std::max(sampleMax, std::fabs(x));
  }
  if (width_ == 0 && sampleMax > 0) {
    width_ = sampleMax / kInitialBins;
    bins_.assign(kInitialBins, 0.0);
    bins_[0] = static_cast<double>(zerosBeforeBins_);
  }
  if (width_ > 0) {
    auto needed = static_cast<int64_t>(std::ceil(sampleMax / width_));
    if (needed > static_cast<int64_t>(bins_.size()))
      bins_.resize(needed, 0.0);
  }
  maxAbs_ = std::max(maxAbs_, sampleMax);
  int64_t last = static_cast<int64_t>(bins_.size()) - 1;
  for (int64_t i = 0; i < count; ++i) {
    double v = std::fabs(double(values[i]));
    if (!std::isfinite(v)) {
      ++nonFinite_;
      continue;
    }
    ++count_;
    // Until a nonzero value fixes the width, every value is zero.
    if (width_ == 0) {
      ++zerosBeforeBins_;
      continue;
    }
    bins_[std::min<int64_t>(last, static_cast<int64_t>(v / width_))] += 1;
  }
}

void Histogram::addSamples(const float *values, int64_t count, int64_t samples) {
  if (samples <= 0)
    return;
  int64_t perSample = count / samples;
  for (int64_t s = 0; s < samples; ++s)
    add(values + s * perSample, perSample);
}

} // namespace qc::calib

//===- Calibrators.cpp - amax of a tensor from its histogram --------------===//
#include "Calibration/Calibrators.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace qc::calib {

std::optional<Method> parseMethod(const std::string &name) {
  if (name == "max")
    return Method::Max;
  if (name == "percentile")
    return Method::Percentile;
  if (name == "entropy")
    return Method::Entropy;
  if (name == "mse")
    return Method::Mse;
  return std::nullopt;
}

const char *methodName(Method method) {
  switch (method) {
  case Method::Max:
    return "max";
  case Method::Percentile:
    return "percentile";
  case Method::Entropy:
    return "entropy";
  case Method::Mse:
    return "mse";
  }
  return "?";
}

namespace {

double percentileAmax(const Histogram &h, double percentile) {
  const std::vector<double> &bins = h.bins();
  double total = std::accumulate(bins.begin(), bins.end(), 0.0);
  double target = total * std::clamp(percentile, 0.0, 100.0) / 100.0;
  double cumulative = 0;
  for (size_t b = 0; b < bins.size(); ++b) {
    cumulative += bins[b];
    if (cumulative >= target)
      return std::min(h.maxAbs(), (b + 1) * h.binWidth());
  }
  return h.maxAbs();
}

// KL(P || Q) of two unnormalized distributions; infinite where Q misses P.
double divergence(const std::vector<double> &p, const std::vector<double> &q) {
  double pSum = std::accumulate(p.begin(), p.end(), 0.0);
  double qSum = std::accumulate(q.begin(), q.end(), 0.0);
  if (pSum <= 0 || qSum <= 0)
    return std::numeric_limits<double>::infinity();
  double kl = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] <= 0)
      continue;
    if (q[i] <= 0)
      return std::numeric_limits<double>::infinity();
    double pi = p[i] / pSum, qi = q[i] / qSum;
    kl += pi * std::log(pi / qi);
  }
  return kl;
}

// For each candidate i (bins kept, from `levels + 1` up): P = the first i
// bins with the tail folded into the last; Q = the first i bins merged into
// levels + 1 groups, each group's mass spread evenly over its nonzero bins.
// The candidate with the least KL(P || Q) wins (the largest on ties).
double entropyAmax(const Histogram &h, int levels) {
  std::vector<double> bins = h.bins();
  const auto n = static_cast<int64_t>(bins.size());
  const int64_t groups = levels + 1;
  if (n <= groups)
    return h.maxAbs();
  // The zero bin holds ReLU's zeros and padding; it would dominate.
  bins[0] = bins[1];
  double best = std::numeric_limits<double>::infinity();
  int64_t bestBins = n;
  // tail[i]: the mass of bins i and above.
  std::vector<double> tail(n + 1, 0.0);
  for (int64_t b = n - 1; b >= 0; --b)
    tail[b] = tail[b + 1] + bins[b];
  std::vector<double> p, q, groupMass(groups), groupNonzero(groups);
  for (int64_t i = groups; i <= n; ++i) {
    p.assign(bins.begin(), bins.begin() + i);
    p[i - 1] += tail[i];
    std::fill(groupMass.begin(), groupMass.end(), 0.0);
    std::fill(groupNonzero.begin(), groupNonzero.end(), 0.0);
    auto groupOf = [&](int64_t b) { return std::min(groups - 1, b * groups / i); };
    for (int64_t b = 0; b < i; ++b)
      if (bins[b] > 0) {
        groupMass[groupOf(b)] += bins[b];
        groupNonzero[groupOf(b)] += 1;
      }
    q.assign(i, 0.0);
    for (int64_t b = 0; b < i; ++b)
      if (bins[b] > 0)
        q[b] = groupMass[groupOf(b)] / groupNonzero[groupOf(b)];
    double kl = divergence(p, q);
    if (kl <= best) {
      best = kl;
      bestBins = i;
    }
  }
  return std::min(h.maxAbs(), bestBins * h.binWidth());
}

// Squared error of quantizing each bin's center symmetrically to `levels`
// steps of amax / levels, clipped at amax, weighted by the bin counts.
double mseAmax(const Histogram &h, int levels) {
  const std::vector<double> &bins = h.bins();
  const auto n = static_cast<int64_t>(bins.size());
  double width = h.binWidth();
  double best = std::numeric_limits<double>::infinity(), bestAmax = h.maxAbs();
  for (int64_t i = std::min<int64_t>(n, levels + 1); i <= n; ++i) {
    double amax = i * width, scale = amax / levels, error = 0;
    for (int64_t b = 0; b < n; ++b) {
      if (bins[b] <= 0)
        continue;
      double center = (b + 0.5) * width;
      double quantized = std::min(std::round(center / scale), double(levels)) * scale;
      error += bins[b] * (center - quantized) * (center - quantized);
    }
    if (error < best) {
      best = error;
      bestAmax = amax;
    }
  }
  return std::min(h.maxAbs(), bestAmax);
}

} // namespace

double computeAmax(const Histogram &histogram, const CalibrationOptions &options) {
  if (histogram.maxAbs() <= 0 || histogram.bins().empty())
    return 0;
  switch (options.method) {
  case Method::Max:
    return histogram.maxAbs();
  case Method::Percentile:
    return percentileAmax(histogram, options.percentile);
  case Method::Entropy:
    return entropyAmax(histogram, options.levels);
  case Method::Mse:
    return mseAmax(histogram, options.levels);
  }
  return histogram.maxAbs();
}

} // namespace qc::calib

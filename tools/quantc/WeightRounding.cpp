//===- WeightRounding.cpp - data-aware int8 weight rounding (GPTQ) --------===//
//
// Rounding each weight to nearest minimizes the weight error, not the
// layer's output error: with correlated inputs, the error of one weight can
// be cancelled by nudging the weights that meet correlated inputs. For a row
// w of weights (one output channel) and inputs x with second moments
// H = E[x x^T], the output error of a change d is d^T H d. The weights are
// rounded one column at a time; each rounding error e_i is moved onto the
// columns not yet rounded, as the least-squares update under H says
// (w_j -= e_i / U_ii * U_ij, with H^-1 = U^T U and U upper triangular).
// Columns go in order of decreasing input energy, so the columns left to
// absorb errors are the quieter ones.
//
//===----------------------------------------------------------------------===//
#include "Analysis.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace qc::analysis {
namespace {

// U upper triangular with U^T U = H^-1, for a symmetric positive definite
// n x n matrix H (row-major): H = R R^T with R upper triangular (Cholesky
// from the last row), then U = R^-1. False if H is not positive definite.
bool inverseUpperFactor(const std::vector<double> &h, int64_t n, std::vector<double> &u) {
  std::vector<double> r(n * n, 0.0);
  for (int64_t j = n - 1; j >= 0; --j) {
    const double *rj = &r[j * n];
    double d = h[j * n + j];
    for (int64_t k = j + 1; k < n; ++k)
      d -= rj[k] * rj[k];
    if (!(d > 0))
      return false;
    double diagonal = std::sqrt(d);
    r[j * n + j] = diagonal;
    for (int64_t i = 0; i < j; ++i) {
      const double *ri = &r[i * n];
      double sum = h[i * n + j];
      for (int64_t k = j + 1; k < n; ++k)
        sum -= ri[k] * rj[k];
      r[i * n + j] = sum / diagonal;
    }
  }
  // Column c of R^-1, kept as row c of `ut` so that the sums run along
  // rows of both factors: R ut[c]^T = e_c, solved upwards.
  std::vector<double> ut(n * n, 0.0);
  for (int64_t c = 0; c < n; ++c) {
    double *col = &ut[c * n];
    col[c] = 1.0 / r[c * n + c];
    for (int64_t i = c - 1; i >= 0; --i) {
      const double *ri = &r[i * n];
      double sum = 0;
      for (int64_t k = i + 1; k <= c; ++k)
        sum += ri[k] * col[k];
      col[i] = -sum / ri[i];
    }
  }
  u.assign(n * n, 0.0);
  for (int64_t c = 0; c < n; ++c)
    for (int64_t i = 0; i <= c; ++i)
      u[i * n + c] = ut[c * n + i];
  return true;
}

// Rounds the rows of one group of `layout` against the group's input
// moments (lower triangle of sum(x x^T)); rows without a usable factor keep
// rounding to nearest.
void roundGroup(const WeightLayout &layout, int64_t group, const InputMoments &moments,
                const std::vector<float> &scales, std::vector<int8_t> &q) {
  int64_t n = layout.columns;
  const double *sums = moments.sums.data() + group * n * n;
  double norm = 1.0 / static_cast<double>(std::max<int64_t>(moments.count, 1));
  // Columns by decreasing input energy; inputs that were always zero go
  // last and meet nothing, so their weights just round to nearest.
  std::vector<int64_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    double ea = sums[a * n + a], eb = sums[b * n + b];
    return ea != eb ? ea > eb : a < b;
  });
  double meanDiagonal = 0;
  for (int64_t i = 0; i < n; ++i)
    meanDiagonal += sums[i * n + i] * norm / n;
  if (!(meanDiagonal > 0))
    return;
  std::vector<double> h(n * n), u;
  for (int64_t a = 0; a < n; ++a)
    for (int64_t b = 0; b < n; ++b) {
      int64_t i = std::max(order[a], order[b]), j = std::min(order[a], order[b]);
      h[a * n + b] = sums[i * n + j] * norm;
    }
  // Dampening of 1% of the mean diagonal keeps H well conditioned; more if
  // the factorization still fails.
  bool factored = false;
  for (double damp = 0.01; damp <= 10 && !factored; damp *= 10) {
    std::vector<double> damped = h;
    for (int64_t a = 0; a < n; ++a)
      damped[a * n + a] += damp * meanDiagonal + (damped[a * n + a] == 0 ? meanDiagonal : 0);
    factored = inverseUpperFactor(damped, n, u);
  }
  if (!factored)
    return;
  int64_t rowsPerGroup = layout.rows / layout.groups;
  std::vector<double> w(n);
  for (int64_t row = group * rowsPerGroup; row < (group + 1) * rowsPerGroup; ++row) {
    double scale = scales[row];
    for (int64_t a = 0; a < n; ++a)
      w[a] = layout.weight[layout.index(row, order[a])];
    for (int64_t a = 0; a < n; ++a) {
      double rounded = std::clamp(std::nearbyint(w[a] / scale), -127.0, 127.0);
      q[layout.index(row, order[a])] = static_cast<int8_t>(rounded);
      double error = (w[a] - rounded * scale) / u[a * n + a];
      const double *ua = &u[a * n];
      for (int64_t b = a + 1; b < n; ++b)
        w[b] -= error * ua[b];
    }
  }
}

} // namespace

bool roundWeights(Simulator &simulator, const Objective &objective, Plan &plan, bool &kept,
                  int64_t &layers, Accuracy &before, Accuracy &after, std::string &error) {
  kept = false;
  layers = 0;
  if (!simulator.evaluate(plan, before, error))
    return false;
  // The moments over at most 64 samples, like the bias correction means.
  constexpr int64_t kMomentSamples = 64;
  std::set<std::string> candidates;
  for (const auto &[layer, layout] : simulator.weightLayouts())
    candidates.insert(layer);
  std::map<std::string, InputMoments> moments;
  if (!simulator.inputMoments(plan, candidates, moments, error, kMomentSamples))
    return false;

  Plan rounded = plan;
  for (const auto &[layer, m] : moments) {
    if (m.count == 0)
      continue;
    const WeightLayout &layout = simulator.weightLayouts().at(layer);
    // Starting from the values and scales Q/DQ placement would use.
    NearestWeights nearest =
        roundToNearest(layout.weight.data(), static_cast<int64_t>(layout.weight.size()),
                       layout.rows, layout.columnMajor ? 1 : layout.columns);
    std::vector<float> &scales = nearest.scales;
    std::vector<int8_t> &q = nearest.values;
    for (int64_t group = 0; group < layout.groups; ++group)
      roundGroup(layout, group, m, scales, q);
    rounded.roundedWeights[layer] = std::move(q);
    ++layers;
  }
  if (!simulator.evaluate(rounded, after, error))
    return false;
  if (objective.better(after, before)) {
    plan = std::move(rounded);
    kept = true;
  }
  return true;
}

} // namespace qc::analysis

//===- FloatGemmTest.cpp - microkernels against a naive reference ---------===//
//
// Built natively once per microkernel variant (test/Kernels/CMakeLists.txt)
// and run by float-gemm.test: matmul, batch_matmul and conv2d on odd sizes,
// transposed and padded strides, on one and on all threads, each compared
// with a double-precision loop nest. Prints one line per case and exits
// non-zero on any mismatch.
//
//===----------------------------------------------------------------------===//
#include "Kernels/Microkernels.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

extern "C" void omp_set_num_threads(int);

namespace {

std::mt19937 rng(1234);

std::vector<float> randomBuffer(size_t size) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(size);
  for (float &x : v)
    x = dist(rng);
  return v;
}

int64_t address(const std::vector<float> &v) { return reinterpret_cast<int64_t>(v.data()); }

int failures = 0;

// |got - want| within a bound scaled by the sum of |terms|.
void check(const char *name, const std::vector<float> &got, const std::vector<double> &want,
           const std::vector<double> &magnitude) {
  size_t bad = 0, worst = 0;
  double worstError = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    double error = std::fabs(got[i] - want[i]);
    if (error > 1e-5 * magnitude[i] + 1e-6) {
      ++bad;
      if (error > worstError)
        worstError = error, worst = i;
    }
  }
  std::printf("%s: %s", name, bad ? "FAIL" : "ok");
  if (bad)
    std::printf(" (%zu of %zu differ, e.g. [%zu] %g vs %g)", bad, got.size(), worst,
                (double)got[worst], want[worst]);
  std::printf("\n");
  failures += bad != 0;
}

// C += A * B with A [m, k] at strides (ars, acs), B [k, n] at (brs, bcs),
// C [m, n] at (crs, ccs); C starts random (the kernels accumulate).
void testMatmul(int64_t m, int64_t n, int64_t k, bool transA, bool transB, int64_t cPad,
                int64_t cColStride) {
  int64_t ars = transA ? 1 : k, acs = transA ? m : 1;
  int64_t brs = transB ? 1 : n, bcs = transB ? k : 1;
  int64_t ccs = cColStride, crs = n * ccs + cPad;
  auto a = randomBuffer(m * k), b = randomBuffer(k * n), c = randomBuffer(m * crs);
  std::vector<double> want(c.begin(), c.end()), magnitude(c.size());
  for (size_t i = 0; i < c.size(); ++i)
    magnitude[i] = std::fabs(c[i]);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; ++p) {
        double term = double(a[i * ars + p * acs]) * b[p * brs + j * bcs];
        want[i * crs + j * ccs] += term;
        magnitude[i * crs + j * ccs] += std::fabs(term);
      }
  qc_uk_matmul_f32(m, n, k, address(a), ars, acs, address(b), brs, bcs, address(c), crs, ccs);
  char name[160];
  std::snprintf(name, sizeof name, "matmul m=%lld n=%lld k=%lld transA=%d transB=%d cPad=%lld cColStride=%lld",
                (long long)m, (long long)n, (long long)k, transA, transB, (long long)cPad,
                (long long)cColStride);
  check(name, c, want, magnitude);
}

void testBatchMatmul(int64_t batch, int64_t m, int64_t n, int64_t k) {
  auto a = randomBuffer(batch * m * k), b = randomBuffer(batch * k * n),
       c = randomBuffer(batch * m * n);
  std::vector<double> want(c.begin(), c.end()), magnitude(c.size());
  for (size_t i = 0; i < c.size(); ++i)
    magnitude[i] = std::fabs(c[i]);
  for (int64_t s = 0; s < batch; ++s)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        for (int64_t p = 0; p < k; ++p) {
          double term = double(a[s * m * k + i * k + p]) * b[s * k * n + p * n + j];
          want[s * m * n + i * n + j] += term;
          magnitude[s * m * n + i * n + j] += std::fabs(term);
        }
  qc_uk_batch_matmul_f32(batch, m, n, k, address(a), m * k, k, 1, address(b), k * n, n, 1,
                         address(c), m * n, n, 1);
  char name[120];
  std::snprintf(name, sizeof name, "batch_matmul batch=%lld m=%lld n=%lld k=%lld",
                (long long)batch, (long long)m, (long long)n, (long long)k);
  check(name, c, want, magnitude);
}

// The input is [batch, channels, h, w] with rows padded to w + rowPad in
// memory and `pad` zeros around it logically; the epilogue applies a
// random per-channel scale and shift, optionally a residual, then the
// activation (0 none, 1 relu, 2 clip to [-0.5, 0.5]).
void testConv(int64_t batch, int64_t channels, int64_t filters, int64_t h, int64_t w,
              int64_t kernel, int64_t stride, int64_t dilation, int64_t pad, int64_t rowPad,
              bool withResidual, int activation, bool cacheFilter = false, int64_t groups = 1) {
  int64_t groupChannels = channels / groups, groupFilters = filters / groups;
  int64_t span = (kernel - 1) * dilation + 1;
  int64_t outH = (h + 2 * pad - span) / stride + 1, outW = (w + 2 * pad - span) / stride + 1;
  int64_t rowStride = w + rowPad, channelStride = h * rowStride,
          batchStride = channels * channelStride, outPlane = outH * outW;
  auto x = randomBuffer(batch * batchStride),
       f = randomBuffer(filters * groupChannels * kernel * kernel),
       scale = randomBuffer(filters), shift = randomBuffer(filters),
       residual = randomBuffer(batch * filters * outPlane);
  std::vector<float> y(batch * filters * outPlane, 12345.0f); // only written
  std::vector<double> want(y.size()), magnitude(y.size());
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t o = 0; o < filters; ++o)
      for (int64_t oh = 0; oh < outH; ++oh)
        for (int64_t ow = 0; ow < outW; ++ow) {
          int64_t at = (n * filters + o) * outPlane + oh * outW + ow;
          double sum = 0, size = 0;
          for (int64_t gc = 0; gc < groupChannels; ++gc)
            for (int64_t r = 0; r < kernel; ++r)
              for (int64_t s = 0; s < kernel; ++s) {
                int64_t ih = oh * stride - pad + r * dilation, iw = ow * stride - pad + s * dilation;
                if (ih < 0 || ih >= h || iw < 0 || iw >= w)
                  continue;
                int64_t c = o / groupFilters * groupChannels + gc;
                double term = double(x[n * batchStride + c * channelStride + ih * rowStride + iw]) *
                              f[((o * groupChannels + gc) * kernel + r) * kernel + s];
                sum += term;
                size += std::fabs(term);
              }
          double v = sum * scale[o] + shift[o] + (withResidual ? residual[at] : 0.0);
          if (activation == 1)
            v = std::max(v, 0.0);
          if (activation == 2)
            v = std::min(std::max(v, -0.5), 0.5);
          want[at] = v;
          magnitude[at] = size * std::fabs(scale[o]) + std::fabs(shift[o]) + 1;
        }
  qc_uk_conv2d_f32(batch, channels, h, w, filters, kernel, kernel, outH, outW, stride, stride,
                   dilation, dilation, pad, pad, address(x), batchStride, channelStride,
                   rowStride, address(f), groupChannels * kernel * kernel, address(scale),
                   address(shift), withResidual ? address(residual) : 0, filters * outPlane,
                   outPlane, address(y), filters * outPlane, outPlane, groups, activation, -0.5f,
                   0.5f, 0);
  if (cacheFilter) {
    // The first call packs the filter into the slot, the second reuses it.
    const float *slot = nullptr;
    for (int run = 0; run < 2; ++run) {
      std::fill(y.begin(), y.end(), 12345.0f);
      qc_uk_conv2d_f32(batch, channels, h, w, filters, kernel, kernel, outH, outW, stride,
                       stride, dilation, dilation, pad, pad, address(x), batchStride,
                       channelStride, rowStride, address(f), groupChannels * kernel * kernel,
                       address(scale), address(shift), withResidual ? address(residual) : 0,
                       filters * outPlane, outPlane, address(y), filters * outPlane, outPlane,
                       groups, activation, -0.5f, 0.5f, reinterpret_cast<int64_t>(&slot));
      if (!slot)
        std::printf("conv2d: the filter slot stayed empty\n"), ++failures;
    }
  }
  char name[200];
  std::snprintf(name, sizeof name,
                "conv2d n=%lld c=%lld f=%lld h=%lld w=%lld k=%lld stride=%lld dilation=%lld "
                "pad=%lld rowPad=%lld residual=%d activation=%d groups=%lld%s",
                (long long)batch, (long long)channels, (long long)filters, (long long)h,
                (long long)w, (long long)kernel, (long long)stride, (long long)dilation,
                (long long)pad, (long long)rowPad, withResidual, activation, (long long)groups,
                cacheFilter ? " packed-filter" : "");
  check(name, y, want, magnitude);
}

void runAll() {
  for (int64_t m : {1, 5, 12, 13, 37})
    for (int64_t n : {1, 7, 32, 33, 70})
      for (int64_t k : {1, 3, 64, 300})
        testMatmul(m, n, k, false, false, 0, 1);
  testMatmul(29, 45, 17, true, false, 0, 1);
  testMatmul(29, 45, 17, false, true, 3, 1);
  testMatmul(29, 45, 17, true, true, 0, 2);
  // Big enough to be split across threads, along N and along M.
  testMatmul(64, 3000, 200, false, false, 5, 1);
  testMatmul(700, 40, 520, false, false, 0, 1);
  testMatmul(150, 600, 700, false, true, 0, 1);
  testBatchMatmul(1, 20, 30, 40);
  testBatchMatmul(12, 16, 64, 24);
  testBatchMatmul(3, 90, 300, 200);
  testConv(1, 3, 8, 11, 11, 3, 1, 1, 0, 0, false, 0);
  testConv(1, 3, 8, 11, 11, 3, 1, 1, 1, 0, true, 1);
  testConv(2, 5, 13, 12, 9, 3, 2, 1, 1, 3, false, 2);
  testConv(1, 4, 6, 17, 19, 3, 1, 2, 2, 0, true, 0);
  testConv(1, 16, 24, 10, 10, 1, 1, 1, 0, 0, false, 1);
  testConv(1, 16, 24, 10, 10, 1, 1, 1, 0, 2, true, 0);
  testConv(1, 7, 5, 9, 9, 1, 2, 1, 0, 0, false, 0);
  testConv(1, 3, 64, 70, 70, 7, 2, 1, 3, 0, false, 1);
  testConv(1, 64, 64, 30, 30, 3, 1, 1, 1, 0, true, 1);
  testConv(1, 64, 70, 12, 12, 3, 1, 1, 1, 0, true, 1, true);
  testConv(1, 300, 13, 7, 7, 3, 1, 1, 1, 0, false, 0, true);
  // K = 600 spans three blocks of K: overwrite, accumulate, epilogue.
  testConv(1, 200, 20, 9, 40, 3, 1, 1, 1, 0, true, 2);
  testConv(1, 0, 4, 5, 5, 3, 1, 1, 1, 0, true, 1);
  // Padding wider than short runs of output columns (whole runs in it).
  testConv(1, 3, 5, 4, 3, 3, 1, 1, 4, 0, false, 0);
  testConv(1, 2, 3, 5, 2, 5, 2, 3, 6, 1, true, 1);
  // Grouped and depthwise (every channel its own group).
  testConv(1, 12, 18, 9, 11, 3, 1, 1, 1, 0, true, 1, false, 3);
  testConv(2, 32, 32, 15, 13, 3, 1, 1, 1, 2, true, 2, false, 32);
  testConv(1, 16, 16, 15, 15, 5, 2, 1, 2, 0, false, 1, false, 16);
  testConv(1, 8, 8, 700, 9, 3, 1, 2, 2, 0, false, 0, false, 8);
  testConv(1, 6, 6, 7, 8, 3, 3, 1, 4, 1, true, 2, false, 6);
  testConv(1, 8, 8, 9, 700, 3, 2, 1, 1, 0, true, 1, false, 8);
}

} // namespace

int main() {
  omp_set_num_threads(1);
  std::printf("== 1 thread\n");
  runAll();
  omp_set_num_threads(2);
  std::printf("== 2 threads\n");
  runAll();
  std::printf("failures=%d\n", failures);
  return failures ? 1 : 0;
}

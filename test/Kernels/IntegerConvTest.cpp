//===- IntegerConvTest.cpp - qc_uk_conv2d_i8 against a scalar reference ---===//
//
// Built natively once per microkernel variant (test/Kernels/CMakeLists.txt)
// and run by integer-conv.test: convolutions of odd sizes, strides,
// dilations, padding, groups and depthwise, int8 and uint8 operands with
// zero points, residuals, both roundings and clamps, on one and on two
// threads, each compared bit for bit with a direct loop nest of
// qc.requantize's definition. Prints one line per case and exits non-zero
// on any mismatch. `--bench` times a few ResNet-sized layers instead.
//
//===----------------------------------------------------------------------===//
#include "Kernels/Microkernels.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

extern "C" void omp_set_num_threads(int);

namespace {

std::mt19937 rng(4321);

std::vector<uint8_t> randomBytes(size_t size) {
  std::uniform_int_distribution<int> dist(0, 255);
  std::vector<uint8_t> v(size);
  for (uint8_t &x : v)
    x = uint8_t(dist(rng));
  return v;
}

template <typename T> int64_t address(const std::vector<T> &v) {
  return reinterpret_cast<int64_t>(v.data());
}

int failures = 0;

struct Case {
  int64_t batch, channels, filters, height, width, kernel, stride, dilation, pad, groups;
  bool inputUnsigned, filterUnsigned, residual, residualUnsigned, halfToEven;
  int64_t rowPad; // extra input elements per row
  // Inputs drawn from [zero point, zero point + 127] and the kernel told
  // so (a Relu'd tensor), with filters in [-127, 127] around their zero
  // points: the denser exact format.
  bool narrow = false;
  // No requantize: the int32 sums plus bias (flag 16).
  bool int32Out = false;
};

int64_t value(uint8_t byte, bool isUnsigned) { return isUnsigned ? byte : int8_t(byte); }

int64_t roundingShift(int64_t t, int64_t shift, bool halfToEven) {
  int64_t half = int64_t(1) << (shift - 1);
  if (!halfToEven)
    return (t + (t < 0 ? half - 1 : half)) >> shift;
  int64_t floor = t >> shift, remainder = t - (floor << shift);
  return floor + (remainder > half || (remainder == half && (floor & 1)));
}

void run(const Case &c, const char *threadsLabel) {
  int64_t outH = (c.height + 2 * c.pad - c.dilation * (c.kernel - 1) - 1) / c.stride + 1;
  int64_t outW = (c.width + 2 * c.pad - c.dilation * (c.kernel - 1) - 1) / c.stride + 1;
  int64_t groupChannels = c.channels / c.groups, groupFilters = c.filters / c.groups;
  int64_t rowStride = c.width + c.rowPad, channelStride = c.height * rowStride;
  int64_t taps = groupChannels * c.kernel * c.kernel;
  auto in = randomBytes(c.batch * c.channels * channelStride);
  auto filter = randomBytes(c.filters * taps);
  auto residual = randomBytes(c.batch * c.filters * outH * outW);
  std::vector<uint8_t> out(c.batch * c.filters * outH * outW, 0xAB);
  std::uniform_int_distribution<int32_t> biasDist(-20000, 20000), multDist(1 << 29, 0x7fffffff),
      zeroDist(-20, 20), shiftDist(28, 36);
  std::vector<int32_t> params(5 * c.filters);
  for (int64_t f = 0; f < c.filters; ++f) {
    params[f] = biasDist(rng);
    params[c.filters + f] = multDist(rng) * (f % 7 == 3 ? -1 : 1);
    params[2 * c.filters + f] = shiftDist(rng);
    params[3 * c.filters + f] = c.filterUnsigned ? 128 + zeroDist(rng) : zeroDist(rng);
    params[4 * c.filters + f] = multDist(rng) >> 8;
  }
  int64_t inputZero = c.inputUnsigned ? 120 : -7, residualZero = c.residualUnsigned ? 130 : 3;
  int64_t inputMin = c.inputUnsigned ? 0 : -128, inputMax = c.inputUnsigned ? 255 : 127;
  if (c.narrow) {
    inputMin = inputZero;
    inputMax = c.inputUnsigned ? 255 : 127;
    inputMax = std::min(inputMax, inputZero + 127);
    for (uint8_t &x : in) {
      int64_t v = inputMin + x % (inputMax - inputMin + 1);
      x = uint8_t(v);
    }
    for (int64_t f = 0; f < c.filters; ++f)
      for (int64_t t = 0; t < taps; ++t) {
        int64_t zero = params[3 * c.filters + f];
        int64_t v = zero + int64_t(filter[f * taps + t] % 255) - 127;
        v = c.filterUnsigned ? std::clamp<int64_t>(v, 0, 255) : std::clamp<int64_t>(v, -128, 127);
        filter[f * taps + t] = uint8_t(v);
      }
  }
  int64_t outputZero = c.inputUnsigned ? 128 : -5;
  int64_t clampMin = c.inputUnsigned ? 10 : -120, clampMax = c.inputUnsigned ? 250 : 100;
  int64_t flags = (c.inputUnsigned ? 1 : 0) | (c.filterUnsigned ? 2 : 0) |
                  (c.residualUnsigned ? 4 : 0) | (c.halfToEven ? 8 : 0) | (c.int32Out ? 16 : 0);
  int64_t slot = 0;
  int64_t plane = outH * outW;
  std::vector<int32_t> sums(c.batch * c.filters * plane, 0x5A5A5A5A);
  // Twice: the first call packs the filter into the slot, the second reuses it.
  for (int call = 0; call < 2; ++call)
    qc_uk_conv2d_i8(c.batch, c.channels, c.height, c.width, c.filters, c.kernel, c.kernel, outH,
                    outW, c.stride, c.stride, c.dilation, c.dilation, c.pad, c.pad, address(in),
                    c.channels * channelStride, channelStride, rowStride, address(filter), taps,
                    address(params), c.residual ? address(residual) : 0, c.filters * plane, plane,
                    c.int32Out ? address(sums) : address(out), c.filters * plane, plane, c.groups,
                    flags, inputZero, residualZero, outputZero, clampMin, clampMax, inputMin,
                    inputMax, reinterpret_cast<int64_t>(&slot));
  size_t bad = 0, first = 0;
  int64_t firstWant = 0;
  for (int64_t n = 0; n < c.batch; ++n)
    for (int64_t f = 0; f < c.filters; ++f)
      for (int64_t oh = 0; oh < outH; ++oh)
        for (int64_t ow = 0; ow < outW; ++ow) {
          int64_t g = f / groupFilters, acc = 0;
          for (int64_t ci = 0; ci < groupChannels; ++ci)
            for (int64_t kh = 0; kh < c.kernel; ++kh)
              for (int64_t kw = 0; kw < c.kernel; ++kw) {
                int64_t ih = oh * c.stride - c.pad + kh * c.dilation;
                int64_t iw = ow * c.stride - c.pad + kw * c.dilation;
                int64_t ch = g * groupChannels + ci;
                int64_t x = ih < 0 || ih >= c.height || iw < 0 || iw >= c.width
                                ? inputZero
                                : value(in[n * c.channels * channelStride + ch * channelStride +
                                           ih * rowStride + iw],
                                        c.inputUnsigned);
                int64_t w = value(filter[f * taps + (ci * c.kernel + kh) * c.kernel + kw],
                                  c.filterUnsigned);
                acc += (x - inputZero) * (w - params[3 * c.filters + f]);
              }
          size_t at = ((n * c.filters + f) * outH + oh) * outW + ow;
          if (c.int32Out) {
            int32_t want = int32_t(uint32_t(acc) + uint32_t(params[f]));
            if (sums[at] != want && bad++ == 0)
              first = at, firstWant = want;
            continue;
          }
          int64_t t = int64_t(int32_t(uint32_t(acc) + uint32_t(params[f]))) * params[c.filters + f];
          if (c.residual)
            t += (value(residual[at], c.residualUnsigned) - residualZero) *
                 params[4 * c.filters + f];
          int64_t y = roundingShift(t, params[2 * c.filters + f], c.halfToEven) + outputZero;
          y = y < clampMin ? clampMin : (y > clampMax ? clampMax : y);
          if (out[at] != uint8_t(y) && bad++ == 0)
            first = at, firstWant = y;
        }
  std::printf("conv2d_i8 n=%lld c=%lld f=%lld h=%lld w=%lld k=%lld stride=%lld dilation=%lld "
              "pad=%lld groups=%lld in=%s filter=%s residual=%s %s rowPad=%lld%s%s %s: %s",
              (long long)c.batch, (long long)c.channels, (long long)c.filters, (long long)c.height,
              (long long)c.width, (long long)c.kernel, (long long)c.stride, (long long)c.dilation,
              (long long)c.pad, (long long)c.groups, c.inputUnsigned ? "u8" : "s8",
              c.filterUnsigned ? "u8" : "s8",
              !c.residual ? "none" : (c.residualUnsigned ? "u8" : "s8"),
              c.halfToEven ? "even" : "away", (long long)c.rowPad, c.narrow ? " narrow" : "",
              c.int32Out ? " int32" : "", threadsLabel, bad ? "FAIL" : "ok");
  if (bad)
    std::printf(" (%zu of %zu differ, e.g. [%zu] %d vs %lld)", bad, out.size(), first,
                int(out[first]), (long long)(firstWant & 0xff));
  std::printf("\n");
  failures += bad != 0;
}

// C += A * B on 8-bit A [batch, m, k] and B [batch, k, n] (transposed
// when asked), C starting random.
void runMatmul(int64_t batch, int64_t m, int64_t n, int64_t k, bool transA, bool transB,
               bool aUnsigned, bool bUnsigned, const char *threadsLabel) {
  int64_t ars = transA ? 1 : k, acs = transA ? m : 1, brs = transB ? 1 : n, bcs = transB ? k : 1;
  auto a = randomBytes(batch * m * k), b = randomBytes(batch * k * n);
  int64_t flags = (aUnsigned ? 1 : 0) | (bUnsigned ? 2 : 0);
  // sum over p of A[i, r, p] * B[i or 0, p, col].
  auto product = [&](int64_t i, int64_t r, int64_t col, int64_t bBatchStride) {
    int64_t sum = 0;
    for (int64_t p = 0; p < k; ++p)
      sum += value(a[i * m * k + r * ars + p * acs], aUnsigned) *
             value(b[i * bBatchStride + p * brs + col * bcs], bUnsigned);
    return sum;
  };
  std::vector<int32_t> c(batch * m * n);
  std::uniform_int_distribution<int32_t> dist(-1000000, 1000000);
  for (int32_t &v : c)
    v = dist(rng);
  std::vector<int32_t> start = c;
  qc_uk_matmul_i8(batch, m, n, k, address(a), m * k, ars, acs, address(b), k * n, brs, bcs,
                  address(c), m * n, n, 1, flags, 0);
  // The same with B shared by the batch and packed once into a slot (two
  // calls into zeros: the first packs, the second reuses; C = 2 A B).
  std::vector<int32_t> shared(c.size(), 0);
  int64_t slot = 0;
  for (int call = 0; call < 2; ++call)
    qc_uk_matmul_i8(batch, m, n, k, address(a), m * k, ars, acs, address(b), 0, brs, bcs,
                    address(shared), m * n, n, 1, flags, reinterpret_cast<int64_t>(&slot));
  size_t bad = 0;
  for (int64_t i = 0; i < batch; ++i)
    for (int64_t r = 0; r < m; ++r)
      for (int64_t col = 0; col < n; ++col) {
        size_t at = (i * m + r) * n + col;
        bad += c[at] != int32_t(uint32_t(start[at]) + uint32_t(product(i, r, col, k * n)));
        bad += shared[at] != int32_t(uint32_t(2 * product(i, r, col, 0)));
      }
  std::printf("matmul_i8 batch=%lld m=%lld n=%lld k=%lld transA=%d transB=%d a=%s b=%s %s: %s\n",
              (long long)batch, (long long)m, (long long)n, (long long)k, transA, transB,
              aUnsigned ? "u8" : "s8", bUnsigned ? "u8" : "s8", threadsLabel, bad ? "FAIL" : "ok");
  failures += bad != 0;
}

void bench() {
  // Inputs after a Relu (0..127) but the stem's image.
  struct Layer {
    const char *name;
    int64_t c, f, hw, k, stride;
    bool relu;
  } layers[] = {{"resnet layer1 3x3 64->64 56x56", 64, 64, 56, 3, 1, true},
                {"resnet layer3 3x3 256->256 14x14", 256, 256, 14, 3, 1, true},
                {"resnet layer4 3x3 512->512 7x7", 512, 512, 7, 3, 1, true},
                {"resnet50 1x1 256->64 56x56", 256, 64, 56, 1, 1, true},
                {"resnet stem 7x7/2 3->64 224x224", 3, 64, 224, 7, 2, false}};
  for (const Layer &l : layers) {
    int64_t pad = l.k / 2, out = (l.hw + 2 * pad - l.k) / l.stride + 1;
    auto in = randomBytes(l.c * l.hw * l.hw), filter = randomBytes(l.f * l.c * l.k * l.k);
    for (uint8_t &x : in)
      x = l.relu ? x % 128 : x;
    for (uint8_t &w : filter)
      w = w == 0x80 ? 0x81 : w; // symmetric int8 weights
    std::vector<uint8_t> y(l.f * out * out);
    std::vector<int32_t> params(5 * l.f, 0);
    for (int64_t f = 0; f < l.f; ++f)
      params[l.f + f] = 1 << 30, params[2 * l.f + f] = 40;
    int64_t slot = 0;
    auto call = [&] {
      qc_uk_conv2d_i8(1, l.c, l.hw, l.hw, l.f, l.k, l.k, out, out, l.stride, l.stride, 1, 1, pad,
                      pad, address(in), l.c * l.hw * l.hw, l.hw * l.hw, l.hw, address(filter),
                      l.c * l.k * l.k, address(params), 0, 0, 0, address(y), l.f * out * out,
                      out * out, 1, 8, 0, 0, 0, -128, 127, l.relu ? 0 : -128, 127,
                      reinterpret_cast<int64_t>(&slot));
    };
    call();
    double best = 1e30;
    for (int r = 0; r < 20; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      call();
      best = std::min(best,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    double macs = double(l.f) * out * out * l.c * l.k * l.k;
    std::printf("%-36s %8.3f ms %7.1f GMAC/s\n", l.name, best * 1e3, macs / best * 1e-9);
  }
}

} // namespace

int main(int argc, char **argv) {
  if (argc > 1 && std::strcmp(argv[1], "--bench") == 0) {
    omp_set_num_threads(argc > 2 ? std::atoi(argv[2]) : 1);
    bench();
    return 0;
  }
  const Case cases[] = {
      // batch ch  f   h   w  k st dil pad grp inU  filU  res   resU  even  rowPad
      {1, 1, 1, 1, 1, 1, 1, 1, 0, 1, false, false, false, false, true, 0},
      {1, 3, 5, 7, 9, 3, 1, 1, 1, 1, false, false, false, false, true, 0},
      {2, 7, 13, 11, 10, 3, 2, 1, 1, 1, true, false, true, true, true, 3},
      {1, 64, 64, 30, 30, 3, 1, 1, 1, 1, false, false, true, false, false, 0},
      {1, 3, 16, 33, 31, 7, 2, 1, 3, 1, true, false, false, false, true, 0},
      {1, 33, 70, 9, 9, 1, 1, 1, 0, 1, false, true, false, false, true, 0},
      {1, 600, 19, 6, 6, 3, 1, 1, 1, 1, false, false, true, true, false, 0},
      {1, 16, 24, 12, 12, 3, 1, 2, 2, 4, true, true, true, false, true, 1},
      {2, 32, 32, 15, 13, 3, 1, 1, 1, 32, false, false, true, false, true, 2},
      {1, 24, 24, 16, 16, 5, 2, 1, 2, 24, true, false, false, false, false, 0},
      {1, 256, 520, 7, 7, 1, 1, 1, 0, 1, false, false, false, false, true, 0},
      {1, 40, 8, 40, 60, 3, 1, 1, 1, 1, true, true, false, false, false, 5},
      // More filters than one column block's sums hold on one thread.
      {1, 8, 5000, 4, 4, 1, 1, 1, 0, 1, false, false, false, false, true, 0},
      // Windows inside the input and rows of whole panels: read in place.
      {2, 8, 8, 16, 32, 1, 1, 1, 0, 1, false, false, true, false, true, 0},
      {1, 5, 7, 6, 34, 3, 1, 1, 0, 1, true, false, false, false, true, 0},
      // No requantize: int32 sums plus bias (a convolution whose output
      // stays float), GEMM and depthwise.
      {1, 16, 20, 12, 12, 3, 1, 1, 1, 1, false, false, false, false, true, 0, false, true},
      {1, 8, 8, 9, 9, 3, 2, 1, 1, 8, true, false, false, false, true, 0, false, true},
      {1, 33, 70, 9, 9, 1, 1, 1, 0, 1, false, true, false, false, true, 0, true, true},
      // The denser format: inputs known to be Relu'd.
      {1, 64, 64, 30, 30, 3, 1, 1, 1, 1, false, false, true, false, false, 0, true},
      {2, 7, 13, 11, 10, 3, 2, 1, 1, 1, true, false, true, true, true, 3, true},
      {1, 600, 19, 14, 14, 3, 1, 1, 1, 1, false, false, false, false, true, 0, true},
      {1, 33, 70, 9, 9, 1, 1, 1, 0, 1, false, true, false, false, true, 0, true},
      {2, 8, 8, 16, 32, 1, 1, 1, 0, 1, false, false, true, false, true, 0, true},
      {1, 16, 24, 12, 12, 3, 1, 2, 2, 4, true, true, true, false, true, 1, true},
      {1, 3, 16, 33, 31, 7, 3, 1, 3, 1, false, false, false, false, true, 0, true},
  };
  for (int threads : {1, 2}) {
    std::printf("== %d thread%s\n", threads, threads > 1 ? "s" : "");
    omp_set_num_threads(threads);
    for (const Case &c : cases)
      run(c, threads > 1 ? "t2" : "t1");
    const char *label = threads > 1 ? "t2" : "t1";
    runMatmul(1, 1, 1, 1, false, false, false, false, label);
    runMatmul(1, 1, 1000, 512, false, false, false, false, label);
    runMatmul(1, 37, 50, 600, true, false, true, false, label);
    runMatmul(3, 20, 33, 9, false, true, false, true, label);
    runMatmul(2, 128, 96, 64, true, true, true, true, label);
    // Taller than one column block's sums hold: A of 6000 rows, and a
    // constant B of 6625 columns (run as C^T = B^T A^T, 6625 rows).
    runMatmul(1, 6000, 20, 64, false, false, false, false, label);
    runMatmul(1, 40, 6625, 120, false, false, true, false, label);
  }
  std::printf("failures=%d\n", failures);
  return failures ? 1 : 0;
}

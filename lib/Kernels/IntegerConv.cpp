//===- IntegerConv.cpp - packed INT8 convolution and matmul kernels -------===//
//
// qc_uk_conv2d_i8 (Microkernels.h): a convolution of 8-bit values whose
// int32 sums are requantized to 8 bits in the same call, exactly as
// qc.requantize defines it. qc_uk_matmul_i8: an integer matmul into int32
// on the same GEMM.
//
// Zero points are taken out while packing: the packed filter holds
// w - zw[f] and the packed im2col panels hold x - zx, so a padded tap
// (x = zx) is a zero and no zero-point correction terms are needed. Two
// packed formats, both exact:
//   Pairs: int16 values, pairs of K multiply-added into int32 lanes
//     (pmaddwd; vpdpwssd with AVX-512 VNNI or AVX-VNNI). Any 8-bit operands.
//   Quads: x - zx as uint8 and w - zw as int8, quads of K per int32 lane
//     (pmaddubsw, then pmaddwd by ones; vpdpbusd with VNNI), twice the
//     values per instruction. pmaddubsw saturates its int16 pair sums, so
//     without VNNI this is taken only when the input's known range (the
//     clamp of the op that made it: a Relu'd int8 tensor is 0..127) and the
//     filter bound them: 2 * max(x - zx) * max|w - zw| <= 32767.
//
// The blocking is the FP32 kernels' (FloatGemm.cpp): a KC x NC block of the
// im2col matrix is packed into NR-column micro-panels that stay in L1 while
// the microkernel runs down an MC-row block of the prepacked filter. Sums
// accumulate in an int32 scratch block over the K blocks; after the last,
// each row (one filter) is requantized with its multiplier and shift and
// stored as 8-bit values (or, for a matmul, added to its int32 output).
// Depthwise convolutions have a direct kernel.
//
//===----------------------------------------------------------------------===//
#include "Kernels/KernelSupport.h"
#include "Kernels/Microkernels.h"

#include <immintrin.h>
#include <stdlib.h>

#include <utility>

namespace {

using namespace qc_kernels;

#ifndef QC_VECTOR_BYTES
#error "QC_VECTOR_BYTES must be 16, 32 or 64"
#endif

constexpr int kLanes = QC_VECTOR_BYTES / 4;
typedef int32_t VecI __attribute__((ext_vector_type(kLanes)));

// Register tile: MR filters by NV vectors of output pixels (MR per
// format, below).
constexpr int kNV = 2;
constexpr int kNR = kNV * kLanes;
constexpr int kMaxMR = 12;
// K is blocked in KC values; MC filter rows of packed weights per block;
// NC output pixels per packed im2col block, sized so that the block and
// the int32 sums of all rows stay in L2.
constexpr int64_t kKC = 512;
constexpr int64_t kMC = 96;
constexpr int64_t kMaxNC = 512;
constexpr int64_t kPackBytes = 128 << 10;
constexpr int64_t kSumBytes = 256 << 10;
// Below this many multiply-adds a call stays on the calling thread.
constexpr double kParallelWork = 1 << 19;

template <typename T> inline T loadVec(const void *p) {
  T v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
template <typename T> inline void storeVec(void *p, T v) { __builtin_memcpy(p, &v, sizeof v); }

// Rows of a micro-panel: NR values as bytes, and two rows zipped.
typedef uint8_t RowBytes __attribute__((ext_vector_type(kNR)));
typedef int8_t RowSignedBytes __attribute__((ext_vector_type(kNR)));
typedef uint8_t RowBytes2 __attribute__((ext_vector_type(2 * kNR)));
typedef int16_t RowValues __attribute__((ext_vector_type(kNR)));
typedef int16_t RowValues2 __attribute__((ext_vector_type(2 * kNR)));

// zip(a, b)[2j] = a[j], zip(a, b)[2j + 1] = b[j] for NR-lane vectors.
template <typename Out, typename In, size_t... I> Out zip(In a, In b, std::index_sequence<I...>) {
  return __builtin_shufflevector(a, b, ((I % 2) ? kNR + I / 2 : I / 2)...);
}
template <typename Out, typename In> Out zip(In a, In b) {
  return zip<Out>(a, b, std::make_index_sequence<2 * kNR>());
}
template <size_t... I> RowBytes evenBytes(RowBytes2 v, std::index_sequence<I...>) {
  return __builtin_shufflevector(v, v, (2 * I)...);
}

// Pairs: int16 operands, two values of K per int32 lane.
struct Pairs {
  static constexpr int kPerWord = 2;
#if QC_VECTOR_BYTES == 64
  static constexpr int kMR = 12;
#else
  static constexpr int kMR = 6;
#endif
  typedef int16_t Elem;
  typedef RowValues Row;

  static Row fromBytes(RowBytes bytes, bool isUnsigned, int16_t zero) {
    RowValues values = isUnsigned ? __builtin_convertvector(bytes, RowValues)
                                  : __builtin_convertvector((RowSignedBytes)bytes, RowValues);
    return values - zero;
  }
  // rows[0..1] as one word row: dst[2j + t] = rows[t][j].
  static void storeWords(Elem *dst, const Row *rows) {
    storeVec(dst, zip<RowValues2>(rows[0], rows[1]));
  }
  // acc + a[2i] * b[2i] + a[2i+1] * b[2i+1] in each lane i; a is one
  // filter word broadcast, b the words of kLanes pixels.
  static VecI dot(VecI acc, VecI a, VecI b) {
#if QC_VECTOR_BYTES == 64
#if defined(__AVX512VNNI__)
    return (VecI)_mm512_dpwssd_epi32((__m512i)acc, (__m512i)a, (__m512i)b);
#else
    return acc + (VecI)_mm512_madd_epi16((__m512i)a, (__m512i)b);
#endif
#elif QC_VECTOR_BYTES == 32
#if defined(__AVXVNNI__)
    return (VecI)_mm256_dpwssd_avx_epi32((__m256i)acc, (__m256i)a, (__m256i)b);
#elif defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return (VecI)_mm256_dpwssd_epi32((__m256i)acc, (__m256i)a, (__m256i)b);
#else
    return acc + (VecI)_mm256_madd_epi16((__m256i)a, (__m256i)b);
#endif
#else
    return acc + (VecI)_mm_madd_epi16((__m128i)a, (__m128i)b);
#endif
  }
  static uint32_t word(const int16_t *values) {
    return uint32_t(uint16_t(values[0])) | uint32_t(uint16_t(values[1])) << 16;
  }
};

// Quads: uint8 inputs less their zero point, int8 filter values, four
// values of K per int32 lane. Needs pmaddubsw (SSSE3): not in the SSE2
// build.
#if QC_VECTOR_BYTES >= 32
#define QC_HAVE_QUADS 1
struct Quads {
  static constexpr int kPerWord = 4;
#if QC_VECTOR_BYTES == 64
  static constexpr int kMR = 12;
#else
  static constexpr int kMR = 4; // 8 accumulators, the B vectors, ones
#endif
  typedef uint8_t Elem;
  typedef RowBytes Row;
#if defined(__AVX512VNNI__)
  // vpdpbusd sums the four products in int32: no int16 saturation.
  static constexpr bool kSaturates = false;
#else
  static constexpr bool kSaturates = true;
#endif

  static Row fromBytes(RowBytes bytes, bool, int16_t zero) { return bytes - uint8_t(zero); }
  // rows[0..3] as one word row: dst[4j + t] = rows[t][j].
  static void storeWords(Elem *dst, const Row *rows) {
    typedef uint16_t Halves __attribute__((ext_vector_type(kNR)));
    typedef uint16_t Halves2 __attribute__((ext_vector_type(2 * kNR)));
    Halves low = (Halves)zip<RowBytes2>(rows[0], rows[1]);
    Halves high = (Halves)zip<RowBytes2>(rows[2], rows[3]);
    storeVec(dst, zip<Halves2>(low, high));
  }
  static VecI dot(VecI acc, VecI a, VecI b) {
#if QC_VECTOR_BYTES == 64
#if defined(__AVX512VNNI__)
    return (VecI)_mm512_dpbusd_epi32((__m512i)acc, (__m512i)b, (__m512i)a);
#else
    __m512i pairs = _mm512_maddubs_epi16((__m512i)b, (__m512i)a);
    return acc + (VecI)_mm512_madd_epi16(pairs, _mm512_set1_epi16(1));
#endif
#else
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
    return (VecI)_mm256_dpbusd_epi32((__m256i)acc, (__m256i)b, (__m256i)a);
#else
    __m256i pairs = _mm256_maddubs_epi16((__m256i)b, (__m256i)a);
    return acc + (VecI)_mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
#endif
#endif
  }
  static uint32_t word(const int16_t *values) {
    uint32_t w = 0;
    for (int t = 0; t < 4; ++t)
      w |= uint32_t(uint8_t(values[t])) << (8 * t);
    return w;
  }
};
#endif

// sums[MR x NR] (+)= Ap[words][MR] * Bp[words][NR][kPerWord]: each A word
// holds kPerWord values of K of one filter, each B vector the words of
// kLanes pixels. sums is the dense scratch block (row stride sumStride).
template <typename F, int NV>
void microkernel(int64_t words, const int32_t *__restrict ap, const typename F::Elem *__restrict bp,
                 int32_t *sums, int64_t sumStride, bool accumulate) {
  constexpr int kMR = F::kMR;
  VecI acc[kMR][NV];
#pragma clang loop unroll(full)
  for (int i = 0; i < kMR; ++i)
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; ++v)
      acc[i][v] = 0;
  for (int64_t w = 0; w < words; ++w) {
    VecI b[NV];
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; ++v)
      b[v] = loadVec<VecI>(bp + (w * kNR + v * kLanes) * F::kPerWord);
#pragma clang loop unroll(full)
    for (int i = 0; i < kMR; ++i) {
      VecI a = ap[w * kMR + i];
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; ++v)
        acc[i][v] = F::dot(acc[i][v], a, b[v]);
    }
  }
#pragma clang loop unroll(full)
  for (int i = 0; i < kMR; ++i)
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; ++v) {
      int32_t *p = sums + i * sumStride + v * kLanes;
      storeVec(p, accumulate ? loadVec<VecI>(p) + acc[i][v] : acc[i][v]);
    }
}

// The requantize of one output row (one filter):
//   t = (sum + bias) * multiplier + (residual - residualZero) * residualMultiplier
//   out = clamp(round(t / 2^shift) + outputZero, clampMin, clampMax)
// sum + bias wraps in int32, as the i32 add it replaces.
struct RowRequant {
  int32_t bias, multiplier, shift, residualMultiplier;
};

struct Requant {
  const int32_t *bias, *multiplier, *shift, *residualMultiplier;
  int64_t residualZero, outputZero, clampMin, clampMax;
  RowRequant row(int64_t f) const {
    return {bias[f], multiplier[f], shift[f], residualMultiplier[f]};
  }
};

// round(t / 2^shift), half = 2^(shift - 1). Half to even adds half - 1
// and the parity of floor(t / 2^shift) (bit `shift` of t) before flooring:
// with t = q 2^s + r, that is q below half, q + 1 above, q + (q & 1) at it.
template <bool HalfToEven> inline int64_t roundingShift(int64_t t, int64_t shift, int64_t half) {
  if (!HalfToEven)
    return (t + (t < 0 ? half - 1 : half)) >> shift;
  return (t + half - 1 + ((t >> shift) & 1)) >> shift;
}

template <bool HalfToEven, bool HasResidual, typename Res>
void requantizeRow(const int32_t *sums, int64_t count, RowRequant r, const Requant &q,
                   const Res *residual, uint8_t *out) {
  int64_t half = int64_t(1) << (r.shift - 1);
  for (int64_t j = 0; j < count; ++j) {
    int32_t biased = int32_t(uint32_t(sums[j]) + uint32_t(r.bias));
    int64_t t = int64_t(biased) * r.multiplier;
    if (HasResidual)
      t += (int64_t(residual[j]) - q.residualZero) * r.residualMultiplier;
    int64_t y = roundingShift<HalfToEven>(t, r.shift, half) + q.outputZero;
    y = y < q.clampMin ? q.clampMin : (y > q.clampMax ? q.clampMax : y);
    out[j] = uint8_t(y);
  }
}

// Flags of qc_uk_conv2d_i8.
constexpr int64_t kInputUnsigned = 1, kFilterUnsigned = 2, kResidualUnsigned = 4, kHalfToEven = 8,
                  kInt32Output = 16;

// Rows of the output with their residual rows: what an epilogue writes.
// With kInt32Output the output holds int32 (sums plus bias, not
// requantized); `out` points at bytes either way, strides are in elements.
struct OutputRows {
  uint8_t *out;
  int64_t outRowStride;
  const uint8_t *residual; // null: none
  int64_t residualRowStride;
  int64_t flags;
};

void requantizeRows(const int32_t *sums, int64_t sumStride, int64_t f0, int64_t rows, int64_t col0,
                    int64_t count, const Requant &q, const OutputRows &o) {
  bool even = o.flags & kHalfToEven;
  bool unsignedResidual = o.flags & kResidualUnsigned;
  if (o.flags & kInt32Output) {
    for (int64_t i = 0; i < rows; ++i) {
      const int32_t *s = sums + i * sumStride;
      int32_t bias = q.bias[f0 + i];
      int32_t *out = reinterpret_cast<int32_t *>(o.out) + (f0 + i) * o.outRowStride + col0;
      for (int64_t j = 0; j < count; ++j)
        out[j] = int32_t(uint32_t(s[j]) + uint32_t(bias));
    }
    return;
  }
  for (int64_t i = 0; i < rows; ++i) {
    const int32_t *s = sums + i * sumStride;
    RowRequant r = q.row(f0 + i);
    uint8_t *out = o.out + (f0 + i) * o.outRowStride + col0;
    const uint8_t *res = o.residual ? o.residual + (f0 + i) * o.residualRowStride + col0 : nullptr;
    if (!res) {
      if (even)
        requantizeRow<true, false, int8_t>(s, count, r, q, nullptr, out);
      else
        requantizeRow<false, false, int8_t>(s, count, r, q, nullptr, out);
    } else if (unsignedResidual) {
      if (even)
        requantizeRow<true, true>(s, count, r, q, res, out);
      else
        requantizeRow<false, true>(s, count, r, q, res, out);
    } else {
      auto *signedRes = reinterpret_cast<const int8_t *>(res);
      if (even)
        requantizeRow<true, true>(s, count, r, q, signedRes, out);
      else
        requantizeRow<false, true>(s, count, r, q, signedRes, out);
    }
  }
}

inline int16_t valueAt(const uint8_t *p, bool isUnsigned) {
  return isUnsigned ? int16_t(*p) : int16_t(int8_t(*p));
}

// The filter minus its zero points (none: 0) in F's layout: panels of MR
// rows, each [words][MR] words of kPerWord values of K (zeros past K and
// past the last row), for `rows` filters of a [filters, k] matrix.
template <typename F>
void packFilter(const uint8_t *w, int64_t rowStride, int64_t rows, int64_t k,
                const int32_t *zeroPoints, bool isUnsigned, int32_t *packed,
                int64_t colStride = 1) {
  constexpr int kMR = F::kMR, kPerWord = F::kPerWord;
  int64_t words = (k + kPerWord - 1) / kPerWord;
  for (int64_t p0 = 0; p0 < rows; p0 += kMR) {
    int32_t *dst = packed + p0 * words;
    for (int64_t i = 0; i < kMR; ++i) {
      bool inside = p0 + i < rows;
      const uint8_t *src = w + (p0 + i) * rowStride;
      int16_t zero = inside && zeroPoints ? int16_t(zeroPoints[p0 + i]) : 0;
      for (int64_t p = 0; p < words; ++p) {
        int16_t values[kPerWord] = {};
        for (int t = 0; t < kPerWord; ++t)
          if (inside && p * kPerWord + t < k)
            values[t] = int16_t(valueAt(src + (p * kPerWord + t) * colStride, isUnsigned) - zero);
        dst[p * kMR + i] = int32_t(F::word(values));
      }
    }
  }
}

template <typename F> int64_t packedFilterWords(int64_t rows, int64_t k) {
  return roundUp(rows, F::kMR) * ((k + F::kPerWord - 1) / F::kPerWord);
}

// The im2col matrix of one image's (group's) input, less the input zero
// point: row k = (c, kh, kw), column n = (oh, ow); zero where a window
// reads padding. `fast` promises that every window lies inside the input
// (no padding: an input copied with its borders) and that NR * strideW
// bytes can be read from any window start, so rows gather with vector
// loads.
struct Im2Col {
  const uint8_t *in;
  bool isUnsigned;
  int16_t zero;
  int64_t k, channelStride, rowStride, height, width;
  int64_t kernelH, kernelW, outW, strideH, strideW, dilationH, dilationW, padTop, padLeft;
  bool fast;
  // With `fast`: the offset of row k's tap from its window's first element
  // (c * channelStride + kh * dilationH * rowStride + kw * dilationW).
  const int64_t *tapOffsets = nullptr;

  void fillTapOffsets(int64_t *offsets) const {
    for (int64_t row = 0; row < k; ++row) {
      int64_t c = row / (kernelH * kernelW), r = row / kernelW % kernelH, s = row % kernelW;
      offsets[row] = c * channelStride + r * dilationH * rowStride + s * dilationW;
    }
  }

  // Bp[panel][word][NR][kPerWord] in F's format for rows [k0, k0 + kc)
  // (k0 a multiple of kPerWord) and columns [n0, n0 + nc); rows past K and
  // columns past nc are zeros.
  template <typename F>
  void pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, typename F::Elem *bp) const {
    constexpr int kPerWord = F::kPerWord;
    int64_t words = (kc + kPerWord - 1) / kPerWord, kEnd = minOf(k, k0 + kc);
    for (int64_t p0 = 0; p0 < nc; p0 += kNR) {
      int64_t cols = minOf(kNR, nc - p0);
      typename F::Elem *dst = bp + p0 * words * kPerWord;
      // The panel's columns as runs within one output row.
      int64_t runBegin[kNR + 1], runRow[kNR], runCol[kNR], runs = 0;
      for (int64_t j = 0; j < cols;) {
        int64_t n = n0 + p0 + j, oh = n / outW, ow = n % outW;
        runBegin[runs] = j;
        runRow[runs] = oh * strideH - padTop;
        runCol[runs] = ow * strideW - padLeft;
        ++runs;
        j += minOf(cols - j, outW - ow);
      }
      runBegin[runs] = cols;
      // Vector loads for whole panels; the last, narrower one is gathered.
      if (fast && cols == kNR) {
        int64_t runStart[kNR];
        for (int64_t i = 0; i < runs; ++i)
          runStart[i] = runRow[i] * rowStride + runCol[i];
        packPanelFast<F>(k0, kEnd, words, runs, runBegin, runStart, dst);
        continue;
      }
      for (int64_t p = 0; p < words; ++p) {
        typename F::Row rows[kPerWord];
        for (int t = 0; t < kPerWord; ++t) {
          int64_t row = k0 + p * kPerWord + t;
          rows[t] = 0;
          if (row >= kEnd)
            continue;
          int64_t c = row / (kernelH * kernelW), r = row / kernelW % kernelH, s = row % kernelW;
          int16_t values[kNR] = {};
          for (int64_t i = 0; i < runs; ++i)
            gatherRun(in + c * channelStride, runRow[i] + r * dilationH, runCol[i] + s * dilationW,
                      values + runBegin[i], runBegin[i + 1] - runBegin[i]);
          typename F::Elem elems[kNR];
          for (int64_t j = 0; j < kNR; ++j)
            elems[j] = typename F::Elem(values[j]);
          rows[t] = loadVec<typename F::Row>(elems);
        }
        F::storeWords(dst + p * kNR * kPerWord, rows);
      }
    }
  }

  // One micro-panel with vector loads: rows [k0, kEnd) in `words` words.
  template <typename F>
  void packPanelFast(int64_t k0, int64_t kEnd, int64_t words, int64_t runs, const int64_t *runBegin,
                     const int64_t *runStart, typename F::Elem *dst) const {
    constexpr int kPerWord = F::kPerWord;
    typedef typename F::Row Row;
    auto row = [&](int64_t r, const uint8_t *base) -> Row {
      return r < kEnd ? F::fromBytes(gatherBytes(base + tapOffsets[r]), isUnsigned, zero) : Row(0);
    };
    if (runs == 1) {
      const uint8_t *base = in + runStart[0];
      for (int64_t p = 0; p < words; ++p) {
        Row rows[kPerWord];
        for (int t = 0; t < kPerWord; ++t)
          rows[t] = row(k0 + p * kPerWord + t, base);
        F::storeWords(dst + p * kNR * kPerWord, rows);
      }
      return;
    }
    // Several runs: each run's NR values are stored from its start in
    // order (a later run overwrites the tail of the one before; what lies
    // past the panel's columns feeds sums that are never stored). Rows are
    // staged a chunk at a time and read back after the chunk, when the
    // overlapping stores have left the store buffer.
    constexpr int64_t kChunkWords = 8;
    typename F::Elem staged[kPerWord * kChunkWords][2 * kNR];
    for (int64_t p0 = 0; p0 < words; p0 += kChunkWords) {
      int64_t chunk = minOf(kChunkWords, words - p0);
      for (int64_t t = 0; t < kPerWord * chunk; ++t) {
        int64_t r = k0 + p0 * kPerWord + t;
        for (int64_t i = 0; i < runs; ++i)
          storeVec(staged[t] + runBegin[i], row(r, in + runStart[i]));
      }
      for (int64_t p = 0; p < chunk; ++p) {
        Row rows[kPerWord];
        for (int t = 0; t < kPerWord; ++t)
          rows[t] = loadVec<Row>(staged[p * kPerWord + t]);
        F::storeWords(dst + (p0 + p) * kNR * kPerWord, rows);
      }
    }
  }

  // src[j * strideW] for j < NR (strides 1 and 2).
  RowBytes gatherBytes(const uint8_t *src) const {
    return strideW == 1 ? loadVec<RowBytes>(src)
                        : evenBytes(loadVec<RowBytes2>(src), std::make_index_sequence<kNR>());
  }

  // dst[j] = plane[ih, iw + j * strideW] - zero inside the input; the rest
  // of dst (padding) stays as it is (zero).
  void gatherRun(const uint8_t *plane, int64_t ih, int64_t iw, int16_t *dst, int64_t length) const {
    if (ih < 0 || ih >= height)
      return;
    int64_t lo = minOf(length, iw >= 0 ? 0 : (-iw + strideW - 1) / strideW);
    int64_t hi = iw >= width ? 0 : minOf(length, (width - iw + strideW - 1) / strideW);
    const uint8_t *src = plane + ih * rowStride + iw;
    if (isUnsigned) {
      for (int64_t j = lo; j < hi; ++j)
        dst[j] = int16_t(int16_t(src[j * strideW]) - zero);
    } else {
      for (int64_t j = lo; j < hi; ++j)
        dst[j] = int16_t(int16_t(int8_t(src[j * strideW])) - zero);
    }
  }

  // The input copied with its padding (the zero point) and NR * strideW
  // bytes of slack, so that every window lies inside and rows gather with
  // vector loads; `storage` receives the copy (free it). Needed unless the
  // windows already lie inside.
  Im2Col padded(int64_t channels, int64_t outH, uint8_t *&storage) const {
    int64_t paddedH = (outH - 1) * strideH + (kernelH - 1) * dilationH + 1;
    int64_t paddedW = (outW - 1) * strideW + (kernelW - 1) * dilationW + 1;
    int64_t plane = paddedH * paddedW;
    storage = static_cast<uint8_t *>(malloc(channels * plane + 2 * kNR * strideW + 64));
    if (!storage)
      __builtin_trap();
    uint8_t fill = uint8_t(zero);
    // Columns [left, right) of a padded row come from the input.
    int64_t left = minOf(padLeft, paddedW), right = minOf(paddedW, padLeft + width);
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t h = 0; h < paddedH; ++h) {
        uint8_t *dst = storage + c * plane + h * paddedW;
        int64_t ih = h - padTop;
        if (ih < 0 || ih >= height) {
          for (int64_t w = 0; w < paddedW; ++w)
            dst[w] = fill;
          continue;
        }
        const uint8_t *src = in + c * channelStride + ih * rowStride - padLeft;
        for (int64_t w = 0; w < left; ++w)
          dst[w] = fill;
        for (int64_t w = left; w < right; ++w)
          dst[w] = src[w];
        for (int64_t w = maxOf(left, right); w < paddedW; ++w)
          dst[w] = fill;
      }
    Im2Col copy = *this;
    copy.in = storage;
    copy.channelStride = plane;
    copy.rowStride = paddedW;
    copy.height = paddedH;
    copy.width = paddedW;
    copy.padTop = copy.padLeft = 0;
    copy.fast = true;
    return copy;
  }
};

// Scratch for one thread: a packed im2col block (first) and the int32 sums
// of the rows it computes (second).
using Scratch = ScratchPair;
constexpr int64_t kSumCapacity = kSumBytes + 64 * kMaxMR * kNR * 4;
using ScratchBuffers = ScratchPool<kPackBytes + 64 * kNR * 4, kSumCapacity>;

// The requantized 8-bit rows of a convolution's output: what its GEMM's
// finished sums become.
struct RequantizeSink {
  Requant requant;
  OutputRows output;
  void store(const int32_t *sums, int64_t sumStride, int64_t m0, int64_t rows, int64_t n0,
             int64_t count) const {
    requantizeRows(sums, sumStride, m0, rows, n0, count, requant, output);
  }
};

// C[m, n] += sums, int32 with any strides: an integer matmul's output.
struct AccumulateSink {
  int32_t *c;
  int64_t rowStride, colStride;
  void store(const int32_t *sums, int64_t sumStride, int64_t m0, int64_t rows, int64_t n0,
             int64_t count) const {
    for (int64_t i = 0; i < rows; ++i) {
      int32_t *row = c + (m0 + i) * rowStride + n0 * colStride;
      const int32_t *s = sums + i * sumStride;
      if (colStride == 1)
        for (int64_t j = 0; j < count; ++j)
          row[j] = int32_t(uint32_t(row[j]) + uint32_t(s[j]));
      else
        for (int64_t j = 0; j < count; ++j)
          row[j * colStride] = int32_t(uint32_t(row[j * colStride]) + uint32_t(s[j]));
    }
  }
};

// B of an integer matmul, [k, n] 8-bit values with any strides.
struct MatrixB {
  const uint8_t *b;
  int64_t k, rowStride, colStride;
  bool isUnsigned;

  // F's micro-panels of rows [k0, k0 + kc) and columns [n0, n0 + nc).
  template <typename F>
  void pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, typename F::Elem *bp) const {
    constexpr int kPerWord = F::kPerWord;
    typedef typename F::Row Row;
    int64_t words = (kc + kPerWord - 1) / kPerWord, kEnd = minOf(k, k0 + kc);
    for (int64_t p0 = 0; p0 < nc; p0 += kNR) {
      int64_t cols = minOf(kNR, nc - p0);
      typename F::Elem *dst = bp + p0 * words * kPerWord;
      for (int64_t p = 0; p < words; ++p) {
        Row rows[kPerWord];
        for (int t = 0; t < kPerWord; ++t) {
          int64_t r = k0 + p * kPerWord + t;
          const uint8_t *src = b + r * rowStride + (n0 + p0) * colStride;
          if (r >= kEnd) {
            rows[t] = 0;
          } else if (cols == kNR && colStride == 1) {
            rows[t] = F::fromBytes(loadVec<RowBytes>(src), isUnsigned, 0);
          } else {
            uint8_t bytes[kNR] = {};
            for (int64_t j = 0; j < cols; ++j)
              bytes[j] = src[j * colStride];
            rows[t] = F::fromBytes(loadVec<RowBytes>(bytes), isUnsigned, 0);
          }
        }
        F::storeWords(dst + p * kNR * kPerWord, rows);
      }
    }
  }
};

// out[i, j] for rows [0, m) (the prepacked A: a convolution's filters),
// columns [0, n) (B: its im2col matrix, or a matmul's B) and k terms, with
// the sums handed to the sink.
template <typename F, typename Source, typename Sink> struct Gemm {
  int64_t m, n, k;
  const int32_t *a; // packFilter<F>'s layout for all m rows
  Source b;
  Sink sink;

  // Columns per block: the packed block and the sums of all rows fit their
  // scratch buffers.
  int64_t blockColumns() const {
    int64_t byPack = kPackBytes / int64_t(sizeof(typename F::Elem)) / (roundUp(minOf(k, kKC), 4));
    int64_t bySums = kSumBytes / 4 / roundUp(m, F::kMR);
    int64_t nc = minOf(minOf(byPack, bySums), kMaxNC) / kNR * kNR;
    return minOf(maxOf(nc, kNR), roundUp(n, kNR));
  }

  // Rows [m0, m1) (multiples of MR but the last) of column block [n0, n0 + nc).
  void block(int64_t m0, int64_t m1, int64_t n0, int64_t nc, Scratch *scratch) const {
    constexpr int kMR = F::kMR, kPerWord = F::kPerWord;
    int64_t words = (k + kPerWord - 1) / kPerWord;
    int64_t ncPadded = roundUp(nc, kNR);
    auto *packed = static_cast<typename F::Elem *>(scratch->first);
    auto *blockSums = static_cast<int32_t *>(scratch->second);
    // runGemm splits the rows so that this holds; writing past the scratch
    // would corrupt the heap far from here.
    if (roundUp(m1 - m0, kMR) * ncPadded * 4 > kSumCapacity)
      __builtin_trap();
    for (int64_t pc = 0; pc < k; pc += kKC) {
      int64_t kc = minOf(kKC, k - pc), kcWords = (kc + kPerWord - 1) / kPerWord;
      b.template pack<F>(pc, kc, n0, nc, packed);
      for (int64_t ic = m0; ic < m1; ic += kMC) {
        int64_t mc = minOf(kMC, m1 - ic);
        for (int64_t jr = 0; jr < nc; jr += kNR) {
          const typename F::Elem *panel = packed + jr * kcWords * kPerWord;
          for (int64_t ir = 0; ir < mc; ir += kMR) {
            const int32_t *rows = a + (ic + ir) * words + pc / kPerWord * kMR;
            int32_t *sums = blockSums + (ic + ir - m0) * ncPadded + jr;
            if (nc - jr <= kLanes)
              microkernel<F, 1>(kcWords, rows, panel, sums, ncPadded, pc > 0);
            else
              microkernel<F, kNV>(kcWords, rows, panel, sums, ncPadded, pc > 0);
          }
        }
      }
    }
    sink.store(blockSums, ncPadded, m0, m1 - m0, n0, nc);
  }
};

// The shared thread policy at this file's threshold.
int threadsFor(double work, int64_t maxUseful) {
  return qc_kernels::threadsFor(work, kParallelWork, maxUseful);
}

// The GEMM over all threads that pay off: blocks of columns go to threads;
// with fewer blocks than threads, the rows are split too.
template <typename F, typename Source, typename Sink> void runGemm(const Gemm<F, Source, Sink> &g) {
  if (g.m == 0 || g.n == 0)
    return;
  int64_t nc = g.blockColumns();
  int64_t blocks = (g.n + nc - 1) / nc;
  int64_t rowPanels = (g.m + F::kMR - 1) / F::kMR;
  int threads = threadsFor(double(g.m) * g.n * g.k, blocks * rowPanels);
  int64_t rowParts = blocks >= 2 * threads ? 1 : minOf(rowPanels, threads);
  if (threads > 1 && rowParts == 1) {
    // As many equal blocks per thread: a shorter last block would leave
    // one thread waiting.
    int64_t perThread = (blocks + threads - 1) / threads;
    nc = roundUp((g.n + perThread * threads - 1) / (perThread * threads), kNR);
    blocks = (g.n + nc - 1) / nc;
  }
  // The sums of a part's rows over one column block must fit the scratch.
  // blockColumns() narrows blocks to kNR columns at the least, which is
  // not enough when A is very tall (a matmul with a constant B of many
  // columns runs as C^T = B^T A^T: PP-OCRv4 rec's classifier has 6625 rows).
  int64_t panelsFit = maxOf(1, kSumBytes / 4 / roundUp(nc, kNR) / F::kMR);
  rowParts = maxOf(rowParts, (rowPanels + panelsFit - 1) / panelsFit);
  int64_t items = blocks * rowParts;
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
  for (int64_t item = 0; item < items; ++item) {
    int64_t b = item / rowParts, part = item % rowParts;
    int64_t m0, m1;
    splitRange(g.m, F::kMR, part, rowParts, m0, m1);
    if (m0 >= m1)
      continue;
    Scratch *scratch = ScratchBuffers::acquire();
    g.block(m0, m1, b * nc, minOf(nc, g.n - b * nc), scratch);
    ScratchBuffers::release(scratch);
  }
}

// A depthwise convolution, channel by channel. Each channel's plane is
// copied once less its zero point, as int16, with zero borders (padding
// reads the zero point, a zero term), and split into strideW column
// phases so that every tap of a strided window row is a contiguous run:
// padded column ow * strideW + t lies in phase t % strideW at ow + t /
// strideW. Each output row then sums taps x rows in int32 and takes the
// requantize of its channel.
struct Depthwise {
  const Im2Col &s;
  int64_t outH;
  const int16_t *taps; // [channels][kh * kw], less the filter zero points
  Requant q;
  OutputRows o;
  int64_t paddedH, phaseW;

  Depthwise(const Im2Col &s, int64_t outH, const int16_t *taps, const Requant &q,
            const OutputRows &o)
      : s(s), outH(outH), taps(taps), q(q), o(o) {
    paddedH = (outH - 1) * s.strideH + (s.kernelH - 1) * s.dilationH + 1;
    int64_t paddedW = (s.outW - 1) * s.strideW + (s.kernelW - 1) * s.dilationW + 1;
    phaseW = (paddedW + s.strideW - 1) / s.strideW;
  }
  // int16 values of a thread's scratch: the phases, one padded row, then
  // (32-byte aligned) the plane's int32 sums.
  int64_t phaseValues() const {
    return roundUp(s.strideW * paddedH * phaseW + s.strideW * phaseW, 16);
  }
  int64_t scratchValues() const { return phaseValues() + 2 * outH * s.outW + 64; }
  int32_t *accumulators(int16_t *scratch) const {
    return reinterpret_cast<int32_t *>(scratch + phaseValues());
  }

  void channel(const uint8_t *x, int64_t c, int16_t *padded) const {
    int64_t sW = s.strideW, phaseSize = paddedH * phaseW, rowW = sW * phaseW;
    int16_t *row = padded + sW * phaseSize;
    // Columns [lo, hi) of a padded row read the input at w - padLeft.
    int64_t lo = minOf(s.padLeft, rowW), hi = maxOf(lo, minOf(rowW, s.padLeft + s.width));
    for (int64_t h = 0; h < paddedH; ++h) {
      int64_t ih = h - s.padTop;
      if (ih < 0 || ih >= s.height) {
        for (int64_t phase = 0; phase < sW; ++phase)
          for (int64_t j = 0; j < phaseW; ++j)
            padded[phase * phaseSize + h * phaseW + j] = 0;
        continue;
      }
      const uint8_t *src = x + ih * s.rowStride - s.padLeft;
      int16_t *dst = sW == 1 ? padded + h * phaseW : row;
      for (int64_t j = 0; j < lo; ++j)
        dst[j] = 0;
      if (s.isUnsigned)
        for (int64_t j = lo; j < hi; ++j)
          dst[j] = int16_t(int16_t(src[j]) - s.zero);
      else
        for (int64_t j = lo; j < hi; ++j)
          dst[j] = int16_t(int16_t(int8_t(src[j])) - s.zero);
      for (int64_t j = hi; j < rowW; ++j)
        dst[j] = 0;
      if (sW == 2) {
        int16_t *even = padded + h * phaseW, *odd = padded + phaseSize + h * phaseW;
        for (int64_t j = 0; j < phaseW; ++j) {
          even[j] = row[2 * j];
          odd[j] = row[2 * j + 1];
        }
      } else if (sW > 2) {
        for (int64_t phase = 0; phase < sW; ++phase)
          for (int64_t j = 0; j < phaseW; ++j)
            padded[phase * phaseSize + h * phaseW + j] = row[j * sW + phase];
      }
    }
    // The whole output plane's sums, tap by tap, then one requantize of the
    // plane (dense: its rows follow each other).
    const int16_t *w = taps + c * s.kernelH * s.kernelW;
    int32_t *acc = accumulators(padded);
    int64_t plane = outH * s.outW;
    for (int64_t j = 0; j < plane; ++j)
      acc[j] = 0;
    for (int64_t kh = 0; kh < s.kernelH; ++kh)
      for (int64_t kw = 0, t = 0; kw < s.kernelW; ++kw, t += s.dilationW) {
        int32_t tap = w[kh * s.kernelW + kw];
        const int16_t *tapStart =
            padded + (t % sW) * phaseSize + kh * s.dilationH * phaseW + t / sW;
        for (int64_t oh = 0; oh < outH; ++oh) {
          const int16_t *src = tapStart + oh * s.strideH * phaseW;
          int32_t *dst = acc + oh * s.outW;
          for (int64_t j = 0; j < s.outW; ++j)
            dst[j] += tap * int32_t(src[j]);
        }
      }
    requantizeRows(acc, 0, c, 1, 0, plane, q, o);
  }
};

#ifdef QC_HAVE_QUADS
typedef Quads QuadsOrPairs;
#else
typedef Pairs QuadsOrPairs;
#endif

// One call's operands, as qc_uk_conv2d_i8 receives them.
struct ConvCall {
  int64_t batch, groups, groupChannels, groupFilters, k, outH, outW;
  bool inside, pointwise;
  const uint8_t *input;
  int64_t inBatchStride, inChannelStride;
  const uint8_t *weights;
  int64_t filterStride;
  const int32_t *filterZero;
  bool filterUnsigned;
  const int32_t *bias, *multiplier, *shift, *residualMultiplier;
  int64_t residualZero, outputZero, clampMin, clampMax;
  uint8_t *output;
  int64_t outBatchStride, outChannelStride, outElementBytes;
  const uint8_t *residual;
  int64_t residualBatchStride, residualChannelStride, flags;
  Im2Col geometry;
};

// Whether the Quads format computes this convolution exactly: inputs
// (known to lie in [inputMin, inputMax]) less their zero point in
// [0, 255], filter values less theirs in [-128, 127], and, where
// pmaddubsw saturates, no pair of products over int16.
bool quadsExact(const ConvCall &c, int64_t inputZero, int64_t inputMin, int64_t inputMax) {
#ifdef QC_HAVE_QUADS
  int64_t low = inputMin - inputZero, high = inputMax - inputZero;
  if (low < 0 || high > 255)
    return false;
  int64_t largest = 0;
  for (int64_t f = 0; f < c.groups * c.groupFilters; ++f)
    for (int64_t t = 0; t < c.k; ++t) {
      int64_t v = valueAt(c.weights + f * c.filterStride + t, c.filterUnsigned) - c.filterZero[f];
      if (v < -128 || v > 127)
        return false;
      largest = maxOf(largest, v < 0 ? -v : v);
    }
  return !Quads::kSaturates || 2 * high * largest <= 32767;
#else
  return false;
#endif
}

// The whole filter (one group) packed in F's format; the caller frees it.
template <typename F> const int32_t *packFilterFor(const ConvCall &c) {
  auto *packed = static_cast<int32_t *>(
      aligned_alloc(64, sizeof(int32_t) * (packedFilterWords<F>(c.groupFilters, c.k) + 16)));
  if (!packed)
    __builtin_trap();
  packFilter<F>(c.weights, c.filterStride, c.groupFilters, c.k, c.filterZero, c.filterUnsigned,
                packed);
  return packed;
}

// Every group of every image as a GEMM; `cached` is the packed filter of
// a one-group convolution, or null to pack per group.
template <typename F> void convolveGroups(const ConvCall &c, const int32_t *cached) {
  auto *tapOffsets = static_cast<int64_t *>(malloc(sizeof(int64_t) * (c.k + 1)));
  int32_t *perGroup = nullptr;
  if (!cached)
    perGroup = static_cast<int32_t *>(
        aligned_alloc(64, sizeof(int32_t) * (packedFilterWords<F>(c.groupFilters, c.k) + 16)));
  if (!tapOffsets || (!cached && !perGroup))
    __builtin_trap();
  const Im2Col &geometry = c.geometry;
  for (int64_t g = 0; g < c.groups; ++g) {
    int64_t f0 = g * c.groupFilters;
    const int32_t *packed = cached;
    if (!packed) {
      packFilter<F>(c.weights + f0 * c.filterStride, c.filterStride, c.groupFilters, c.k,
                    c.filterZero + f0, c.filterUnsigned, perGroup);
      packed = perGroup;
    }
    Requant q{c.bias + f0,    c.multiplier + f0, c.shift + f0, c.residualMultiplier + f0,
              c.residualZero, c.outputZero,      c.clampMin,   c.clampMax};
    for (int64_t image = 0; image < c.batch; ++image) {
      Im2Col im2col = geometry;
      im2col.in = c.input + image * c.inBatchStride + g * c.groupChannels * c.inChannelStride;
      // Rows gather with vector loads where every window lies inside the
      // input, read as it is (stride 1, whole panels in one output row, so
      // no load passes the row's end) or copied with its borders and slack.
      uint8_t *copy = nullptr;
      if (c.pointwise) {
        // A 1x1 window over dense planes: each plane is one long row.
        im2col.outW = im2col.width = im2col.rowStride = c.outH * c.outW;
        im2col.height = 1;
        im2col.fast = true;
      } else if (c.inside && geometry.strideW == 1 && c.outW % kNR == 0)
        im2col.fast = true;
      else if (geometry.strideW <= 2)
        im2col = im2col.padded(c.groupChannels, c.outH, copy);
      if (im2col.fast) {
        im2col.fillTapOffsets(tapOffsets);
        im2col.tapOffsets = tapOffsets;
      }
      OutputRows o{
          c.output + (image * c.outBatchStride + f0 * c.outChannelStride) * c.outElementBytes,
          c.outChannelStride,
          c.residual ? c.residual + image * c.residualBatchStride + f0 * c.residualChannelStride
                     : nullptr,
          c.residualChannelStride, c.flags};
      runGemm(Gemm<F, Im2Col, RequantizeSink>{c.groupFilters, c.outH * c.outW, c.k, packed, im2col,
                                              RequantizeSink{q, o}});
      free(copy);
    }
  }
  free(perGroup);
  free(tapOffsets);
}

} // namespace

extern "C" {

void qc_uk_conv2d_i8(int64_t batch, int64_t channels, int64_t height, int64_t width,
                     int64_t filters, int64_t kernelH, int64_t kernelW, int64_t outH, int64_t outW,
                     int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
                     int64_t padTop, int64_t padLeft, int64_t in, int64_t inBatchStride,
                     int64_t inChannelStride, int64_t inRowStride, int64_t filter,
                     int64_t filterStride, int64_t params, int64_t residual,
                     int64_t residualBatchStride, int64_t residualChannelStride, int64_t out,
                     int64_t outBatchStride, int64_t outChannelStride, int64_t groups,
                     int64_t flags, int64_t inputZero, int64_t residualZero, int64_t outputZero,
                     int64_t clampMin, int64_t clampMax, int64_t inputMin, int64_t inputMax,
                     int64_t packedFilterSlot) {
  const auto *channelParams = reinterpret_cast<const int32_t *>(params);
  const int32_t *bias = channelParams, *multiplier = channelParams + filters,
                *shift = channelParams + 2 * filters, *filterZero = channelParams + 3 * filters,
                *residualMultiplier = channelParams + 4 * filters;
  const auto *input = reinterpret_cast<const uint8_t *>(in);
  const auto *weights = reinterpret_cast<const uint8_t *>(filter);
  auto *output = reinterpret_cast<uint8_t *>(out);
  const auto *residualBase = reinterpret_cast<const uint8_t *>(residual);
  int64_t outElementBytes = flags & kInt32Output ? 4 : 1;
  bool inputUnsigned = flags & kInputUnsigned, filterUnsigned = flags & kFilterUnsigned;
  int64_t groupChannels = channels / groups, groupFilters = filters / groups;
  int64_t k = groupChannels * kernelH * kernelW;
  Im2Col geometry{nullptr,
                  inputUnsigned,
                  int16_t(inputZero),
                  k,
                  inChannelStride,
                  inRowStride,
                  height,
                  width,
                  kernelH,
                  kernelW,
                  outW,
                  strideH,
                  strideW,
                  dilationH,
                  dilationW,
                  padTop,
                  padLeft,
                  /*fast=*/false};
  bool pointwise = kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 &&
                   padLeft == 0 && outH == height && outW == width && inRowStride == width;
  bool inside = padTop == 0 && padLeft == 0 &&
                (outH - 1) * strideH + (kernelH - 1) * dilationH < height &&
                (outW - 1) * strideW + (kernelW - 1) * dilationW < width;

  if (groups > 1 && groupChannels == 1 && groupFilters == 1) {
    // Depthwise: the taps less their zero points, then plane by plane.
    int64_t taps = kernelH * kernelW;
    auto *packed = static_cast<int16_t *>(malloc(sizeof(int16_t) * (channels * taps + 1)));
    if (!packed)
      __builtin_trap();
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t t = 0; t < taps; ++t)
        packed[c * taps + t] =
            int16_t(valueAt(weights + c * filterStride + t, filterUnsigned) - filterZero[c]);
    Requant q{bias,         multiplier, shift,    residualMultiplier,
              residualZero, outputZero, clampMin, clampMax};
    for (int64_t image = 0; image < batch; ++image) {
      OutputRows o{output + image * outBatchStride * outElementBytes, outChannelStride,
                   residualBase ? residualBase + image * residualBatchStride : nullptr,
                   residualChannelStride, flags};
      const uint8_t *x = input + image * inBatchStride;
      Depthwise depthwise(geometry, outH, packed, q, o);
      int threads = threadsFor(double(channels) * outH * outW * taps, channels);
#pragma omp parallel num_threads(threads) if (threads > 1)
      {
        // One padded plane per thread, reused channel after channel.
        auto *plane =
            static_cast<int16_t *>(malloc(sizeof(int16_t) * (depthwise.scratchValues() + 64)));
        if (!plane)
          __builtin_trap();
#pragma omp for schedule(static)
        for (int64_t c = 0; c < channels; ++c)
          depthwise.channel(x + c * inChannelStride, c, plane);
        free(plane);
      }
    }
    free(packed);
    return;
  }

  ConvCall call{batch,
                groups,
                groupChannels,
                groupFilters,
                k,
                outH,
                outW,
                inside,
                pointwise,
                input,
                inBatchStride,
                inChannelStride,
                weights,
                filterStride,
                filterZero,
                filterUnsigned,
                bias,
                multiplier,
                shift,
                residualMultiplier,
                residualZero,
                outputZero,
                clampMin,
                clampMax,
                output,
                outBatchStride,
                outChannelStride,
                outElementBytes,
                residualBase,
                residualBatchStride,
                residualChannelStride,
                flags,
                geometry};
  // The format is fixed per call site; a cached filter carries it in the
  // low bit of its slot's pointer (the packing is 64-byte aligned).
  if (packedFilterSlot && groups == 1) {
    auto *slot = reinterpret_cast<uintptr_t *>(packedFilterSlot);
    uintptr_t cached = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!cached) {
      bool quads = quadsExact(call, inputZero, inputMin, inputMax);
      const int32_t *packed =
          quads ? packFilterFor<QuadsOrPairs>(call) : packFilterFor<Pairs>(call);
      uintptr_t tagged = reinterpret_cast<uintptr_t>(packed) | (quads ? 1 : 0), expected = 0;
      if (__atomic_compare_exchange_n(slot, &expected, tagged, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE))
        cached = tagged;
      else {
        free(const_cast<int32_t *>(packed));
        cached = expected;
      }
    }
    const auto *packed = reinterpret_cast<const int32_t *>(cached & ~uintptr_t(1));
    if (cached & 1)
      convolveGroups<QuadsOrPairs>(call, packed);
    else
      convolveGroups<Pairs>(call, packed);
    return;
  }
  if (quadsExact(call, inputZero, inputMin, inputMax))
    convolveGroups<QuadsOrPairs>(call, nullptr);
  else
    convolveGroups<Pairs>(call, nullptr);
}

void qc_uk_matmul_i8(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t a,
                     int64_t aBatchStride, int64_t aRowStride, int64_t aColStride, int64_t b,
                     int64_t bBatchStride, int64_t bRowStride, int64_t bColStride, int64_t c,
                     int64_t cBatchStride, int64_t cRowStride, int64_t cColStride, int64_t flags,
                     int64_t packedBSlot) {
  if (m == 0 || n == 0 || k == 0)
    return;
  bool aUnsigned = flags & 1, bUnsigned = flags & 2;
  if (packedBSlot && bBatchStride == 0) {
    // A constant B (weights): C^T = B^T A^T, with B^T packed once as the
    // rows and A^T (the activations, often one row) packed per call.
    auto *slot = reinterpret_cast<const int32_t **>(packedBSlot);
    const int32_t *packed = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
    if (!packed) {
      auto *fresh = static_cast<int32_t *>(
          aligned_alloc(64, sizeof(int32_t) * (packedFilterWords<Pairs>(n, k) + 16)));
      if (!fresh)
        __builtin_trap();
      packFilter<Pairs>(reinterpret_cast<const uint8_t *>(b), bColStride, n, k, nullptr, bUnsigned,
                        fresh, bRowStride);
      const int32_t *expected = nullptr;
      if (__atomic_compare_exchange_n(slot, &expected, fresh, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_ACQUIRE)) {
        packed = fresh;
      } else {
        free(fresh);
        packed = expected;
      }
    }
    for (int64_t i = 0; i < batch; ++i) {
      MatrixB activations{reinterpret_cast<const uint8_t *>(a) + i * aBatchStride, k, aColStride,
                          aRowStride, aUnsigned};
      AccumulateSink sink{reinterpret_cast<int32_t *>(c) + i * cBatchStride, cColStride,
                          cRowStride};
      runGemm(Gemm<Pairs, MatrixB, AccumulateSink>{n, m, k, packed, activations, sink});
    }
    return;
  }
  auto *packed = static_cast<int32_t *>(
      aligned_alloc(64, sizeof(int32_t) * (packedFilterWords<Pairs>(m, k) + 16)));
  if (!packed)
    __builtin_trap();
  for (int64_t i = 0; i < batch; ++i) {
    packFilter<Pairs>(reinterpret_cast<const uint8_t *>(a) + i * aBatchStride, aRowStride, m, k,
                      nullptr, aUnsigned, packed, aColStride);
    MatrixB source{reinterpret_cast<const uint8_t *>(b) + i * bBatchStride, k, bRowStride,
                   bColStride, bUnsigned};
    AccumulateSink sink{reinterpret_cast<int32_t *>(c) + i * cBatchStride, cRowStride, cColStride};
    runGemm(Gemm<Pairs, MatrixB, AccumulateSink>{m, n, k, packed, source, sink});
  }
  free(packed);
}

} // extern "C"

//===- IntegerConv.cpp - packed INT8 convolution with a requantize epilogue ===//
//
// qc_uk_conv2d_i8 (Microkernels.h): a convolution of 8-bit values whose
// int32 sums are requantized to 8 bits in the same call, exactly as
// qc.requantize defines it.
//
// Zero points are taken out while packing: the packed filter holds
// w - zw[f] and the packed im2col panels hold x - zx, both as int16, so a
// padded tap (x = zx) is a zero and no zero-point correction terms are
// needed. Pairs of int16 along K multiply-add into int32 lanes
// (pmaddwd; vpdpwssd where AVX-512 VNNI or AVX-VNNI is there), which is
// exact: |(x - zx)(w - zw)| <= 255 * 255, and the sum of a pair fits easily.
//
// The blocking is the FP32 kernels' (FloatGemm.cpp): a KC x NC block of the
// im2col matrix is packed into NR-column micro-panels that stay in L1 while
// the microkernel runs down an MC-row block of the prepacked filter. Sums
// accumulate in an int32 scratch block over the K blocks; after the last,
// each row (one filter) is requantized with its multiplier and shift and
// stored as 8-bit values. Depthwise convolutions have a direct kernel.
//
//===----------------------------------------------------------------------===//
#include "Kernels/Microkernels.h"

#include <immintrin.h>
#include <stdlib.h>

#include <utility>

extern "C" int omp_get_max_threads(void);

namespace {

#ifndef QC_VECTOR_BYTES
#error "QC_VECTOR_BYTES must be 16, 32 or 64"
#endif

constexpr int kLanes = QC_VECTOR_BYTES / 4;
typedef int32_t VecI __attribute__((ext_vector_type(kLanes)));
typedef int16_t VecS __attribute__((ext_vector_type(2 * kLanes)));

// Register tile: MR filters by NV vectors of output pixels.
#if QC_VECTOR_BYTES == 64
constexpr int kMR = 12, kNV = 2;
#else
constexpr int kMR = 6, kNV = 2;
#endif
constexpr int kNR = kNV * kLanes;
// K is blocked in KC values (KC / 2 pairs); MC filter rows of packed
// weights per block; NC output pixels per packed im2col block, sized so
// that the block and the int32 sums of all rows stay in L2.
constexpr int64_t kKC = 512;
constexpr int64_t kMC = kMR * 16;
constexpr int64_t kMaxNC = 512;
constexpr int64_t kPackBytes = 128 << 10;
constexpr int64_t kSumBytes = 256 << 10;
// Below this many multiply-adds a call stays on the calling thread.
constexpr double kParallelWork = 1 << 19;

inline int64_t minOf(int64_t a, int64_t b) { return a < b ? a : b; }
inline int64_t maxOf(int64_t a, int64_t b) { return a > b ? a : b; }
inline int64_t roundUp(int64_t v, int64_t unit) { return (v + unit - 1) / unit * unit; }

template <typename T> inline T loadVec(const void *p) {
  T v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
template <typename T> inline void storeVec(void *p, T v) { __builtin_memcpy(p, &v, sizeof v); }

// acc + a[2i] * b[2i] + a[2i+1] * b[2i+1] in each int32 lane i.
inline VecI dotPairs(VecI acc, VecS a, VecS b) {
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

// sums[MR x NR] (+)= Ap[kp][MR] * Bp[kp][NR][2]: kp pairs of K; each A
// word is the int16 pair (k, k + 1) of one row, each B vector the pairs of
// kLanes columns. sums is the dense scratch block (row stride sumStride).
template <int NV>
void microkernel(int64_t kp, const int32_t *__restrict ap, const int16_t *__restrict bp,
                 int32_t *sums, int64_t sumStride, bool accumulate) {
  VecI acc[kMR][NV];
#pragma clang loop unroll(full)
  for (int i = 0; i < kMR; ++i)
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; ++v)
      acc[i][v] = 0;
  for (int64_t p = 0; p < kp; ++p) {
    VecS b[NV];
#pragma clang loop unroll(full)
    for (int v = 0; v < NV; ++v)
      b[v] = loadVec<VecS>(bp + (p * kNR + v * kLanes) * 2);
#pragma clang loop unroll(full)
    for (int i = 0; i < kMR; ++i) {
      VecS a = (VecS)VecI(ap[p * kMR + i]);
#pragma clang loop unroll(full)
      for (int v = 0; v < NV; ++v)
        acc[i][v] = dotPairs(acc[i][v], a, b[v]);
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

template <bool HalfToEven> inline int64_t roundingShift(int64_t t, int64_t shift, int64_t half) {
  if (!HalfToEven)
    return (t + (t < 0 ? half - 1 : half)) >> shift;
  int64_t floor = t >> shift;
  int64_t remainder = t - (floor << shift);
  return floor + ((remainder > half) | ((remainder == half) & (floor & 1)));
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
constexpr int64_t kInputUnsigned = 1, kFilterUnsigned = 2, kResidualUnsigned = 4, kHalfToEven = 8;

// Rows of the output with their residual rows: what an epilogue writes.
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

// The filter minus its zero points, packed once: panels of MR rows, each
// [kp][MR] words of the int16 pair (k, k + 1) (zeros past K and past the
// last row). Rows are filters [f0, f0 + rows) of a [filters, k] matrix.
void packFilter(const uint8_t *w, int64_t rowStride, int64_t rows, int64_t k,
                const int32_t *zeroPoints, bool isUnsigned, int32_t *packed) {
  int64_t kp = (k + 1) / 2;
  for (int64_t p0 = 0; p0 < rows; p0 += kMR) {
    int32_t *dst = packed + p0 * kp;
    for (int64_t i = 0; i < kMR; ++i) {
      bool inside = p0 + i < rows;
      const uint8_t *src = w + (p0 + i) * rowStride;
      int16_t zero = inside ? int16_t(zeroPoints[p0 + i]) : 0;
      for (int64_t p = 0; p < kp; ++p) {
        int16_t lo = 0, hi = 0;
        if (inside) {
          lo = int16_t(valueAt(src + 2 * p, isUnsigned) - zero);
          if (2 * p + 1 < k)
            hi = int16_t(valueAt(src + 2 * p + 1, isUnsigned) - zero);
        }
        dst[p * kMR + i] = int32_t(uint32_t(uint16_t(lo)) | (uint32_t(uint16_t(hi)) << 16));
      }
    }
  }
}

int64_t packedFilterWords(int64_t rows, int64_t k) { return roundUp(rows, kMR) * ((k + 1) / 2); }

// A constant filter packed once per call site and kept in the model's slot
// (as the FP32 kernels do); racing first runs each pack, one copy wins.
const int32_t *packedConstantFilter(int64_t slotAddress, const uint8_t *w, int64_t rowStride,
                                    int64_t rows, int64_t k, const int32_t *zeroPoints,
                                    bool isUnsigned) {
  auto *slot = reinterpret_cast<const int32_t **>(slotAddress);
  if (const int32_t *packed = __atomic_load_n(slot, __ATOMIC_ACQUIRE))
    return packed;
  auto *packed = static_cast<int32_t *>(
      aligned_alloc(64, sizeof(int32_t) * (packedFilterWords(rows, k) + 16)));
  if (!packed)
    return nullptr;
  packFilter(w, rowStride, rows, k, zeroPoints, isUnsigned, packed);
  const int32_t *expected = nullptr;
  if (__atomic_compare_exchange_n(slot, &expected, packed, false, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE))
    return packed;
  free(packed);
  return expected;
}

// Vectors of NR values: one row of a micro-panel, as bytes and as int16;
// two rows interleaved are one K pair of it.
typedef uint8_t RowBytes __attribute__((ext_vector_type(kNR)));
typedef int8_t RowSignedBytes __attribute__((ext_vector_type(kNR)));
typedef uint8_t RowBytes2 __attribute__((ext_vector_type(2 * kNR)));
typedef int16_t RowValues __attribute__((ext_vector_type(kNR)));
typedef int16_t PairValues __attribute__((ext_vector_type(2 * kNR)));

template <size_t... I> RowBytes evenBytes(RowBytes2 v, std::index_sequence<I...>) {
  return __builtin_shufflevector(v, v, (2 * I)...);
}
template <size_t... I> PairValues interleave(RowValues a, RowValues b, std::index_sequence<I...>) {
  return __builtin_shufflevector(a, b, ((I % 2) ? kNR + I / 2 : I / 2)...);
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

  // Bp[panel][pair][NR][2] for rows [k0, k0 + kc) (k0 even) and columns
  // [n0, n0 + nc); rows past K and columns past nc are zeros.
  void pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, int16_t *bp) const {
    int64_t kp = (kc + 1) / 2, kEnd = minOf(k, k0 + kc);
    for (int64_t p0 = 0; p0 < nc; p0 += kNR) {
      int64_t cols = minOf(kNR, nc - p0);
      int16_t *dst = bp + p0 * kp * 2;
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
      if (fast) {
        int64_t runStart[kNR];
        for (int64_t i = 0; i < runs; ++i)
          runStart[i] = runRow[i] * rowStride + runCol[i];
        packPanelFast(k0, kEnd, kp, runs, runBegin, runStart, dst);
        continue;
      }
      for (int64_t p = 0; p < kp; ++p) {
        RowValues rows[2];
        for (int half = 0; half < 2; ++half) {
          int64_t row = k0 + 2 * p + half;
          rows[half] = 0;
          if (row >= kEnd)
            continue;
          int64_t c = row / (kernelH * kernelW), r = row / kernelW % kernelH, s = row % kernelW;
          int16_t values[kNR] = {};
          for (int64_t i = 0; i < runs; ++i)
            gatherRun(in + c * channelStride, runRow[i] + r * dilationH, runCol[i] + s * dilationW,
                      values + runBegin[i], runBegin[i + 1] - runBegin[i]);
          rows[half] = loadVec<RowValues>(values);
        }
        storeVec(dst + p * kNR * 2,
                 interleave(rows[0], rows[1], std::make_index_sequence<2 * kNR>()));
      }
    }
  }

  // One micro-panel with vector loads: rows [k0, kEnd) in kp pairs.
  void packPanelFast(int64_t k0, int64_t kEnd, int64_t kp, int64_t runs, const int64_t *runBegin,
                     const int64_t *runStart, int16_t *dst) const {
    auto row = [&](int64_t r, const uint8_t *base) -> RowValues {
      return r < kEnd ? gatherVector(base + tapOffsets[r]) : RowValues(0);
    };
    if (runs == 1) {
      const uint8_t *base = in + runStart[0];
      for (int64_t p = 0; p < kp; ++p)
        storeVec(dst + p * kNR * 2, interleave(row(k0 + 2 * p, base), row(k0 + 2 * p + 1, base),
                                               std::make_index_sequence<2 * kNR>()));
      return;
    }
    // Several runs: each run's NR values are stored from its start in
    // order (a later run overwrites the tail of the one before; what lies
    // past the panel's columns feeds sums that are never stored). Rows are
    // staged a chunk at a time and read back after the chunk, when the
    // overlapping stores have left the store buffer.
    constexpr int64_t kChunkPairs = 8;
    int16_t staged[2 * kChunkPairs][2 * kNR];
    for (int64_t p0 = 0; p0 < kp; p0 += kChunkPairs) {
      int64_t pairs = minOf(kChunkPairs, kp - p0);
      for (int64_t t = 0; t < 2 * pairs; ++t) {
        int64_t r = k0 + 2 * p0 + t;
        for (int64_t i = 0; i < runs; ++i)
          storeVec(staged[t] + runBegin[i], row(r, in + runStart[i]));
      }
      for (int64_t p = 0; p < pairs; ++p)
        storeVec(dst + (p0 + p) * kNR * 2, interleave(loadVec<RowValues>(staged[2 * p]),
                                                      loadVec<RowValues>(staged[2 * p + 1]),
                                                      std::make_index_sequence<2 * kNR>()));
    }
  }

  // src[j * strideW] - zero for j < NR (strides 1 and 2).
  RowValues gatherVector(const uint8_t *src) const {
    RowBytes bytes = strideW == 1
                         ? loadVec<RowBytes>(src)
                         : evenBytes(loadVec<RowBytes2>(src), std::make_index_sequence<kNR>());
    RowValues values = isUnsigned ? __builtin_convertvector(bytes, RowValues)
                                  : __builtin_convertvector((RowSignedBytes)bytes, RowValues);
    return values - zero;
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

// Scratch for one thread: a packed im2col block and the int32 sums of
// the rows it computes. Reused across calls from a lock-free pool.
struct Scratch {
  int16_t *packed;
  int32_t *sums;
};

constexpr int kPoolSlots = 16;
Scratch *scratchPool[kPoolSlots];

Scratch *acquireScratch() {
  for (Scratch *&slot : scratchPool)
    if (Scratch *s = __atomic_exchange_n(&slot, nullptr, __ATOMIC_ACQ_REL))
      return s;
  auto *s = static_cast<Scratch *>(malloc(sizeof(Scratch)));
  if (!s)
    __builtin_trap();
  s->packed = static_cast<int16_t *>(aligned_alloc(64, kPackBytes + 64 * kNR * 4));
  s->sums = static_cast<int32_t *>(aligned_alloc(64, kSumBytes + 64 * kMR * kNR * 4));
  if (!s->packed || !s->sums)
    __builtin_trap(); // out of memory for 400 KB: nothing sensible is left to do
  return s;
}

void releaseScratch(Scratch *s) {
  for (Scratch *&slot : scratchPool) {
    Scratch *empty = nullptr;
    if (__atomic_compare_exchange_n(&slot, &empty, s, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
      return;
  }
  free(s->packed);
  free(s->sums);
  free(s);
}

// One group's convolution as a GEMM: out[f, n] for filters [0, m), pixels
// [0, n), k = channels * kh * kw, with the filter prepacked.
struct ConvGemm {
  int64_t m, n, k;
  const int32_t *filter; // packFilter's layout for all m rows
  Im2Col im2col;
  Requant requant;
  OutputRows output;

  // Pixels per block: the packed block and the sums of all rows fit their
  // scratch buffers.
  int64_t blockColumns() const {
    int64_t byPack = kPackBytes / (minOf(k, kKC) + 1) / 2;
    int64_t bySums = kSumBytes / 4 / roundUp(m, kMR);
    int64_t nc = minOf(minOf(byPack, bySums), kMaxNC) / kNR * kNR;
    return minOf(maxOf(nc, kNR), roundUp(n, kNR));
  }

  // Rows [m0, m1) (multiples of MR but the last) of pixel block [n0, n0 + nc).
  void block(int64_t m0, int64_t m1, int64_t n0, int64_t nc, Scratch *scratch) const {
    int64_t kp = (k + 1) / 2;
    int64_t ncPadded = roundUp(nc, kNR);
    for (int64_t pc = 0; pc < k; pc += kKC) {
      int64_t kc = minOf(kKC, k - pc), kcp = (kc + 1) / 2;
      im2col.pack(pc, kc, n0, nc, scratch->packed);
      for (int64_t ic = m0; ic < m1; ic += kMC) {
        int64_t mc = minOf(kMC, m1 - ic);
        for (int64_t jr = 0; jr < nc; jr += kNR) {
          const int16_t *panel = scratch->packed + jr * kcp * 2;
          for (int64_t ir = 0; ir < mc; ir += kMR) {
            const int32_t *a = filter + (ic + ir) * kp + pc / 2 * kMR;
            int32_t *sums = scratch->sums + (ic + ir - m0) * ncPadded + jr;
            if (nc - jr <= kLanes)
              microkernel<1>(kcp, a, panel, sums, ncPadded, pc > 0);
            else
              microkernel<kNV>(kcp, a, panel, sums, ncPadded, pc > 0);
          }
        }
      }
    }
    requantizeRows(scratch->sums, ncPadded, m0, m1 - m0, n0, nc, requant, output);
  }
};

// Splits [0, size) into `parts` ranges aligned to `unit`; range `part`.
void splitRange(int64_t size, int64_t unit, int64_t part, int64_t parts, int64_t &begin,
                int64_t &end) {
  int64_t units = (size + unit - 1) / unit;
  begin = minOf(size, units * part / parts * unit);
  end = minOf(size, units * (part + 1) / parts * unit);
}

int threadsFor(double work, int64_t maxUseful) {
  if (work < kParallelWork || maxUseful < 2)
    return 1;
  return static_cast<int>(minOf(omp_get_max_threads(), maxUseful));
}

// The GEMM over all threads that pay off: blocks of pixels go to threads;
// with fewer blocks than threads, the filters are split too.
void runConvGemm(const ConvGemm &g) {
  if (g.m == 0 || g.n == 0)
    return;
  int64_t nc = g.blockColumns();
  int64_t blocks = (g.n + nc - 1) / nc;
  int64_t rowPanels = (g.m + kMR - 1) / kMR;
  int threads = threadsFor(double(g.m) * g.n * g.k, blocks * rowPanels);
  int64_t rowParts = blocks >= 2 * threads ? 1 : minOf(rowPanels, threads);
  int64_t items = blocks * rowParts;
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
  for (int64_t item = 0; item < items; ++item) {
    int64_t b = item / rowParts, part = item % rowParts;
    int64_t m0, m1;
    splitRange(g.m, kMR, part, rowParts, m0, m1);
    if (m0 >= m1)
      continue;
    Scratch *scratch = acquireScratch();
    g.block(m0, m1, b * nc, minOf(nc, g.n - b * nc), scratch);
    releaseScratch(scratch);
  }
}

// A depthwise plane: each output row sums the in-bounds taps of its
// windows in int32 (padding reads the zero point, a zero term), then
// takes the requantize of its channel.
void depthwisePlane(const Im2Col &s, int64_t outH, const uint8_t *x, const int16_t *taps,
                    int64_t channel, const Requant &q, const OutputRows &o) {
  constexpr int64_t kChunk = 256;
  int32_t acc[kChunk];
  int16_t row[kChunk * 4];
  for (int64_t oh = 0; oh < outH; ++oh)
    for (int64_t ow0 = 0; ow0 < s.outW; ow0 += kChunk) {
      int64_t count = minOf(kChunk, s.outW - ow0);
      for (int64_t j = 0; j < count; ++j)
        acc[j] = 0;
      for (int64_t kh = 0; kh < s.kernelH; ++kh) {
        int64_t ih = oh * s.strideH - s.padTop + kh * s.dilationH;
        if (ih < 0 || ih >= s.height)
          continue;
        for (int64_t kw = 0; kw < s.kernelW; ++kw) {
          int32_t tap = taps[kh * s.kernelW + kw];
          for (int64_t j = 0; j < count; ++j)
            row[j] = 0;
          s.gatherRun(x, ih, ow0 * s.strideW - s.padLeft + kw * s.dilationW, row, count);
          for (int64_t j = 0; j < count; ++j)
            acc[j] += tap * int32_t(row[j]);
        }
      }
      // Planes are dense: the row starts oh * outW into its channel's plane.
      requantizeRows(acc, 0, channel, 1, oh * s.outW + ow0, count, q, o);
    }
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
                     int64_t clampMin, int64_t clampMax, int64_t packedFilterSlot) {
  const auto *channelParams = reinterpret_cast<const int32_t *>(params);
  const int32_t *bias = channelParams, *multiplier = channelParams + filters,
                *shift = channelParams + 2 * filters, *filterZero = channelParams + 3 * filters,
                *residualMultiplier = channelParams + 4 * filters;
  const auto *input = reinterpret_cast<const uint8_t *>(in);
  const auto *weights = reinterpret_cast<const uint8_t *>(filter);
  auto *output = reinterpret_cast<uint8_t *>(out);
  const auto *residualBase = reinterpret_cast<const uint8_t *>(residual);
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
      OutputRows o{output + image * outBatchStride, outChannelStride,
                   residualBase ? residualBase + image * residualBatchStride : nullptr,
                   residualChannelStride, flags};
      const uint8_t *x = input + image * inBatchStride;
      int threads = threadsFor(double(channels) * outH * outW * taps, channels);
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
      for (int64_t c = 0; c < channels; ++c)
        depthwisePlane(geometry, outH, x + c * inChannelStride, packed + c * taps, c, q, o);
    }
    free(packed);
    return;
  }

  // Panels of a grouped filter would straddle groups: only one group
  // caches its packing; groups pack per call.
  const int32_t *cached = packedFilterSlot && groups == 1
                              ? packedConstantFilter(packedFilterSlot, weights, filterStride,
                                                     filters, k, filterZero, filterUnsigned)
                              : nullptr;
  auto *tapOffsets = static_cast<int64_t *>(malloc(sizeof(int64_t) * (k + 1)));
  if (!tapOffsets)
    __builtin_trap();
  int32_t *perCall = nullptr;
  if (!cached) {
    perCall = static_cast<int32_t *>(
        aligned_alloc(64, sizeof(int32_t) * (packedFilterWords(groupFilters, k) + 16)));
    if (!perCall)
      __builtin_trap();
  }
  for (int64_t g = 0; g < groups; ++g) {
    const int32_t *packed = cached;
    if (!packed) {
      packFilter(weights + g * groupFilters * filterStride, filterStride, groupFilters, k,
                 filterZero + g * groupFilters, filterUnsigned, perCall);
      packed = perCall;
    }
    int64_t f0 = g * groupFilters;
    Requant q{bias + f0,    multiplier + f0, shift + f0, residualMultiplier + f0,
              residualZero, outputZero,      clampMin,   clampMax};
    for (int64_t image = 0; image < batch; ++image) {
      Im2Col im2col = geometry;
      im2col.in = input + image * inBatchStride + g * groupChannels * inChannelStride;
      // Rows gather with vector loads where every window lies inside the
      // input, read as it is (stride 1, whole panels in one output row, so
      // no load passes the row's end) or copied with its borders and slack.
      uint8_t *copy = nullptr;
      if (inside && strideW == 1 && outW % kNR == 0)
        im2col.fast = true;
      else if (strideW <= 2)
        im2col = im2col.padded(groupChannels, outH, copy);
      if (im2col.fast) {
        im2col.fillTapOffsets(tapOffsets);
        im2col.tapOffsets = tapOffsets;
      }
      OutputRows o{output + image * outBatchStride + f0 * outChannelStride, outChannelStride,
                   residualBase
                       ? residualBase + image * residualBatchStride + f0 * residualChannelStride
                       : nullptr,
                   residualChannelStride, flags};
      runConvGemm(ConvGemm{groupFilters, outH * outW, k, packed, im2col, q, o});
      free(copy);
    }
  }
  free(perCall);
  free(tapOffsets);
}

} // extern "C"

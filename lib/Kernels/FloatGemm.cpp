//===- FloatGemm.cpp - packed FP32 GEMM and convolution kernels -----------===//
//
// A blocked GEMM in the usual three cache levels: a KC x NC panel of B is
// packed (from a matrix, or gathered im2col-style from a convolution's
// input), an MC x KC block of A is packed into row panels, and a register
// microkernel computes MR x NR tiles of C from one A and one B micro-panel.
// The B micro-panel stays in L1 while the loop runs down the A block.
//
// Built once per vector width QC_VECTOR_BYTES (64: AVX-512, 32: AVX2+FMA,
// 16: SSE2); the compiler links the variant its target machine can run.
// Threads come from the OpenMP runtime that compiled models already use.
//
//===----------------------------------------------------------------------===//
#include "Kernels/KernelSupport.h"
#include "Kernels/Microkernels.h"

#include <stdlib.h>
#include <string.h>

extern "C" int omp_get_thread_num(void);
extern "C" int omp_get_num_threads(void);

namespace {

using namespace qc_kernels;

#ifndef QC_VECTOR_BYTES
#error "QC_VECTOR_BYTES must be 16, 32 or 64"
#endif

constexpr int kLanes = QC_VECTOR_BYTES / 4;
typedef float VecF __attribute__((ext_vector_type(kLanes)));

// Register tile: MR rows of C by NV vectors. MR * NV accumulators plus NV
// loads of B and one broadcast of A fit the register file (32 zmm, 16 ymm
// or xmm).
#if defined(QC_TILE_MR) && defined(QC_TILE_NV)
constexpr int kMR = QC_TILE_MR, kNV = QC_TILE_NV; // for tuning experiments
#elif QC_VECTOR_BYTES == 64
constexpr int kMR = 12, kNV = 2;
#else
constexpr int kMR = 6, kNV = 2;
#endif
constexpr int kNR = kNV * kLanes;
// Cache blocking: a KC x NR micro-panel of B in L1, an MC x KC block of A
// in L2, a KC x NC panel of B in L2/L3.
constexpr int64_t kKC = 256;
constexpr int64_t kMC = kMR * 12;
constexpr int64_t kNC = kNR * 16;
// Below this many multiply-adds a call stays on the calling thread.
constexpr double kParallelWork = 1 << 18;

inline float *floats(int64_t address) { return reinterpret_cast<float *>(address); }

// Built with -fno-builtin, so that short copy loops stay loops instead of
// becoming calls of memcpy; fixed-size copies use the builtin directly.
inline VecF load(const float *p) {
  VecF v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float *p, VecF v) { __builtin_memcpy(p, &v, sizeof v); }
inline VecF multiplyAdd(VecF a, VecF b, VecF c) {
#if defined(__FMA__)
  return __builtin_elementwise_fma(a, b, c);
#else
  return a * b + c;
#endif
}

// What a fused convolution does with its finished sums: C = act(scale[row]
// * sum + shift[row] + residual[row, col]).
struct Epilogue {
  const float *scale, *shift;
  const float *residual; // null: none
  int64_t residualRowStride;
  int activation; // 0 none, 1 relu, 2 clip
  float clipMin, clipMax;
};

inline VecF activate(VecF v, const Epilogue &e) {
  if (e.activation == 1)
    return __builtin_elementwise_max(v, VecF(0.0f));
  if (e.activation == 2)
    return __builtin_elementwise_min(__builtin_elementwise_max(v, VecF(e.clipMin)),
                                     VecF(e.clipMax));
  return v;
}

inline float activate(float v, const Epilogue &e) {
  if (e.activation == 1)
    return v > 0.0f ? v : 0.0f;
  if (e.activation == 2)
    return v < e.clipMin ? e.clipMin : (v > e.clipMax ? e.clipMax : v);
  return v;
}

// How a microkernel stores its tile of sums over one block of K. Plain
// GEMMs accumulate into C. A fused op overwrites C on the first block,
// accumulates on later ones and applies its epilogue on the last.
struct TileStore {
  const Epilogue *epilogue = nullptr; // null: C += sums
  bool first = false, last = false;
  int64_t row0 = 0, col0 = 0; // the tile's place in C, for the epilogue
};

// C[rows x cols] (+)= Ap[kc x MR] * Bp[kc x NR], using the first NV
// vectors of each B row (a narrow last panel needs fewer). Packed panels are
// padded with zeros to full tiles, so only the store looks at rows and cols.
template <int NV>
void microkernel(int64_t kc, const float *__restrict ap, const float *__restrict bp, float *c,
                 int64_t cRowStride, int64_t cColStride, int64_t rows, int64_t cols,
                 const TileStore &how) {
  constexpr int kNV = NV;
  VecF acc[kMR][kNV];
#pragma clang loop unroll(full)
  for (int i = 0; i < kMR; ++i)
#pragma clang loop unroll(full)
    for (int v = 0; v < kNV; ++v)
      acc[i][v] = 0.0f;
  for (int64_t k = 0; k < kc; ++k) {
    VecF b[kNV];
#pragma clang loop unroll(full)
    for (int v = 0; v < kNV; ++v)
      b[v] = load(bp + k * kNR + v * kLanes);
#pragma clang loop unroll(full)
    for (int i = 0; i < kMR; ++i) {
      VecF a = ap[k * kMR + i];
#pragma clang loop unroll(full)
      for (int v = 0; v < kNV; ++v)
        acc[i][v] = multiplyAdd(a, b[v], acc[i][v]);
    }
  }
  const Epilogue *e = how.epilogue;
  bool accumulate = !e || !how.first;
  if (rows == kMR && cols == kNV * kLanes && cColStride == 1) {
    if (e && how.last) {
      const float *residual =
          e->residual ? e->residual + how.row0 * e->residualRowStride + how.col0 : nullptr;
#pragma clang loop unroll(full)
      for (int i = 0; i < kMR; ++i) {
        VecF scale = e->scale[how.row0 + i], shift = e->shift[how.row0 + i];
#pragma clang loop unroll(full)
        for (int v = 0; v < kNV; ++v) {
          float *p = c + i * cRowStride + v * kLanes;
          VecF sum = accumulate ? load(p) + acc[i][v] : acc[i][v];
          VecF y = multiplyAdd(sum, scale, shift);
          if (residual)
            y += load(residual + i * e->residualRowStride + v * kLanes);
          store(p, activate(y, *e));
        }
      }
      return;
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < kMR; ++i)
#pragma clang loop unroll(full)
      for (int v = 0; v < kNV; ++v) {
        float *p = c + i * cRowStride + v * kLanes;
        store(p, accumulate ? load(p) + acc[i][v] : acc[i][v]);
      }
    return;
  }
  float tile[kMR][kNR];
  for (int i = 0; i < kMR; ++i)
    for (int v = 0; v < kNV; ++v)
      store(&tile[i][v * kLanes], acc[i][v]);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      float &out = c[i * cRowStride + j * cColStride];
      float sum = accumulate ? out + tile[i][j] : tile[i][j];
      if (e && how.last) {
        int64_t row = how.row0 + i, col = how.col0 + j;
        sum = sum * e->scale[row] + e->shift[row];
        if (e->residual)
          sum += e->residual[row * e->residualRowStride + col];
        sum = activate(sum, *e);
      }
      out = sum;
    }
}

// Ap[panel][k][i] for panels of MR rows of A[mc x kc].
void packA(const float *a, int64_t rowStride, int64_t colStride, int64_t mc, int64_t kc,
           float *ap) {
  for (int64_t p0 = 0; p0 < mc; p0 += kMR) {
    int64_t rows = minOf(kMR, mc - p0);
    float *dst = ap + p0 * kc;
    for (int64_t i = 0; i < rows; ++i) {
      const float *src = a + (p0 + i) * rowStride;
      for (int64_t k = 0; k < kc; ++k)
        dst[k * kMR + i] = src[k * colStride];
    }
    for (int64_t i = rows; i < kMR; ++i)
      for (int64_t k = 0; k < kc; ++k)
        dst[k * kMR + i] = 0.0f;
  }
}

// B as a strided matrix.
struct MatrixB {
  const float *b;
  int64_t rowStride, colStride;

  // Bp[panel][k][j] for panels of NR columns of B[k0 : k0+kc, n0 : n0+nc].
  void pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, float *bp) const {
    for (int64_t p0 = 0; p0 < nc; p0 += kNR) {
      int64_t cols = minOf(kNR, nc - p0);
      float *dst = bp + p0 * kc;
      const float *src = b + k0 * rowStride + (n0 + p0) * colStride;
      if (cols == kNR && colStride == 1) {
        for (int64_t k = 0; k < kc; ++k)
          __builtin_memcpy(dst + k * kNR, src + k * rowStride, sizeof(float) * kNR);
        continue;
      }
      for (int64_t k = 0; k < kc; ++k) {
        for (int64_t j = 0; j < cols; ++j)
          dst[k * kNR + j] = src[k * rowStride + j * colStride];
        for (int64_t j = cols; j < kNR; ++j)
          dst[k * kNR + j] = 0.0f;
      }
    }
  }
};

// B as the im2col matrix of an NCHW input: row k = (c, kh, kw), column
// n = (oh, ow), zero where the window reads padding. Gathered straight
// into packed panels.
struct Im2ColB {
  const float *in;
  int64_t channelStride, rowStride, height, width;
  int64_t kernelH, kernelW, outW, strideH, strideW, dilationH, dilationW, padTop, padLeft;

  void pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, float *bp) const {
    for (int64_t p0 = 0; p0 < nc; p0 += kNR) {
      int64_t cols = minOf(kNR, nc - p0);
      float *dst = bp + p0 * kc;
      // The panel's columns as runs within one output row: run i covers
      // columns [runBegin[i], runBegin[i + 1]) of output row runRow[i],
      // starting at output column runCol[i].
      int64_t runBegin[kNR + 1], runRow[kNR], runCol[kNR], runs = 0;
      for (int64_t j = 0; j < cols;) {
        int64_t n = n0 + p0 + j, oh = n / outW, ow = n % outW;
        int64_t length = minOf(cols - j, outW - ow);
        runBegin[runs] = j;
        runRow[runs] = oh * strideH - padTop;
        runCol[runs] = ow * strideW - padLeft;
        ++runs;
        j += length;
      }
      runBegin[runs] = cols;
      int64_t c = k0 / (kernelH * kernelW), r = k0 / kernelW % kernelH, s = k0 % kernelW;
      for (int64_t k = 0; k < kc; ++k) {
        const float *plane = in + c * channelStride;
        float *row = dst + k * kNR;
        for (int64_t i = 0; i < runs; ++i)
          packRun(plane, runRow[i] + r * dilationH, runCol[i] + s * dilationW, row + runBegin[i],
                  runBegin[i + 1] - runBegin[i]);
        for (int64_t j = cols; j < kNR; ++j)
          row[j] = 0.0f;
        if (++s == kernelW) {
          s = 0;
          if (++r == kernelH) {
            r = 0;
            ++c;
          }
        }
      }
    }
  }

  // dst[j] = plane[ih, iw + j * strideW] for j < length, zero outside the
  // input: a copy of the part inside, zeros around it.
  void packRun(const float *plane, int64_t ih, int64_t iw, float *dst, int64_t length) const {
    if (ih < 0 || ih >= height) {
      for (int64_t j = 0; j < length; ++j)
        dst[j] = 0.0f;
      return;
    }
    // Inside for j in [lo, hi): 0 <= iw + j * strideW < width.
    int64_t lo = minOf(length, iw >= 0 ? 0 : (-iw + strideW - 1) / strideW);
    int64_t hi = iw >= width ? 0 : minOf(length, (width - iw + strideW - 1) / strideW);
    if (hi < lo)
      hi = lo;
    for (int64_t j = 0; j < lo; ++j)
      dst[j] = 0.0f;
    const float *src = plane + ih * rowStride + iw;
    if (strideW == 1) {
      // Runs are short (at most NR): whole vectors, then single floats,
      // rather than a call of memcpy.
      int64_t j = lo;
      for (; j + kLanes <= hi; j += kLanes)
        store(dst + j, load(src + j));
      for (; j < hi; ++j)
        dst[j] = src[j];
    } else
      for (int64_t j = lo; j < hi; ++j)
        dst[j] = src[j * strideW];
    for (int64_t j = hi; j < length; ++j)
      dst[j] = 0.0f;
  }
};

// Per-thread packing buffers: a block of A (first) and a panel of B
// (second).
using PackBuffers = ScratchPair;
using PackPool = ScratchPool<sizeof(float) * kMC * kKC, sizeof(float) * kNC * kKC>;
inline float *aBlock(PackBuffers *buffers) { return static_cast<float *>(buffers->first); }
inline float *bPanel(PackBuffers *buffers) { return static_cast<float *>(buffers->second); }

// A constant A (a model's weights) packed once into MR-row panels over all
// of K, kept in a slot the compiled model owns (one per call site) and
// reused by every later run. Racing first runs each pack; one copy wins.
const float *packedConstantA(int64_t slotAddress, const float *a, int64_t rowStride,
                             int64_t colStride, int64_t m, int64_t k) {
  auto *slot = reinterpret_cast<const float **>(slotAddress);
  if (const float *packed = __atomic_load_n(slot, __ATOMIC_ACQUIRE))
    return packed;
  int64_t panels = (m + kMR - 1) / kMR;
  auto *packed = static_cast<float *>(aligned_alloc(64, sizeof(float) * (panels * kMR * k + 16)));
  if (!packed)
    return nullptr;
  packA(a, rowStride, colStride, m, k, packed);
  const float *expected = nullptr;
  if (__atomic_compare_exchange_n(slot, &expected, packed, false, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE))
    return packed;
  free(packed);
  return expected;
}

// C[m0:m1, jc:jc+nc] (+)= A[m0:m1, pc:pc+kc] * Bp for a packed block Bp of
// B; A is packed into `ap` block by block unless it comes prepacked.
void multiplyPackedBlock(int64_t m0, int64_t m1, int64_t jc, int64_t nc, int64_t pc, int64_t kc,
                         int64_t k, const float *a, int64_t aRowStride, int64_t aColStride,
                         const float *bp, float *ap, float *c, int64_t cRowStride,
                         int64_t cColStride, const Epilogue *epilogue, const float *packedA) {
  for (int64_t ic = m0; ic < m1; ic += kMC) {
    int64_t mc = minOf(kMC, m1 - ic);
    if (!packedA)
      packA(a + ic * aRowStride + pc * aColStride, aRowStride, aColStride, mc, kc, ap);
    for (int64_t jr = 0; jr < nc; jr += kNR)
      for (int64_t ir = 0; ir < mc; ir += kMR) {
        TileStore how{epilogue, pc == 0, pc + kc == k, ic + ir, jc + jr};
        // A prepacked whole: row panel (ic + ir) / MR, columns from pc.
        const float *panel = packedA ? packedA + (ic + ir) * k + pc * kMR : ap + ir * kc;
        int64_t rows = minOf(kMR, mc - ir), cols = minOf(kNR, nc - jr);
        float *tile = c + (ic + ir) * cRowStride + (jc + jr) * cColStride;
        if (cols <= kLanes)
          microkernel<1>(kc, panel, bp + jr * kc, tile, cRowStride, cColStride, rows, cols, how);
        else
          microkernel<kNV>(kc, panel, bp + jr * kc, tile, cRowStride, cColStride, rows, cols, how);
      }
  }
}

// C[m0:m1, n0:n1] (+)= A[m0:m1, :] * B[:, n0:n1] on the calling thread.
template <typename PackB>
void gemmBlock(int64_t m0, int64_t m1, int64_t n0, int64_t n1, int64_t k, const float *a,
               int64_t aRowStride, int64_t aColStride, const PackB &b, float *c, int64_t cRowStride,
               int64_t cColStride, const Epilogue *epilogue = nullptr,
               const float *packedA = nullptr) {
  if (m0 >= m1 || n0 >= n1 || k == 0)
    return;
  PackBuffers *buffers = PackPool::acquire();
  for (int64_t jc = n0; jc < n1; jc += kNC) {
    int64_t nc = minOf(kNC, n1 - jc);
    for (int64_t pc = 0; pc < k; pc += kKC) {
      int64_t kc = minOf(kKC, k - pc);
      b.pack(pc, kc, jc, nc, bPanel(buffers));
      multiplyPackedBlock(m0, m1, jc, nc, pc, kc, k, a, aRowStride, aColStride, bPanel(buffers),
                          aBlock(buffers), c, cRowStride, cColStride, epilogue, packedA);
    }
  }
  PackPool::release(buffers);
}

// One thread's part of a GEMM split along M, called by every thread of a
// parallel region: the threads pack each block of B together into `shared`,
// then each multiplies its rows by all of it (instead of each packing all
// of B).
template <typename PackB>
void gemmRowsSharedB(int part, int parts, int64_t m, int64_t n, int64_t k, const float *a,
                     int64_t aRowStride, int64_t aColStride, const PackB &b, float *c,
                     int64_t cRowStride, int64_t cColStride, const Epilogue *epilogue,
                     const float *packedA, float *shared);

// The shared thread policy at this file's threshold.
int threadsFor(double work, int64_t maxUseful) {
  return qc_kernels::threadsFor(work, kParallelWork, maxUseful);
}

// C += A * B over all threads that pay off: the threads split N when it is
// wide enough to give each whole NC panels, M otherwise.
template <typename PackB>
void gemm(int64_t m, int64_t n, int64_t k, const float *a, int64_t aRowStride, int64_t aColStride,
          const PackB &b, float *c, int64_t cRowStride, int64_t cColStride,
          const Epilogue *epilogue = nullptr, const float *packedA = nullptr) {
  if (m == 0 || n == 0)
    return;
  if (k == 0) {
    // No terms: C stays as it is, or takes the epilogue of zero sums.
    if (epilogue)
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          float y = epilogue->shift[i];
          if (epilogue->residual)
            y += epilogue->residual[i * epilogue->residualRowStride + j];
          c[i * cRowStride + j * cColStride] = activate(y, *epilogue);
        }
    return;
  }
  bool splitN = n >= 2 * kNC || m < 2 * kMR;
  int64_t maxUseful = splitN ? (n + kNR - 1) / kNR : (m + kMR - 1) / kMR;
  int threads = threadsFor(double(m) * n * k, maxUseful);
  if (threads == 1) {
    gemmBlock(0, m, 0, n, k, a, aRowStride, aColStride, b, c, cRowStride, cColStride, epilogue,
              packedA);
    return;
  }
  PackBuffers *shared = splitN ? nullptr : PackPool::acquire();
#pragma omp parallel num_threads(threads)
  {
    int part = omp_get_thread_num(), parts = omp_get_num_threads();
    if (splitN) {
      int64_t begin, end;
      splitRange(n, kNR, part, parts, begin, end);
      gemmBlock(0, m, begin, end, k, a, aRowStride, aColStride, b, c, cRowStride, cColStride,
                epilogue, packedA);
    } else {
      gemmRowsSharedB(part, parts, m, n, k, a, aRowStride, aColStride, b, c, cRowStride, cColStride,
                      epilogue, packedA, bPanel(shared));
    }
  }
  if (shared)
    PackPool::release(shared);
}

template <typename PackB>
void gemmRowsSharedB(int part, int parts, int64_t m, int64_t n, int64_t k, const float *a,
                     int64_t aRowStride, int64_t aColStride, const PackB &b, float *c,
                     int64_t cRowStride, int64_t cColStride, const Epilogue *epilogue,
                     const float *packedA, float *shared) {
  int64_t m0, m1;
  splitRange(m, kMR, part, parts, m0, m1);
  PackBuffers *own = packedA ? nullptr : PackPool::acquire();
  // Every thread runs the same blocks, so the barriers pair up.
  for (int64_t jc = 0; jc < n; jc += kNC) {
    int64_t nc = minOf(kNC, n - jc);
    int64_t panels = (nc + kNR - 1) / kNR, p0, p1;
    splitRange(panels, 1, part, parts, p0, p1);
    for (int64_t pc = 0; pc < k; pc += kKC) {
      int64_t kc = minOf(kKC, k - pc);
#pragma omp barrier
      if (p0 < p1)
        b.pack(pc, kc, jc + p0 * kNR, minOf(nc, p1 * kNR) - p0 * kNR, shared + p0 * kNR * kc);
#pragma omp barrier
      if (m0 < m1)
        multiplyPackedBlock(m0, m1, jc, nc, pc, kc, k, a, aRowStride, aColStride, shared,
                            own ? aBlock(own) : nullptr, c, cRowStride, cColStride, epilogue,
                            packedA);
    }
  }
  if (own)
    PackPool::release(own);
}

// The window geometry of a convolution.
struct ConvShape {
  int64_t height, width, kernelH, kernelW, outH, outW, strideH, strideW, dilationH, dilationW,
      padTop, padLeft, inRowStride;
};

// A depthwise convolution, channel by channel: each channel's plane is
// copied once with zero borders and split into strideW column phases, so
// that every tap of a strided window row is a contiguous run (padded
// column ow * strideW + t lies in phase t % strideW at ow + t / strideW);
// the whole output plane then accumulates tap by tap and takes the
// epilogue.
struct Depthwise {
  const ConvShape &s;
  int64_t paddedH, phaseW;

  explicit Depthwise(const ConvShape &s) : s(s) {
    paddedH = (s.outH - 1) * s.strideH + (s.kernelH - 1) * s.dilationH + 1;
    int64_t paddedW = (s.outW - 1) * s.strideW + (s.kernelW - 1) * s.dilationW + 1;
    phaseW = (paddedW + s.strideW - 1) / s.strideW;
  }
  // Floats of a thread's scratch: the phases, one padded row, the plane's sums.
  int64_t phaseFloats() const { return s.strideW * (paddedH + 1) * phaseW; }
  int64_t scratchFloats() const { return phaseFloats() + s.outH * s.outW + 16; }

  void channel(const float *x, const float *w, float *y, const float *residual, float scale,
               float shift, const Epilogue &e, float *scratch) const {
    int64_t sW = s.strideW, phaseSize = paddedH * phaseW, rowW = sW * phaseW;
    float *row = scratch + sW * phaseSize, *acc = scratch + phaseFloats();
    // Columns [lo, hi) of a padded row read the input at w - padLeft.
    int64_t lo = minOf(s.padLeft, rowW), hi = minOf(rowW, s.padLeft + s.width);
    if (hi < lo)
      hi = lo;
    for (int64_t h = 0; h < paddedH; ++h) {
      int64_t ih = h - s.padTop;
      float *dst = sW == 1 ? scratch + h * phaseW : row;
      if (ih < 0 || ih >= s.height) {
        for (int64_t j = 0; j < rowW; ++j)
          dst[j] = 0.0f;
      } else {
        const float *src = x + ih * s.inRowStride - s.padLeft;
        for (int64_t j = 0; j < lo; ++j)
          dst[j] = 0.0f;
        for (int64_t j = lo; j < hi; ++j)
          dst[j] = src[j];
        for (int64_t j = hi; j < rowW; ++j)
          dst[j] = 0.0f;
      }
      if (sW > 1)
        for (int64_t phase = 0; phase < sW; ++phase)
          for (int64_t j = 0; j < phaseW; ++j)
            scratch[phase * phaseSize + h * phaseW + j] = row[j * sW + phase];
    }
    int64_t plane = s.outH * s.outW;
    for (int64_t j = 0; j < plane; ++j)
      acc[j] = 0.0f;
    for (int64_t kh = 0; kh < s.kernelH; ++kh)
      for (int64_t kw = 0, t = 0; kw < s.kernelW; ++kw, t += s.dilationW) {
        float tap = w[kh * s.kernelW + kw];
        const float *tapStart = scratch + (t % sW) * phaseSize + kh * s.dilationH * phaseW + t / sW;
        for (int64_t oh = 0; oh < s.outH; ++oh) {
          const float *src = tapStart + oh * s.strideH * phaseW;
          float *sum = acc + oh * s.outW;
          for (int64_t j = 0; j < s.outW; ++j)
            sum[j] += tap * src[j];
        }
      }
    for (int64_t j = 0; j < plane; ++j) {
      float v = acc[j] * scale + shift;
      if (residual)
        v += residual[j];
      y[j] = activate(v, e);
    }
  }
};

void depthwiseConv(const ConvShape &s, int64_t channels, const float *x, int64_t inChannelStride,
                   const float *w, int64_t filterStride, float *y, int64_t outChannelStride,
                   const Epilogue &e) {
  Depthwise depthwise(s);
  double work = double(channels) * s.outH * s.outW * s.kernelH * s.kernelW;
  int threads = threadsFor(work, channels);
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    // One padded plane per thread, reused channel after channel.
    auto *scratch = static_cast<float *>(malloc(sizeof(float) * depthwise.scratchFloats()));
    if (!scratch)
      __builtin_trap();
#pragma omp for schedule(static)
    for (int64_t c = 0; c < channels; ++c)
      depthwise.channel(x + c * inChannelStride, w + c * filterStride, y + c * outChannelStride,
                        e.residual ? e.residual + c * e.residualRowStride : nullptr, e.scale[c],
                        e.shift[c], e, scratch);
    free(scratch);
  }
}

} // namespace

extern "C" {

void qc_uk_matmul_f32(int64_t m, int64_t n, int64_t k, int64_t a, int64_t aRowStride,
                      int64_t aColStride, int64_t b, int64_t bRowStride, int64_t bColStride,
                      int64_t c, int64_t cRowStride, int64_t cColStride) {
  gemm(m, n, k, floats(a), aRowStride, aColStride, MatrixB{floats(b), bRowStride, bColStride},
       floats(c), cRowStride, cColStride);
}

void qc_uk_batch_matmul_f32(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t a,
                            int64_t aBatchStride, int64_t aRowStride, int64_t aColStride, int64_t b,
                            int64_t bBatchStride, int64_t bRowStride, int64_t bColStride, int64_t c,
                            int64_t cBatchStride, int64_t cRowStride, int64_t cColStride) {
  const float *as = floats(a), *bs = floats(b);
  float *cs = floats(c);
  double work = double(m) * n * k;
  // Many small products (attention heads): one thread per product.
  if (batch > 1 && work < 4 * kParallelWork) {
    int threads = threadsFor(work * batch, batch);
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
    for (int64_t i = 0; i < batch; ++i)
      gemmBlock(0, m, 0, n, k, as + i * aBatchStride, aRowStride, aColStride,
                MatrixB{bs + i * bBatchStride, bRowStride, bColStride}, cs + i * cBatchStride,
                cRowStride, cColStride);
    return;
  }
  for (int64_t i = 0; i < batch; ++i)
    gemm(m, n, k, as + i * aBatchStride, aRowStride, aColStride,
         MatrixB{bs + i * bBatchStride, bRowStride, bColStride}, cs + i * cBatchStride, cRowStride,
         cColStride);
}

void qc_uk_conv2d_f32(int64_t batch, int64_t channels, int64_t height, int64_t width,
                      int64_t filters, int64_t kernelH, int64_t kernelW, int64_t outH, int64_t outW,
                      int64_t strideH, int64_t strideW, int64_t dilationH, int64_t dilationW,
                      int64_t padTop, int64_t padLeft, int64_t in, int64_t inBatchStride,
                      int64_t inChannelStride, int64_t inRowStride, int64_t filter,
                      int64_t filterStride, int64_t scale, int64_t shift, int64_t residual,
                      int64_t residualBatchStride, int64_t residualChannelStride, int64_t out,
                      int64_t outBatchStride, int64_t outChannelStride, int64_t groups,
                      int64_t activation, float clipMin, float clipMax, int64_t packedFilterSlot) {
  ConvShape shape{height,  width,     kernelH,   kernelW, outH,    outW,       strideH,
                  strideW, dilationH, dilationW, padTop,  padLeft, inRowStride};
  int64_t groupChannels = channels / groups, groupFilters = filters / groups;
  if (groups > 1 && groupChannels == 1 && groupFilters == 1) {
    for (int64_t image = 0; image < batch; ++image) {
      Epilogue epilogue{floats(scale),
                        floats(shift),
                        residual ? floats(residual) + image * residualBatchStride : nullptr,
                        residualChannelStride,
                        static_cast<int>(activation),
                        clipMin,
                        clipMax};
      depthwiseConv(shape, channels, floats(in) + image * inBatchStride, inChannelStride,
                    floats(filter), filterStride, floats(out) + image * outBatchStride,
                    outChannelStride, epilogue);
    }
    return;
  }
  // Per image and group: out[f, (oh, ow)] =
  //   epilogue(filter[f, (c, kh, kw)] * im2col[(c, kh, kw), (oh, ow)]).
  int64_t k = groupChannels * kernelH * kernelW, n = outH * outW;
  // A 1x1 stride-1 window without padding reads the input planes as they are.
  bool pointwise = kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0 &&
                   padLeft == 0 && height == outH && width == outW && inRowStride == outW;
  // Panels of a grouped filter could straddle groups: only one group caches.
  const float *packedFilter =
      packedFilterSlot && k > 0 && groups == 1
          ? packedConstantA(packedFilterSlot, floats(filter), filterStride, 1, filters, k)
          : nullptr;
  for (int64_t image = 0; image < batch; ++image)
    for (int64_t g = 0; g < groups; ++g) {
      const float *x = floats(in) + image * inBatchStride + g * groupChannels * inChannelStride;
      float *y = floats(out) + image * outBatchStride + g * groupFilters * outChannelStride;
      const float *w = floats(filter) + g * groupFilters * filterStride;
      Epilogue epilogue{floats(scale) + g * groupFilters,
                        floats(shift) + g * groupFilters,
                        residual ? floats(residual) + image * residualBatchStride +
                                       g * groupFilters * residualChannelStride
                                 : nullptr,
                        residualChannelStride,
                        static_cast<int>(activation),
                        clipMin,
                        clipMax};
      if (pointwise)
        gemm(groupFilters, n, k, w, filterStride, 1, MatrixB{x, inChannelStride, 1}, y,
             outChannelStride, 1, &epilogue, packedFilter);
      else
        gemm(groupFilters, n, k, w, filterStride, 1,
             Im2ColB{x, inChannelStride, inRowStride, height, width, kernelH, kernelW, outW,
                     strideH, strideW, dilationH, dilationW, padTop, padLeft},
             y, outChannelStride, 1, &epilogue, packedFilter);
    }
}

} // extern "C"

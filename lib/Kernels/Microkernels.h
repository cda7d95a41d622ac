//===- Microkernels.h - the kernels compiled models call ----------*- C -*-===//
//
// quantc lowers the heavy linalg ops (f32 matmul, batch_matmul and NCHW
// convolution) to calls of these functions (pass qc-linalg-to-microkernels).
// Their source is compiled to LLVM bitcode once per vector width at build
// time and linked into every model's LLVM module, so artifacts need no
// extra library.
//
// Every argument is a 64-bit integer (MLIR's `index`): sizes, strides in
// elements, and buffer addresses already offset to the first element. All
// ops accumulate: C += A * B, as linalg's named ops do on their outputs.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_KERNELS_MICROKERNELS_H
#define QUANTC_KERNELS_MICROKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// C[m, n] += A[m, k] * B[k, n]; A and B with any strides.
void qc_uk_matmul_f32(int64_t m, int64_t n, int64_t k, int64_t a, int64_t aRowStride,
                      int64_t aColStride, int64_t b, int64_t bRowStride, int64_t bColStride,
                      int64_t c, int64_t cRowStride, int64_t cColStride);

// The same for each of `batch` matrices.
void qc_uk_batch_matmul_f32(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t a,
                            int64_t aBatchStride, int64_t aRowStride, int64_t aColStride,
                            int64_t b, int64_t bBatchStride, int64_t bRowStride,
                            int64_t bColStride, int64_t c, int64_t cBatchStride,
                            int64_t cRowStride, int64_t cColStride);

// out[n, f, oh, ow] += sum over c, kh, kw of
//   in[n, c, oh * strideH + kh * dilationH, ow * strideW + kw * dilationW]
//   * filter[f, c, kh, kw]
// on an input that is already padded. The input's rows are contiguous
// (unit column stride), the filter is dense in c, kh, kw (row stride
// filterStride), and each output channel plane is dense (oh * ow elements).
void qc_uk_conv2d_nchw_f32(int64_t batch, int64_t channels, int64_t filters, int64_t kernelH,
                           int64_t kernelW, int64_t outH, int64_t outW, int64_t strideH,
                           int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t in,
                           int64_t inBatchStride, int64_t inChannelStride, int64_t inRowStride,
                           int64_t filter, int64_t filterStride, int64_t out,
                           int64_t outBatchStride, int64_t outChannelStride);

#ifdef __cplusplus
}
#endif

#endif

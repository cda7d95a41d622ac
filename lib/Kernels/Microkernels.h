//===- Microkernels.h - the kernels compiled models call ----------*- C -*-===//
//
// quantc lowers the heavy ops (f32 linalg.matmul and batch_matmul,
// qck.conv2d and qck.qconv2d) to calls of these functions (pass
// qc-linalg-to-microkernels). Their source is compiled to LLVM bitcode once per vector width at build
// time and linked into every model's LLVM module, so artifacts need no
// extra library.
//
// Arguments are 64-bit integers (MLIR's `index`): sizes, strides in
// elements, and buffer addresses already offset to the first element; only
// clip bounds are floats. The matmuls accumulate, C += A * B, as linalg's
// named ops do on their outputs.
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

// A convolution with its epilogue (qck.conv2d), per image n:
//   out[n, f, oh, ow] = act(scale[f] * acc + shift[f] + residual[n, f, oh, ow])
//   acc = sum over c, kh, kw of filter[f, c, kh, kw] *
//         in[n, c, oh * strideH - padTop + kh * dilationH,
//                  ow * strideW - padLeft + kw * dilationW]
// with zeros outside the height x width input. With groups > 1, filter f
// sees only the channels / groups input channels of its group (the filter
// is [filters, channels / groups, kh, kw]); depthwise when every channel
// is a group. The input's rows are contiguous (unit column stride), the
// filter is dense in c, kh, kw (row stride filterStride), each output and
// residual channel plane is dense (outH * outW). residual 0: none.
// activation: 0 none, 1 relu, 2 clip to [clipMin, clipMax]. out is only
// written. packedFilterSlot, when not 0, is the address of a pointer-sized
// slot, zero at first, where the kernel keeps the filter packed for its
// microkernel after the first call: only for filters that never change (a
// model's constant weights).
void qc_uk_conv2d_f32(int64_t batch, int64_t channels, int64_t height, int64_t width,
                      int64_t filters, int64_t kernelH, int64_t kernelW, int64_t outH,
                      int64_t outW, int64_t strideH, int64_t strideW, int64_t dilationH,
                      int64_t dilationW, int64_t padTop, int64_t padLeft, int64_t in,
                      int64_t inBatchStride, int64_t inChannelStride, int64_t inRowStride,
                      int64_t filter, int64_t filterStride, int64_t scale, int64_t shift,
                      int64_t residual, int64_t residualBatchStride,
                      int64_t residualChannelStride, int64_t out, int64_t outBatchStride,
                      int64_t outChannelStride, int64_t groups, int64_t activation,
                      float clipMin, float clipMax, int64_t packedFilterSlot);

// An 8-bit convolution requantized to 8 bits (qck.qconv2d), per image n:
//   acc = sum over c, kh, kw of (filter[f, c, kh, kw] - filterZero[f]) *
//         (in[n, c, ih, iw] - inputZero), with in = inputZero outside
//   t = int32(acc + bias[f]) * multiplier[f]
//     + (residual[n, f, oh, ow] - residualZero) * residualMultiplier[f]
//   out[n, f, oh, ow] = clamp(round(t / 2^shift[f]) + outputZero,
//                             clampMin, clampMax)
// in 64-bit integers; the window geometry, groups and strides are
// qc_uk_conv2d_f32's. params is int32 [5, filters]: the rows bias,
// multiplier, shift, filterZero, residualMultiplier. flags: 1 input is
// uint8 (else int8), 2 filter uint8, 4 residual uint8, 8 round half to
// even (else half away from zero), 16 no requantize: out holds the int32
// acc + bias (the rest of the parameters unused). out holds 8-bit values
// otherwise; it is only written.
// residual 0: none. The input's values are known to lie in [inputMin,
// inputMax] (its type's range when nothing more is known); a narrower
// range lets the kernel use its denser exact format. packedFilterSlot as
// for qc_uk_conv2d_f32.
void qc_uk_conv2d_i8(int64_t batch, int64_t channels, int64_t height, int64_t width,
                     int64_t filters, int64_t kernelH, int64_t kernelW, int64_t outH,
                     int64_t outW, int64_t strideH, int64_t strideW, int64_t dilationH,
                     int64_t dilationW, int64_t padTop, int64_t padLeft, int64_t in,
                     int64_t inBatchStride, int64_t inChannelStride, int64_t inRowStride,
                     int64_t filter, int64_t filterStride, int64_t params, int64_t residual,
                     int64_t residualBatchStride, int64_t residualChannelStride, int64_t out,
                     int64_t outBatchStride, int64_t outChannelStride, int64_t groups,
                     int64_t flags, int64_t inputZero, int64_t residualZero, int64_t outputZero,
                     int64_t clampMin, int64_t clampMax, int64_t inputMin, int64_t inputMax,
                     int64_t packedFilterSlot);

// C[b, m, n] += A[b, m, k] * B[b, k, n] for each of `batch` products, in
// int32 (wrapping) from 8-bit A and B with any strides (in elements).
// flags: 1 A is uint8 (else int8), 2 B is uint8. packedBSlot: as for
// the convolutions, for a B that never changes and is shared by the batch
// (bBatchStride 0); 0 otherwise.
void qc_uk_matmul_i8(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t a,
                     int64_t aBatchStride, int64_t aRowStride, int64_t aColStride, int64_t b,
                     int64_t bBatchStride, int64_t bRowStride, int64_t bColStride, int64_t c,
                     int64_t cBatchStride, int64_t cRowStride, int64_t cColStride, int64_t flags,
                     int64_t packedBSlot);

// Profiled models (qc-profile-layers): a monotonic clock in nanoseconds,
// and the time since `start` added to a layer's row of the profile table
// (lib/Runtime/ProfileTable.h: kind, macs, nanoseconds, calls).
int64_t qc_uk_profile_now(void);
void qc_uk_profile_add(int64_t row, int64_t start);

#ifdef __cplusplus
}
#endif

#endif

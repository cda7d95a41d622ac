//===- KernelSupport.h - helpers shared by the microkernels -----*- C++ -*-===//
//
// Small integer helpers and the thread policy both GEMM families use
// (FloatGemm.cpp, IntegerConv.cpp). Compiled into each kernel source;
// everything is inline.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_KERNELS_KERNELSUPPORT_H
#define QUANTC_KERNELS_KERNELSUPPORT_H

#include <stdint.h>

extern "C" int omp_get_max_threads(void);

namespace qc_kernels {

inline int64_t minOf(int64_t a, int64_t b) { return a < b ? a : b; }
inline int64_t maxOf(int64_t a, int64_t b) { return a > b ? a : b; }
inline int64_t roundUp(int64_t v, int64_t unit) { return (v + unit - 1) / unit * unit; }

// Splits [0, size) into `parts` ranges aligned to `unit`; range `part`.
inline void splitRange(int64_t size, int64_t unit, int64_t part, int64_t parts, int64_t &begin,
                       int64_t &end) {
  int64_t units = (size + unit - 1) / unit;
  begin = minOf(size, units * part / parts * unit);
  end = minOf(size, units * (part + 1) / parts * unit);
}

// The threads a call of `work` multiply-adds uses: one below `threshold`
// (a parallel region costs more than it saves) or when fewer than two
// pieces can run at once, else all there are, at most `maxUseful`.
inline int threadsFor(double work, double threshold, int64_t maxUseful) {
  if (work < threshold || maxUseful < 2)
    return 1;
  return static_cast<int>(minOf(omp_get_max_threads(), maxUseful));
}

} // namespace qc_kernels

#endif // QUANTC_KERNELS_KERNELSUPPORT_H

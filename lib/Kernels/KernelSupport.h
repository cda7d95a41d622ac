//===- KernelSupport.h - helpers shared by the microkernels -----*- C++ -*-===//
//
// Small integer helpers and the thread policy both GEMM families use
// (FloatGemm.cpp, IntegerConv.cpp). Compiled into each kernel source;
// everything is inline.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_KERNELS_KERNELSUPPORT_H
#define QUANTC_KERNELS_KERNELSUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

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

// Two scratch buffers for one thread.
struct ScratchPair {
  void *first, *second;
};

// ScratchPairs of these sizes (64-byte aligned), reused across calls from
// a small lock-free pool: allocating them per call cost page faults on
// every run. Out of memory for them traps: nothing sensible is left to do.
template <size_t FirstBytes, size_t SecondBytes> struct ScratchPool {
  static constexpr int kSlots = 16;
  static inline ScratchPair *slots[kSlots];

  static ScratchPair *acquire() {
    for (ScratchPair *&slot : slots)
      if (ScratchPair *pair = __atomic_exchange_n(&slot, nullptr, __ATOMIC_ACQ_REL))
        return pair;
    auto *pair = static_cast<ScratchPair *>(malloc(sizeof(ScratchPair)));
    if (!pair)
      __builtin_trap();
    pair->first = aligned_alloc(64, roundUp(FirstBytes, 64));
    pair->second = aligned_alloc(64, roundUp(SecondBytes, 64));
    if (!pair->first || !pair->second)
      __builtin_trap();
    return pair;
  }

  static void release(ScratchPair *pair) {
    for (ScratchPair *&slot : slots) {
      ScratchPair *empty = nullptr;
      if (__atomic_compare_exchange_n(&slot, &empty, pair, false, __ATOMIC_ACQ_REL,
                                      __ATOMIC_RELAXED))
        return;
    }
    free(pair->first);
    free(pair->second);
    free(pair);
  }
};

} // namespace qc_kernels

#endif // QUANTC_KERNELS_KERNELSUPPORT_H

//===- KernelBitcode.h - the microkernels as embedded bitcode -----*- C++ -*-===//
#ifndef QUANTC_KERNELS_KERNELBITCODE_H
#define QUANTC_KERNELS_KERNELBITCODE_H

#include <cstddef>

namespace qc {

// LLVM bitcode of lib/Kernels for one vector width: "avx512", "avx2" or
// "sse2" (x86-64's baseline).
struct KernelBitcode {
  const char *variant;
  const unsigned char *data;
  size_t size;
};

// The bitcode of `variant`, or null if it was not built.
const KernelBitcode *findKernelBitcode(const char *variant);

} // namespace qc

#endif

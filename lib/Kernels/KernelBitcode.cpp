//===- KernelBitcode.cpp - lookup of the embedded microkernel bitcode -----===//
#include "Kernels/KernelBitcode.h"

#include <cstring>

namespace qc {

#include "KernelBitcode.inc"

const KernelBitcode *findKernelBitcode(const char *variant) {
  for (const KernelBitcode &entry : kKernelBitcode)
    if (std::strcmp(entry.variant, variant) == 0)
      return &entry;
  return nullptr;
}

} // namespace qc

//===- LinkKernels.h - link microkernels into a model -------------*- C++ -*-===//
#ifndef QUANTC_CODEGEN_LINKKERNELS_H
#define QUANTC_CODEGEN_LINKKERNELS_H

#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

namespace qc {

// The microkernel variant `machine` can run: "avx512", "avx2" or "sse2".
const char *microkernelVariant(const llvm::TargetMachine &machine);

// Links the microkernels that `module` calls (qc_uk_*, see
// lib/Kernels/Microkernels.h) from the embedded bitcode of the variant
// `machine` can run. They become internal to the module and are compiled
// for the machine's CPU. A module that calls none is left as it is.
llvm::Error linkMicrokernels(llvm::Module &module, const llvm::TargetMachine &machine);

} // namespace qc

#endif

//===- LinkKernels.cpp - link microkernels into a model -------------------===//
#include "Codegen/LinkKernels.h"

#include "Kernels/KernelBitcode.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Transforms/IPO/Internalize.h"

namespace qc {

static constexpr llvm::StringLiteral kMicrokernelPrefix = "qc_uk_";

const char *microkernelVariant(const llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *subtarget = machine.getMCSubtargetInfo();
  if (subtarget->checkFeatures(
          "+avx512f,+avx512bw,+avx512dq,+avx512vl,+avx512vnni,+avx2,+fma,+f16c"))
    return "avx512vnni";
  if (subtarget->checkFeatures("+avx512f,+avx512bw,+avx512dq,+avx512vl,+avx2,+fma,+f16c"))
    return "avx512";
  if (subtarget->checkFeatures("+avx2,+fma,+f16c"))
    return "avx2";
  return "sse2";
}

llvm::Error linkMicrokernels(llvm::Module &module, const llvm::TargetMachine &machine) {
  bool callsKernels = llvm::any_of(module.functions(), [](const llvm::Function &f) {
    return f.isDeclaration() && f.getName().starts_with(kMicrokernelPrefix);
  });
  if (!callsKernels)
    return llvm::Error::success();
  if (!machine.getTargetTriple().isX86() || !machine.getTargetTriple().isArch64Bit())
    return llvm::createStringError("quantc's microkernels are built for x86-64 only, not %s",
                                   machine.getTargetTriple().str().c_str());
  const char *variant = microkernelVariant(machine);
  const KernelBitcode *bitcode = findKernelBitcode(variant);
  if (!bitcode)
    return llvm::createStringError("no microkernel bitcode for %s", variant);
  llvm::MemoryBufferRef buffer(
      llvm::StringRef(reinterpret_cast<const char *>(bitcode->data), bitcode->size),
      "quantc-microkernels");
  auto kernels = llvm::parseBitcodeFile(buffer, module.getContext());
  if (!kernels)
    return kernels.takeError();

  // Compile the kernels for the model's CPU (scheduling, features), not the
  // generic x86-64 they were built for.
  for (llvm::Function &f : **kernels) {
    f.removeFnAttr("target-cpu");
    f.removeFnAttr("target-features");
    f.removeFnAttr("tune-cpu");
  }
  module.setTargetTriple(machine.getTargetTriple());
  module.setDataLayout(machine.createDataLayout());
  (*kernels)->setTargetTriple(machine.getTargetTriple());
  (*kernels)->setDataLayout(machine.createDataLayout());

  // Only what the model calls comes in, and it stays private to the model.
  bool failed = llvm::Linker::linkModules(
      module, std::move(*kernels), llvm::Linker::Flags::LinkOnlyNeeded,
      [](llvm::Module &linked, const llvm::StringSet<> &imported) {
        llvm::internalizeModule(linked, [&](const llvm::GlobalValue &value) {
          return !value.hasName() || !imported.count(value.getName());
        });
      });
  if (failed)
    return llvm::createStringError("linking the microkernels into the model failed");
  return llvm::Error::success();
}

} // namespace qc

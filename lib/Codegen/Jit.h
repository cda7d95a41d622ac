//===- Jit.h - compile a qc module in memory and run it ---------*- C++ -*-===//
//
// The JIT path used by `quantc run`, the tests and calibration: the float
// pipeline, then MLIR's ExecutionEngine with the host's CPU features.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_CODEGEN_JIT_H
#define QUANTC_CODEGEN_JIT_H

#include "Codegen/Signature.h"
#include "Runtime/ProfileTable.h"
#include "Runtime/quantc_model.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace qc {

class JitModel {
public:
  // A function of this process that compiled code may call by name (the
  // calibration observer).
  struct HostSymbol {
    std::string name;
    void *address;
  };

  // Lowers `module` (qc, consumed) and JIT-compiles it. Diagnostics of the
  // lowering go to the module's context. `profileLayers` times each layer
  // (qc-profile-layers) into the table profile() returns.
  static llvm::Expected<std::unique_ptr<JitModel>>
  compile(mlir::ModuleOp module, llvm::ArrayRef<HostSymbol> hostSymbols = {},
          bool profileLayers = false);

  const Signature &signature() const { return sig; }

  // The signature as the C ABI describes it, for the shared runner.
  const qc_model_info *info() const { return &modelInfo; }

  // Runs the model on caller-owned buffers laid out as the signature says.
  llvm::Error run(llvm::ArrayRef<void *> inputs, llvm::ArrayRef<void *> outputs);

  // The per-layer timings of a profiled model, accumulated over its runs;
  // empty (count 0) otherwise.
  const ProfileTable &profile() const { return profileTable; }

private:
  JitModel(Signature sig, std::unique_ptr<mlir::ExecutionEngine> engine);

  Signature sig;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  qc_run_fn entry = nullptr;
  std::vector<qc_tensor_info> inputInfo, outputInfo;
  qc_model_info modelInfo;
  ProfileTable profileTable;
};

} // namespace qc

#endif // QUANTC_CODEGEN_JIT_H

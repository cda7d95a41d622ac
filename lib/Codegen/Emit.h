//===- Emit.h - native code for a qc module ---------------------*- C++ -*-===//
//
// Lowers a qc module with the float pipeline, translates it to LLVM IR, adds
// the C ABI of quantc_model.h (P_info, P_run) and emits an object file with
// an in-process TargetMachine. Weights are constants of the object.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_CODEGEN_EMIT_H
#define QUANTC_CODEGEN_EMIT_H

#include "Codegen/Signature.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"

#include <string>
#include <utility>
#include <vector>
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace qc {

// Wall time per compile stage, in order, when a caller asks for it.
struct StageTimes {
  std::vector<std::pair<std::string, double>> seconds;
};

struct TargetOptions {
  std::string cpu = "native";  // "native": the host's CPU and features
  std::string features;        // extra +feature,-feature list
  std::string prefix = "model"; // symbol prefix of the C ABI
  // Also export quantc_exe_info/quantc_exe_run, which the executable's
  // main() (lib/Runtime/ExeMain.cpp) calls.
  bool exeEntryAliases = false;
  // Time each layer into an exported table (quantc compile --profile).
  bool profileLayers = false;
  // Where lowerToLLVMIR records its stages' times; null: not recorded.
  StageTimes *stageTimes = nullptr;
};

// A TargetMachine for x86-64 (or the host) with the requested CPU.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options);

// Runs the float pipeline on `module` (qc in, LLVM dialect out). The entry
// keeps its name, `main`, and loses the tensor-name attributes, which the
// signature has already recorded.
llvm::Error lowerToLLVMDialect(mlir::ModuleOp module, bool profileLayers = false);

// Translates a module lowered by lowerToLLVMDialect to LLVM IR and adds the
// C ABI (P_info, P_run) around its entry.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateWithCAbi(mlir::ModuleOp module, const Signature &signature,
                  llvm::LLVMContext &llvmContext, const TargetOptions &options);

// lowerToLLVMDialect, translateWithCAbi, then optimization for `machine`.
llvm::Expected<std::unique_ptr<llvm::Module>>
lowerToLLVMIR(mlir::ModuleOp module, const Signature &signature,
              llvm::LLVMContext &llvmContext, llvm::TargetMachine &machine,
              const TargetOptions &options);

llvm::Error emitObjectFile(llvm::Module &module, llvm::TargetMachine &machine,
                           llvm::StringRef path);

// The C header declaring P_info/P_run and documenting the signature.
std::string generateHeader(const Signature &signature, llvm::StringRef prefix);

} // namespace qc

#endif // QUANTC_CODEGEN_EMIT_H

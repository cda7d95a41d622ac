//===- Jit.cpp - compile a qc module in memory and run it -----------------===//
#include "Codegen/Jit.h"
#include "Codegen/Emit.h"

#include "Runtime/Npy.h"
#include "passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

namespace qc {

JitModel::JitModel(Signature signature, std::unique_ptr<ExecutionEngine> engine)
    : sig(std::move(signature)), engine(std::move(engine)) {
  auto describe = [](const TensorSpec &spec) {
    return qc_tensor_info{spec.name.c_str(), npy::codeForDtype(spec.dtype),
                          static_cast<int32_t>(spec.shape.size()), spec.shape.data()};
  };
  for (const TensorSpec &spec : sig.inputs)
    inputInfo.push_back(describe(spec));
  for (const TensorSpec &spec : sig.outputs)
    outputInfo.push_back(describe(spec));
  modelInfo = {QC_ABI_VERSION, static_cast<int32_t>(inputInfo.size()),
               static_cast<int32_t>(outputInfo.size()), inputInfo.data(), outputInfo.data()};
}

llvm::Expected<std::unique_ptr<JitModel>> JitModel::compile(ModuleOp module) {
  auto sig = readSignature(module);
  if (!sig)
    return sig.takeError();

  if (llvm::Error error = lowerToLLVMDialect(module))
    return std::move(error);

  // The host's CPU and features, as `quantc compile` uses by default.
  auto machine = createTargetMachine(TargetOptions());
  if (!machine)
    return machine.takeError();

  // ExecutionEngineOptions holds a function_ref: keep the callable alive.
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, machine->get());
  ExecutionEngineOptions options;
  options.transformer = optimize;
  // Parallel loops call into libomp.
  SmallVector<StringRef> libraries{QUANTC_OMP_LIBRARY};
  options.sharedLibPaths = libraries;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, options, std::move(*machine));
  if (!engine)
    return engine.takeError();
  // Compile now rather than lazily on the first run, so runs time only runs.
  if (auto entry = (*engine)->lookupPacked("main"); !entry)
    return entry.takeError();
  return std::unique_ptr<JitModel>(new JitModel(std::move(*sig), std::move(*engine)));
}

llvm::Error JitModel::run(llvm::ArrayRef<void *> inputs, llvm::ArrayRef<void *> outputs) {
  if (inputs.size() != sig.inputs.size() || outputs.size() != sig.outputs.size())
    return llvm::createStringError("the model takes %zu inputs and %zu outputs, got %zu "
                                   "and %zu",
                                   sig.inputs.size(), sig.outputs.size(), inputs.size(),
                                   outputs.size());
  // Bare-pointer calling convention: main(in0, ..., out0, ...).
  SmallVector<void *> pointers(inputs.begin(), inputs.end());
  pointers.append(outputs.begin(), outputs.end());
  SmallVector<void *> args;
  for (void *&p : pointers)
    args.push_back(&p);
  return engine->invokePacked("main", args);
}

} // namespace qc

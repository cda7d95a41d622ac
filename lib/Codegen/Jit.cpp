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

llvm::Expected<std::unique_ptr<JitModel>>
JitModel::compile(ModuleOp module, llvm::ArrayRef<HostSymbol> hostSymbols, bool profileLayers) {
  auto sig = readSignature(module);
  if (!sig)
    return sig.takeError();

  if (llvm::Error error = lowerToLLVMDialect(module, profileLayers))
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
  // The JIT runs the same C ABI entry (model_run) as compiled artifacts.
  TargetOptions abi;
  std::string translationError;
  auto buildModule = [&](Operation *op, llvm::LLVMContext &llvmContext)
      -> std::unique_ptr<llvm::Module> {
    auto llvmModule = translateWithCAbi(cast<ModuleOp>(op), *sig, llvmContext, abi);
    if (!llvmModule) {
      translationError = llvm::toString(llvmModule.takeError());
      return nullptr;
    }
    return std::move(*llvmModule);
  };
  options.llvmModuleBuilder = buildModule;
  auto engine = ExecutionEngine::create(module, options, std::move(*machine));
  if (!engine) {
    if (!translationError.empty()) {
      llvm::consumeError(engine.takeError());
      return llvm::createStringError("%s", translationError.c_str());
    }
    return engine.takeError();
  }
  (*engine)->registerSymbols([&](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    for (const HostSymbol &symbol : hostSymbols)
      symbols[interner(symbol.name)] = {llvm::orc::ExecutorAddr::fromPtr(symbol.address),
                                        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  // Looking the entry up compiles it now, so runs time only runs.
  auto entry = (*engine)->lookup(abi.prefix + "_run");
  if (!entry)
    return entry.takeError();
  auto model = std::unique_ptr<JitModel>(new JitModel(std::move(*sig), std::move(*engine)));
  model->entry = reinterpret_cast<qc_run_fn>(*entry);
  if (profileLayers) {
    auto count = model->engine->lookup(abi.prefix + "_profile_count");
    auto layers = model->engine->lookup(abi.prefix + "_profile_layers");
    auto names = model->engine->lookup(abi.prefix + "_profile_names");
    if (!count || !layers || !names) {
      llvm::consumeError(count.takeError());
      llvm::consumeError(layers.takeError());
      llvm::consumeError(names.takeError());
      return llvm::createStringError("the profiled model has no layer table");
    }
    model->profileTable = {*static_cast<int64_t *>(*count), static_cast<int64_t *>(*layers),
                           static_cast<const char *>(*names)};
  }
  return model;
}

llvm::Error JitModel::run(llvm::ArrayRef<void *> inputs, llvm::ArrayRef<void *> outputs) {
  if (inputs.size() != sig.inputs.size() || outputs.size() != sig.outputs.size())
    return llvm::createStringError("the model takes %zu inputs and %zu outputs, got %zu "
                                   "and %zu",
                                   sig.inputs.size(), sig.outputs.size(), inputs.size(),
                                   outputs.size());
  if (int32_t status = entry(inputs.data(), outputs.data()); status != QC_OK)
    return llvm::createStringError("the model returned status %d", status);
  return llvm::Error::success();
}

} // namespace qc

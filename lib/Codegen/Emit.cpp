//===- Emit.cpp - native code for a qc module -----------------------------===//
#include "Codegen/Emit.h"
#include "Codegen/LinkKernels.h"

#include "Runtime/Npy.h"
#include "passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <chrono>

using namespace mlir;

namespace qc {

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetOptions &options) {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("no target for %s: %s", triple.str().c_str(),
                                   error.c_str());
  std::string cpu = options.cpu, features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features += (features.empty() ? "" : ",") + std::string(feature.second ? "+" : "-") +
                  feature.first().str();
  }
  if (!options.features.empty())
    features += (features.empty() ? "" : ",") + options.features;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, llvm::TargetOptions(), llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for cpu '%s'",
                                   cpu.c_str());
  return machine;
}

// Adds P_info (a constant table of names, dtypes and shapes) and P_run (null
// checks, then the lowered entry function on unpacked buffer pointers).
static llvm::Error addCAbi(llvm::Module &module, llvm::Function *entry,
                           const Signature &signature, llvm::StringRef prefix) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> b(ctx);
  llvm::Type *i32 = b.getInt32Ty(), *ptr = b.getPtrTy();
  auto *tensorInfo = llvm::StructType::create(ctx, {ptr, i32, i32, ptr}, "qc_tensor_info");
  auto *modelInfo = llvm::StructType::create(ctx, {i32, i32, i32, ptr, ptr}, "qc_model_info");

  auto makeTable = [&](const std::vector<TensorSpec> &specs, StringRef role) {
    std::vector<llvm::Constant *> rows;
    for (const TensorSpec &spec : specs) {
      auto *nameInit = llvm::ConstantDataArray::getString(ctx, spec.name);
      auto *name = new llvm::GlobalVariable(module, nameInit->getType(), true,
                                            llvm::GlobalValue::PrivateLinkage, nameInit,
                                            (prefix + "_" + role + "_name").str());
      auto *shapeInit = llvm::ConstantDataArray::get(ctx, llvm::ArrayRef<uint64_t>(
          reinterpret_cast<const uint64_t *>(spec.shape.data()), spec.shape.size()));
      auto *shape = new llvm::GlobalVariable(module, shapeInit->getType(), true,
                                             llvm::GlobalValue::PrivateLinkage, shapeInit,
                                             (prefix + "_" + role + "_shape").str());
      rows.push_back(llvm::ConstantStruct::get(
          tensorInfo, {name, llvm::ConstantInt::get(i32, npy::codeForDtype(spec.dtype)),
                       llvm::ConstantInt::get(i32, spec.shape.size()), shape}));
    }
    auto *arrayType = llvm::ArrayType::get(tensorInfo, rows.size());
    return new llvm::GlobalVariable(module, arrayType, true,
                                    llvm::GlobalValue::PrivateLinkage,
                                    llvm::ConstantArray::get(arrayType, rows),
                                    (prefix + "_" + role + "s").str());
  };
  llvm::GlobalVariable *inputs = makeTable(signature.inputs, "input");
  llvm::GlobalVariable *outputs = makeTable(signature.outputs, "output");
  auto *info = new llvm::GlobalVariable(
      module, modelInfo, true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantStruct::get(modelInfo, {llvm::ConstantInt::get(i32, 1),
                                            llvm::ConstantInt::get(i32, signature.inputs.size()),
                                            llvm::ConstantInt::get(i32, signature.outputs.size()),
                                            inputs, outputs}),
      (prefix + "_model_info").str());

  auto *infoFn = llvm::Function::Create(llvm::FunctionType::get(ptr, false),
                                        llvm::GlobalValue::ExternalLinkage,
                                        (prefix + "_info").str(), module);
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", infoFn));
  b.CreateRet(info);

  auto *runFn = llvm::Function::Create(llvm::FunctionType::get(i32, {ptr, ptr}, false),
                                       llvm::GlobalValue::ExternalLinkage,
                                       (prefix + "_run").str(), module);
  llvm::Value *inArray = runFn->getArg(0), *outArray = runFn->getArg(1);
  auto *entryBlock = llvm::BasicBlock::Create(ctx, "entry", runFn);
  auto *nullBlock = llvm::BasicBlock::Create(ctx, "null_buffer", runFn);
  auto *callBlock = llvm::BasicBlock::Create(ctx, "call", runFn);
  b.SetInsertPoint(entryBlock);
  llvm::SmallVector<llvm::Value *> args;
  llvm::Value *anyNull = b.getFalse();
  if (!signature.inputs.empty())
    anyNull = b.CreateOr(anyNull, b.CreateIsNull(inArray));
  if (!signature.outputs.empty())
    anyNull = b.CreateOr(anyNull, b.CreateIsNull(outArray));
  b.CreateCondBr(anyNull, nullBlock, callBlock);
  // Arrays are non-null here; check every element before the call.
  b.SetInsertPoint(callBlock);
  llvm::Value *elementNull = b.getFalse();
  llvm::Type *i64 = b.getInt64Ty();
  // The bare-pointer convention does not cover some empty buffers; an entry
  // it gave up on keeps MLIR's memref descriptors (allocated, aligned,
  // offset, sizes, strides) for all its buffers.
  bool descriptors = entry->arg_size() != signature.inputs.size() + signature.outputs.size();
  auto collect = [&](llvm::Value *array, const std::vector<TensorSpec> &specs) {
    for (auto [i, spec] : llvm::enumerate(specs)) {
      llvm::Value *slot = b.CreateConstGEP1_64(ptr, array, i);
      llvm::Value *p = b.CreateLoad(ptr, slot);
      elementNull = b.CreateOr(elementNull, b.CreateIsNull(p));
      if (!descriptors) {
        args.push_back(p);
        continue;
      }
      args.append({p, p, llvm::ConstantInt::get(i64, 0)});
      for (int64_t d : spec.shape)
        args.push_back(llvm::ConstantInt::get(i64, d));
      int64_t stride = 1;
      SmallVector<llvm::Value *> strides;
      for (int64_t d : llvm::reverse(spec.shape)) {
        strides.push_back(llvm::ConstantInt::get(i64, stride));
        stride *= std::max<int64_t>(d, 1);
      }
      args.append(strides.rbegin(), strides.rend());
    }
  };
  collect(inArray, signature.inputs);
  collect(outArray, signature.outputs);
  auto *doCall = llvm::BasicBlock::Create(ctx, "do_call", runFn);
  b.CreateCondBr(elementNull, nullBlock, doCall);
  b.SetInsertPoint(doCall);
  if (entry->arg_size() != args.size())
    return llvm::createStringError("the lowered entry takes %zu arguments, expected %zu",
                                   entry->arg_size(), args.size());
  b.CreateCall(entry, args);
  b.CreateRet(llvm::ConstantInt::get(i32, 0));
  b.SetInsertPoint(nullBlock);
  b.CreateRet(llvm::ConstantInt::get(i32, 1)); // QC_ERROR_NULL_BUFFER
  return llvm::Error::success();
}

llvm::Error lowerToLLVMDialect(ModuleOp module, bool profileLayers) {
  if (auto main = module.lookupSymbol<func::FuncOp>("main")) {
    main.setAllArgAttrs(ArrayRef<DictionaryAttr>{});
    main.setAllResultAttrs(ArrayRef<DictionaryAttr>{});
  }
  PassManager pm(module.getContext());
  buildFloatPipeline(pm, profileLayers);
  if (failed(pm.run(module)))
    return llvm::createStringError("lowering the model failed (see the errors above)");
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<llvm::Module>>
translateWithCAbi(ModuleOp module, const Signature &signature, llvm::LLVMContext &llvmContext,
                  const TargetOptions &options) {
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return llvm::createStringError("translation to LLVM IR failed");

  // The lowered entry stays internal so that several models link together.
  llvm::Function *entry = llvmModule->getFunction("main");
  if (!entry)
    return llvm::createStringError("the lowered module has no entry function");
  entry->setName((options.prefix + "_main_impl"));
  entry->setLinkage(llvm::GlobalValue::InternalLinkage);
  if (llvm::Error error = addCAbi(*llvmModule, entry, signature, options.prefix))
    return std::move(error);
  // A profiled model's table (qc-profile-layers) is exported with the
  // prefix, like the C ABI.
  for (const char *table : {"count", "layers", "names"})
    if (llvm::GlobalVariable *global =
            llvmModule->getGlobalVariable((llvm::Twine("qc_profile_") + table).str())) {
      global->setName(options.prefix + "_profile_" + table);
      global->setLinkage(llvm::GlobalValue::ExternalLinkage);
    }
  // The heavy ops call microkernels (qc-linalg-to-microkernels).
  auto machine = createTargetMachine(options);
  if (!machine)
    return machine.takeError();
  if (llvm::Error error = linkMicrokernels(*llvmModule, **machine))
    return std::move(error);
  if (options.exeEntryAliases)
    for (StringRef name : {"info", "run"}) {
      llvm::Function *target = llvmModule->getFunction((options.prefix + "_" + name).str());
      llvm::GlobalAlias::create(("quantc_exe_" + name).str(), target);
    }
  if (llvm::verifyModule(*llvmModule, &llvm::errs()))
    return llvm::createStringError("the generated LLVM IR does not verify");
  return llvmModule;
}

llvm::Expected<std::unique_ptr<llvm::Module>>
lowerToLLVMIR(ModuleOp module, const Signature &signature, llvm::LLVMContext &llvmContext,
              llvm::TargetMachine &machine, const TargetOptions &options) {
  auto start = std::chrono::steady_clock::now();
  auto lap = [&](const char *stage) {
    auto now = std::chrono::steady_clock::now();
    if (options.stageTimes)
      options.stageTimes->seconds.emplace_back(
          stage, std::chrono::duration<double>(now - start).count());
    start = now;
  };
  if (llvm::Error error = lowerToLLVMDialect(module, options.profileLayers))
    return std::move(error);
  lap("lower to the LLVM dialect (MLIR passes)");
  auto llvmModule = translateWithCAbi(module, signature, llvmContext, options);
  if (!llvmModule)
    return llvmModule.takeError();
  (*llvmModule)->setTargetTriple(machine.getTargetTriple());
  (*llvmModule)->setDataLayout(machine.createDataLayout());
  lap("translate to LLVM IR, link microkernels");

  auto optimize = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0, &machine);
  if (llvm::Error error = optimize(llvmModule->get()))
    return std::move(error);
  lap("LLVM optimization (-O3)");
  return llvmModule;
}

llvm::Error emitObjectFile(llvm::Module &module, llvm::TargetMachine &machine,
                           llvm::StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot write '%s': %s", path.str().c_str(),
                                   ec.message().c_str());
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, out, nullptr, llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  passes.run(module);
  out.flush();
  return llvm::Error::success();
}

std::string generateHeader(const Signature &signature, llvm::StringRef prefix) {
  std::string guard = (prefix.upper() + "_QUANTC_H");
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "/* Generated by quantc compile. The model's C ABI; see quantc_model.h. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#ifndef QUANTC_MODEL_H\n"
     << "typedef struct qc_tensor_info {\n  const char *name;\n  int32_t dtype;\n"
     << "  int32_t rank;\n  const int64_t *shape;\n} qc_tensor_info;\n"
     << "typedef struct qc_model_info {\n  int32_t abi_version;\n  int32_t num_inputs;\n"
     << "  int32_t num_outputs;\n  const qc_tensor_info *inputs;\n"
     << "  const qc_tensor_info *outputs;\n} qc_model_info;\n#endif\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  auto describe = [&](const std::vector<TensorSpec> &specs, StringRef role) {
    for (auto [i, spec] : llvm::enumerate(specs)) {
      os << " *   " << role << "[" << i << "] \"" << spec.name << "\": " << spec.dtype << " (";
      for (size_t d = 0; d < spec.shape.size(); ++d)
        os << (d ? ", " : "") << spec.shape[d];
      os << ")\n";
    }
  };
  os << "/* Buffers, dense and C-order (dtype as NumPy writes it):\n";
  describe(signature.inputs, "inputs");
  describe(signature.outputs, "outputs");
  os << " */\n"
     << "const qc_model_info *" << prefix << "_info(void);\n\n"
     << "/* Returns 0 on success, 1 if a buffer pointer is NULL. */\n"
     << "int32_t " << prefix << "_run(void *const *inputs, void *const *outputs);\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  return text;
}

} // namespace qc

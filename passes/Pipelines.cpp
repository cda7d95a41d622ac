//===- Pipelines.cpp - quantc pass pipelines ------------------------------===//
#include "passes/Pipelines.h"
#include "passes/Passes.h"

#include "QC/QCDialect.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace qc {

void buildFloatCleanupPipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createSimplifyShapes());
  pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
}

LogicalResult cleanUpFloatModel(ModuleOp module) {
  PassManager pm(module.getContext());
  buildFloatCleanupPipeline(pm);
  return pm.run(module);
}

void buildQdqFoldingPipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createFoldQdq());
}

LogicalResult foldQuantization(ModuleOp module) {
  PassManager pm(module.getContext());
  buildQdqFoldingPipeline(pm);
  return pm.run(module);
}

void buildQdqPlacementPipeline(OpPassManager &pm) {
  pm.addPass(createPlaceQdq());
  pm.addNestedPass<func::FuncOp>(createPropagateScales());
  pm.addNestedPass<func::FuncOp>(createQuantizeBias());
}

void buildQCToLinalgPipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createSimplifyShapes());
  pm.addNestedPass<func::FuncOp>(createFuseConvEpilogues());
  pm.addNestedPass<func::FuncOp>(createFuseIntegerConv());
  pm.addNestedPass<func::FuncOp>(createConvertQCToLinalg());
  pm.addPass(createCheckLowered());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void buildLinalgToLLVMPipeline(OpPassManager &pm, bool profileLayers) {
  pm.addNestedPass<func::FuncOp>(createFuseElementwise());
  pm.addPass(createCanonicalizerPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Results become caller-provided buffers: the runtime owns all I/O memory.
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.modifyPublicFunctions = true;
  outParams.hoistStaticAllocs = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::BufferDeallocationPipelineOptions dealloc;
  bufferization::buildBufferDeallocationPipeline(pm, dealloc);

  // f32 matmul and qck convolutions call the packed microkernels; the rest
  // become loops that LLVM's vectorizer can use (contiguous innermost
  // dimension).
  pm.addPass(createLinalgToMicrokernels());
  if (profileLayers)
    pm.addPass(createProfileLayers());
  // After the kernels have recognized constant weights by their globals.
  pm.addPass(createFlattenGlobals());
  pm.addNestedPass<func::FuncOp>(createLinalgGeneralizeNamedOpsPass());
  pm.addNestedPass<func::FuncOp>(createInterchangeForVectorization());
  pm.addNestedPass<func::FuncOp>(createStridedCopyToLinalg());
  // Parallel loops run on the OpenMP runtime's thread pool (libomp).
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createSerializeNestedParallelLoops());
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertMathToLLVMPass());
  // What has no LLVM intrinsic (erf, atan, ...) calls libm.
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  // After the memref lowering: it turns the OpenMP loops' alloca scopes into
  // stack save/restore, which must happen while their bodies are one block.
  pm.addPass(createSCFToControlFlowPass());
  ConvertFuncToLLVMPassOptions funcOptions;
  funcOptions.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void buildFloatPipeline(OpPassManager &pm, bool profileLayers) {
  buildQCToLinalgPipeline(pm);
  buildLinalgToLLVMPipeline(pm, profileLayers);
}

void buildInt8Pipeline(OpPassManager &pm) {
  buildQdqFoldingPipeline(pm);
  buildFloatPipeline(pm);
}

void registerPipelineDialects(DialectRegistry &registry) {
  registry.insert<QCDialect, qck::QCKDialect, func::FuncDialect, arith::ArithDialect, math::MathDialect,
                  tensor::TensorDialect, linalg::LinalgDialect, affine::AffineDialect,
                  scf::SCFDialect, cf::ControlFlowDialect, memref::MemRefDialect,
                  bufferization::BufferizationDialect, LLVM::LLVMDialect,
                  omp::OpenMPDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(registry);
  qck::registerBufferizableOpInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}

void registerQCPipelines() {
  PassPipelineRegistration<>(
      "quantc-qdq-placement",
      "Implicit quantization from the module's qc.calibration: Q/DQ placement, "
      "scale propagation, int32 biases",
      buildQdqPlacementPipeline);
  PassPipelineRegistration<>("quantc-float-cleanup",
                             "Fold shape computations and BatchNormalization into Conv",
                             buildFloatCleanupPipeline);
  PassPipelineRegistration<>("quantc-qdq-folding",
                             "Fold DequantizeLinear -> op -> QuantizeLinear into integer ops",
                             buildQdqFoldingPipeline);
  PassPipelineRegistration<>("quantc-int8-pipeline",
                             "Q/DQ folding, then the compile pipeline: INT8 code",
                             buildInt8Pipeline);
  PassPipelineRegistration<>("quantc-qc-to-linalg",
                             "Lower qc to linalg on tensors, reporting leftovers",
                             buildQCToLinalgPipeline);
  PassPipelineRegistration<>("quantc-linalg-to-llvm",
                             "Bufferize linalg and lower it to the LLVM dialect",
                             [](OpPassManager &pm) { buildLinalgToLLVMPipeline(pm); });
  PassPipelineRegistration<>("quantc-float-pipeline",
                             "The float compile pipeline: qc to the LLVM dialect",
                             [](OpPassManager &pm) { buildFloatPipeline(pm); });
}

} // namespace qc

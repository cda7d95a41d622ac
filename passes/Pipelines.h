//===- Pipelines.h - quantc pass pipelines ----------------------*- C++ -*-===//
//
// Each pipeline is written once here; `quantc` runs it and `quantc-opt`
// exposes it under the same name, so the two cannot drift apart.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_PIPELINES_H
#define QUANTC_PASSES_PIPELINES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

namespace qc {

// Float cleanup right after import, before calibration and quantization:
// shape computations fold (qc-simplify-shapes) and BatchNormalization folds
// into the Conv before it (qc-fold-batch-norm).
void buildFloatCleanupPipeline(mlir::OpPassManager &pm);
mlir::LogicalResult cleanUpFloatModel(mlir::ModuleOp module);

// Q/DQ placement from the module's `qc.calibration`, scale propagation and
// int32 biases: the quantized model that `quantc quantize` exports and
// `quantc run/compile --calib` simulate.
void buildQdqPlacementPipeline(mlir::OpPassManager &pm);

// DQ -> op -> Q chains into integer ops (qc-fold-qdq): what turns a QDQ
// model, or one quantized by the placement pipeline, into INT8 code.
void buildQdqFoldingPipeline(mlir::OpPassManager &pm);
mlir::LogicalResult foldQuantization(mlir::ModuleOp module);

// qc -> linalg on tensors, with every qc op accounted for.
void buildQCToLinalgPipeline(mlir::OpPassManager &pm);

// linalg on tensors -> bufferized loops -> LLVM dialect. The entry function
// takes one bare pointer per input and output buffer (outputs last).
// `profileLayers` times each layer (qc-profile-layers).
void buildLinalgToLLVMPipeline(mlir::OpPassManager &pm, bool profileLayers = false);

// Both of the above: what `quantc compile`/`run` lower a model with.
void buildFloatPipeline(mlir::OpPassManager &pm, bool profileLayers = false);

// Q/DQ folding, then the float pipeline: a quantized model to INT8 code.
void buildInt8Pipeline(mlir::OpPassManager &pm);

// Registers the pipelines with the pass registry (quantc-opt).
void registerQCPipelines();

// Dialects, bufferization models and LLVM translations the pipelines need.
void registerPipelineDialects(mlir::DialectRegistry &registry);

} // namespace qc

#endif // QUANTC_PASSES_PIPELINES_H

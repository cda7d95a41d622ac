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

// qc (float) -> linalg on tensors, with every qc op accounted for.
// Q/DQ placement from the module's `qc.calibration`, scale propagation and
// int32 biases: the quantized model that `quantc quantize` exports and
// `quantc run/compile --calib` simulate.
void buildQdqPlacementPipeline(mlir::OpPassManager &pm);

void buildQCToLinalgPipeline(mlir::OpPassManager &pm);

// linalg on tensors -> bufferized loops -> LLVM dialect. The entry function
// takes one bare pointer per input and output buffer (outputs last).
void buildLinalgToLLVMPipeline(mlir::OpPassManager &pm);

// Both of the above: what `quantc compile`/`run` use for float models.
void buildFloatPipeline(mlir::OpPassManager &pm);

// Runs qc-simplify-shapes on every function of an imported module: shape
// computations on constants fold and result types become as static as they
// can, before the signature is read and the pipelines run.
mlir::LogicalResult simplifyModuleShapes(mlir::ModuleOp module);

// Registers the pipelines with the pass registry (quantc-opt).
void registerQCPipelines();

// Dialects, bufferization models and LLVM translations the pipelines need.
void registerPipelineDialects(mlir::DialectRegistry &registry);

} // namespace qc

#endif // QUANTC_PASSES_PIPELINES_H

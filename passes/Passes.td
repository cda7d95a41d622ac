//===- Passes.td - quantc passes -------------------------------*- tablegen -*-===//
#ifndef QUANTC_PASSES_TD
#define QUANTC_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQCToLinalg : Pass<"convert-qc-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Lower qc ops on static shapes to linalg, tensor, arith and math";
  let description = [{
    Elementwise qc ops (with ONNX multidirectional broadcasting) become one
    `linalg.generic` each. Ops without a lowering yet are left in place, so
    the pass can run on any imported model; a later pipeline stage reports
    what remains.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def CheckLowered : Pass<"qc-check-lowered", "::mlir::ModuleOp"> {
  let summary = "Report every qc op left after lowering, by ONNX node";
  let description = [{
    Runs after convert-qc-to-linalg. Unused `qc.none` values are erased;
    any other qc op left means the model uses something the code generator
    cannot handle yet (dynamic shapes, an element type or an attribute
    combination), and each such op is reported with its node name.
  }];
}

def StridedCopyToLinalg : Pass<"qc-strided-copy-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Turn memref.copy between non-contiguous buffers into linalg.copy";
  let description = [{
    Copies between identity-layout buffers lower to a memcpy; any other copy
    would lower to a call of `memrefCopy` from MLIR's runner-utils library,
    which compiled models do not link. As a linalg.copy it becomes loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def InterchangeForVectorization
    : Pass<"qc-interchange-for-vectorization", "::mlir::func::FuncOp"> {
  let summary = "Reorder linalg.generic loops so the innermost one is contiguous";
  let description = [{
    Named contractions lower to loops with a reduction innermost (matmul's k,
    conv's kw), which LLVM cannot vectorize without reassociating floats.
    This moves the loop that walks the output's last dimension innermost and
    the reductions just outside it (matmul i,j,k -> i,k,j), so the inner loop
    streams through memory and vectorizes. Results are unchanged: each output
    element still sums its terms in the same order.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def LinalgToMicrokernels : Pass<"qc-linalg-to-microkernels", "::mlir::ModuleOp"> {
  let summary = "Call quantc's packed microkernels for f32 matmul and convolution";
  let description = [{
    Runs on buffers, after bufferization. f32 `linalg.matmul`,
    `linalg.batch_matmul` (default indexing maps) and
    `linalg.conv_2d_nchw_fchw` become calls of the cache-blocked kernels in
    lib/Kernels (declared as private functions taking `index` sizes,
    strides and element addresses), which the code generator links into the
    model from bitcode. Ops whose buffers do not have the strides a kernel
    needs (static, unit-stride rows for conv) are left for the loop path.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def SerializeNestedParallelLoops
    : Pass<"qc-serialize-nested-parallel-loops", "::mlir::func::FuncOp"> {
  let summary = "Keep only outermost scf.parallel loops parallel";
  let description = [{
    Each scf.parallel becomes a fork/join on the thread pool. One nested in
    another loop would fork once per outer iteration, which costs far more
    than it gains; such loops become scf.for nests here, so that only the
    outermost loop of each kernel is spread over the threads.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def SimplifyShapes : Pass<"qc-simplify-shapes", "::mlir::func::FuncOp"> {
  let summary = "Fold shape computations to constants and refine result types";
  let description = [{
    Models compute shapes at run time from static ones (Shape -> Gather ->
    Cast -> Concat -> Reshape). This pass folds such computations on small
    constant tensors (and qc.shape / qc.size of static shapes) to
    qc.constant, and recomputes result types with the importer's type rules
    once operands became constant or more static, until nothing changes.
    Function result types follow the returned values. A change that would
    make any op fail to verify is not made.
  }];
}

#endif // QUANTC_PASSES_TD

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

def FuseIntegerConv : Pass<"qc-fuse-integer-conv", "::mlir::func::FuncOp"> {
  let summary = "Turn conv_integer, its int32 bias and its requantize into one qck.qconv2d";
  let description = [{
    qc.conv_integer (8-bit input, constant 8-bit weights, constant zero
    points, explicit pads) followed by an Add of a constant int32 bias per
    filter and a qc.requantize to 8 bits (with or without a residual), each
    the only user of the one before, becomes `qck.qconv2d`: the INT8
    microkernel packs the operands less their zero points and requantizes
    each finished row of sums. Other chains stay on the loop path.
  }];
  let dependentDialects = ["::qck::QCKDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def FuseConvEpilogues : Pass<"qc-fuse-conv-epilogues", "::mlir::func::FuncOp"> {
  let summary = "Turn f32 Conv and the ops after it into one qck.conv2d";
  let description = [{
    A 2-D Conv (grouped and depthwise too) with explicit pads becomes
    `qck.conv2d`, whose
    microkernel reads the padding as zeros. A BatchNormalization, a
    same-shape Add (residual) and a Relu or constant-bound Clip that take the
    convolution's value, in that order and as its only user, fold into the
    op's epilogue: y = act(scale * conv + shift + residual).
  }];
  let dependentDialects = ["::qck::QCKDialect", "::mlir::tensor::TensorDialect"];
}

def InsertObservers : Pass<"qc-insert-observers", "::mlir::ModuleOp"> {
  let summary = "Observe the activations calibration measures";
  let description = [{
    Puts a `qck.observe` (ids from 0) on each activation the quantization
    rules name (passes/Quantization.h: inputs of Conv, ConvTranspose,
    GlobalAveragePool, MatMul, Gemm, and of Add between two activations), once per
    tensor, and lists their ONNX names by id in the module attribute
    `qc.observed`. The calibration build runs the float pipeline on the
    result and the host collects the values.
  }];
  let dependentDialects = ["::qck::QCKDialect"];
}

def InsertProbes : Pass<"qc-insert-probes", "::mlir::ModuleOp"> {
  let summary = "Route each quantized operand through a host probe (quantization analysis)";
  let description = [{
    For `quantc analyze` and the searches of `quantc calibrate` (auto
    method, accuracy budget, bias correction): every operand the
    quantization rules quantize (passes/Quantization.h), per use, and the
    output of every layer with a constant weight gets a `qck.probe` (ids
    from 0). The module attribute `qc.probes` describes them by id: the
    ONNX node (`layer`) and op type (`op`), `kind` (activation, weight,
    output), the calibration name of an activation (`tensor`) and the
    channel axis of a weight or output (`axis`, -1 for none). One compiled
    model then simulates any choice of quantized layers and parameters.
  }];
  let dependentDialects = ["::qck::QCKDialect", "::mlir::tensor::TensorDialect"];
}

def PlaceQdq : Pass<"qc-place-qdq", "::mlir::ModuleOp"> {
  let summary = "Put QuantizeLinear/DequantizeLinear pairs where calibration says";
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let description = [{
    Implicit quantization. The module attribute `qc.calibration` maps ONNX
    tensor names to per-tensor 8-bit `!quant.uniform` types (int8 symmetric
    or uint8 asymmetric). Each activation the quantization rules cover (the
    ones calibration observes) and that the table names gets one Q -> DQ pair after its
    definition; those ops read the dequantized value, other users the float
    one. A tensor the table leaves out stays float. The constant weight of an
    op whose activations are quantized becomes int8 symmetric (scale max|w| /
    127 per output channel, or per tensor) behind a DequantizeLinear.
    Layers named in `qc.float_layers` (ONNX nodes) stay float: their
    operands keep the float values. `qc.bias_corrections` maps layers to
    per-channel amounts added to the float bias of a quantized Conv,
    ConvTranspose or Gemm before it is quantized.
  }];
  let options = [
    Option<"perChannel", "per-channel", "bool", /*default=*/"true",
           "Quantize weights per output channel (else per tensor)">
  ];
}

def PropagateScales : Pass<"qc-propagate-scales", "::mlir::func::FuncOp"> {
  let summary = "Carry activation scales through ops that commute with quantization";
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let description = [{
    From each per-tensor QuantizeLinear towards the inputs: through MaxPool,
    Reshape, Transpose, Flatten, Squeeze, Unsqueeze, Slice, Pad with zeros
    and nearest Resize, the op's input gets the output's quantization (or,
    if the input is already quantized, the output takes the input's), so the
    op can run on int8 values unchanged. The inputs of a Concat all get the
    output's quantization. Relu and Clip stop the walk: they fuse into the
    requantize of the kernel before them.
  }];
}

def QuantizeBias : Pass<"qc-quantize-bias", "::mlir::func::FuncOp"> {
  let summary = "Store biases as int32 at scale s_x * s_w";
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let description = [{
    For Conv, ConvTranspose (group 1) and Gemm (alpha = beta = 1) whose input
    is a per-tensor DequantizeLinear and whose weight is an int8
    DequantizeLinear, a constant 1-D f32 bias becomes an int32 constant at
    scale s_x * s_w[c] (rounded half to even) behind a DequantizeLinear, the
    form an integer kernel adds to its accumulator.
  }];
}

def FuseElementwise : Pass<"qc-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse linalg elementwise producers into consumers that read each value once";
  let description = [{
    linalg's elementwise fusion with its reshape folding, constant folding
    and canonicalizations, restricted to producers with one use whose value
    the consumer reads through a permutation map, so that no producer body
    is recomputed per index of a reduction or broadcast dimension (a
    requantize fused into the integer matmul that reads it would run once
    per output column).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::affine::AffineDialect",
                           "::mlir::tensor::TensorDialect", "::mlir::memref::MemRefDialect"];
}

def FlattenGlobals : Pass<"qc-flatten-globals", "::mlir::ModuleOp"> {
  let summary = "Make every multi-dimensional memref.global one-dimensional";
  let description = [{
    On buffers, before the lowering to LLVM: a memref.global of rank 2 or
    more (static shape, identity layout) becomes a 1-D global of the same
    elements (dense or resource), and each memref.get_global of it a
    get_global of the flat global expanded back to the old shape. The LLVM
    translation would otherwise build one constant per innermost row of a
    nested array type, millions for a model's weights.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def ProfileLayers : Pass<"qc-profile-layers", "::mlir::ModuleOp"> {
  let summary = "Time every layer of the entry function into a profile table";
  let description = [{
    For `quantc compile --profile`, on buffers after
    qc-linalg-to-microkernels: each microkernel call, linalg op and buffer
    copy at the top level of `main` is bracketed by calls of
    `qc_uk_profile_now` and `qc_uk_profile_add`, which sum its time into
    its row of the public globals `qc_profile_layers` (kind, multiply-adds
    per run from the call's `qc.macs`, nanoseconds, calls),
    `qc_profile_count` and `qc_profile_names` (the ONNX node names), laid
    out as lib/Runtime/ProfileTable.h says. `quantc-run --profile` prints
    them.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

def LinalgToMicrokernels : Pass<"qc-linalg-to-microkernels", "::mlir::ModuleOp"> {
  let summary = "Call quantc's packed microkernels for f32 matmul and qck ops";
  let description = [{
    Runs on buffers, after bufferization. f32 `linalg.matmul` and
    `linalg.batch_matmul` (default indexing maps) and `qck.conv2d` become
    calls of the cache-blocked kernels in lib/Kernels (declared as private
    functions taking `index` sizes, strides and element addresses), which
    the code generator links into the model from bitcode. linalg ops whose
    buffers lack the strides a kernel needs are left for the loop path; a
    qck op that no kernel takes is an error.
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
    outermost loop of each kernel is spread over the threads. Of an
    outermost loop, only the leading dimensions that give 64 chunks of work
    stay parallel (the OpenMP lowering collapses parallel dimensions and
    divides to recover each index, which also blocks vectorization of the
    innermost one); loops of fewer than 4096 iterations run sequentially.
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

def FoldQdq : Pass<"qc-fold-qdq", "::mlir::func::FuncOp"> {
  let summary = "Fold DequantizeLinear -> op -> QuantizeLinear chains into integer ops";
  let description = [{
    Explicit quantization, whoever placed the Q/DQ (qc-place-qdq, a QDQ
    model from onnxruntime or QAT). Conv, Gemm and MatMul with 8-bit
    inputs become qc.conv_integer / qc.matmul_integer (i32 accumulator),
    a bias becomes int32 at s_x * s_w[c], and one qc.requantize (fixed-point
    multipliers, round half to even) produces the output's 8-bit values with
    a following Relu/Clip as its clamp range and a following Add of another
    quantized tensor as its residual term. Add, Mul, Relu, Clip and
    GlobalAveragePool between quantized tensors become requantizes; unary
    functions (Sigmoid, Tanh, LeakyRelu, HardSigmoid, HardSwish, Elu, Gelu,
    Exp, Softplus, Abs, Neg) a 256-entry lookup table; MaxPool,
    Reshape, Transpose, Flatten, Squeeze, Unsqueeze, Slice, nearest Resize,
    zero Pad and Concat run on the 8-bit values when both sides share one
    quantization (Concat inputs that do not are requantized to it). Each
    Q/DQ left over gets `qc.unfolded` = the reason (or
    `qc.boundary` at a model input or output).
  }];
}

def FoldBatchNorm : Pass<"qc-fold-batch-norm", "::mlir::func::FuncOp"> {
  let summary = "Fold inference BatchNormalization into the Conv before it";
  let description = [{
    Float cleanup. A BatchNormalization (inference mode, constant
    parameters) whose input is a Conv with a constant f32 filter used only
    by it becomes that Conv's filter and bias: W' = W * k, b' = (b - mean) *
    k + beta, k = scale / sqrt(var + epsilon). The new Conv carries the
    BatchNormalization's location and `qc.folded_batch_norm`.
  }];
}

def EqualizeLayers : Pass<"qc-equalize-layers", "::mlir::func::FuncOp"> {
  let summary = "Cross-layer equalization of Conv -> [Relu] -> Conv pairs";
  let description = [{
    Before calibration (quantc calibrate --equalize): for a Conv whose only
    user is a Conv (directly or through a Relu), output channel c of the
    first and input channel c of the second (plain or depthwise) are scaled
    by 1/s_c and s_c, s_c = sqrt(r1_c / r2_c) with r the channels' max
    |weight|, so both get the range sqrt(r1_c * r2_c). The function is
    unchanged; per-channel ranges even out, which int8 weights (per tensor
    above all) and the activation between them quantize better. Changed
    Convs are marked `qc.equalized`.
  }];
}

#endif // QUANTC_PASSES_TD

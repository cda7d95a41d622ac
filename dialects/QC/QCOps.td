//===- QCOps.td - qc operations --------------------------------*- tablegen -*-===//
//
// One op per ONNX operator. Attribute names, kinds and defaults are ONNX's
// own, so the importer converts attributes generically: INT -> QC_I64Attr,
// FLOAT -> F32Attr, STRING -> StrAttr, INTS -> DenseI64ArrayAttr,
// FLOATS -> DenseF32ArrayAttr, TENSOR -> ElementsAttr.
//
//===----------------------------------------------------------------------===//

#ifndef QC_OPS_TD
#define QC_OPS_TD

include "QCDialect.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

// ONNX INT attributes are signed (negative axes); read them as int64_t.
def QC_I64Attr : TypedSignlessIntegerAttrBase<I64, "int64_t",
                                              "64-bit integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

def QC_Tensor : AnyTypeOf<[AnyRankedTensor, AnyUnrankedTensor]>;
// An ONNX input or output that may be absent (then it is a `none` value).
def QC_OptTensor : AnyTypeOf<[AnyRankedTensor, AnyUnrankedTensor, NoneType],
                             "tensor or none">;
def QC_IntTensor : TensorOf<[AnyInteger]>;
def QC_OptIntTensor : AnyTypeOf<[TensorOf<[AnyInteger]>, NoneType],
                                "integer tensor or none">;
def QC_FloatTensor : TensorOf<[AnyFloat]>;
def QC_BoolTensor : TensorOf<[I1]>;

class QC_Op<string mnemonic, list<Trait> traits = []>
    : Op<QC_Dialect, mnemonic, !listconcat(traits, [NoMemoryEffect])> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

// Shared verifier entry points (QCVerifiers.cpp); ops pick what they need.
def QC_ElementwiseBroadcast : NativeOpTrait<"ResultsBroadcastableShape">;

class QC_UnaryOp<string mnemonic, string summaryText, list<Trait> traits = []>
    : QC_Op<mnemonic, !listconcat(traits, [SameOperandsAndResultShape,
                                           SameOperandsAndResultElementType])> {
  let summary = summaryText;
  let arguments = (ins QC_Tensor:$X);
  let results = (outs QC_Tensor:$Y);
}

class QC_BinaryOp<string mnemonic, string summaryText, list<Trait> traits = []>
    : QC_Op<mnemonic, !listconcat(traits, [QC_ElementwiseBroadcast])> {
  let summary = summaryText;
  let arguments = (ins QC_Tensor:$A, QC_Tensor:$B);
  let results = (outs QC_Tensor:$C);
}

class QC_ArithBinaryOp<string mnemonic, string summaryText>
    : QC_BinaryOp<mnemonic, summaryText, [SameOperandsAndResultElementType]>;

class QC_CompareOp<string mnemonic, string summaryText>
    : QC_BinaryOp<mnemonic, summaryText, [AllElementTypesMatch<["A", "B"]>]> {
  let results = (outs QC_BoolTensor:$C);
}

class QC_LogicalOp<string mnemonic, string summaryText>
    : QC_BinaryOp<mnemonic, summaryText, [SameOperandsAndResultElementType]> {
  let arguments = (ins QC_BoolTensor:$A, QC_BoolTensor:$B);
  let results = (outs QC_BoolTensor:$C);
}

class QC_VariadicOp<string mnemonic, string summaryText>
    : QC_Op<mnemonic, [QC_ElementwiseBroadcast, SameOperandsAndResultElementType]> {
  let summary = summaryText;
  let arguments = (ins Variadic<QC_Tensor>:$data_0);
  let results = (outs QC_Tensor:$result);
  let hasVerifier = 1;
}

// Reductions: `axes` is an input (ONNX 18 form; ReduceSum since 13).
class QC_ReduceOp<string mnemonic, string summaryText>
    : QC_Op<mnemonic, [AllElementTypesMatch<["data", "reduced"]>]> {
  let summary = summaryText;
  let arguments = (ins QC_Tensor:$data, QC_OptIntTensor:$axes,
                   DefaultValuedAttr<QC_I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<QC_I64Attr, "0">:$noop_with_empty_axes);
  let results = (outs QC_Tensor:$reduced);
  let hasVerifier = 1;
}

// Spatial attributes shared by Conv, ConvTranspose, QLinearConv, ConvInteger.
defvar QC_ConvAttrs = (ins DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DefaultValuedAttr<QC_I64Attr, "1">:$group,
                       OptionalAttr<DenseI64ArrayAttr>:$kernel_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);

//===----------------------------------------------------------------------===//
// Structural ops
//===----------------------------------------------------------------------===//

def QC_NoneOp : QC_Op<"none", [ConstantLike]> {
  let summary = "marks an absent optional ONNX input";
  let results = (outs NoneType:$none);
  let assemblyFormat = "attr-dict";
  let hasFolder = 1;
}

def QC_ConstantOp : QC_Op<"constant", [ConstantLike,
                                       AllTypesMatch<["value", "output"]>]> {
  let summary = "ONNX Constant and graph initializers";
  let description = [{
    Large initializers hold a `dense_resource` so weights are not copied into
    the IR's attribute storage and are elided when printing unless asked.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs QC_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

def QC_ReluOp : QC_UnaryOp<"relu", "ONNX Relu">;
def QC_SigmoidOp : QC_UnaryOp<"sigmoid", "ONNX Sigmoid">;
def QC_TanhOp : QC_UnaryOp<"tanh", "ONNX Tanh">;
def QC_ErfOp : QC_UnaryOp<"erf", "ONNX Erf">;
def QC_HardSwishOp : QC_UnaryOp<"hard_swish", "ONNX HardSwish">;
def QC_SqrtOp : QC_UnaryOp<"sqrt", "ONNX Sqrt">;
def QC_ExpOp : QC_UnaryOp<"exp", "ONNX Exp">;
def QC_LogOp : QC_UnaryOp<"log", "ONNX Log">;
def QC_NegOp : QC_UnaryOp<"neg", "ONNX Neg">;
def QC_AbsOp : QC_UnaryOp<"abs", "ONNX Abs">;
def QC_ReciprocalOp : QC_UnaryOp<"reciprocal", "ONNX Reciprocal">;
def QC_FloorOp : QC_UnaryOp<"floor", "ONNX Floor">;
def QC_CeilOp : QC_UnaryOp<"ceil", "ONNX Ceil">;
def QC_RoundOp : QC_UnaryOp<"round", "ONNX Round (half to even)">;
def QC_SinOp : QC_UnaryOp<"sin", "ONNX Sin">;
def QC_CosOp : QC_UnaryOp<"cos", "ONNX Cos">;
def QC_TanOp : QC_UnaryOp<"tan", "ONNX Tan">;
def QC_AsinOp : QC_UnaryOp<"asin", "ONNX Asin">;
def QC_AcosOp : QC_UnaryOp<"acos", "ONNX Acos">;
def QC_AtanOp : QC_UnaryOp<"atan", "ONNX Atan">;
def QC_SinhOp : QC_UnaryOp<"sinh", "ONNX Sinh">;
def QC_CoshOp : QC_UnaryOp<"cosh", "ONNX Cosh">;
def QC_AsinhOp : QC_UnaryOp<"asinh", "ONNX Asinh">;
def QC_AcoshOp : QC_UnaryOp<"acosh", "ONNX Acosh">;
def QC_AtanhOp : QC_UnaryOp<"atanh", "ONNX Atanh">;
def QC_SoftplusOp : QC_UnaryOp<"softplus", "ONNX Softplus">;
def QC_SoftsignOp : QC_UnaryOp<"softsign", "ONNX Softsign">;
def QC_SignOp : QC_UnaryOp<"sign", "ONNX Sign">;
def QC_MishOp : QC_UnaryOp<"mish", "ONNX Mish">;
def QC_IdentityOp : QC_UnaryOp<"identity", "ONNX Identity">;
def QC_NotOp : QC_UnaryOp<"not", "ONNX Not"> {
  let arguments = (ins QC_BoolTensor:$X);
  let results = (outs QC_BoolTensor:$Y);
}

def QC_LeakyReluOp : QC_UnaryOp<"leaky_relu", "ONNX LeakyRelu"> {
  let arguments = (ins QC_Tensor:$X, DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
}
def QC_HardSigmoidOp : QC_UnaryOp<"hard_sigmoid", "ONNX HardSigmoid"> {
  let arguments = (ins QC_Tensor:$X, DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
                   DefaultValuedAttr<F32Attr, "0.5f">:$beta);
}
def QC_EluOp : QC_UnaryOp<"elu", "ONNX Elu"> {
  let arguments = (ins QC_Tensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def QC_CeluOp : QC_UnaryOp<"celu", "ONNX Celu"> {
  let arguments = (ins QC_Tensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def QC_SeluOp : QC_UnaryOp<"selu", "ONNX Selu"> {
  let arguments = (ins QC_Tensor:$X,
                   DefaultValuedAttr<F32Attr, "1.67326319217681884765625f">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.05070102214813232421875f">:$gamma);
}
def QC_ThresholdedReluOp : QC_UnaryOp<"thresholded_relu", "ONNX ThresholdedRelu"> {
  let arguments = (ins QC_Tensor:$X, DefaultValuedAttr<F32Attr, "1.0f">:$alpha);
}
def QC_GeluOp : QC_UnaryOp<"gelu", "ONNX Gelu"> {
  let arguments = (ins QC_Tensor:$X,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$approximate);
  let hasVerifier = 1;
}

def QC_ClipOp : QC_Op<"clip"> {
  let summary = "ONNX Clip (min and max as optional scalar inputs)";
  let arguments = (ins QC_Tensor:$input, QC_OptTensor:$min, QC_OptTensor:$max);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_AddOp : QC_ArithBinaryOp<"add", "ONNX Add">;
def QC_SubOp : QC_ArithBinaryOp<"sub", "ONNX Sub">;
def QC_MulOp : QC_ArithBinaryOp<"mul", "ONNX Mul">;
def QC_DivOp : QC_ArithBinaryOp<"div", "ONNX Div">;
def QC_PowOp : QC_BinaryOp<"pow", "ONNX Pow (exponent may have its own type)",
                           [AllElementTypesMatch<["X", "Z"]>]> {
  let arguments = (ins QC_Tensor:$X, QC_Tensor:$Y);
  let results = (outs QC_Tensor:$Z);
}
def QC_ModOp : QC_ArithBinaryOp<"mod", "ONNX Mod"> {
  let arguments = (ins QC_Tensor:$A, QC_Tensor:$B,
                   DefaultValuedAttr<QC_I64Attr, "0">:$fmod);
}
def QC_PReluOp : QC_ArithBinaryOp<"prelu", "ONNX PRelu"> {
  let arguments = (ins QC_Tensor:$X, QC_Tensor:$slope);
  let results = (outs QC_Tensor:$Y);
}
def QC_EqualOp : QC_CompareOp<"equal", "ONNX Equal">;
def QC_LessOp : QC_CompareOp<"less", "ONNX Less">;
def QC_LessOrEqualOp : QC_CompareOp<"less_or_equal", "ONNX LessOrEqual">;
def QC_GreaterOp : QC_CompareOp<"greater", "ONNX Greater">;
def QC_GreaterOrEqualOp : QC_CompareOp<"greater_or_equal", "ONNX GreaterOrEqual">;
def QC_AndOp : QC_LogicalOp<"and", "ONNX And">;
def QC_OrOp : QC_LogicalOp<"or", "ONNX Or">;
def QC_XorOp : QC_LogicalOp<"xor", "ONNX Xor">;

def QC_WhereOp : QC_Op<"where", [QC_ElementwiseBroadcast,
                                 AllElementTypesMatch<["X", "Y", "output"]>]> {
  let summary = "ONNX Where";
  let arguments = (ins QC_BoolTensor:$condition, QC_Tensor:$X, QC_Tensor:$Y);
  let results = (outs QC_Tensor:$output);
}

def QC_MaxOp : QC_VariadicOp<"max", "ONNX Max">;
def QC_MinOp : QC_VariadicOp<"min", "ONNX Min">;
def QC_SumOp : QC_VariadicOp<"sum", "ONNX Sum">;
def QC_MeanOp : QC_VariadicOp<"mean", "ONNX Mean">;

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

def QC_MatMulOp : QC_Op<"matmul"> {
  let summary = "ONNX MatMul (numpy matmul semantics)";
  let arguments = (ins QC_Tensor:$A, QC_Tensor:$B);
  let results = (outs QC_Tensor:$Y);
  let hasVerifier = 1;
}

def QC_GemmOp : QC_Op<"gemm"> {
  let summary = "ONNX Gemm: alpha * op(A) * op(B) + beta * C";
  let arguments = (ins QC_Tensor:$A, QC_Tensor:$B, QC_OptTensor:$C,
                   DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                   DefaultValuedAttr<F32Attr, "1.0f">:$beta,
                   DefaultValuedAttr<QC_I64Attr, "0">:$transA,
                   DefaultValuedAttr<QC_I64Attr, "0">:$transB);
  let results = (outs QC_Tensor:$Y);
  let hasVerifier = 1;
}

def QC_ConvOp : QC_Op<"conv"> {
  let summary = "ONNX Conv (grouped, depthwise, dilated, padded)";
  let arguments = !con((ins QC_Tensor:$X, QC_Tensor:$W, QC_OptTensor:$B),
                       QC_ConvAttrs);
  let results = (outs QC_Tensor:$Y);
  let hasVerifier = 1;
}

def QC_ConvTransposeOp : QC_Op<"conv_transpose"> {
  let summary = "ONNX ConvTranspose";
  let arguments = !con((ins QC_Tensor:$X, QC_Tensor:$W, QC_OptTensor:$B),
                       QC_ConvAttrs,
                       (ins OptionalAttr<DenseI64ArrayAttr>:$output_padding,
                        OptionalAttr<DenseI64ArrayAttr>:$output_shape));
  let results = (outs QC_Tensor:$Y);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization and softmax
//===----------------------------------------------------------------------===//

class QC_SoftmaxLikeOp<string mnemonic, string summaryText>
    : QC_Op<mnemonic, [SameOperandsAndResultShape,
                       SameOperandsAndResultElementType]> {
  let summary = summaryText;
  let description = "Normalizes along `axis` (ONNX 13 semantics).";
  let arguments = (ins QC_Tensor:$input, DefaultValuedAttr<QC_I64Attr, "-1">:$axis);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}
def QC_SoftmaxOp : QC_SoftmaxLikeOp<"softmax", "ONNX Softmax">;
def QC_LogSoftmaxOp : QC_SoftmaxLikeOp<"log_softmax", "ONNX LogSoftmax">;
def QC_HardmaxOp : QC_SoftmaxLikeOp<"hardmax", "ONNX Hardmax">;

def QC_LayerNormalizationOp : QC_Op<"layer_normalization"> {
  let summary = "ONNX LayerNormalization";
  let arguments = (ins QC_Tensor:$X, QC_Tensor:$Scale, QC_OptTensor:$B,
                   DefaultValuedAttr<QC_I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon,
                   DefaultValuedAttr<QC_I64Attr, "1">:$stash_type);
  let results = (outs QC_Tensor:$Y, QC_OptTensor:$Mean, QC_OptTensor:$InvStdDev);
  let hasVerifier = 1;
}

def QC_BatchNormalizationOp : QC_Op<"batch_normalization"> {
  let summary = "ONNX BatchNormalization (inference form)";
  let arguments = (ins QC_Tensor:$X, QC_Tensor:$scale, QC_Tensor:$B,
                   QC_Tensor:$input_mean, QC_Tensor:$input_var,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon,
                   DefaultValuedAttr<F32Attr, "0.9f">:$momentum,
                   DefaultValuedAttr<QC_I64Attr, "0">:$training_mode);
  let results = (outs QC_Tensor:$Y, QC_OptTensor:$running_mean,
                 QC_OptTensor:$running_var);
  let hasVerifier = 1;
}

def QC_InstanceNormalizationOp : QC_Op<"instance_normalization"> {
  let summary = "ONNX InstanceNormalization";
  let arguments = (ins QC_Tensor:$input, QC_Tensor:$scale, QC_Tensor:$B,
                   DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_DropoutOp : QC_Op<"dropout"> {
  let summary = "ONNX Dropout (identity at inference)";
  let arguments = (ins QC_Tensor:$data, QC_OptTensor:$ratio,
                   QC_OptTensor:$training_mode, OptionalAttr<QC_I64Attr>:$seed);
  let results = (outs QC_Tensor:$output, QC_OptTensor:$mask);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def QC_MaxPoolOp : QC_Op<"max_pool"> {
  let summary = "ONNX MaxPool";
  let arguments = (ins QC_Tensor:$X,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<QC_I64Attr, "0">:$ceil_mode,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   DefaultValuedAttr<QC_I64Attr, "0">:$storage_order,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs QC_Tensor:$Y, QC_OptTensor:$Indices);
  let hasVerifier = 1;
}

def QC_AveragePoolOp : QC_Op<"average_pool"> {
  let summary = "ONNX AveragePool";
  let arguments = (ins QC_Tensor:$X,
                   DefaultValuedAttr<StrAttr, "\"NOTSET\"">:$auto_pad,
                   DefaultValuedAttr<QC_I64Attr, "0">:$ceil_mode,
                   DefaultValuedAttr<QC_I64Attr, "0">:$count_include_pad,
                   OptionalAttr<DenseI64ArrayAttr>:$dilations,
                   DenseI64ArrayAttr:$kernel_shape,
                   OptionalAttr<DenseI64ArrayAttr>:$pads,
                   OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs QC_Tensor:$Y);
  let hasVerifier = 1;
}

class QC_GlobalPoolOp<string mnemonic, string summaryText>
    : QC_Op<mnemonic, [SameOperandsAndResultElementType]> {
  let summary = summaryText;
  let arguments = (ins QC_Tensor:$X);
  let results = (outs QC_Tensor:$Y);
  let hasVerifier = 1;
}
def QC_GlobalAveragePoolOp : QC_GlobalPoolOp<"global_average_pool",
                                             "ONNX GlobalAveragePool">;
def QC_GlobalMaxPoolOp : QC_GlobalPoolOp<"global_max_pool", "ONNX GlobalMaxPool">;

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def QC_ReduceMeanOp : QC_ReduceOp<"reduce_mean", "ONNX ReduceMean">;
def QC_ReduceSumOp : QC_ReduceOp<"reduce_sum", "ONNX ReduceSum">;
def QC_ReduceMaxOp : QC_ReduceOp<"reduce_max", "ONNX ReduceMax">;
def QC_ReduceMinOp : QC_ReduceOp<"reduce_min", "ONNX ReduceMin">;
def QC_ReduceProdOp : QC_ReduceOp<"reduce_prod", "ONNX ReduceProd">;
def QC_ReduceL1Op : QC_ReduceOp<"reduce_l1", "ONNX ReduceL1">;
def QC_ReduceL2Op : QC_ReduceOp<"reduce_l2", "ONNX ReduceL2">;
def QC_ReduceLogSumOp : QC_ReduceOp<"reduce_log_sum", "ONNX ReduceLogSum">;
def QC_ReduceLogSumExpOp : QC_ReduceOp<"reduce_log_sum_exp", "ONNX ReduceLogSumExp">;
def QC_ReduceSumSquareOp : QC_ReduceOp<"reduce_sum_square", "ONNX ReduceSumSquare">;

class QC_ArgReduceOp<string mnemonic, string summaryText> : QC_Op<mnemonic> {
  let summary = summaryText;
  let arguments = (ins QC_Tensor:$data, DefaultValuedAttr<QC_I64Attr, "0">:$axis,
                   DefaultValuedAttr<QC_I64Attr, "1">:$keepdims,
                   DefaultValuedAttr<QC_I64Attr, "0">:$select_last_index);
  let results = (outs TensorOf<[I64]>:$reduced);
  let hasVerifier = 1;
}
def QC_ArgMaxOp : QC_ArgReduceOp<"arg_max", "ONNX ArgMax">;
def QC_ArgMinOp : QC_ArgReduceOp<"arg_min", "ONNX ArgMin">;

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def QC_ReshapeOp : QC_Op<"reshape", [AllElementTypesMatch<["data", "reshaped"]>]> {
  let summary = "ONNX Reshape";
  let arguments = (ins QC_Tensor:$data, TensorOf<[I64]>:$shape,
                   DefaultValuedAttr<QC_I64Attr, "0">:$allowzero);
  let results = (outs QC_Tensor:$reshaped);
  let hasVerifier = 1;
}

def QC_TransposeOp : QC_Op<"transpose", [SameOperandsAndResultElementType]> {
  let summary = "ONNX Transpose";
  let arguments = (ins QC_Tensor:$data, OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs QC_Tensor:$transposed);
  let hasVerifier = 1;
}

def QC_FlattenOp : QC_Op<"flatten", [SameOperandsAndResultElementType]> {
  let summary = "ONNX Flatten";
  let arguments = (ins QC_Tensor:$input, DefaultValuedAttr<QC_I64Attr, "1">:$axis);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_SqueezeOp : QC_Op<"squeeze", [AllElementTypesMatch<["data", "squeezed"]>]> {
  let summary = "ONNX Squeeze (axes as input, ONNX 13 form)";
  let arguments = (ins QC_Tensor:$data, QC_OptIntTensor:$axes);
  let results = (outs QC_Tensor:$squeezed);
  let hasVerifier = 1;
}

def QC_UnsqueezeOp : QC_Op<"unsqueeze", [AllElementTypesMatch<["data", "expanded"]>]> {
  let summary = "ONNX Unsqueeze (axes as input, ONNX 13 form)";
  let arguments = (ins QC_Tensor:$data, QC_IntTensor:$axes);
  let results = (outs QC_Tensor:$expanded);
  let hasVerifier = 1;
}

def QC_ConcatOp : QC_Op<"concat", [SameOperandsAndResultElementType]> {
  let summary = "ONNX Concat";
  let arguments = (ins Variadic<QC_Tensor>:$inputs, QC_I64Attr:$axis);
  let results = (outs QC_Tensor:$concat_result);
  let hasVerifier = 1;
}

def QC_SplitOp : QC_Op<"split"> {
  let summary = "ONNX Split (split sizes as input, ONNX 18 form)";
  let arguments = (ins QC_Tensor:$input, QC_OptIntTensor:$split,
                   DefaultValuedAttr<QC_I64Attr, "0">:$axis,
                   OptionalAttr<QC_I64Attr>:$num_outputs);
  let results = (outs Variadic<QC_Tensor>:$outputs);
  let hasVerifier = 1;
}

def QC_SliceOp : QC_Op<"slice", [AllElementTypesMatch<["data", "output"]>]> {
  let summary = "ONNX Slice";
  let arguments = (ins QC_Tensor:$data, QC_IntTensor:$starts, QC_IntTensor:$ends,
                   QC_OptIntTensor:$axes, QC_OptIntTensor:$steps);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_GatherOp : QC_Op<"gather", [AllElementTypesMatch<["data", "output"]>]> {
  let summary = "ONNX Gather";
  let arguments = (ins QC_Tensor:$data, QC_IntTensor:$indices,
                   DefaultValuedAttr<QC_I64Attr, "0">:$axis);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_GatherElementsOp : QC_Op<"gather_elements",
                                [AllElementTypesMatch<["data", "output"]>]> {
  let summary = "ONNX GatherElements";
  let arguments = (ins QC_Tensor:$data, QC_IntTensor:$indices,
                   DefaultValuedAttr<QC_I64Attr, "0">:$axis);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_PadOp : QC_Op<"pad", [AllElementTypesMatch<["data", "output"]>]> {
  let summary = "ONNX Pad (pads, constant_value and axes as inputs)";
  let arguments = (ins QC_Tensor:$data, TensorOf<[I64]>:$pads,
                   QC_OptTensor:$constant_value, QC_OptIntTensor:$axes,
                   DefaultValuedAttr<StrAttr, "\"constant\"">:$mode);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_ResizeOp : QC_Op<"resize", [AllElementTypesMatch<["X", "Y"]>]> {
  let summary = "ONNX Resize (opset 11+ inputs roi, scales, sizes)";
  let arguments = (ins QC_Tensor:$X, QC_OptTensor:$roi, QC_OptTensor:$scales,
                   QC_OptIntTensor:$sizes,
                   DefaultValuedAttr<QC_I64Attr, "0">:$antialias,
                   OptionalAttr<DenseI64ArrayAttr>:$axes,
                   DefaultValuedAttr<StrAttr, "\"half_pixel\"">:$coordinate_transformation_mode,
                   DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
                   DefaultValuedAttr<QC_I64Attr, "0">:$exclude_outside,
                   DefaultValuedAttr<F32Attr, "0.0f">:$extrapolation_value,
                   DefaultValuedAttr<StrAttr, "\"stretch\"">:$keep_aspect_ratio_policy,
                   DefaultValuedAttr<StrAttr, "\"nearest\"">:$mode,
                   DefaultValuedAttr<StrAttr, "\"round_prefer_floor\"">:$nearest_mode);
  let results = (outs QC_Tensor:$Y);
  let hasVerifier = 1;
}

def QC_ExpandOp : QC_Op<"expand", [AllElementTypesMatch<["input", "output"]>]> {
  let summary = "ONNX Expand";
  let arguments = (ins QC_Tensor:$input, TensorOf<[I64]>:$shape);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_TileOp : QC_Op<"tile", [AllElementTypesMatch<["input", "output"]>]> {
  let summary = "ONNX Tile";
  let arguments = (ins QC_Tensor:$input, TensorOf<[I64]>:$repeats);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_DepthToSpaceOp : QC_Op<"depth_to_space", [SameOperandsAndResultElementType]> {
  let summary = "ONNX DepthToSpace";
  let arguments = (ins QC_Tensor:$input, QC_I64Attr:$blocksize,
                   DefaultValuedAttr<StrAttr, "\"DCR\"">:$mode);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_SpaceToDepthOp : QC_Op<"space_to_depth", [SameOperandsAndResultElementType]> {
  let summary = "ONNX SpaceToDepth";
  let arguments = (ins QC_Tensor:$input, QC_I64Attr:$blocksize);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_TriluOp : QC_Op<"trilu", [AllElementTypesMatch<["input", "output"]>]> {
  let summary = "ONNX Trilu";
  let arguments = (ins QC_Tensor:$input, QC_OptIntTensor:$k,
                   DefaultValuedAttr<QC_I64Attr, "1">:$upper);
  let results = (outs QC_Tensor:$output);
}

def QC_CumSumOp : QC_Op<"cum_sum", [AllElementTypesMatch<["x", "y"]>]> {
  let summary = "ONNX CumSum";
  let arguments = (ins QC_Tensor:$x, QC_IntTensor:$axis,
                   DefaultValuedAttr<QC_I64Attr, "0">:$exclusive,
                   DefaultValuedAttr<QC_I64Attr, "0">:$reverse);
  let results = (outs QC_Tensor:$y);
}

//===----------------------------------------------------------------------===//
// Types, shapes and constants
//===----------------------------------------------------------------------===//

def QC_CastOp : QC_Op<"cast", [SameOperandsAndResultShape]> {
  let summary = "ONNX Cast (float to integer truncates toward zero)";
  let arguments = (ins QC_Tensor:$input, QC_I64Attr:$to,
                   DefaultValuedAttr<QC_I64Attr, "1">:$saturate);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_CastLikeOp : QC_Op<"cast_like", [AllElementTypesMatch<["target_type", "output"]>]> {
  let summary = "ONNX CastLike";
  let arguments = (ins QC_Tensor:$input, QC_Tensor:$target_type,
                   DefaultValuedAttr<QC_I64Attr, "1">:$saturate);
  let results = (outs QC_Tensor:$output);
}

def QC_ShapeOp : QC_Op<"shape"> {
  let summary = "ONNX Shape";
  let arguments = (ins QC_Tensor:$data, DefaultValuedAttr<QC_I64Attr, "0">:$start,
                   OptionalAttr<QC_I64Attr>:$end);
  let results = (outs TensorOf<[I64]>:$shape);
  let hasVerifier = 1;
}

def QC_SizeOp : QC_Op<"size"> {
  let summary = "ONNX Size";
  let arguments = (ins QC_Tensor:$data);
  let results = (outs 0DTensorOf<[I64]>:$size);
}

def QC_ConstantOfShapeOp : QC_Op<"constant_of_shape"> {
  let summary = "ONNX ConstantOfShape";
  let arguments = (ins TensorOf<[I64]>:$input, OptionalAttr<ElementsAttr>:$value);
  let results = (outs QC_Tensor:$output);
  let hasVerifier = 1;
}

def QC_RangeOp : QC_Op<"range", [AllElementTypesMatch<["start", "limit", "delta", "output"]>]> {
  let summary = "ONNX Range";
  let arguments = (ins QC_Tensor:$start, QC_Tensor:$limit, QC_Tensor:$delta);
  let results = (outs QC_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

def QC_QuantizeLinearOp : QC_Op<"quantize_linear"> {
  let summary = "ONNX QuantizeLinear (per-tensor, per-axis, blocked)";
  let description = [{
    y = saturate(round_half_to_even(x / y_scale) + y_zero_point).
    When scale and zero point are constants the importer records them as a
    quant dialect type in `qtype` (`!quant.uniform`, per-axis or sub-channel),
    which later passes read instead of chasing constants.
  }];
  let arguments = (ins QC_Tensor:$x, QC_Tensor:$y_scale, QC_OptTensor:$y_zero_point,
                   DefaultValuedAttr<QC_I64Attr, "1">:$axis,
                   DefaultValuedAttr<QC_I64Attr, "0">:$block_size,
                   DefaultValuedAttr<QC_I64Attr, "0">:$output_dtype,
                   DefaultValuedAttr<QC_I64Attr, "1">:$saturate,
                   OptionalAttr<TypeAttr>:$qtype);
  let results = (outs QC_Tensor:$y);
  let hasVerifier = 1;
}

def QC_DequantizeLinearOp : QC_Op<"dequantize_linear"> {
  let summary = "ONNX DequantizeLinear (per-tensor, per-axis, blocked)";
  let description = "y = (x - x_zero_point) * x_scale; `qtype` as in quantize_linear.";
  let arguments = (ins QC_Tensor:$x, QC_Tensor:$x_scale, QC_OptTensor:$x_zero_point,
                   DefaultValuedAttr<QC_I64Attr, "1">:$axis,
                   DefaultValuedAttr<QC_I64Attr, "0">:$block_size,
                   OptionalAttr<TypeAttr>:$qtype);
  let results = (outs QC_Tensor:$y);
  let hasVerifier = 1;
}

def QC_DynamicQuantizeLinearOp : QC_Op<"dynamic_quantize_linear"> {
  let summary = "ONNX DynamicQuantizeLinear (uint8, scale from the data range)";
  let arguments = (ins TensorOf<[F32]>:$x);
  let results = (outs TensorOf<[UI8]>:$y, 0DTensorOf<[F32]>:$y_scale,
                 0DTensorOf<[UI8]>:$y_zero_point);
}

def QC_QLinearConvOp : QC_Op<"qlinear_conv"> {
  let summary = "ONNX QLinearConv";
  let arguments = !con((ins QC_IntTensor:$x, QC_FloatTensor:$x_scale,
                        QC_IntTensor:$x_zero_point, QC_IntTensor:$w,
                        QC_FloatTensor:$w_scale, QC_IntTensor:$w_zero_point,
                        QC_FloatTensor:$y_scale, QC_IntTensor:$y_zero_point,
                        QC_OptIntTensor:$B),
                       QC_ConvAttrs);
  let results = (outs QC_IntTensor:$y);
  let hasVerifier = 1;
}

def QC_QLinearMatMulOp : QC_Op<"qlinear_matmul"> {
  let summary = "ONNX QLinearMatMul";
  let arguments = (ins QC_IntTensor:$a, QC_FloatTensor:$a_scale,
                   QC_IntTensor:$a_zero_point, QC_IntTensor:$b,
                   QC_FloatTensor:$b_scale, QC_IntTensor:$b_zero_point,
                   QC_FloatTensor:$y_scale, QC_IntTensor:$y_zero_point);
  let results = (outs QC_IntTensor:$y);
  let hasVerifier = 1;
}

def QC_ConvIntegerOp : QC_Op<"conv_integer"> {
  let summary = "ONNX ConvInteger (int32 accumulation)";
  let arguments = !con((ins QC_IntTensor:$x, QC_IntTensor:$w,
                        QC_OptIntTensor:$x_zero_point, QC_OptIntTensor:$w_zero_point),
                       QC_ConvAttrs);
  let results = (outs TensorOf<[I32]>:$y);
  let hasVerifier = 1;
}

def QC_MatMulIntegerOp : QC_Op<"matmul_integer"> {
  let summary = "ONNX MatMulInteger (int32 accumulation)";
  let arguments = (ins QC_IntTensor:$A, QC_IntTensor:$B,
                   QC_OptIntTensor:$a_zero_point, QC_OptIntTensor:$b_zero_point);
  let results = (outs TensorOf<[I32]>:$Y);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Integer kernels (the compiler's own ops, produced by qc-fold-qdq)
//===----------------------------------------------------------------------===//

def QC_RequantizeOp : QC_Op<"requantize", [QC_ElementwiseBroadcast]> {
  let summary = "Integer rescale: fixed-point multiply, round, zero point, clamp";
  let description = [{
    Per element, with c the index along `axis` when the multipliers are per
    channel (else 0), computed exactly in 64-bit integers:
    ```
    t = (input - input_zero_point) * multiplier[c]
      + (residual - residual_zero_point) * residual_multiplier[c]
    output = clamp(round(t / 2^shift[c]) + output_zero_point, clamp_min, clamp_max)
    ```
    `round` is `rounding`: "half_to_even" or "half_away_from_zero"; shifts
    are in [1, 62] and multipliers fit in 32 bits. The real
    scale of the input term is multiplier[c] * 2^-shift[c]. The residual
    term is optional; input and residual broadcast to the output (numpy
    rules). An i32 convolution or matmul accumulator requantized to i8/u8 is
    the input term; a residual Add fused into it, or a quantized Add on its
    own, is the residual term; a fused Relu/Clip is the clamp range.
  }];
  let arguments = (ins QC_IntTensor:$input, Optional<QC_IntTensor>:$residual,
                   DenseI64ArrayAttr:$multiplier, DenseI64ArrayAttr:$shift,
                   OptionalAttr<DenseI64ArrayAttr>:$residual_multiplier,
                   DefaultValuedAttr<QC_I64Attr, "1">:$axis,
                   DefaultValuedAttr<QC_I64Attr, "0">:$input_zero_point,
                   DefaultValuedAttr<QC_I64Attr, "0">:$residual_zero_point,
                   DefaultValuedAttr<QC_I64Attr, "0">:$output_zero_point,
                   QC_I64Attr:$clamp_min, QC_I64Attr:$clamp_max,
                   DefaultValuedAttr<StrAttr, "\"half_to_even\"">:$rounding);
  let results = (outs QC_IntTensor:$output);
  let hasVerifier = 1;
}

#endif // QC_OPS_TD

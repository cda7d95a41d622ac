//===- OnnxOpTable.cpp - the ONNX operators quantc imports ----------------===//
//
// For each ONNX operator: its qc op, the number of ONNX inputs and outputs
// (-1: variadic) and every opset version in which the operator changed
// (from the ONNX operator changelog). The importer resolves a node to the
// newest version <= the model's opset and upgrades old forms to qc's form.
//
//===----------------------------------------------------------------------===//
#include "Import/OnnxOpTable.h"

#include "llvm/ADT/StringMap.h"

namespace qc {

static const OnnxOpSpec kOnnxOps[] = {
    {"Constant", "qc.constant", 0, 1, {1,9,11,12,13,19,21,23,24,25}},
    {"Relu", "qc.relu", 1, 1, {1,6,13,14}},
    {"Sigmoid", "qc.sigmoid", 1, 1, {1,6,13}},
    {"Tanh", "qc.tanh", 1, 1, {1,6,13}},
    {"Erf", "qc.erf", 1, 1, {9,13}},
    {"HardSwish", "qc.hard_swish", 1, 1, {14,22}},
    {"Sqrt", "qc.sqrt", 1, 1, {1,6,13}},
    {"Exp", "qc.exp", 1, 1, {1,6,13}},
    {"Log", "qc.log", 1, 1, {1,6,13}},
    {"Neg", "qc.neg", 1, 1, {1,6,13}},
    {"Abs", "qc.abs", 1, 1, {1,6,13}},
    {"Reciprocal", "qc.reciprocal", 1, 1, {1,6,13}},
    {"Floor", "qc.floor", 1, 1, {1,6,13}},
    {"Ceil", "qc.ceil", 1, 1, {1,6,13}},
    {"Round", "qc.round", 1, 1, {11,22}},
    {"Sin", "qc.sin", 1, 1, {7,22}},
    {"Cos", "qc.cos", 1, 1, {7,22}},
    {"Tan", "qc.tan", 1, 1, {7,22}},
    {"Asin", "qc.asin", 1, 1, {7,22}},
    {"Acos", "qc.acos", 1, 1, {7,22}},
    {"Atan", "qc.atan", 1, 1, {7,22}},
    {"Sinh", "qc.sinh", 1, 1, {9,22}},
    {"Cosh", "qc.cosh", 1, 1, {9,22}},
    {"Asinh", "qc.asinh", 1, 1, {9,22}},
    {"Acosh", "qc.acosh", 1, 1, {9,22}},
    {"Atanh", "qc.atanh", 1, 1, {9,22}},
    {"Softplus", "qc.softplus", 1, 1, {1,22}},
    {"Softsign", "qc.softsign", 1, 1, {1,22}},
    {"Sign", "qc.sign", 1, 1, {9,13}},
    {"Mish", "qc.mish", 1, 1, {18,22}},
    {"Identity", "qc.identity", 1, 1, {1,13,14,16,19,21,23,24,25}},
    {"Not", "qc.not", 1, 1, {1}},
    {"LeakyRelu", "qc.leaky_relu", 1, 1, {1,6,16}},
    {"HardSigmoid", "qc.hard_sigmoid", 1, 1, {1,6,22}},
    {"Elu", "qc.elu", 1, 1, {1,6,22}},
    {"Celu", "qc.celu", 1, 1, {12,28}},
    {"Selu", "qc.selu", 1, 1, {1,6,22}},
    {"ThresholdedRelu", "qc.thresholded_relu", 1, 1, {10,22}},
    {"Gelu", "qc.gelu", 1, 1, {20}},
    {"Clip", "qc.clip", 3, 1, {1,6,11,12,13}},
    {"Add", "qc.add", 2, 1, {1,6,7,13,14}},
    {"Sub", "qc.sub", 2, 1, {1,6,7,13,14}},
    {"Mul", "qc.mul", 2, 1, {1,6,7,13,14}},
    {"Div", "qc.div", 2, 1, {1,6,7,13,14}},
    {"Pow", "qc.pow", 2, 1, {1,7,12,13,15}},
    {"Mod", "qc.mod", 2, 1, {10,13,28}},
    {"PRelu", "qc.prelu", 2, 1, {1,6,7,9,16}},
    {"Equal", "qc.equal", 2, 1, {1,7,11,13,19}},
    {"Less", "qc.less", 2, 1, {1,7,9,13}},
    {"LessOrEqual", "qc.less_or_equal", 2, 1, {12,16}},
    {"Greater", "qc.greater", 2, 1, {1,7,9,13}},
    {"GreaterOrEqual", "qc.greater_or_equal", 2, 1, {12,16}},
    {"And", "qc.and", 2, 1, {1,7}},
    {"Or", "qc.or", 2, 1, {1,7}},
    {"Xor", "qc.xor", 2, 1, {1,7}},
    {"Where", "qc.where", 3, 1, {9,16}},
    {"Max", "qc.max", -1, 1, {1,6,8,12,13}},
    {"Min", "qc.min", -1, 1, {1,6,8,12,13}},
    {"Sum", "qc.sum", -1, 1, {1,6,8,13}},
    {"Mean", "qc.mean", -1, 1, {1,6,8,13}},
    {"MatMul", "qc.matmul", 2, 1, {1,9,13}},
    {"Gemm", "qc.gemm", 3, 1, {1,6,7,9,11,13}},
    {"Conv", "qc.conv", 3, 1, {1,11,22}},
    {"ConvTranspose", "qc.conv_transpose", 3, 1, {1,11,22}},
    {"Softmax", "qc.softmax", 1, 1, {1,11,13}},
    {"LogSoftmax", "qc.log_softmax", 1, 1, {1,11,13}},
    {"Hardmax", "qc.hardmax", 1, 1, {1,11,13}},
    {"LayerNormalization", "qc.layer_normalization", 3, 3, {17}},
    {"BatchNormalization", "qc.batch_normalization", 5, 3, {1,6,7,9,14,15}},
    {"InstanceNormalization", "qc.instance_normalization", 3, 1, {1,6,22}},
    {"Dropout", "qc.dropout", 3, 2, {1,6,7,10,12,13,22}},
    {"MaxPool", "qc.max_pool", 1, 2, {1,8,10,11,12,22}},
    {"AveragePool", "qc.average_pool", 1, 1, {1,7,10,11,19,22}},
    {"GlobalAveragePool", "qc.global_average_pool", 1, 1, {1,22}},
    {"GlobalMaxPool", "qc.global_max_pool", 1, 1, {1,22}},
    {"ReduceMean", "qc.reduce_mean", 2, 1, {1,11,13,18}},
    {"ReduceSum", "qc.reduce_sum", 2, 1, {1,11,13}},
    {"ReduceMax", "qc.reduce_max", 2, 1, {1,11,12,13,18,20}},
    {"ReduceMin", "qc.reduce_min", 2, 1, {1,11,12,13,18,20}},
    {"ReduceProd", "qc.reduce_prod", 2, 1, {1,11,13,18}},
    {"ReduceL1", "qc.reduce_l1", 2, 1, {1,11,13,18}},
    {"ReduceL2", "qc.reduce_l2", 2, 1, {1,11,13,18}},
    {"ReduceLogSum", "qc.reduce_log_sum", 2, 1, {1,11,13,18,28}},
    {"ReduceLogSumExp", "qc.reduce_log_sum_exp", 2, 1, {1,11,13,18,28}},
    {"ReduceSumSquare", "qc.reduce_sum_square", 2, 1, {1,11,13,18}},
    {"ArgMax", "qc.arg_max", 1, 1, {1,11,12,13}},
    {"ArgMin", "qc.arg_min", 1, 1, {1,11,12,13}},
    {"Reshape", "qc.reshape", 2, 1, {1,5,13,14,19,21,23,24,25}},
    {"Transpose", "qc.transpose", 1, 1, {1,13,21,23,24,25}},
    {"Flatten", "qc.flatten", 1, 1, {1,9,11,13,21,23,24,25}},
    {"Squeeze", "qc.squeeze", 2, 1, {1,11,13,21,23,24,25}},
    {"Unsqueeze", "qc.unsqueeze", 2, 1, {1,11,13,21,23,24,25}},
    {"Concat", "qc.concat", -1, 1, {1,4,11,13}},
    {"Split", "qc.split", 2, -1, {1,2,11,13,18}},
    {"Slice", "qc.slice", 5, 1, {1,10,11,13}},
    {"Gather", "qc.gather", 2, 1, {1,11,13}},
    {"GatherElements", "qc.gather_elements", 2, 1, {11,13}},
    {"Pad", "qc.pad", 4, 1, {1,2,11,13,18,19,21,23,24,25}},
    {"Resize", "qc.resize", 4, 1, {10,11,13,18,19}},
    {"Expand", "qc.expand", 2, 1, {8,13}},
    {"Tile", "qc.tile", 2, 1, {1,6,13}},
    {"DepthToSpace", "qc.depth_to_space", 1, 1, {1,11,13,28}},
    {"SpaceToDepth", "qc.space_to_depth", 1, 1, {1,13,28}},
    {"Trilu", "qc.trilu", 2, 1, {14}},
    {"CumSum", "qc.cum_sum", 2, 1, {11,14}},
    {"Cast", "qc.cast", 1, 1, {1,6,9,13,19,21,23,24,25,28}},
    {"CastLike", "qc.cast_like", 2, 1, {15,19,21,23,24,25}},
    {"Shape", "qc.shape", 1, 1, {1,13,15,19,21,23,24,25}},
    {"Size", "qc.size", 1, 1, {1,13,19,21,23,24,25}},
    {"ConstantOfShape", "qc.constant_of_shape", 1, 1, {9,20,21,23,24,25}},
    {"Range", "qc.range", 3, 1, {11,27}},
    {"QuantizeLinear", "qc.quantize_linear", 3, 1, {10,13,19,21,23,24,25,28}},
    {"DequantizeLinear", "qc.dequantize_linear", 3, 1, {10,13,19,21,23,24,25,28}},
    {"DynamicQuantizeLinear", "qc.dynamic_quantize_linear", 1, 3, {11}},
    {"QLinearConv", "qc.qlinear_conv", 9, 1, {10}},
    {"QLinearMatMul", "qc.qlinear_matmul", 8, 1, {10,21}},
    {"ConvInteger", "qc.conv_integer", 4, 1, {10}},
    {"MatMulInteger", "qc.matmul_integer", 4, 1, {10}},
};

const OnnxOpSpec *lookupOnnxOp(llvm::StringRef opType) {
  static const llvm::StringMap<const OnnxOpSpec *> index = [] {
    llvm::StringMap<const OnnxOpSpec *> map;
    for (const OnnxOpSpec &spec : kOnnxOps)
      map[spec.onnxType] = &spec;
    return map;
  }();
  auto it = index.find(opType);
  return it == index.end() ? nullptr : it->second;
}

llvm::ArrayRef<OnnxOpSpec> getOnnxOpTable() { return kOnnxOps; }

// What onnxruntime's quantize_static writes in QOperator format besides
// QLinearConv and QLinearMatMul (from its contrib operator schemas).
static const QLinearContribSpec kQLinearContribOps[] = {
    {"QLinearAdd", "Add", 2, 1},
    {"QLinearMul", "Mul", 2, 1},
    {"QLinearSigmoid", "Sigmoid", 1, 1},
    {"QLinearLeakyRelu", "LeakyRelu", 1, 1},
    {"QLinearAveragePool", "AveragePool", 1, 1},
    {"QLinearGlobalAveragePool", "GlobalAveragePool", 1, 1},
    {"QLinearConcat", "Concat", -1, 1},
};

const QLinearContribSpec *lookupQLinearContribOp(llvm::StringRef opType) {
  for (const QLinearContribSpec &spec : kQLinearContribOps)
    if (spec.onnxType == opType)
      return &spec;
  return nullptr;
}

llvm::ArrayRef<QLinearContribSpec> getQLinearContribOpTable() { return kQLinearContribOps; }

int64_t OnnxOpSpec::resolveVersion(int64_t opset) const {
  int64_t resolved = 0;
  for (int v : versions)
    if (v != 0 && v <= opset)
      resolved = v;
  return resolved;
}

} // namespace qc

//===- Quantization.h - where quantization goes, and Q/DQ helpers -*- C++ -*-===//
//
// One statement of the rules that decide which tensors are quantized, shared
// by the calibration observers, Q/DQ placement, scale propagation and the
// QDQ ONNX export, so that they cannot disagree:
//
//  - activations: input 0 of Conv, ConvTranspose and GlobalAveragePool,
//    inputs 0 and 1 of MatMul and Gemm, and of Add when neither is a
//    constant (an Add of a constant is a bias that folds into the
//    contraction before it), when f32 and not constant;
//  - weights: the constant filter of Conv/ConvTranspose and the constant B
//    of MatMul/Gemm, int8 symmetric per output channel;
//  - ops whose output takes its input's scale unchanged (they commute with
//    quantization: op(Q(x)) == Q(op(x))) and move data: MaxPool, Reshape,
//    Transpose, Flatten, Squeeze, Unsqueeze, Slice, Pad with zeros, nearest
//    Resize; Concat, whose inputs share one scale. Relu and Clip commute
//    too, but are not carried through: they fuse into the requantize of
//    the kernel that produces their input.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_QUANTIZATION_H
#define QUANTC_PASSES_QUANTIZATION_H

#include "Calibration/Table.h"
#include "QC/QCOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>

namespace qc {

// The module attribute holding the calibration: a dictionary from ONNX
// tensor name to its per-tensor `!quant.uniform` type.
inline constexpr llvm::StringLiteral kCalibrationAttr = "qc.calibration";
// Layers (ONNX node names) that stay float whatever the calibration says.
inline constexpr llvm::StringLiteral kFloatLayersAttr = "qc.float_layers";
// Per-layer bias corrections: node name -> f32 array, one per output channel.
inline constexpr llvm::StringLiteral kBiasCorrectionsAttr = "qc.bias_corrections";
// Per-layer int8 weights from data-aware rounding: node name -> 1-D i8
// tensor of the weight's values in its layout, used instead of rounding the
// weight to nearest (the scales stay max|w| / 127 per output channel).
inline constexpr llvm::StringLiteral kRoundedWeightsAttr = "qc.rounded_weights";

// A ranked f32 tensor that is not a constant.
bool isQuantizableActivation(mlir::Value value);

// The operand numbers of `op` whose activations are quantized.
llvm::SmallVector<unsigned, 2> quantizedActivationOperands(mlir::Operation *op);

struct WeightOperand {
  unsigned operand;
  // The output-channel axis of the weight; none means per-tensor.
  std::optional<int64_t> axis;
};
// The weight operand of `op` quantized per channel, if the op has one.
std::optional<WeightOperand> quantizedWeightOperand(mlir::Operation *op);

// The bias that qc-quantize-bias stores as int32 at scale s_x * s_w[c]:
// its operand number and the weight's output-channel axis.
struct BiasOperand {
  unsigned operand;
  int64_t weightAxis;
};
// Conv, ConvTranspose of one group and Gemm with alpha = beta = 1.
std::optional<BiasOperand> quantizedBiasOperand(mlir::Operation *op);
// The largest |bias / (s_x * s_w[c])| qc-quantize-bias stores at the
// weight's own scale (2^30, leaving the int32 accumulator headroom); for a
// larger one it raises s_w[c] until the bias fits.
constexpr float kMaxBiasSteps = 1073741824.0f;

// The Add that is a MatMul's bias: the MatMul result's only user, adding
// a constant f32 vector of one value per output column; with the operand
// number of that constant.
std::optional<std::pair<AddOp, unsigned>> matmulBiasAdd(MatMulOp matmul);

// True if `op`'s result takes the scale of its operand 0 unchanged.
bool preservesScale(mlir::Operation *op);

// The quantized activations of a module in a fixed order (the walk order of
// the ops that use them), each with the name calibration gives it: its ONNX
// name, or `tensor_<index>` when it has none.
struct QuantizedActivation {
  mlir::Value value;
  std::string name;
};
llvm::SmallVector<QuantizedActivation> collectQuantizedActivations(mlir::ModuleOp module);

// Records a calibration table on the module as its `qc.calibration`, with
// its FP32 layers and bias corrections.
void setCalibration(mlir::ModuleOp module, const calib::Table &table);

// A QuantizeLinear -> DequantizeLinear pair on `value` with per-tensor type
// `type`, right after its definition; an existing pair of the same type is
// reused. Returns the dequantized value.
mlir::Value quantizeDequantize(mlir::OpBuilder &builder, mlir::Value value,
                               mlir::quant::UniformQuantizedType type);

// The QuantizeLinear of `value` with a per-tensor type, if there is one.
QuantizeLinearOp findPerTensorQuantize(mlir::Value value);

// The per-tensor type of a Q/DQ op, or null.
mlir::quant::UniformQuantizedType perTensorType(mlir::Operation *qdq);

// A constant tensor of `type` holding `data`, stored as a resource blob when
// large (as the importer stores weights).
mlir::Value createConstant(mlir::OpBuilder &builder, mlir::Location loc,
                           mlir::RankedTensorType type, llvm::ArrayRef<char> data,
                           llvm::StringRef name);

// A constant of signed `bits`-bit integers (int8 weights, int32 biases)
// behind a DequantizeLinear with zero points 0: one scale per index of
// `axis`, or one scale when `axis` is none. `type` is the float result
// type; values are stored in [lowest, highest].
mlir::Value createDequantizedConstant(mlir::OpBuilder &builder, mlir::Location loc,
                                      mlir::RankedTensorType type, unsigned bits,
                                      llvm::ArrayRef<char> data, llvm::ArrayRef<float> scales,
                                      std::optional<int64_t> axis, int64_t lowest,
                                      int64_t highest, llvm::StringRef name);

// Real scales as fixed-point multipliers at one shared shift, the form
// qc.requantize takes: scale[i] ~= multipliers[i] * 2^-shift, with the
// largest multiplier in [2^30, 2^31) (31 significant bits) and shift in
// [1, 62]. Multipliers are rounded half to even. None when a scale is not
// positive and finite or when the largest is 2^30 or more.
struct FixedPointScales {
  llvm::SmallVector<int64_t> multipliers;
  int64_t shift;
};
std::optional<FixedPointScales> fixedPointScales(llvm::ArrayRef<double> scales);

} // namespace qc

#endif

//===- QuantizeBias.cpp - biases as int32 at scale s_x * s_w ---------------===//
//
// An integer Conv/ConvTranspose/Gemm accumulates x_q * w_q in int32 at scale
// s_x * s_w[c]; its bias joins that sum only if it is stored at the same
// scale. Once the input is a per-tensor DequantizeLinear (s_x) and the weight
// an int8 DequantizeLinear (per output channel or per tensor, s_w), a
// constant f32 bias b becomes
//
//   DequantizeLinear(round_half_even(b / (s_x * s_w[c])) : int32,
//                    scale s_x * s_w (f32), zero point 0, axis 0)
//
// A channel whose bias would not fit int32 (BatchNormalization folded into
// a dead channel leaves weights near 0 with a tiny scale, 1e-11, and a
// bias of ordinary size) first has its weight scale raised to
// |b| / (s_x * 2^30) and its int8 weights requantized to it; its weights are
// that small anyway. Any other bias that would not fit stays float.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "passes/Quantization.h"

#include "mlir/IR/Builders.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qc {
#define GEN_PASS_DEF_QUANTIZEBIAS
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// The weight scale of each of `channels` output channels, if `weight` is
// an int8 DequantizeLinear quantized along `axis` or per tensor.
std::optional<SmallVector<float>> weightScales(Value weight, int64_t axis, int64_t channels) {
  auto dq = weight.getDefiningOp<DequantizeLinearOp>();
  if (!dq || !dq.getQtype())
    return std::nullopt;
  auto stored = dyn_cast<quant::QuantizedType>(*dq.getQtype());
  if (!stored || stored.getStorageTypeIntegralWidth() != 8)
    return std::nullopt;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(stored))
    return SmallVector<float>(channels, static_cast<float>(perTensor.getScale()));
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(stored);
  if (!perAxis || perAxis.getQuantizedDimension() != axis ||
      static_cast<int64_t>(perAxis.getScales().size()) != channels)
    return std::nullopt;
  SmallVector<float> scales;
  for (double s : perAxis.getScales())
    scales.push_back(static_cast<float>(s));
  return scales;
}

// Raises the weight scales of the channels in `needed` (0: keep) and
// requantizes their int8 values; false if the weight is not a per-axis int8
// DequantizeLinear of a constant with zero points 0 and this one use.
bool raiseWeightScales(OpBuilder &b, Operation *op, int64_t axis, ArrayRef<float> needed) {
  Value weight = op->getOperand(1);
  auto dq = weight.getDefiningOp<DequantizeLinearOp>();
  auto type = dyn_cast<RankedTensorType>(weight.getType());
  if (!dq || !dq.getQtype() || !weight.hasOneUse() || !type)
    return false;
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(*dq.getQtype());
  DenseElementsAttr values = constantAsDense(dq.getX());
  if (!perAxis || perAxis.getQuantizedDimension() != axis || !values ||
      !values.getElementType().isInteger(8) ||
      llvm::any_of(perAxis.getZeroPoints(), [](int64_t z) { return z != 0; }))
    return false;
  SmallVector<float> scales;
  for (auto [c, s] : llvm::enumerate(perAxis.getScales()))
    scales.push_back(std::max(static_cast<float>(s), needed[c]));
  int64_t channels = type.getDimSize(axis), inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  SmallVector<int8_t> q;
  for (auto [i, v] : llvm::enumerate(values.getValues<APInt>())) {
    int64_t c = static_cast<int64_t>(i) / inner % channels;
    float real = static_cast<float>(v.getSExtValue()) * static_cast<float>(perAxis.getScales()[c]);
    q.push_back(static_cast<int8_t>(std::clamp(std::nearbyint(real / scales[c]), -127.0f, 127.0f)));
  }
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op);
  std::string name = onnxTensorName(dq.getX());
  Value raised = createDequantizedConstant(
      b, dq.getLoc(), type, 8, ArrayRef<char>(reinterpret_cast<const char *>(q.data()), q.size()),
      scales, axis, -127, 127, name);
  op->setOperand(1, raised);
  SmallVector<Value> inputs(dq->getOperands());
  dq->erase();
  for (Value v : inputs)
    if (Operation *def = v.getDefiningOp(); def && def->use_empty())
      def->erase();
  return true;
}

void quantizeBias(OpBuilder &b, Operation *op) {
  auto operands = quantizedBiasOperand(op);
  if (!operands)
    return;
  auto inputDq = op->getOperand(0).getDefiningOp<DequantizeLinearOp>();
  auto inputType = inputDq ? perTensorType(inputDq) : nullptr;
  Value bias = op->getOperand(operands->operand);
  auto biasType = dyn_cast<RankedTensorType>(bias.getType());
  DenseElementsAttr biasValues = constantAsDense(bias);
  if (!inputType || !biasType || biasType.getRank() != 1 || !biasValues ||
      !biasType.getElementType().isF32())
    return;
  int64_t channels = biasType.getDimSize(0);
  auto weightType = cast<RankedTensorType>(op->getOperand(1).getType());
  if (weightType.getDimSize(operands->weightAxis) != channels)
    return; // a broadcast bias (Gemm's C of one element)
  auto wScales = weightScales(op->getOperand(1), operands->weightAxis, channels);
  if (!wScales)
    return;
  auto inputScale = static_cast<float>(inputType.getScale());
  // Channels whose bias would overflow int32 at s_x * s_w[c].
  SmallVector<float> needed(channels, 0.0f);
  bool raise = false;
  for (auto [c, value] : llvm::enumerate(biasValues.getValues<float>()))
    if (std::fabs(value / (inputScale * (*wScales)[c])) > kMaxBiasSteps) {
      needed[c] = std::fabs(value) / (inputScale * kMaxBiasSteps);
      raise = true;
    }
  if (raise) {
    if (!raiseWeightScales(b, op, operands->weightAxis, needed))
      return;
    wScales = weightScales(op->getOperand(1), operands->weightAxis, channels);
    if (!wScales)
      return;
  }
  SmallVector<float> scales;
  SmallVector<int32_t> quantized;
  for (auto [c, value] : llvm::enumerate(biasValues.getValues<float>())) {
    float scale = inputScale * (*wScales)[c];
    float q = std::nearbyint(value / scale);
    if (!(scale > 0) || !(std::fabs(q) <= 2147483520.0f)) // the largest f32 below 2^31
      return;
    scales.push_back(scale);
    quantized.push_back(static_cast<int32_t>(q));
  }

  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op);
  std::string name = onnxTensorName(bias);
  Location loc = NameLoc::get(b.getStringAttr(name + "_quantized"), bias.getLoc());
  Value dequantized = createDequantizedConstant(
      b, loc, biasType, 32,
      ArrayRef<char>(reinterpret_cast<const char *>(quantized.data()), quantized.size() * 4),
      scales, /*axis=*/0, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(),
      name + "_quantized");
  op->setOperand(operands->operand, dequantized);
  if (Operation *def = bias.getDefiningOp(); def && def->use_empty())
    def->erase();
}

struct QuantizeBiasPass : impl::QuantizeBiasBase<QuantizeBiasPass> {
  void runOnOperation() override {
    OpBuilder b(&getContext());
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (quantizedBiasOperand(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      quantizeBias(b, op);
  }
};

} // namespace
} // namespace qc

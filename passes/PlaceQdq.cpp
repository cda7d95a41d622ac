//===- PlaceQdq.cpp - QuantizeLinear/DequantizeLinear from a calibration ---===//
//
// Implicit quantization: the module's `qc.calibration` attribute gives the
// per-tensor quantization of each calibrated activation by name. Each
// quantized activation (passes/Quantization.h) gets one Q -> DQ pair after
// its definition, which the ops the rules name read instead of the float
// value; other users keep reading the float. An op whose activations are
// quantized reads its constant weight as int8 symmetric, one scale per
// output channel (max |w| / 127), behind a DequantizeLinear; its values are
// rounded to nearest unless `qc.rounded_weights` gives them for the layer.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "passes/Quantization.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cmath>

namespace qc {
#define GEN_PASS_DEF_PLACEQDQ
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// The weight as int8 values behind a per-channel (or per-tensor)
// DequantizeLinear, or null if it is not a float constant. `rounded`, when
// not empty, gives the int8 values (as many as the weight has).
Value quantizeWeight(OpBuilder &b, Value weight, std::optional<int64_t> axis,
                     ArrayRef<int8_t> rounded = {}) {
  DenseElementsAttr values = constantAsDense(weight);
  auto type = dyn_cast<RankedTensorType>(weight.getType());
  if (!values || !type || !type.getElementType().isF32() || type.getNumElements() == 0)
    return nullptr;
  SmallVector<float> w(values.getValues<float>());
  int64_t channels = axis ? type.getDimSize(*axis) : 1, inner = 1;
  if (axis)
    for (int64_t d = *axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  auto channelOf = [&](size_t i) { return static_cast<int64_t>(i / inner % channels); };
  SmallVector<float> scales(channels, 0.0f);
  for (size_t i = 0; i < w.size(); ++i)
    scales[channelOf(i)] = std::max(scales[channelOf(i)], std::fabs(w[i]));
  for (float &s : scales)
    s = s > 0 ? s / 127.0f : 1.0f;
  SmallVector<int8_t> q(w.size());
  // nearbyint in the default rounding mode rounds half to even, as
  // QuantizeLinear does; weights use the symmetric range [-127, 127].
  for (size_t i = 0; i < w.size(); ++i)
    q[i] = static_cast<int8_t>(
        std::clamp(std::nearbyint(w[i] / scales[channelOf(i)]), -127.0f, 127.0f));
  if (!rounded.empty())
    q.assign(rounded.begin(), rounded.end());

  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfterValue(weight);
  std::string name = onnxTensorName(weight) + (rounded.empty() ? "" : "_rounded");
  Location loc = NameLoc::get(b.getStringAttr(name + "_quantized"), weight.getLoc());
  return createDequantizedConstant(
      b, loc, type, 8, ArrayRef<char>(reinterpret_cast<const char *>(q.data()), q.size()),
      scales, axis, -127, 127, name + "_quantized");
}

// Makes operand `operand` of `user` the f32 constant `bias` of `type`,
// named for `layer`'s corrected bias, and erases the old constant if
// nothing else reads it.
void setCorrectedBias(OpBuilder &b, Operation *user, unsigned operand, const std::string &layer,
                      RankedTensorType type, ArrayRef<float> bias) {
  Value old = user->getOperand(operand);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(user);
  std::string name = layer + "_corrected_bias";
  user->setOperand(operand,
                   createConstant(b, NameLoc::get(b.getStringAttr(name), user->getLoc()), type,
                                  ArrayRef<char>(reinterpret_cast<const char *>(bias.data()),
                                                 bias.size() * sizeof(float)),
                                  name));
  if (Operation *def = old.getDefiningOp(); def && def->use_empty())
    def->erase();
}

// Adds `delta` to the constant bias a MatMul's result meets in an Add.
bool correctMatMulBias(OpBuilder &b, MatMulOp matmul, ArrayRef<float> delta) {
  auto biasAdd = matmulBiasAdd(matmul);
  if (!biasAdd)
    return false;
  auto [add, operand] = *biasAdd;
  Value old = add->getOperand(operand);
  SmallVector<float> bias(constantAsDense(old).getValues<float>());
  if (bias.size() != delta.size())
    return false;
  for (size_t i = 0; i < bias.size(); ++i)
    bias[i] += delta[i];
  setCorrectedBias(b, add, operand, onnxNodeName(matmul), cast<RankedTensorType>(old.getType()),
                   bias);
  return true;
}

// Adds `delta` to the bias of a Conv, ConvTranspose or Gemm (operand 2),
// creating the bias when the op has none, or of a MatMul followed by the
// Add of a constant bias. False if the op has no bias of that form.
bool correctBias(OpBuilder &b, Operation *op, ArrayRef<float> delta) {
  if (auto matmul = dyn_cast<MatMulOp>(op))
    return correctMatMulBias(b, matmul, delta);
  if (!isa<ConvOp, ConvTransposeOp, GemmOp>(op) || op->getNumOperands() < 3)
    return false;
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  // The output channel axis is 1 for all three.
  if (!resultType || resultType.getRank() < 2 ||
      resultType.getDimSize(1) != static_cast<int64_t>(delta.size()))
    return false;
  SmallVector<float> bias(delta.size(), 0.0f);
  float beta = 1.0f;
  if (auto gemm = dyn_cast<GemmOp>(op))
    beta = gemm.getBeta().convertToFloat();
  if (beta == 0.0f)
    return false;
  Value old = op->getOperand(2);
  if (!isa<NoneType>(old.getType())) {
    DenseElementsAttr values = constantAsDense(old);
    auto type = dyn_cast<RankedTensorType>(old.getType());
    if (!values || !type || !type.getElementType().isF32() ||
        type.getNumElements() != static_cast<int64_t>(delta.size()) || type.getRank() != 1)
      return false;
    bias.assign(values.getValues<float>().begin(), values.getValues<float>().end());
  }
  for (size_t i = 0; i < bias.size(); ++i)
    bias[i] += delta[i] / beta;
  setCorrectedBias(b, op, 2, onnxNodeName(op),
                   RankedTensorType::get({static_cast<int64_t>(bias.size())}, b.getF32Type()),
                   bias);
  return true;
}

struct PlaceQdqPass : impl::PlaceQdqBase<PlaceQdqPass> {
  using PlaceQdqBase::PlaceQdqBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto calibration = module->getAttrOfType<DictionaryAttr>(kCalibrationAttr);
    if (!calibration) {
      module.emitError() << "no calibration: the module has no '" << kCalibrationAttr
                         << "' attribute";
      return signalPassFailure();
    }
    llvm::StringSet<> floatLayers;
    if (auto layers = module->getAttrOfType<ArrayAttr>(kFloatLayersAttr))
      for (auto layer : layers.getAsRange<StringAttr>())
        floatLayers.insert(layer.getValue());
    auto corrections = module->getAttrOfType<DictionaryAttr>(kBiasCorrectionsAttr);
    auto roundedWeights = module->getAttrOfType<DictionaryAttr>(kRoundedWeightsAttr);
    auto isFloat = [&](Operation *op) {
      return !floatLayers.empty() && floatLayers.contains(onnxNodeName(op));
    };
    // The activations some quantized layer reads.
    DenseSet<Value> read;
    module.walk([&](Operation *op) {
      if (!isFloat(op))
        for (unsigned operand : quantizedActivationOperands(op))
          read.insert(op->getOperand(operand));
    });
    OpBuilder b(module.getContext());
    // Activations first, each once, then the ops that read them.
    DenseMap<Value, Value> dequantized;
    for (const QuantizedActivation &activation : collectQuantizedActivations(module)) {
      Attribute entry = calibration.get(activation.name);
      if (!entry || !read.contains(activation.value))
        continue; // left out of the table, or only FP32 layers read it: stays float
      auto typeAttr = dyn_cast<TypeAttr>(entry);
      auto type = typeAttr ? dyn_cast<quant::UniformQuantizedType>(typeAttr.getValue()) : nullptr;
      if (!type || !type.getExpressedType().isF32() || type.getStorageTypeIntegralWidth() != 8) {
        module.emitError() << "calibration entry '" << activation.name
                           << "' must be a per-tensor 8-bit !quant.uniform of f32";
        return signalPassFailure();
      }
      dequantized[activation.value] = quantizeDequantize(b, activation.value, type);
    }
    DenseMap<std::pair<Value, int64_t>, Value> weights;
    bool failed = false;
    module.walk([&](Operation *op) {
      if (isFloat(op))
        return;
      bool anyQuantized = false;
      for (unsigned operand : quantizedActivationOperands(op))
        if (Value dq = dequantized.lookup(op->getOperand(operand))) {
          op->setOperand(operand, dq);
          anyQuantized = true;
        }
      auto weight = quantizedWeightOperand(op);
      if (!anyQuantized || !weight)
        return;
      if (corrections)
        if (auto delta = corrections.getAs<DenseF32ArrayAttr>(onnxNodeName(op)))
          if (!correctBias(b, op, delta.asArrayRef())) {
            op->emitError() << "cannot apply the bias correction of layer '" << onnxNodeName(op)
                            << "': it needs a Conv or Gemm with one f32 bias per output channel, "
                               "or a MatMul whose only user adds a constant f32 bias vector";
            failed = true;
          }
      std::optional<int64_t> axis = perChannel ? weight->axis : std::nullopt;
      Value w = op->getOperand(weight->operand);
      if (auto values = roundedWeights
                            ? roundedWeights.getAs<DenseIntElementsAttr>(onnxNodeName(op))
                            : nullptr) {
        auto type = dyn_cast<RankedTensorType>(w.getType());
        SmallVector<int8_t> rounded;
        for (const APInt &v : values.getValues<APInt>())
          rounded.push_back(static_cast<int8_t>(v.getSExtValue()));
        if (!values.getElementType().isInteger(8) || !type ||
            type.getNumElements() != static_cast<int64_t>(rounded.size()) ||
            llvm::is_contained(rounded, -128)) {
          op->emitError() << "the rounded weights of layer '" << onnxNodeName(op) << "' must be "
                          << (type ? type.getNumElements() : 0)
                          << " int8 values in [-127, 127], one per weight element";
          failed = true;
          return;
        }
        // Rounded for this layer alone: not shared with other users of the weight.
        if (Value dq = quantizeWeight(b, w, axis, rounded)) {
          op->setOperand(weight->operand, dq);
          weights.try_emplace({w, -2}, dq); // its float weight is erased below if unused
        }
        return;
      }
      Value &dq = weights[{w, axis.value_or(-1)}];
      if (!dq)
        dq = quantizeWeight(b, w, axis);
      if (dq)
        op->setOperand(weight->operand, dq);
    });
    if (failed)
      return signalPassFailure();
    // Float weights nothing reads any more.
    llvm::SmallPtrSet<Operation *, 16> floatWeights;
    for (auto &entry : weights)
      if (Operation *def = entry.first.first.getDefiningOp())
        floatWeights.insert(def);
    for (Operation *def : floatWeights)
      if (def->use_empty())
        def->erase();
  }
};

} // namespace
} // namespace qc

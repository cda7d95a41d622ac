//===- PlaceQdq.cpp - QuantizeLinear/DequantizeLinear from a calibration ---===//
//
// Implicit quantization: the module's `qc.calibration` attribute gives the
// per-tensor quantization of each calibrated activation by name. Each
// quantized activation (passes/Quantization.h) gets one Q -> DQ pair after
// its definition, which the ops the rules name read instead of the float
// value; other users keep reading the float. An op whose activations are
// quantized reads its constant weight as int8 symmetric, one scale per
// output channel (max |w| / 127), behind a DequantizeLinear.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "passes/Quantization.h"

#include "mlir/IR/Builders.h"

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
// DequantizeLinear, or null if it is not a float constant.
Value quantizeWeight(OpBuilder &b, Value weight, std::optional<int64_t> axis) {
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

  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfterValue(weight);
  std::string name = onnxTensorName(weight);
  Location loc = NameLoc::get(b.getStringAttr(name + "_quantized"), weight.getLoc());
  return createDequantizedConstant(
      b, loc, type, 8, ArrayRef<char>(reinterpret_cast<const char *>(q.data()), q.size()),
      scales, axis, -127, 127, name + "_quantized");
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
    OpBuilder b(module.getContext());
    // Activations first, each once, then the ops that read them.
    DenseMap<Value, Value> dequantized;
    for (const QuantizedActivation &activation : collectQuantizedActivations(module)) {
      Attribute entry = calibration.get(activation.name);
      if (!entry)
        continue; // left out of the table: stays float
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
    module.walk([&](Operation *op) {
      bool anyQuantized = false;
      for (unsigned operand : quantizedActivationOperands(op))
        if (Value dq = dequantized.lookup(op->getOperand(operand))) {
          op->setOperand(operand, dq);
          anyQuantized = true;
        }
      auto weight = quantizedWeightOperand(op);
      if (!anyQuantized || !weight)
        return;
      std::optional<int64_t> axis = perChannel ? weight->axis : std::nullopt;
      Value w = op->getOperand(weight->operand);
      Value &dq = weights[{w, axis.value_or(-1)}];
      if (!dq)
        dq = quantizeWeight(b, w, axis);
      if (dq)
        op->setOperand(weight->operand, dq);
    });
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

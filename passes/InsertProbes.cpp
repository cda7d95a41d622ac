//===- InsertProbes.cpp - host probes on every quantized operand ----------===//
//
// Quantization analysis compiles the float model once with a qck.probe on
// each operand the quantization rules quantize and on the output of each
// layer with a constant weight; the host then decides, run by run, what
// each probe does (pass the values on, fake-quantize them, correct a bias)
// and records statistics. Activation probes are per use, so that one layer
// can stay float while another reads the same tensor quantized.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "passes/Quantization.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace qc {
#define GEN_PASS_DEF_INSERTPROBES
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// The channel axis of a layer's output: the one its weight's output
// channels map to.
int64_t outputChannelAxis(Operation *op) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (isa<ConvOp, ConvTransposeOp>(op))
    return 1;
  return type.getRank() - 1; // MatMul, Gemm
}

struct InsertProbesPass : impl::InsertProbesBase<InsertProbesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = module.getContext();
    DenseMap<Value, std::string> tensorNames;
    for (const QuantizedActivation &activation : collectQuantizedActivations(module))
      tensorNames[activation.value] = activation.name;

    SmallVector<Attribute> probes;
    OpBuilder b(context);
    auto describe = [&](Operation *layer, StringRef kind, StringRef tensor, int64_t axis) {
      NamedAttribute fields[] = {
          b.getNamedAttr("layer", b.getStringAttr(onnxNodeName(layer))),
          b.getNamedAttr("op", b.getStringAttr(layer->getName().getStringRef())),
          b.getNamedAttr("kind", b.getStringAttr(kind)),
          b.getNamedAttr("tensor", b.getStringAttr(tensor)),
          b.getNamedAttr("axis", b.getI64IntegerAttr(axis))};
      probes.push_back(b.getDictionaryAttr(fields));
      return static_cast<int64_t>(probes.size() - 1);
    };
    auto probe = [&](Value value, int64_t id) -> Value {
      auto type = cast<RankedTensorType>(value.getType());
      Value init =
          tensor::EmptyOp::create(b, value.getLoc(), type.getShape(), type.getElementType());
      return qck::ProbeOp::create(b, value.getLoc(), TypeRange{type}, value, init,
                                  b.getI64IntegerAttr(id))
          .getResult()[0];
    };

    SmallVector<Operation *> layers;
    module.walk([&](Operation *op) {
      if (!quantizedActivationOperands(op).empty())
        layers.push_back(op);
    });
    // Activation probes first, for every layer: an output probe replaces
    // its layer's result everywhere, and a layer reading that result
    // directly (Conv -> Conv once BatchNormalization is folded) must still
    // find it by name.
    SmallVector<Operation *> quantizedLayers;
    for (Operation *op : layers) {
      b.setInsertionPoint(op);
      bool anyActivation = false;
      for (unsigned operand : quantizedActivationOperands(op)) {
        Value value = op->getOperand(operand);
        if (!isQuantizableActivation(value) || !tensorNames.count(value))
          continue;
        int64_t id = describe(op, "activation", tensorNames[value], -1);
        op->setOperand(operand, probe(value, id));
        anyActivation = true;
      }
      if (anyActivation)
        quantizedLayers.push_back(op);
    }
    for (Operation *op : quantizedLayers) {
      auto weight = quantizedWeightOperand(op);
      if (!weight)
        continue;
      b.setInsertionPoint(op);
      Value w = op->getOperand(weight->operand);
      auto wType = dyn_cast<RankedTensorType>(w.getType());
      if (!constantAsDense(w) || !wType || !wType.getElementType().isF32() ||
          !wType.hasStaticShape())
        continue;
      int64_t id = describe(op, "weight", onnxTensorName(w), weight->axis.value_or(-1));
      op->setOperand(weight->operand, probe(w, id));
      Value result = op->getResult(0);
      auto resultType = dyn_cast<RankedTensorType>(result.getType());
      if (!resultType || !resultType.getElementType().isF32() || result.use_empty())
        continue;
      b.setInsertionPointAfter(op);
      id = describe(op, "output", onnxTensorName(result), outputChannelAxis(op));
      Value probed = probe(result, id);
      result.replaceAllUsesExcept(probed, probed.getDefiningOp());
    }
    module->setAttr("qc.probes", b.getArrayAttr(probes));
  }
};

} // namespace
} // namespace qc

//===- InsertObservers.cpp - observe the tensors calibration needs -------===//
//
// Calibration measures the activations that quantization will place a
// QuantizeLinear on: the inputs of Conv, ConvTranspose, MatMul and Gemm and
// both inputs of Add (the residual), when they are f32 and not constants.
// Each gets one qck.observe right after its definition; the module's
// `qc.observed` attribute lists their ONNX names by id.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "QC/QCOps.h"

#include "llvm/ADT/SetVector.h"

namespace qc {
#define GEN_PASS_DEF_INSERTOBSERVERS
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

bool observable(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape() || !type.getElementType().isF32())
    return false;
  Operation *def = v.getDefiningOp();
  return !def || !def->hasTrait<OpTrait::ConstantLike>();
}

struct InsertObserversPass : impl::InsertObserversBase<InsertObserversPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::SetVector<Value> observed;
    module.walk([&](Operation *op) {
      SmallVector<Value> inputs;
      if (isa<ConvOp, ConvTransposeOp>(op))
        inputs.push_back(op->getOperand(0));
      else if (isa<MatMulOp, GemmOp, AddOp>(op))
        inputs.append({op->getOperand(0), op->getOperand(1)});
      for (Value v : inputs)
        if (observable(v))
          observed.insert(v);
    });
    OpBuilder b(module.getContext());
    SmallVector<Attribute> names;
    for (auto [id, value] : llvm::enumerate(observed)) {
      if (auto arg = dyn_cast<BlockArgument>(value))
        b.setInsertionPointToStart(arg.getOwner());
      else
        b.setInsertionPointAfter(value.getDefiningOp());
      qck::ObserveOp::create(b, value.getLoc(), value, b.getI64IntegerAttr(id));
      std::string name = onnxTensorName(value);
      names.push_back(b.getStringAttr(name.empty() ? "tensor_" + std::to_string(id) : name));
    }
    module->setAttr("qc.observed", b.getArrayAttr(names));
  }
};

} // namespace
} // namespace qc

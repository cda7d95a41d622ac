//===- InsertObservers.cpp - observe the tensors calibration needs -------===//
//
// Calibration measures the activations that quantization will place a
// QuantizeLinear on (the rules of passes/Quantization.h). Each gets one
// qck.observe right after its definition; the module's `qc.observed`
// attribute lists their calibration names by id.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "passes/Quantization.h"

namespace qc {
#define GEN_PASS_DEF_INSERTOBSERVERS
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

struct InsertObserversPass : impl::InsertObserversBase<InsertObserversPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder b(module.getContext());
    SmallVector<Attribute> names;
    for (auto [id, activation] : llvm::enumerate(collectQuantizedActivations(module))) {
      Value value = activation.value;
      if (auto arg = dyn_cast<BlockArgument>(value))
        b.setInsertionPointToStart(arg.getOwner());
      else
        b.setInsertionPointAfter(value.getDefiningOp());
      qck::ObserveOp::create(b, value.getLoc(), value, b.getI64IntegerAttr(id));
      names.push_back(b.getStringAttr(activation.name));
    }
    module->setAttr("qc.observed", b.getArrayAttr(names));
  }
};

} // namespace
} // namespace qc

//===- CheckLowered.cpp - report qc ops the lowering left behind ----------===//
#include "passes/Passes.h"

#include "QC/QCOps.h"

namespace qc {
#define GEN_PASS_DEF_CHECKLOWERED
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

struct CheckLoweredPass : impl::CheckLoweredBase<CheckLoweredPass> {
  void runOnOperation() override {
    SmallVector<Operation *> leftovers;
    getOperation().walk([&](Operation *op) {
      if (auto none = dyn_cast<NoneOp>(op); none && none->use_empty()) {
        none->erase();
        return;
      }
      if (isa_and_nonnull<QCDialect>(op->getDialect()))
        leftovers.push_back(op);
    });
    if (leftovers.empty())
      return;
    InFlightDiagnostic diag = getOperation().emitError()
                              << leftovers.size() << " op"
                              << (leftovers.size() == 1 ? "" : "s")
                              << " cannot be compiled yet";
    for (Operation *op : leftovers) {
      Diagnostic &note = diag.attachNote(op->getLoc());
      note << op->getName() << " with operand types " << op->getOperandTypes()
           << " and result types " << op->getResultTypes();
      if (llvm::any_of(op->getResultTypes(), [](Type t) {
            auto shaped = dyn_cast<ShapedType>(t);
            return shaped && !shaped.hasStaticShape();
          }))
        note << " (dynamic shapes are not supported yet)";
    }
    signalPassFailure();
  }
};

} // namespace
} // namespace qc

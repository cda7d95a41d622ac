//===- PropagateScales.cpp - carry scales through ops that commute ------===//
//
// After placement, a quantized tensor often comes out of an op that
// commutes with quantization (MaxPool, Relu, Reshape, ... see
// passes/Quantization.h): y = P(x), Q(y) == P(Q(x)) for any per-tensor
// scale. Giving x the same quantization lets P run on int8 values. From each
// per-tensor QuantizeLinear of y = P(x), working towards the inputs:
//
//  - if x already has a per-tensor QuantizeLinear, P reads its dequantized
//    value and y's quantization becomes x's (one int8 copy of x, no
//    requantization between them);
//  - otherwise x gets a Q -> DQ pair with y's quantization, which P reads,
//    and that new QuantizeLinear is followed in turn;
//  - Concat: every input gets the output's quantization, so the int8 inputs
//    are copied unchanged into the int8 output.
//
// Ops that do not commute (Sigmoid, Add, Softmax, ...) stop the walk.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "passes/Quantization.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/SetVector.h"

namespace qc {
#define GEN_PASS_DEF_PROPAGATESCALES
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

// The dequantized value's per-tensor type when `value` is a DequantizeLinear.
quant::UniformQuantizedType dequantizedType(Value value) {
  auto dq = value.getDefiningOp<DequantizeLinearOp>();
  return dq ? perTensorType(dq) : nullptr;
}

// The DequantizeLinear that reads `q`.
Value dequantizedOf(QuantizeLinearOp q) {
  for (Operation *user : q.getY().getUsers())
    if (auto dq = dyn_cast<DequantizeLinearOp>(user))
      return dq.getY();
  return nullptr;
}

// Gives `q` and every DequantizeLinear of its result the quantization of
// `from` (its scale and zero point operands, type and storage type).
void takeQuantization(QuantizeLinearOp q, QuantizeLinearOp from) {
  SmallVector<Operation *> oldParameters{q.getYScale().getDefiningOp(),
                                         q.getYZeroPoint().getDefiningOp()};
  auto updateOperands = [&](Operation *op) {
    op->setOperand(1, from.getYScale());
    op->setOperand(2, from.getYZeroPoint());
    op->setAttr("qtype", from.getQtypeAttr());
  };
  // from's parameters dominate q: from quantizes an input of y's producer.
  updateOperands(q);
  // Only the storage type: q keeps its own shape (a Slice or Reshape between
  // the two changes it).
  auto storage = cast<RankedTensorType>(from.getY().getType()).getElementType();
  q.getY().setType(cast<RankedTensorType>(q.getY().getType()).clone(storage));
  for (Operation *user : q.getY().getUsers())
    if (isa<DequantizeLinearOp>(user))
      updateOperands(user);
  for (Operation *old : oldParameters)
    if (old && old->use_empty())
      old->erase();
}

struct PropagateScalesPass : impl::PropagateScalesBase<PropagateScalesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    OpBuilder b(func.getContext());
    llvm::SetVector<Operation *> worklist;
    func.walk([&](QuantizeLinearOp q) {
      if (perTensorType(q) && isQuantizableActivation(q.getX()))
        worklist.insert(q);
    });
    // SetVector keeps each QuantizeLinear once: followed at most once.
    for (size_t next = 0; next < worklist.size(); ++next) {
      auto q = cast<QuantizeLinearOp>(worklist[next]);
      quant::UniformQuantizedType type = perTensorType(q);
      Operation *producer = q.getX().getDefiningOp();
      if (!producer)
        continue;
      if (preservesScale(producer)) {
        Value input = producer->getOperand(0);
        if (dequantizedType(input) || !isQuantizableActivation(input))
          continue;
        QuantizeLinearOp existing = findPerTensorQuantize(input);
        if (Value existingDq = existing ? dequantizedOf(existing) : nullptr) {
          producer->setOperand(0, existingDq);
          if (perTensorType(existing) != type)
            takeQuantization(q, existing);
          continue;
        }
        Value dequantized = quantizeDequantize(b, input, type);
        producer->setOperand(0, dequantized);
        worklist.insert(dequantized.getDefiningOp<DequantizeLinearOp>().getX().getDefiningOp());
        continue;
      }
      if (auto concat = dyn_cast<ConcatOp>(producer)) {
        for (OpOperand &operand : concat->getOpOperands()) {
          Value input = operand.get();
          auto inputType = dyn_cast<RankedTensorType>(input.getType());
          if (dequantizedType(input) || !inputType || !inputType.getElementType().isF32())
            continue;
          Value dequantized = quantizeDequantize(b, input, type);
          operand.set(dequantized);
          worklist.insert(dequantized.getDefiningOp<DequantizeLinearOp>().getX().getDefiningOp());
        }
      }
    }
  }
};

} // namespace
} // namespace qc

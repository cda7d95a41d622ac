//===- DataMovementFolds.cpp - scale-preserving ops on integers -----------===//
//
//   Q(P(DQ(x))) => P(x)    when DQ and Q have the same quantization
//
// for the ops that commute with quantization (MaxPool, Reshape, Transpose,
// Flatten, Squeeze, Unsqueeze, Slice, nearest Resize, Pad with zeros; see
// preservesScale) and Concat, whose inputs must all share it. Relu and Clip
// do not move data: ElementwiseFolds makes them a requantize clamp. A Pad
// pads with the zero point, the integer that stands for 0.0. With different
// scales on the two sides nothing folds: that needs a requantize, which
// scale propagation avoids by giving both sides one scale. Only a Concat
// whose inputs differ from its output requantizes them first (models from
// other quantizers).
//
//===----------------------------------------------------------------------===//
#include "passes/QdqFolding/Folding.h"
#include "passes/Quantization.h"

using namespace mlir;

namespace qc {
namespace {

bool sameQuantization(const QuantParams &a, const QuantParams &b) {
  return a.perTensor() && b.perTensor() && a.storage == b.storage &&
         a.zeroPoint() == b.zeroPoint() && a.scale() == b.scale();
}

struct DataMovementFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantParams> out = quantParamsOf(q);
    Operation *op = q.getX().getDefiningOp();
    if (!out || !op || !op->getResult(0).hasOneUse() || isa<ReluOp, ClipOp>(op) ||
        !(preservesScale(op) || isa<ConcatOp>(op)))
      return failure();
    // The data operands: all inputs of a Concat, operand 0 of the others.
    unsigned dataOperands = isa<ConcatOp>(op) ? op->getNumOperands() : 1;
    SmallVector<Value> operands(op->getOperands());
    for (unsigned i = 0; i < dataOperands; ++i) {
      DequantizeLinearOp dq = dequantizeOf(operands[i]);
      if (!dq || !sameQuantization(*quantParamsOf(dq), *out))
        return failure();
      operands[i] = dq.getX();
    }
    auto pad = dyn_cast<PadOp>(op);
    if (pad) {
      auto zpType = RankedTensorType::get({}, out->storage);
      operands[2] = ConstantOp::create(
          rewriter, pad.getLoc(), zpType,
          DenseElementsAttr::get(zpType, APInt(8, static_cast<uint64_t>(out->zeroPoint()),
                                               !out->storage.isUnsignedInteger())));
    }
    SmallVector<Type> resultTypes(op->getResultTypes());
    resultTypes[0] = q.getY().getType();
    OperationState state(op->getLoc(), op->getName(), operands, resultTypes, op->getAttrs());
    Operation *integerOp = rewriter.create(state);
    rewriter.replaceOp(q, integerOp->getResult(0));
    return success();
  }
};

// Q(Concat(DQ(x_1), ..., DQ(x_n))) whose inputs are quantized differently:
// each input whose quantization is not the output's is requantized to it
// first (exact for the others), then the Concat runs on the 8-bit values.
struct ConcatRequantizeFold : OpRewritePattern<QuantizeLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeLinearOp q, PatternRewriter &rewriter) const override {
    std::optional<QuantParams> out = quantParamsOf(q);
    auto concat = q.getX().getDefiningOp<ConcatOp>();
    if (!out || !out->perTensor() || !concat || !concat->hasOneUse())
      return failure();
    SmallVector<std::pair<DequantizeLinearOp, QuantParams>> inputs;
    for (Value input : concat.getInputs()) {
      DequantizeLinearOp dq = dequantizeOf(input);
      if (!dq)
        return failure();
      QuantParams params = *quantParamsOf(dq);
      auto type = dyn_cast<RankedTensorType>(dq.getX().getType());
      if (!params.perTensor() || !type || !type.hasStaticShape() ||
          (!sameQuantization(params, *out) && !canRequantize({params.scale()}, std::nullopt, *out)))
        return failure();
      inputs.push_back({dq, params});
    }
    SmallVector<Value> operands;
    for (auto &[dq, params] : inputs) {
      if (sameQuantization(params, *out)) {
        operands.push_back(dq.getX());
        continue;
      }
      auto type = cast<RankedTensorType>(dq.getX().getType()).clone(out->storage);
      operands.push_back(createRequantize(rewriter, dq.getLoc(), type, dq.getX(),
                                          params.zeroPoint(), {params.scale()}, 1, Value(), 0, 0.0,
                                          *out, ClampRange{out->lowest, out->highest}));
    }
    rewriter.replaceOp(q, ConcatOp::create(rewriter, concat.getLoc(), q.getY().getType(), operands,
                                           concat.getAxisAttr())
                              .getResult());
    return success();
  }
};

} // namespace

void populateDataMovementFoldPatterns(RewritePatternSet &patterns) {
  patterns.add<DataMovementFold, ConcatRequantizeFold>(patterns.getContext());
}

} // namespace qc

//===- DataMovementFolds.cpp - scale-preserving ops on integers -----------===//
//
//   Q(P(DQ(x))) => P(x)    when DQ and Q have the same quantization
//
// for the ops that commute with quantization (MaxPool, Reshape, Transpose,
// Flatten, Squeeze, Unsqueeze, Slice, nearest Resize, Pad with zeros; see
// preservesScale). Relu and Clip do not move data: ElementwiseFolds makes
// them a requantize clamp. A Pad pads with the zero point, the integer that
// stands for 0.0. With different scales on the two sides nothing folds: that
// needs a requantize, which scale propagation avoids by giving both sides
// one scale. A Concat's inputs are requantized to its output's quantization
// where theirs differs (models from other quantizers), and taken as they are
// where it is the same.
//
//===----------------------------------------------------------------------===//
#include "passes/QCToLinalg/LoweringUtils.h"
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
    if (!out || !op || !op->getResult(0).hasOneUse() || !preservesScale(op))
      return failure();
    // The data is operand 0.
    SmallVector<Value> operands(op->getOperands());
    DequantizeLinearOp dq = dequantizeOf(operands[0]);
    if (!dq || !sameQuantization(*quantParamsOf(dq), *out))
      return failure();
    operands[0] = dq.getX();
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

// Q(Concat(DQ(x_1), ..., DQ(x_n))): each input whose quantization is not
// the output's is requantized to it first, the others join as they are;
// then the Concat runs on the 8-bit values.
struct ConcatFold : OpRewritePattern<QuantizeLinearOp> {
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
      if (!params.perTensor() ||
          (!sameQuantization(params, *out) &&
           (!staticTensor(dq.getX()) || !canRequantize({params.scale()}, std::nullopt, *out))))
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
  patterns.add<DataMovementFold, ConcatFold>(patterns.getContext());
}

} // namespace qc

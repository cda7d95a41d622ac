//===- FuseConvEpilogues.cpp - Conv [+BN] [+Add] [+Relu/Clip] as qck.conv2d ===//
//
// Each f32 2-D Conv (any group count) becomes a qck.conv2d, which the
// microkernels run in one pass over the output: padding is read as zeros
// inside the kernel, and the ops that follow the convolution, when the
// convolution's value flows only into them, fold into its epilogue:
//
//   BatchNormalization  scale = gamma / sqrt(var + eps),
//                       shift = (bias - mean) * scale + beta
//   Add of a same-shape tensor (the residual of a ResNet block)
//   Relu, or Clip with constant bounds
//
// scale and shift are computed with qc ops on [M] vectors, so they fold to
// constants when the parameters are constants and still work when not.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "QC/QCOps.h"
#include "QCK/QCKOps.h"
#include "passes/QCToLinalg/LoweringUtils.h"

#include "mlir/IR/Matchers.h"

namespace qc {
#define GEN_PASS_DEF_FUSECONVEPILOGUES
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

RankedTensorType f32Tensor(Value v, int64_t rank) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape() || type.getRank() != rank || !type.getElementType().isF32())
    return nullptr;
  return type;
}

// The only op that uses `v`, if there is exactly one use.
Operation *soleUser(Value v) { return v.hasOneUse() ? *v.getUsers().begin() : nullptr; }

std::optional<float> constantScalar(Value v) {
  DenseElementsAttr value;
  if (!matchPattern(v, m_Constant(&value)) || value.getNumElements() != 1 ||
      !value.getElementType().isF32())
    return std::nullopt;
  return (*value.getValues<APFloat>().begin()).convertToFloat();
}

Value vectorConstant(OpBuilder &b, Location loc, int64_t size, float value) {
  auto type = RankedTensorType::get({size}, b.getF32Type());
  return ConstantOp::create(b, loc, type, DenseElementsAttr::get(type, value));
}

struct Epilogue {
  BatchNormalizationOp batchNorm;
  Value residual;
  StringRef activation = "none";
  float clipMin = 0, clipMax = 0;
  SmallVector<Operation *> fused; // in program order, the conv first
};

// Follows the convolution's value through the ops its epilogue can take.
Epilogue collectEpilogue(ConvOp conv) {
  Epilogue e;
  e.fused.push_back(conv);
  Value current = conv.getY();
  auto type = current.getType();
  if (auto bn = dyn_cast_or_null<BatchNormalizationOp>(soleUser(current));
      bn && bn.getX() == current && bn.getTrainingMode() == 0 && bn.getY().getType() == type &&
      bn.getRunningMean().use_empty() && bn.getRunningVar().use_empty() &&
      llvm::all_of(ValueRange{bn.getScale(), bn.getB(), bn.getInputMean(), bn.getInputVar()},
                   [](Value v) { return f32Tensor(v, 1); })) {
    e.batchNorm = bn;
    e.fused.push_back(bn);
    current = bn.getY();
  }
  if (auto add = dyn_cast_or_null<AddOp>(soleUser(current)); add && add.getC().getType() == type) {
    Value other = add.getA() == current ? add.getB() : add.getA();
    if (other != current && other.getType() == type) {
      e.residual = other;
      e.fused.push_back(add);
      current = add.getC();
    }
  }
  Operation *user = soleUser(current);
  if (auto relu = dyn_cast_or_null<ReluOp>(user)) {
    e.activation = "relu";
    e.fused.push_back(relu);
  } else if (auto clip = dyn_cast_or_null<ClipOp>(user); clip && clip.getInput() == current) {
    std::optional<float> lo = -std::numeric_limits<float>::infinity(),
                         hi = std::numeric_limits<float>::infinity();
    if (!isNone(clip.getMin()))
      lo = constantScalar(clip.getMin());
    if (!isNone(clip.getMax()))
      hi = constantScalar(clip.getMax());
    if (lo && hi) {
      e.activation = "clip";
      e.clipMin = *lo;
      e.clipMax = *hi;
      e.fused.push_back(clip);
    }
  }
  return e;
}

LogicalResult fuse(ConvOp conv) {
  auto xType = f32Tensor(conv.getX(), 4), wType = f32Tensor(conv.getW(), 4);
  auto yType = f32Tensor(conv.getY(), 4);
  int64_t group = conv.getGroup();
  if (!xType || !wType || !yType || group < 1 || xType.getDimSize(1) % group ||
      wType.getDimSize(0) % group || xType.getDimSize(1) != wType.getDimSize(1) * group)
    return failure();
  // Explicit pads only; the auto_pad forms stay on the loop path.
  StringRef autoPad = conv.getAutoPad();
  if (!autoPad.empty() && autoPad != "NOTSET")
    return failure();
  SmallVector<int64_t> pads(conv.getPads().value_or(ArrayRef<int64_t>{0, 0, 0, 0}));
  SmallVector<int64_t> strides(conv.getStrides().value_or(ArrayRef<int64_t>{1, 1}));
  SmallVector<int64_t> dilations(conv.getDilations().value_or(ArrayRef<int64_t>{1, 1}));
  if (pads.size() != 4 || strides.size() != 2 || dilations.size() != 2)
    return failure();
  int64_t filters = wType.getDimSize(0);
  for (int d = 0; d < 2; ++d) {
    int64_t span = (wType.getDimSize(2 + d) - 1) * dilations[d] + 1;
    int64_t padded = xType.getDimSize(2 + d) + pads[d] + pads[d + 2];
    if (pads[d] < 0 || pads[d + 2] < 0 || strides[d] < 1 || dilations[d] < 1 ||
        padded < span || (padded - span) / strides[d] + 1 != yType.getDimSize(2 + d))
      return failure();
  }
  Value bias = conv.getB();
  bool hasBias = !isNone(bias);
  if (hasBias) {
    auto biasType = f32Tensor(bias, 1);
    if (!biasType || biasType.getDimSize(0) != filters)
      return failure();
  }

  Epilogue e = collectEpilogue(conv);
  Operation *last = e.fused.back();
  OpBuilder b(last);
  Location loc = conv.getLoc();
  auto vectorType = RankedTensorType::get({filters}, b.getF32Type());
  Value scale, shift = hasBias ? bias : vectorConstant(b, loc, filters, 0.0f);
  if (BatchNormalizationOp bn = e.batchNorm) {
    Value variance = AddOp::create(b, loc, vectorType, bn.getInputVar(),
                                   vectorConstant(b, loc, 1, bn.getEpsilon().convertToFloat()));
    scale = DivOp::create(b, loc, vectorType, bn.getScale(),
                          SqrtOp::create(b, loc, vectorType, variance));
    Value centered = SubOp::create(b, loc, vectorType, shift, bn.getInputMean());
    shift = AddOp::create(b, loc, vectorType,
                          MulOp::create(b, loc, vectorType, centered, scale), bn.getB());
  } else {
    scale = vectorConstant(b, loc, filters, 1.0f);
  }
  Value init = tensor::EmptyOp::create(b, loc, yType.getShape(), yType.getElementType());
  auto fused = qck::Conv2DOp::create(
      b, loc, TypeRange{yType}, conv.getX(), conv.getW(), scale, shift, e.residual, init,
      b.getDenseI64ArrayAttr(pads), b.getDenseI64ArrayAttr(strides),
      b.getDenseI64ArrayAttr(dilations), b.getI64IntegerAttr(group), b.getStringAttr(e.activation),
      b.getF32FloatAttr(e.clipMin), b.getF32FloatAttr(e.clipMax));
  last->getResult(0).replaceAllUsesWith(fused.getResult()[0]);
  for (Operation *op : llvm::reverse(e.fused))
    op->erase();
  return success();
}

struct FuseConvEpiloguesPass : impl::FuseConvEpiloguesBase<FuseConvEpiloguesPass> {
  void runOnOperation() override {
    SmallVector<ConvOp> convs;
    getOperation().walk([&](ConvOp conv) { convs.push_back(conv); });
    for (ConvOp conv : convs)
      (void)fuse(conv);
  }
};

} // namespace
} // namespace qc

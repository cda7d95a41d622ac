//===- FuseIntegerConv.cpp - conv_integer [+ bias] + requantize as qck.qconv2d
//
// What qc-fold-qdq leaves of a quantized convolution,
//
//   %acc = qc.conv_integer %x, %w, %x_zero, %w_zero      (i32)
//   %sum = qc.add %acc, %bias                            (constant i32, per filter)
//   %y   = qc.requantize %sum [, %residual]              (8-bit)
//
// becomes one qck.qconv2d, which the INT8 microkernel runs in one pass: the
// zero points are taken out while packing and the requantize is applied to
// each finished row of sums. The chain must be the conv's only use, with
// constant weights and zero points; anything else stays on the loop path.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "QC/QCOps.h"
#include "QCK/QCKOps.h"
#include "passes/QCToLinalg/LoweringUtils.h"

namespace qc {
#define GEN_PASS_DEF_FUSEINTEGERCONV
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

bool isByteTensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() && type.getElementType().isInteger(8);
}

// The integer values of a constant, read by its element type's signedness
// (signless is signed); none for a non-constant.
std::optional<SmallVector<int64_t>> constantIntegers(Value v) {
  DenseElementsAttr dense = constantAsDense(v);
  if (!dense)
    return std::nullopt;
  auto type = dyn_cast<IntegerType>(dense.getElementType());
  if (!type)
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &value : dense.getValues<APInt>())
    values.push_back(type.isUnsigned() ? int64_t(value.getZExtValue()) : value.getSExtValue());
  return values;
}

// `values` for `count` channels: one value for all, or one per channel.
std::optional<SmallVector<int64_t>> perChannel(ArrayRef<int64_t> values, int64_t count) {
  if (values.size() == 1)
    return SmallVector<int64_t>(count, values.front());
  if (static_cast<int64_t>(values.size()) == count)
    return SmallVector<int64_t>(values);
  return std::nullopt;
}

// A zero point operand: 0 when absent.
std::optional<SmallVector<int64_t>> zeroPoints(Value v) {
  if (isNone(v))
    return SmallVector<int64_t>{0};
  return constantIntegers(v);
}

// A bias added to the [N, F, H, W] sums: a constant of F values laid
// along dimension 1 ([F, 1, 1], [1, F, 1, 1] or one value).
std::optional<SmallVector<int64_t>> biasOf(AddOp add, Value acc, int64_t filters) {
  Value other = add.getA() == acc ? add.getB() : add.getA();
  auto type = dyn_cast<RankedTensorType>(other.getType());
  if (other == acc || !type || !type.getElementType().isInteger(32) ||
      add.getC().getType() != acc.getType())
    return std::nullopt;
  ArrayRef<int64_t> shape = type.getShape();
  bool alongFilters =
      type.getNumElements() == 1 ||
      (shape.size() >= 3 && shape.size() <= 4 && shape[shape.size() - 3] == filters &&
       llvm::all_of(shape.take_back(2), [](int64_t d) { return d == 1; }) &&
       (shape.size() == 3 || shape[0] == 1));
  if (!alongFilters)
    return std::nullopt;
  std::optional<SmallVector<int64_t>> values = constantIntegers(other);
  if (!values)
    return std::nullopt;
  return perChannel(*values, filters);
}

// The range an 8-bit tensor's values are known to lie in: the clamp of
// the requantize (or fused convolution) that made it, carried through ops
// that only move or select values; the type's range otherwise.
std::pair<int64_t, int64_t> knownRange(Value v) {
  auto type = cast<IntegerType>(cast<ShapedType>(v.getType()).getElementType());
  std::pair<int64_t, int64_t> full = type.isUnsigned() ? std::pair<int64_t, int64_t>{0, 255}
                                                       : std::pair<int64_t, int64_t>{-128, 127};
  Operation *def = v.getDefiningOp();
  if (!def)
    return full;
  auto clamped = [&](int64_t lo, int64_t hi) {
    return std::pair<int64_t, int64_t>{std::max(lo, full.first), std::min(hi, full.second)};
  };
  if (auto requantize = dyn_cast<RequantizeOp>(def))
    return clamped(requantize.getClampMin(), requantize.getClampMax());
  if (auto qconv = dyn_cast<qck::QConv2DOp>(def))
    return clamped(static_cast<int64_t>(qconv.getClampMin()),
                   static_cast<int64_t>(qconv.getClampMax()));
  if (isa<MaxPoolOp, ReshapeOp, FlattenOp, TransposeOp, SqueezeOp, UnsqueezeOp>(def) &&
      cast<ShapedType>(def->getOperand(0).getType()).getElementType() == type)
    return knownRange(def->getOperand(0));
  return full;
}

Operation *soleUser(Value v) { return v.hasOneUse() ? *v.getUsers().begin() : nullptr; }

// pads, strides and dilations of a conv_integer, with ONNX's defaults.
struct Window {
  SmallVector<int64_t> pads, strides, dilations;
};
std::optional<Window> windowOf(ConvIntegerOp conv) {
  Window w{SmallVector<int64_t>(conv.getPads().value_or(ArrayRef<int64_t>{0, 0, 0, 0})),
           SmallVector<int64_t>(conv.getStrides().value_or(ArrayRef<int64_t>{1, 1})),
           SmallVector<int64_t>(conv.getDilations().value_or(ArrayRef<int64_t>{1, 1}))};
  if (w.pads.size() != 4 || w.strides.size() != 2 || w.dilations.size() != 2)
    return std::nullopt;
  return w;
}

// What a qck.qconv2d takes besides the conv's operands and window.
struct Epilogue {
  SmallVector<int64_t> bias, multiplier, shift, filterZero, residualMultiplier;
  Value residual;
  RankedTensorType outType;
  int64_t inputZero = 0, residualZero = 0, outputZero = 0, clampMin = 0, clampMax = 0;
  StringRef rounding = "half_to_even";
};

// The qck.qconv2d of `conv` and its epilogue, built before `at`; it
// replaces `replaced`, and the `fused` ops (the conv first) are erased.
void replaceWithQConv(ConvIntegerOp conv, const Window &w, const Epilogue &e, Operation *at,
                      Value replaced, ArrayRef<Operation *> fused) {
  OpBuilder b(at);
  Location loc = conv.getLoc();
  int64_t filters = static_cast<int64_t>(e.bias.size());
  SmallVector<int32_t> params;
  for (ArrayRef<int64_t> row :
       {ArrayRef<int64_t>(e.bias), ArrayRef<int64_t>(e.multiplier), ArrayRef<int64_t>(e.shift),
        ArrayRef<int64_t>(e.filterZero), ArrayRef<int64_t>(e.residualMultiplier)})
    for (int64_t v : row)
      params.push_back(static_cast<int32_t>(v));
  auto paramsType = RankedTensorType::get({5, filters}, b.getI32Type());
  Value paramsValue = arith::ConstantOp::create(
      b, loc, paramsType, DenseElementsAttr::get(paramsType, ArrayRef<int32_t>(params)));
  Value init = tensor::EmptyOp::create(b, loc, e.outType.getShape(), e.outType.getElementType());
  std::pair<int64_t, int64_t> inputRange = knownRange(conv.getX());
  auto qconv = qck::QConv2DOp::create(
      b, loc, TypeRange{e.outType}, conv.getX(), conv.getW(), paramsValue, e.residual, init,
      b.getDenseI64ArrayAttr(w.pads), b.getDenseI64ArrayAttr(w.strides),
      b.getDenseI64ArrayAttr(w.dilations), b.getI64IntegerAttr(conv.getGroup()),
      b.getI64IntegerAttr(e.inputZero), b.getI64IntegerAttr(e.residualZero),
      b.getI64IntegerAttr(e.outputZero), b.getI64IntegerAttr(e.clampMin),
      b.getI64IntegerAttr(e.clampMax), b.getI64IntegerAttr(inputRange.first),
      b.getI64IntegerAttr(inputRange.second), b.getStringAttr(e.rounding));
  replaced.replaceAllUsesWith(qconv.getResult()[0]);
  for (Operation *op : llvm::reverse(fused))
    op->erase();
}

LogicalResult fuse(ConvIntegerOp conv) {
  if (!isByteTensor(conv.getX()) || !isByteTensor(conv.getW()))
    return failure();
  auto xType = cast<RankedTensorType>(conv.getX().getType());
  auto wType = cast<RankedTensorType>(conv.getW().getType());
  if (xType.getRank() != 4 || wType.getRank() != 4 || conv.getAutoPad() != "NOTSET")
    return failure();
  int64_t filters = wType.getDimSize(0);
  std::optional<SmallVector<int64_t>> xZero = zeroPoints(conv.getXZeroPoint());
  std::optional<SmallVector<int64_t>> wZero = zeroPoints(conv.getWZeroPoint());
  if (!xZero || xZero->size() != 1 || !wZero || !(wZero = perChannel(*wZero, filters)) ||
      !constantAsDense(conv.getW()))
    return failure();

  std::optional<Window> window = windowOf(conv);
  if (!window)
    return failure();

  // conv [-> add bias] -> requantize, each the only user of the one before.
  SmallVector<Operation *> fused = {conv};
  Value sums = conv.getY();
  SmallVector<int64_t> bias(filters, 0);
  if (auto add = dyn_cast_or_null<AddOp>(soleUser(sums)))
    if (std::optional<SmallVector<int64_t>> values = biasOf(add, sums, filters)) {
      bias = *values;
      fused.push_back(add);
      sums = add.getC();
    }
  // Sums that are not requantized (the result stays float): the kernel's
  // int32 mode, acc + bias as they are.
  auto keepSums = [&]() -> LogicalResult {
    auto sumsType = cast<RankedTensorType>(sums.getType());
    Epilogue e{bias,
               SmallVector<int64_t>(filters, 0),
               SmallVector<int64_t>(filters, 1),
               *wZero,
               SmallVector<int64_t>(filters, 0),
               Value(),
               sumsType,
               xZero->front()};
    replaceWithQConv(conv, *window, e, fused.back(), sums, fused);
    return success();
  };
  auto requantize = dyn_cast_or_null<RequantizeOp>(soleUser(sums));
  if (!requantize || requantize.getInput() != sums || requantize.getInputZeroPoint() != 0 ||
      !isByteTensor(requantize.getOutput()))
    return keepSums();
  auto outType = cast<RankedTensorType>(requantize.getOutput().getType());
  int64_t axis = requantize.getAxis();
  std::optional<SmallVector<int64_t>> multiplier = perChannel(requantize.getMultiplier(), filters);
  std::optional<SmallVector<int64_t>> shift = perChannel(requantize.getShift(), filters);
  if (!multiplier || !shift || outType.getShape() != cast<ShapedType>(sums.getType()).getShape() ||
      (requantize.getMultiplier().size() > 1 && axis != 1 && axis != -3))
    return keepSums();
  Value residual = requantize.getResidual();
  SmallVector<int64_t> residualMultiplier(filters, 0);
  if (residual) {
    auto residualType = dyn_cast<RankedTensorType>(residual.getType());
    auto values = perChannel(*requantize.getResidualMultiplier(), filters);
    if (!isByteTensor(residual) || residualType.getShape() != outType.getShape() || !values)
      return keepSums();
    residualMultiplier = *values;
  }
  fused.push_back(requantize);

  Epilogue e{bias,
             *multiplier,
             *shift,
             *wZero,
             residualMultiplier,
             residual,
             outType,
             xZero->front(),
             static_cast<int64_t>(requantize.getResidualZeroPoint()),
             static_cast<int64_t>(requantize.getOutputZeroPoint()),
             static_cast<int64_t>(requantize.getClampMin()),
             static_cast<int64_t>(requantize.getClampMax()),
             requantize.getRounding()};
  replaceWithQConv(conv, *window, e, requantize, requantize.getOutput(), fused);
  return success();
}

struct FuseIntegerConvPass : impl::FuseIntegerConvBase<FuseIntegerConvPass> {
  void runOnOperation() override {
    SmallVector<ConvIntegerOp> convs;
    getOperation().walk([&](ConvIntegerOp conv) { convs.push_back(conv); });
    for (ConvIntegerOp conv : convs)
      (void)fuse(conv);
  }
};

} // namespace
} // namespace qc

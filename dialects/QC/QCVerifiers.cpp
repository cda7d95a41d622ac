//===- QCVerifiers.cpp - qc op verifiers ----------------------------------===//
//
// Verifiers check what ONNX defines as a malformed node: ranks, axes, the
// agreement of channel counts and attribute lengths. Unknown (dynamic or
// unranked) shapes are accepted; what can be checked statically is.
//
//===----------------------------------------------------------------------===//
#include "QC/OnnxTypes.h"
#include "QC/QCOps.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace qc;

namespace {

RankedTensorType ranked(Value v) {
  return v ? dyn_cast<RankedTensorType>(v.getType()) : RankedTensorType();
}

bool isNone(Value v) { return !v || isa<NoneType>(v.getType()); }

// ONNX axes may be negative; returns the axis in [0, rank) or fails.
FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                 StringRef what = "axis") {
  if (axis < -rank || axis >= rank) {
    op->emitOpError() << what << " " << axis << " is out of range for rank "
                      << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

LogicalResult checkLength(Operation *op, std::optional<ArrayRef<int64_t>> values,
                          size_t expected, StringRef name) {
  if (values && values->size() != expected)
    return op->emitOpError() << "'" << name << "' has " << values->size()
                             << " values, expected " << expected;
  return success();
}

LogicalResult checkPositive(Operation *op, std::optional<ArrayRef<int64_t>> values,
                            StringRef name) {
  if (values && llvm::any_of(*values, [](int64_t v) { return v < 1; }))
    return op->emitOpError() << "'" << name << "' values must be >= 1";
  return success();
}

LogicalResult checkAutoPad(Operation *op, StringRef autoPad) {
  if (!llvm::is_contained({"NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"}, autoPad))
    return op->emitOpError() << "unknown auto_pad '" << autoPad << "'";
  return success();
}

bool dimsConflict(int64_t a, int64_t b) {
  return !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b;
}

// Spatial attributes of windowed ops (conv and pooling).
LogicalResult verifyWindowAttrs(Operation *op, Value x, StringRef autoPad,
                                std::optional<ArrayRef<int64_t>> kernel,
                                std::optional<ArrayRef<int64_t>> pads,
                                std::optional<ArrayRef<int64_t>> strides,
                                std::optional<ArrayRef<int64_t>> dilations) {
  if (failed(checkAutoPad(op, autoPad)))
    return failure();
  if (failed(checkPositive(op, strides, "strides")) ||
      failed(checkPositive(op, dilations, "dilations")) ||
      failed(checkPositive(op, kernel, "kernel_shape")))
    return failure();
  if (pads && llvm::any_of(*pads, [](int64_t p) { return p < 0; }))
    return op->emitOpError("'pads' values must be >= 0");
  auto xType = ranked(x);
  if (!xType)
    return success();
  if (xType.getRank() < 3)
    return op->emitOpError() << "input must have rank >= 3 (N, C, spatial...), got "
                             << xType.getRank();
  size_t spatial = xType.getRank() - 2;
  if (failed(checkLength(op, kernel, spatial, "kernel_shape")) ||
      failed(checkLength(op, pads, 2 * spatial, "pads")) ||
      failed(checkLength(op, strides, spatial, "strides")) ||
      failed(checkLength(op, dilations, spatial, "dilations")))
    return failure();
  return success();
}

template <typename ConvLikeOp>
LogicalResult verifyConvLike(ConvLikeOp op, Value x, Value w, Value bias,
                             bool transposed) {
  Operation *o = op.getOperation();
  if (failed(verifyWindowAttrs(o, x, op.getAutoPad(), op.getKernelShape(),
                               op.getPads(), op.getStrides(), op.getDilations())))
    return failure();
  int64_t group = op.getGroup();
  if (group < 1)
    return op.emitOpError("'group' must be >= 1");
  auto xType = ranked(x), wType = ranked(w);
  if (xType && wType && xType.getRank() != wType.getRank())
    return op.emitOpError() << "weight rank " << wType.getRank()
                            << " differs from input rank " << xType.getRank();
  if (!wType)
    return success();
  if (wType.getRank() < 3)
    return op.emitOpError("weight must have rank >= 3");
  if (auto kernel = op.getKernelShape()) {
    if (kernel->size() != static_cast<size_t>(wType.getRank() - 2))
      return op.emitOpError("'kernel_shape' length differs from the weight's spatial rank");
    for (auto [k, d] : llvm::zip(*kernel, wType.getShape().drop_front(2)))
      if (dimsConflict(k, d))
        return op.emitOpError() << "'kernel_shape' " << k
                                << " differs from the weight's spatial dim " << d;
  }
  // Conv: W is [M, C/group, k...]; ConvTranspose: W is [C, M/group, k...].
  int64_t inChannels = xType ? xType.getDimSize(1) : ShapedType::kDynamic;
  if (!transposed) {
    int64_t wIn = wType.getDimSize(1), m = wType.getDimSize(0);
    if (!ShapedType::isDynamic(inChannels) && !ShapedType::isDynamic(wIn) &&
        inChannels != wIn * group)
      return op.emitOpError() << "input has " << inChannels
                              << " channels but weight expects " << wIn
                              << " x group " << group;
    if (!ShapedType::isDynamic(m) && m % group != 0)
      return op.emitOpError() << "output channels " << m
                              << " are not divisible by group " << group;
  } else {
    if (dimsConflict(inChannels, wType.getDimSize(0)))
      return op.emitOpError() << "input has " << inChannels
                              << " channels but weight has " << wType.getDimSize(0);
    if (!ShapedType::isDynamic(wType.getDimSize(0)) && wType.getDimSize(0) % group != 0)
      return op.emitOpError("weight input channels are not divisible by group");
  }
  int64_t outChannels = transposed && !ShapedType::isDynamic(wType.getDimSize(1))
                            ? wType.getDimSize(1) * group
                            : (transposed ? ShapedType::kDynamic : wType.getDimSize(0));
  if (auto bType = ranked(bias)) {
    if (bType.getRank() != 1 || dimsConflict(bType.getDimSize(0), outChannels))
      return op.emitOpError() << "bias must be 1-D with " << outChannels
                              << " elements";
  }
  // The result keeps the input's rank and batch and has the output channels
  // (the importer takes result types from the model, which may contradict).
  if (auto yType = ranked(op->getResult(0)); yType && xType) {
    if (yType.getRank() != xType.getRank())
      return op.emitOpError() << "result rank " << yType.getRank()
                              << " differs from input rank " << xType.getRank();
    if (dimsConflict(yType.getDimSize(0), xType.getDimSize(0)))
      return op.emitOpError() << "result batch " << yType.getDimSize(0)
                              << " differs from input batch " << xType.getDimSize(0);
    if (dimsConflict(yType.getDimSize(1), outChannels))
      return op.emitOpError() << "result has " << yType.getDimSize(1)
                              << " channels, expected " << outChannels;
  }
  return success();
}

LogicalResult verifyMatMulShapes(Operation *op, Value a, Value b) {
  auto aType = ranked(a), bType = ranked(b);
  if (!aType || !bType)
    return success();
  if (aType.getRank() == 0 || bType.getRank() == 0)
    return op->emitOpError("operands of matmul must have rank >= 1");
  int64_t k1 = aType.getShape().back();
  int64_t k2 = bType.getRank() == 1 ? bType.getDimSize(0)
                                    : bType.getDimSize(bType.getRank() - 2);
  if (dimsConflict(k1, k2))
    return op->emitOpError() << "contraction dims differ: " << k1 << " vs " << k2;
  return success();
}

LogicalResult verifyScalarOrNone(Operation *op, Value v, StringRef name) {
  if (auto t = ranked(v))
    if (t.hasStaticShape() && t.getNumElements() != 1)
      return op->emitOpError() << "'" << name << "' must be a scalar";
  return success();
}

LogicalResult verify1D(Operation *op, Value v, StringRef name) {
  if (auto t = ranked(v))
    if (t.getRank() != 1)
      return op->emitOpError() << "'" << name << "' must be 1-D, got rank "
                               << t.getRank();
  return success();
}

// Quantize/dequantize: scale/zero-point shapes against axis and block_size,
// and the consistency of the recorded quant type.
LogicalResult verifyQuantParams(Operation *op, Value data, Value scale,
                                Value zeroPoint, int64_t axis, int64_t blockSize,
                                Type storageType, Type expressedType,
                                std::optional<Type> qtype) {
  auto dataType = ranked(data);
  auto scaleType = ranked(scale);
  if (blockSize < 0)
    return op->emitOpError("'block_size' must be >= 0");
  if (auto zpType = ranked(zeroPoint))
    if (scaleType && zpType.hasStaticShape() && scaleType.hasStaticShape() &&
        zpType.getShape() != scaleType.getShape() &&
        // A scalar and a one-element 1-D tensor are the same per-tensor value.
        !(zpType.getNumElements() == 1 && scaleType.getNumElements() == 1))
      return op->emitOpError("zero point and scale must have the same shape");
  if (scaleType && dataType) {
    int64_t scaleRank = scaleType.getRank();
    bool perTensor = scaleType.hasStaticShape() && scaleType.getNumElements() == 1 &&
                     scaleRank <= 1 && blockSize == 0;
    if (!perTensor) {
      auto ax = normalizeAxis(op, axis, dataType.getRank());
      if (failed(ax))
        return failure();
      if (blockSize == 0) {
        if (scaleRank != 1)
          return op->emitOpError("per-axis scale must be 1-D");
        if (dimsConflict(scaleType.getDimSize(0), dataType.getDimSize(*ax)))
          return op->emitOpError() << "per-axis scale has " << scaleType.getDimSize(0)
                                   << " values but axis " << *ax << " has size "
                                   << dataType.getDimSize(*ax);
      } else {
        if (scaleRank != dataType.getRank())
          return op->emitOpError("blocked scale must have the rank of the input");
        for (int64_t d = 0; d < scaleRank; ++d) {
          int64_t want = dataType.getDimSize(d);
          if (d == *ax && !ShapedType::isDynamic(want))
            want = (want + blockSize - 1) / blockSize;
          if (dimsConflict(scaleType.getDimSize(d), want))
            return op->emitOpError() << "blocked scale dim " << d << " is "
                                     << scaleType.getDimSize(d) << ", expected " << want;
        }
      }
    }
  }
  if (!qtype)
    return success();
  auto q = dyn_cast<quant::QuantizedType>(*qtype);
  if (!q)
    return op->emitOpError("'qtype' must be a quant dialect type");
  if (storageType && q.getStorageType() != storageType &&
      !(isa<IntegerType>(storageType) &&
        q.getStorageType().getIntOrFloatBitWidth() == storageType.getIntOrFloatBitWidth() &&
        q.isSigned() == !storageType.isUnsignedInteger()))
    return op->emitOpError() << "'qtype' storage " << q.getStorageType()
                             << " does not match " << storageType;
  if (expressedType && q.getExpressedType() != expressedType)
    return op->emitOpError() << "'qtype' expressed type " << q.getExpressedType()
                             << " does not match " << expressedType;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(q)) {
    if (dataType && perAxis.getQuantizedDimension() !=
                        (axis < 0 ? axis + dataType.getRank() : axis))
      return op->emitOpError("'qtype' quantized dimension differs from 'axis'");
  }
  return success();
}

Type elementTypeOf(Value v) {
  auto t = dyn_cast<ShapedType>(v.getType());
  return t ? t.getElementType() : Type();
}

} // namespace

//===----------------------------------------------------------------------===//

LogicalResult MaxOp::verify() {
  return getNumOperands() ? success() : emitOpError("needs at least one input");
}
LogicalResult MinOp::verify() {
  return getNumOperands() ? success() : emitOpError("needs at least one input");
}
LogicalResult SumOp::verify() {
  return getNumOperands() ? success() : emitOpError("needs at least one input");
}
LogicalResult MeanOp::verify() {
  return getNumOperands() ? success() : emitOpError("needs at least one input");
}

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError() << "'approximate' must be \"none\" or \"tanh\", got \""
                         << getApproximate() << "\"";
  return success();
}

LogicalResult ClipOp::verify() {
  if (failed(verifyScalarOrNone(*this, getMin(), "min")) ||
      failed(verifyScalarOrNone(*this, getMax(), "max")))
    return failure();
  Type elt = elementTypeOf(getInput());
  for (Value bound : {getMin(), getMax()})
    if (!isNone(bound) && elementTypeOf(bound) != elt)
      return emitOpError("bounds must have the input's element type");
  return success();
}

LogicalResult MatMulOp::verify() { return verifyMatMulShapes(*this, getA(), getB()); }

LogicalResult GemmOp::verify() {
  auto aType = ranked(getA()), bType = ranked(getB());
  if ((aType && aType.getRank() != 2) || (bType && bType.getRank() != 2))
    return emitOpError("A and B must be 2-D");
  if (aType && bType) {
    int64_t kA = aType.getDimSize(getTransA() ? 0 : 1);
    int64_t kB = bType.getDimSize(getTransB() ? 1 : 0);
    if (dimsConflict(kA, kB))
      return emitOpError() << "contraction dims differ: " << kA << " vs " << kB;
  }
  if (auto cType = ranked(getC()))
    if (cType.getRank() > 2)
      return emitOpError("C must have rank <= 2");
  return success();
}

LogicalResult ConvOp::verify() { return verifyConvLike(*this, getX(), getW(), getB(), false); }
LogicalResult ConvTransposeOp::verify() {
  if (failed(verifyConvLike(*this, getX(), getW(), getB(), true)))
    return failure();
  if (auto xType = ranked(getX())) {
    size_t spatial = xType.getRank() - 2;
    if (failed(checkLength(*this, getOutputPadding(), spatial, "output_padding")) ||
        failed(checkLength(*this, getOutputShape(), spatial, "output_shape")))
      return failure();
  }
  return success();
}
LogicalResult QLinearConvOp::verify() {
  return verifyConvLike(*this, getX(), getW(), getB(), false);
}
LogicalResult ConvIntegerOp::verify() {
  return verifyConvLike(*this, getX(), getW(), Value(), false);
}
LogicalResult QLinearMatMulOp::verify() { return verifyMatMulShapes(*this, getA(), getB()); }
LogicalResult MatMulIntegerOp::verify() { return verifyMatMulShapes(*this, getA(), getB()); }

template <typename SoftmaxLike>
static LogicalResult verifySoftmaxLike(SoftmaxLike op) {
  if (auto t = ranked(op.getInput()))
    return normalizeAxis(op, op.getAxis(), std::max<int64_t>(t.getRank(), 1));
  return success();
}
LogicalResult SoftmaxOp::verify() { return verifySoftmaxLike(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmaxLike(*this); }
LogicalResult HardmaxOp::verify() { return verifySoftmaxLike(*this); }

LogicalResult LayerNormalizationOp::verify() {
  auto xType = ranked(getX());
  if (!xType)
    return success();
  auto axis = normalizeAxis(*this, getAxis(), xType.getRank());
  if (failed(axis))
    return failure();
  if (getEpsilon().convertToFloat() < 0)
    return emitOpError("'epsilon' must be >= 0");
  ArrayRef<int64_t> normalized = xType.getShape().drop_front(*axis);
  for (Value param : {getScale(), getB()}) {
    auto pType = ranked(param);
    if (!pType)
      continue;
    // Scale and B broadcast unidirectionally to the normalized shape.
    if (pType.getRank() > static_cast<int64_t>(normalized.size()))
      return emitOpError("scale/bias rank exceeds the normalized rank");
    for (auto [p, x] : llvm::zip(llvm::reverse(pType.getShape()), llvm::reverse(normalized)))
      if (p != 1 && dimsConflict(p, x))
        return emitOpError() << "scale/bias dim " << p
                             << " does not broadcast to normalized dim " << x;
  }
  return success();
}

LogicalResult BatchNormalizationOp::verify() {
  if (getTrainingMode() != 0)
    return emitOpError("training_mode=1 is not supported for inference");
  auto xType = ranked(getX());
  if (xType && xType.getRank() < 2)
    return emitOpError("input must have rank >= 2");
  int64_t channels = xType ? xType.getDimSize(1) : ShapedType::kDynamic;
  for (Value param : {getScale(), getB(), getInputMean(), getInputVar()}) {
    if (failed(verify1D(*this, param, "scale/B/mean/var")))
      return failure();
    if (auto pType = ranked(param))
      if (dimsConflict(pType.getDimSize(0), channels))
        return emitOpError() << "parameter has " << pType.getDimSize(0)
                             << " elements but the input has " << channels
                             << " channels";
  }
  return success();
}

LogicalResult InstanceNormalizationOp::verify() {
  auto xType = ranked(getInput());
  if (xType && xType.getRank() < 3)
    return emitOpError("input must have rank >= 3");
  int64_t channels = xType ? xType.getDimSize(1) : ShapedType::kDynamic;
  for (Value param : {getScale(), getB()}) {
    if (failed(verify1D(*this, param, "scale/B")))
      return failure();
    if (auto pType = ranked(param))
      if (dimsConflict(pType.getDimSize(0), channels))
        return emitOpError("scale/B size differs from the channel count");
  }
  return success();
}

LogicalResult MaxPoolOp::verify() {
  if (getStorageOrder() != 0 && getStorageOrder() != 1)
    return emitOpError("'storage_order' must be 0 or 1");
  return verifyWindowAttrs(*this, getX(), getAutoPad(), getKernelShape(), getPads(),
                           getStrides(), getDilations());
}

LogicalResult AveragePoolOp::verify() {
  return verifyWindowAttrs(*this, getX(), getAutoPad(), getKernelShape(), getPads(),
                           getStrides(), getDilations());
}

template <typename GlobalPool>
static LogicalResult verifyGlobalPool(GlobalPool op) {
  auto xType = ranked(op.getX());
  auto yType = ranked(op.getY());
  if (xType && xType.getRank() < 3)
    return op.emitOpError("input must have rank >= 3");
  if (xType && yType) {
    if (yType.getRank() != xType.getRank())
      return op.emitOpError("result rank must equal input rank");
    for (int64_t d = 2; d < yType.getRank(); ++d)
      if (dimsConflict(yType.getDimSize(d), 1))
        return op.emitOpError("spatial result dims must be 1");
  }
  return success();
}
LogicalResult GlobalAveragePoolOp::verify() { return verifyGlobalPool(*this); }
LogicalResult GlobalMaxPoolOp::verify() { return verifyGlobalPool(*this); }

template <typename Reduce>
static LogicalResult verifyReduce(Reduce op) {
  if (failed(verify1D(op, op.getAxes(), "axes")))
    return failure();
  if (op.getKeepdims() != 0 && op.getKeepdims() != 1)
    return op.emitOpError("'keepdims' must be 0 or 1");
  return success();
}
#define QC_REDUCE_VERIFIER(Op)                                                 \
  LogicalResult Op::verify() { return verifyReduce(*this); }
QC_REDUCE_VERIFIER(ReduceMeanOp)
QC_REDUCE_VERIFIER(ReduceSumOp)
QC_REDUCE_VERIFIER(ReduceMaxOp)
QC_REDUCE_VERIFIER(ReduceMinOp)
QC_REDUCE_VERIFIER(ReduceProdOp)
QC_REDUCE_VERIFIER(ReduceL1Op)
QC_REDUCE_VERIFIER(ReduceL2Op)
QC_REDUCE_VERIFIER(ReduceLogSumOp)
QC_REDUCE_VERIFIER(ReduceLogSumExpOp)
QC_REDUCE_VERIFIER(ReduceSumSquareOp)
#undef QC_REDUCE_VERIFIER

template <typename ArgReduce>
static LogicalResult verifyArgReduce(ArgReduce op) {
  if (auto t = ranked(op.getData()))
    return normalizeAxis(op, op.getAxis(), std::max<int64_t>(t.getRank(), 1));
  return success();
}
LogicalResult ArgMaxOp::verify() { return verifyArgReduce(*this); }
LogicalResult ArgMinOp::verify() { return verifyArgReduce(*this); }

LogicalResult ReshapeOp::verify() {
  if (failed(verify1D(*this, getShape(), "shape")))
    return failure();
  auto in = ranked(getData()), out = ranked(getReshaped());
  if (in && out && in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError() << "cannot reshape " << in.getNumElements()
                         << " elements into " << out.getNumElements();
  return success();
}

LogicalResult TransposeOp::verify() {
  auto in = ranked(getData());
  auto perm = getPerm();
  if (!perm)
    return success();
  llvm::SmallSet<int64_t, 8> seen;
  for (int64_t p : *perm)
    if (p < 0 || p >= static_cast<int64_t>(perm->size()) || !seen.insert(p).second)
      return emitOpError("'perm' is not a permutation");
  if (in && in.getRank() != static_cast<int64_t>(perm->size()))
    return emitOpError() << "'perm' has " << perm->size()
                         << " entries but the input has rank " << in.getRank();
  if (auto out = ranked(getTransposed()); in && out)
    for (auto [i, p] : llvm::enumerate(*perm))
      if (dimsConflict(out.getDimSize(i), in.getDimSize(p)))
        return emitOpError() << "result dim " << i << " must equal input dim " << p;
  return success();
}

LogicalResult FlattenOp::verify() {
  auto in = ranked(getInput());
  if (in && (getAxis() < -in.getRank() || getAxis() > in.getRank()))
    return emitOpError() << "axis " << getAxis() << " is out of range for rank "
                         << in.getRank();
  if (auto out = ranked(getOutput()); out && out.getRank() != 2)
    return emitOpError("result must be 2-D");
  return success();
}

LogicalResult SqueezeOp::verify() { return verify1D(*this, getAxes(), "axes"); }
LogicalResult UnsqueezeOp::verify() { return verify1D(*this, getAxes(), "axes"); }

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  RankedTensorType first;
  for (Value v : getInputs()) {
    auto t = ranked(v);
    if (!t)
      continue;
    if (!first) {
      first = t;
      if (failed(normalizeAxis(*this, getAxis(), t.getRank())))
        return failure();
      continue;
    }
    if (t.getRank() != first.getRank())
      return emitOpError("all inputs must have the same rank");
    int64_t axis = getAxis() < 0 ? getAxis() + t.getRank() : getAxis();
    for (int64_t d = 0; d < t.getRank(); ++d)
      if (d != axis && dimsConflict(t.getDimSize(d), first.getDimSize(d)))
        return emitOpError() << "inputs differ in non-concatenated dim " << d;
  }
  return success();
}

LogicalResult SplitOp::verify() {
  if (getOutputs().empty())
    return emitOpError("needs at least one result");
  if (failed(verify1D(*this, getSplit(), "split")))
    return failure();
  if (auto n = getNumOutputs(); n && *n != static_cast<int64_t>(getOutputs().size()))
    return emitOpError() << "'num_outputs' is " << *n << " but the op has "
                         << getOutputs().size() << " results";
  if (auto t = ranked(getInput()))
    return normalizeAxis(*this, getAxis(), t.getRank());
  return success();
}

LogicalResult SliceOp::verify() {
  // Named arrays: braced lists inside the zip() would be temporaries that
  // die before the loop body runs.
  Value inputs[] = {getStarts(), getEnds(), getAxes(), getSteps()};
  StringRef names[] = {"starts", "ends", "axes", "steps"};
  for (auto [v, name] : llvm::zip(inputs, names))
    if (failed(verify1D(*this, v, name)))
      return failure();
  auto s = ranked(getStarts()), e = ranked(getEnds());
  if (s && e && dimsConflict(s.getDimSize(0), e.getDimSize(0)))
    return emitOpError("'starts' and 'ends' must have the same length");
  return success();
}

LogicalResult GatherOp::verify() {
  if (auto t = ranked(getData()))
    return normalizeAxis(*this, getAxis(), t.getRank());
  return success();
}

LogicalResult GatherElementsOp::verify() {
  auto d = ranked(getData()), i = ranked(getIndices());
  if (d && i && d.getRank() != i.getRank())
    return emitOpError("data and indices must have the same rank");
  if (d)
    return normalizeAxis(*this, getAxis(), d.getRank());
  return success();
}

LogicalResult PadOp::verify() {
  if (!llvm::is_contained({"constant", "reflect", "edge", "wrap"}, getMode()))
    return emitOpError() << "unknown mode '" << getMode() << "'";
  if (failed(verify1D(*this, getPads(), "pads")) ||
      failed(verifyScalarOrNone(*this, getConstantValue(), "constant_value")))
    return failure();
  auto in = ranked(getData()), pads = ranked(getPads());
  if (in && pads && isNone(getAxes()) &&
      dimsConflict(pads.getDimSize(0), 2 * in.getRank()))
    return emitOpError() << "'pads' has " << pads.getDimSize(0)
                         << " values, expected " << 2 * in.getRank();
  return success();
}

LogicalResult ResizeOp::verify() {
  if (!llvm::is_contained({"nearest", "linear", "cubic"}, getMode()))
    return emitOpError() << "unknown mode '" << getMode() << "'";
  if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
                           "align_corners", "asymmetric", "tf_crop_and_resize"},
                          getCoordinateTransformationMode()))
    return emitOpError() << "unknown coordinate_transformation_mode '"
                         << getCoordinateTransformationMode() << "'";
  if (!llvm::is_contained({"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
                          getNearestMode()))
    return emitOpError() << "unknown nearest_mode '" << getNearestMode() << "'";
  if (!llvm::is_contained({"stretch", "not_larger", "not_smaller"},
                          getKeepAspectRatioPolicy()))
    return emitOpError() << "unknown keep_aspect_ratio_policy '"
                         << getKeepAspectRatioPolicy() << "'";
  if (!isNone(getScales()) && !isNone(getSizes()))
    if (auto s = ranked(getScales());
        s && s.hasStaticShape() && s.getNumElements() != 0)
      return emitOpError("only one of 'scales' and 'sizes' may be given");
  return success();
}

LogicalResult ExpandOp::verify() { return verify1D(*this, getShape(), "shape"); }
LogicalResult TileOp::verify() { return verify1D(*this, getRepeats(), "repeats"); }

LogicalResult DepthToSpaceOp::verify() {
  if (getBlocksize() < 1)
    return emitOpError("'blocksize' must be >= 1");
  if (getMode() != "DCR" && getMode() != "CRD")
    return emitOpError("'mode' must be DCR or CRD");
  if (auto t = ranked(getInput()); t && t.getRank() != 4)
    return emitOpError("input must be 4-D");
  return success();
}

LogicalResult SpaceToDepthOp::verify() {
  if (getBlocksize() < 1)
    return emitOpError("'blocksize' must be >= 1");
  if (auto t = ranked(getInput()); t && t.getRank() != 4)
    return emitOpError("input must be 4-D");
  return success();
}

LogicalResult CastOp::verify() {
  Type target = getElementTypeForOnnx(getContext(), getTo());
  if (!target)
    return emitOpError() << "unsupported target type "
                         << getOnnxDataTypeName(getTo()) << " (" << getTo() << ")";
  if (elementTypeOf(getOutput()) != target)
    return emitOpError() << "result element type " << elementTypeOf(getOutput())
                         << " differs from 'to' = " << getOnnxDataTypeName(getTo());
  return success();
}

LogicalResult ShapeOp::verify() { return verify1D(*this, getShape(), "result"); }

LogicalResult ConstantOfShapeOp::verify() {
  if (failed(verify1D(*this, getInput(), "input")))
    return failure();
  if (auto value = getValue()) {
    if (value->getNumElements() != 1)
      return emitOpError("'value' must hold one element");
    if (value->getElementType() != elementTypeOf(getOutput()))
      return emitOpError("'value' element type differs from the result's");
  } else if (!elementTypeOf(getOutput()).isF32()) {
    return emitOpError("without 'value' the result is f32");
  }
  return success();
}

LogicalResult QuantizeLinearOp::verify() {
  if (failed(verifyCompatibleShape(getX().getType(), getY().getType())))
    return emitOpError("input and result shapes differ");
  Type storage = elementTypeOf(getY());
  if (!storage.isIntOrFloat() || (isa<FloatType>(storage) && storage.getIntOrFloatBitWidth() > 8))
    return emitOpError() << "result element type " << storage
                         << " is not a quantized storage type";
  if (!isNone(getYZeroPoint()) && elementTypeOf(getYZeroPoint()) != storage)
    return emitOpError("zero point type must equal the result element type");
  if (getOutputDtype() != 0) {
    Type want = getElementTypeForOnnx(getContext(), getOutputDtype());
    if (want != storage)
      return emitOpError("'output_dtype' differs from the result element type");
  }
  std::optional<Type> qtype;
  if (auto t = getQtype())
    qtype = *t;
  return verifyQuantParams(*this, getX(), getYScale(), getYZeroPoint(), getAxis(),
                           getBlockSize(), storage, elementTypeOf(getYScale()), qtype);
}

LogicalResult DequantizeLinearOp::verify() {
  if (failed(verifyCompatibleShape(getX().getType(), getY().getType())))
    return emitOpError("input and result shapes differ");
  Type storage = elementTypeOf(getX());
  if (!isNone(getXZeroPoint()) && elementTypeOf(getXZeroPoint()) != storage)
    return emitOpError("zero point type must equal the input element type");
  if (elementTypeOf(getY()) != elementTypeOf(getXScale()))
    return emitOpError("result element type must equal the scale's");
  std::optional<Type> qtype;
  if (auto t = getQtype())
    qtype = *t;
  return verifyQuantParams(*this, getX(), getXScale(), getXZeroPoint(), getAxis(),
                           getBlockSize(), storage, elementTypeOf(getY()), qtype);
}

LogicalResult RequantizeOp::verify() {
  size_t channels = getMultiplier().size();
  if (channels == 0 || getShift().size() != channels)
    return emitOpError("needs as many shifts as multipliers (at least one)");
  if (getResidual() && (!getResidualMultiplier() || getResidualMultiplier()->size() != channels))
    return emitOpError("a residual needs one residual multiplier per multiplier");
  if (!getResidual() && getResidualMultiplier())
    return emitOpError("residual multipliers without a residual");
  // Each product of a 32-bit value and a multiplier below 2^31 stays within
  // 63 bits, and the rounding shift leaves a value of at most 62 bits.
  auto checkMultipliers = [&](ArrayRef<int64_t> values, StringRef name) -> LogicalResult {
    for (int64_t m : values)
      if (m <= -(int64_t(1) << 31) || m >= (int64_t(1) << 31))
        return emitOpError() << "'" << name << "' value " << m << " does not fit in 32 bits";
    return success();
  };
  if (failed(checkMultipliers(getMultiplier(), "multiplier")) ||
      (getResidualMultiplier() &&
       failed(checkMultipliers(*getResidualMultiplier(), "residual_multiplier"))))
    return failure();
  for (int64_t s : getShift())
    if (s < 1 || s > 62)
      return emitOpError() << "shift " << s << " is outside [1, 62]";
  if (getRounding() != "half_to_even" && getRounding() != "half_away_from_zero")
    return emitOpError() << "unknown rounding '" << getRounding()
                         << "' (half_to_even or half_away_from_zero)";
  for (Value v : {getInput(), getResidual()})
    if (v && elementTypeOf(v).getIntOrFloatBitWidth() > 32)
      return emitOpError("inputs must be integers of at most 32 bits");
  auto outType = dyn_cast<IntegerType>(elementTypeOf(getOutput()));
  unsigned width = outType.getWidth();
  if (width > 32)
    return emitOpError("the result must be an integer of at most 32 bits");
  int64_t lo = outType.isUnsigned() ? 0 : -(int64_t(1) << (width - 1));
  int64_t hi = outType.isUnsigned() ? (int64_t(1) << width) - 1 : (int64_t(1) << (width - 1)) - 1;
  if (getClampMin() < lo || getClampMax() > hi || getClampMin() > getClampMax())
    return emitOpError() << "clamp range [" << getClampMin() << ", " << getClampMax()
                         << "] is not inside the result type's [" << lo << ", " << hi << "]";
  if (getOutputZeroPoint() < lo || getOutputZeroPoint() > hi)
    return emitOpError("output zero point is outside the result type's range");
  if (channels > 1) {
    auto inType = ranked(getOutput());
    if (inType) {
      auto axis = normalizeAxis(*this, getAxis(), inType.getRank());
      if (failed(axis))
        return failure();
      int64_t dim = inType.getDimSize(*axis);
      if (!ShapedType::isDynamic(dim) && dim != static_cast<int64_t>(channels))
        return emitOpError() << channels << " multipliers for " << dim << " channels along axis "
                             << *axis;
    }
  }
  return success();
}

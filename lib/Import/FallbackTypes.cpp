//===- FallbackTypes.cpp - result types ONNX shape inference missed -------===//
#include "Import/FallbackTypes.h"

#include "QC/OnnxTypes.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;

namespace qc {
namespace {

Type elementOf(Value v) {
  auto t = dyn_cast<ShapedType>(v.getType());
  return t ? t.getElementType() : Type();
}

RankedTensorType rankedOf(Value v) { return dyn_cast<RankedTensorType>(v.getType()); }

Attribute findAttr(ArrayRef<NamedAttribute> attrs, StringRef name) {
  for (const NamedAttribute &a : attrs)
    if (a.getName() == name)
      return a.getValue();
  return {};
}

int64_t intAttr(ArrayRef<NamedAttribute> attrs, StringRef name, int64_t fallback) {
  if (auto a = dyn_cast_or_null<IntegerAttr>(findAttr(attrs, name)))
    return a.getInt();
  return fallback;
}

// Integer values of a constant operand.
std::optional<SmallVector<int64_t>> constantInts(Value v) {
  DenseElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)) ||
      !isa<IntegerType>(attr.getElementType()))
    return std::nullopt;
  SmallVector<int64_t> out;
  for (const APInt &i : attr.getValues<APInt>())
    out.push_back(i.getSExtValue());
  return out;
}

// The numpy broadcast of ranked operands; null if any is unranked.
std::optional<SmallVector<int64_t>> broadcastShape(ValueRange operands) {
  SmallVector<int64_t> shape;
  bool first = true;
  for (Value v : operands) {
    if (isa<NoneType>(v.getType()))
      continue;
    auto t = rankedOf(v);
    if (!t)
      return std::nullopt;
    if (first) {
      shape.assign(t.getShape().begin(), t.getShape().end());
      first = false;
      continue;
    }
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(shape, t.getShape(), next))
      return std::nullopt;
    shape = std::move(next);
  }
  if (first)
    return std::nullopt;
  return shape;
}

std::optional<SmallVector<int64_t>> matmulShape(Value a, Value b) {
  auto at = rankedOf(a), bt = rankedOf(b);
  if (!at || !bt || at.getRank() == 0 || bt.getRank() == 0)
    return std::nullopt;
  SmallVector<int64_t> as(at.getShape()), bs(bt.getShape());
  bool vecA = as.size() == 1, vecB = bs.size() == 1;
  if (vecA)
    as.insert(as.begin(), 1);
  if (vecB)
    bs.push_back(1);
  SmallVector<int64_t> batch;
  ArrayRef<int64_t> batchA = ArrayRef<int64_t>(as).drop_back(2);
  ArrayRef<int64_t> batchB = ArrayRef<int64_t>(bs).drop_back(2);
  if (!OpTrait::util::getBroadcastedShape(batchA, batchB, batch))
    return std::nullopt;
  if (!vecA)
    batch.push_back(as[as.size() - 2]);
  if (!vecB)
    batch.push_back(bs.back());
  return batch;
}

// Reshape's result from a constant target shape (0 copies, -1 infers).
std::optional<SmallVector<int64_t>> reshapeShape(Value data, Value shapeOperand,
                                                 bool allowZero) {
  auto target = constantInts(shapeOperand);
  if (!target) {
    // The rank still follows from a 1-D shape operand of known length.
    auto st = rankedOf(shapeOperand);
    if (st && st.getRank() == 1 && !st.isDynamicDim(0))
      return SmallVector<int64_t>(st.getDimSize(0), ShapedType::kDynamic);
    return std::nullopt;
  }
  auto in = rankedOf(data);
  SmallVector<int64_t> out;
  int64_t inferAt = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d == 0 && !allowZero) {
      d = in && static_cast<int64_t>(i) < in.getRank() ? in.getDimSize(i)
                                                      : ShapedType::kDynamic;
    } else if (d == -1) {
      inferAt = i;
    }
    out.push_back(d);
    if (d >= 0 && !ShapedType::isDynamic(d))
      known *= d;
    else if (d != -1)
      known = -1;
  }
  if (inferAt >= 0) {
    if (in && in.hasStaticShape() && known > 0 && in.getNumElements() % known == 0)
      out[inferAt] = in.getNumElements() / known;
    else
      out[inferAt] = ShapedType::kDynamic;
  }
  return out;
}

// Result shapes of Expand, Tile, Pad, Split and Range whose size parameters
// are constants (often only after shape folding).
std::optional<SmallVector<int64_t>> constantParameterShape(StringRef op, ValueRange operands,
                                                           ArrayRef<NamedAttribute> attrs,
                                                           unsigned resultIndex) {
  auto present = [&](unsigned i) {
    return i < operands.size() && !isa<NoneType>(operands[i].getType());
  };
  if (op == "Range") {
    auto scalar = [&](unsigned i) -> std::optional<double> {
      DenseElementsAttr attr;
      if (!matchPattern(operands[i], m_Constant(&attr)) || attr.getNumElements() != 1)
        return std::nullopt;
      if (isa<FloatType>(attr.getElementType()))
        return (*attr.getValues<APFloat>().begin()).convertToDouble();
      if (isa<IntegerType>(attr.getElementType()))
        return double((*attr.getValues<APInt>().begin()).getSExtValue());
      return std::nullopt;
    };
    auto start = scalar(0), limit = scalar(1), delta = scalar(2);
    if (!start || !limit || !delta || *delta == 0)
      return std::nullopt;
    return SmallVector<int64_t>{
        int64_t(std::max(std::ceil((*limit - *start) / *delta), 0.0))};
  }
  auto in = rankedOf(operands[0]);
  if (!in)
    return std::nullopt;
  int64_t rank = in.getRank();
  if (op == "Expand") {
    auto target = constantInts(operands[1]);
    SmallVector<int64_t> shape;
    if (!target || !OpTrait::util::getBroadcastedShape(in.getShape(), *target, shape))
      return std::nullopt;
    return shape;
  }
  if (op == "Tile") {
    auto repeats = constantInts(operands[1]);
    if (!repeats || int64_t(repeats->size()) != rank)
      return std::nullopt;
    SmallVector<int64_t> shape(in.getShape());
    for (int64_t d = 0; d < rank; ++d)
      if (!in.isDynamicDim(d))
        shape[d] *= (*repeats)[d];
    return shape;
  }
  if (op == "Pad") {
    auto pads = constantInts(operands[1]);
    if (!pads)
      return std::nullopt;
    SmallVector<int64_t> axes;
    if (present(3)) {
      auto constantAxes = constantInts(operands[3]);
      if (!constantAxes)
        return std::nullopt;
      axes = *constantAxes;
    } else {
      for (int64_t d = 0; d < rank; ++d)
        axes.push_back(d);
    }
    if (pads->size() != 2 * axes.size())
      return std::nullopt;
    SmallVector<int64_t> shape(in.getShape());
    for (auto [i, a] : llvm::enumerate(axes)) {
      int64_t axis = a < 0 ? a + rank : a;
      if (axis < 0 || axis >= rank)
        return std::nullopt;
      if (!in.isDynamicDim(axis))
        shape[axis] += (*pads)[i] + (*pads)[i + axes.size()];
    }
    return shape;
  }
  if (op == "Split" && present(1)) {
    auto sizes = constantInts(operands[1]);
    int64_t axis = intAttr(attrs, "axis", 0);
    if (axis < 0)
      axis += rank;
    if (!sizes || axis < 0 || axis >= rank || resultIndex >= sizes->size())
      return std::nullopt;
    SmallVector<int64_t> shape(in.getShape());
    shape[axis] = (*sizes)[resultIndex];
    return shape;
  }
  return std::nullopt;
}

// Output shape of a convolution or pooling window sliding over the spatial
// dims: ONNX's formula with pads, strides, dilations, auto_pad and ceil_mode.
// Needed where ONNX inferred nothing, e.g. after onnxruntime's contrib ops.
std::optional<SmallVector<int64_t>> windowedShape(StringRef op, ValueRange operands,
                                                  ArrayRef<NamedAttribute> attrs) {
  auto x = rankedOf(operands[0]);
  if (!x || x.getRank() < 3)
    return std::nullopt;
  int64_t spatial = x.getRank() - 2;
  auto ints = [&](StringRef name, int64_t fill, int64_t n) {
    if (auto a = dyn_cast_or_null<DenseI64ArrayAttr>(findAttr(attrs, name)))
      return SmallVector<int64_t>(a.asArrayRef());
    return SmallVector<int64_t>(n, fill);
  };
  SmallVector<int64_t> shape{x.getDimSize(0)};
  SmallVector<int64_t> kernel = ints("kernel_shape", 0, 0);
  if (op == "Conv" || op == "ConvInteger" || op == "QLinearConv") {
    auto w = rankedOf(operands[op == "QLinearConv" ? 3 : 1]);
    if (!w || w.getRank() != x.getRank())
      return std::nullopt;
    shape.push_back(w.getDimSize(0));
    if (kernel.empty())
      kernel.assign(w.getShape().begin() + 2, w.getShape().end());
  } else {
    shape.push_back(x.getDimSize(1));
  }
  SmallVector<int64_t> strides = ints("strides", 1, spatial),
                       dilations = ints("dilations", 1, spatial),
                       pads = ints("pads", 0, 2 * spatial);
  if (int64_t(kernel.size()) != spatial || int64_t(strides.size()) != spatial ||
      int64_t(dilations.size()) != spatial || int64_t(pads.size()) != 2 * spatial)
    return std::nullopt;
  StringRef autoPad = "NOTSET";
  if (auto a = dyn_cast_or_null<StringAttr>(findAttr(attrs, "auto_pad")))
    autoPad = a.getValue();
  bool ceilMode = intAttr(attrs, "ceil_mode", 0) != 0;
  for (int64_t d = 0; d < spatial; ++d) {
    int64_t in = x.getDimSize(d + 2), stride = strides[d];
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(kernel[d]) || kernel[d] <= 0 ||
        stride <= 0 || dilations[d] <= 0) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t extent = (kernel[d] - 1) * dilations[d] + 1;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      shape.push_back((in + stride - 1) / stride);
      continue;
    }
    bool valid = autoPad == "VALID";
    int64_t begin = valid ? 0 : pads[d], end = valid ? 0 : pads[d + spatial];
    int64_t span = in + begin + end - extent;
    if (span < 0)
      return std::nullopt;
    int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
    // A last window that would start in the end padding is dropped.
    if (ceilMode && (out - 1) * stride >= in + begin)
      --out;
    shape.push_back(out);
  }
  return shape;
}

} // namespace

Type inferFallbackType(MLIRContext &ctx, const OnnxOpSpec &spec, ValueRange operands,
                       ArrayRef<NamedAttribute> attrs, unsigned resultIndex,
                       Type knownElement) {
  Builder b(&ctx);
  StringRef op = spec.onnxType;
  auto is = [&](std::initializer_list<StringRef> names) {
    return llvm::is_contained(names, op);
  };
  Type ui8 = IntegerType::get(&ctx, 8, IntegerType::Unsigned);

  // Element type.
  Type elt = knownElement;
  if (!elt) {
    if (is({"Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "And", "Or",
            "Xor", "Not"}) ||
        (op == "Dropout" && resultIndex == 1))
      elt = b.getI1Type();
    else if (is({"Shape", "Size", "ArgMax", "ArgMin"}))
      elt = b.getI64Type();
    else if (op == "Cast")
      elt = getElementTypeForOnnx(&ctx, intAttr(attrs, "to", 1));
    else if (op == "CastLike")
      elt = elementOf(operands[1]);
    else if (is({"ConvInteger", "MatMulInteger"}))
      elt = b.getIntegerType(32);
    else if (is({"QLinearConv", "QLinearMatMul"}))
      elt = elementOf(operands[7]); // the output zero point
    else if (op == "QuantizeLinear") {
      int64_t dtype = intAttr(attrs, "output_dtype", 0);
      if (dtype != 0)
        elt = getElementTypeForOnnx(&ctx, dtype);
      else if (!isa<NoneType>(operands[2].getType()))
        elt = elementOf(operands[2]);
      else
        elt = ui8;
    } else if (op == "DequantizeLinear")
      elt = elementOf(operands[1]);
    else if (op == "DynamicQuantizeLinear")
      elt = resultIndex == 1 ? Type(b.getF32Type()) : ui8;
    else if (is({"ConstantOfShape", "Constant"})) {
      auto value = dyn_cast_or_null<ElementsAttr>(findAttr(attrs, "value"));
      elt = value ? value.getElementType() : Type(b.getF32Type());
    } else if (op == "Where")
      elt = elementOf(operands[1]);
    else if (!operands.empty())
      elt = elementOf(operands[0]);
    if (!elt)
      elt = b.getF32Type();
  }

  auto rankedWith = [&](ArrayRef<int64_t> shape) -> Type {
    return RankedTensorType::get(shape, elt);
  };
  auto sameShapeAs = [&](Value v) -> Type {
    if (auto t = rankedOf(v))
      return rankedWith(t.getShape());
    return UnrankedTensorType::get(elt);
  };

  if (op == "Constant")
    if (auto value = dyn_cast_or_null<ElementsAttr>(findAttr(attrs, "value")))
      return value.getType();
  if (op == "DynamicQuantizeLinear" && resultIndex > 0)
    return rankedWith({});
  if (op == "Size")
    return rankedWith({});

  // Shape-preserving ops: unary elementwise, normalizations, softmax family,
  // Q/DQ and the first result of multi-result ops.
  if (resultIndex == 0 &&
      (spec.numInputs == 1 ||
       is({"Clip", "QuantizeLinear", "DequantizeLinear", "Dropout", "CastLike",
           "LayerNormalization", "BatchNormalization", "InstanceNormalization",
           "DynamicQuantizeLinear", "Trilu", "CumSum"})) &&
      !is({"Flatten", "Transpose", "GlobalAveragePool", "GlobalMaxPool", "MaxPool",
           "AveragePool", "Shape", "ArgMax", "ArgMin", "DepthToSpace", "SpaceToDepth",
           "Constant", "Size"}))
    return sameShapeAs(operands[0]);
  if (op == "Dropout" && resultIndex == 1)
    return sameShapeAs(operands[0]);

  if (is({"Add", "Sub", "Mul", "Div", "Pow", "Mod", "PRelu", "Equal", "Less",
          "LessOrEqual", "Greater", "GreaterOrEqual", "And", "Or", "Xor", "Where", "Max",
          "Min", "Sum", "Mean"})) {
    if (auto shape = broadcastShape(operands))
      return rankedWith(*shape);
    return UnrankedTensorType::get(elt);
  }
  if (is({"MatMul", "MatMulInteger", "QLinearMatMul"})) {
    Value a = operands[0], bm = op == "QLinearMatMul" ? operands[3] : operands[1];
    if (auto shape = matmulShape(a, bm))
      return rankedWith(*shape);
    return UnrankedTensorType::get(elt);
  }
  if (op == "Reshape") {
    if (auto shape = reshapeShape(operands[0], operands[1], intAttr(attrs, "allowzero", 0)))
      return rankedWith(*shape);
    return UnrankedTensorType::get(elt);
  }
  if (op == "Transpose") {
    auto in = rankedOf(operands[0]);
    if (!in)
      return UnrankedTensorType::get(elt);
    SmallVector<int64_t> perm;
    if (auto p = dyn_cast_or_null<DenseI64ArrayAttr>(findAttr(attrs, "perm")))
      perm.assign(p.asArrayRef().begin(), p.asArrayRef().end());
    else
      for (int64_t i = in.getRank() - 1; i >= 0; --i)
        perm.push_back(i);
    if (static_cast<int64_t>(perm.size()) != in.getRank())
      return UnrankedTensorType::get(elt);
    SmallVector<int64_t> shape;
    for (int64_t p : perm) {
      if (p < 0 || p >= in.getRank())
        return UnrankedTensorType::get(elt);
      shape.push_back(in.getDimSize(p));
    }
    return rankedWith(shape);
  }
  if (op == "Flatten") {
    auto in = rankedOf(operands[0]);
    if (!in)
      return rankedWith({ShapedType::kDynamic, ShapedType::kDynamic});
    int64_t axis = intAttr(attrs, "axis", 1);
    if (axis < 0)
      axis += in.getRank();
    int64_t rows = 1, cols = 1;
    for (int64_t d = 0; d < in.getRank(); ++d) {
      int64_t &acc = d < axis ? rows : cols;
      acc = (in.isDynamicDim(d) || ShapedType::isDynamic(acc)) ? ShapedType::kDynamic
                                                               : acc * in.getDimSize(d);
    }
    return rankedWith({rows, cols});
  }
  if (is({"GlobalAveragePool", "GlobalMaxPool"})) {
    auto in = rankedOf(operands[0]);
    if (!in)
      return UnrankedTensorType::get(elt);
    SmallVector<int64_t> shape(in.getShape());
    for (size_t d = 2; d < shape.size(); ++d)
      shape[d] = 1;
    return rankedWith(shape);
  }
  if (op == "Shape") {
    auto in = rankedOf(operands[0]);
    if (!in)
      return rankedWith({ShapedType::kDynamic});
    int64_t rank = in.getRank();
    auto clampIndex = [&](int64_t i) {
      if (i < 0)
        i += rank;
      return std::clamp<int64_t>(i, 0, rank);
    };
    int64_t start = clampIndex(intAttr(attrs, "start", 0));
    int64_t end = clampIndex(intAttr(attrs, "end", rank));
    return rankedWith({std::max<int64_t>(end - start, 0)});
  }
  if (is({"Unsqueeze", "Squeeze"})) {
    auto in = rankedOf(operands[0]);
    auto axes = constantInts(operands[1]);
    if (!in || !axes)
      return UnrankedTensorType::get(elt);
    SmallVector<int64_t> shape;
    if (op == "Unsqueeze") {
      int64_t outRank = in.getRank() + axes->size();
      SmallVector<bool> inserted(outRank, false);
      for (int64_t a : *axes) {
        if (a < 0)
          a += outRank;
        if (a < 0 || a >= outRank)
          return UnrankedTensorType::get(elt);
        inserted[a] = true;
      }
      unsigned next = 0;
      for (int64_t d = 0; d < outRank; ++d)
        shape.push_back(inserted[d] ? 1 : in.getDimSize(next++));
    } else {
      SmallVector<bool> removed(in.getRank(), false);
      for (int64_t a : *axes) {
        if (a < 0)
          a += in.getRank();
        if (a < 0 || a >= in.getRank())
          return UnrankedTensorType::get(elt);
        removed[a] = true;
      }
      for (int64_t d = 0; d < in.getRank(); ++d)
        if (!removed[d])
          shape.push_back(in.getDimSize(d));
    }
    return rankedWith(shape);
  }
  if (op.starts_with("Reduce") || is({"ArgMax", "ArgMin"})) {
    auto in = rankedOf(operands[0]);
    if (!in)
      return UnrankedTensorType::get(elt);
    int64_t rank = in.getRank();
    bool keepDims = intAttr(attrs, "keepdims", 1) != 0;
    SmallVector<int64_t> axes;
    if (is({"ArgMax", "ArgMin"})) {
      axes.push_back(intAttr(attrs, "axis", 0));
    } else if (isa<NoneType>(operands[1].getType())) {
      if (intAttr(attrs, "noop_with_empty_axes", 0))
        return rankedWith(in.getShape());
      for (int64_t d = 0; d < rank; ++d)
        axes.push_back(d);
    } else if (auto constant = constantInts(operands[1])) {
      axes = *constant;
    } else if (auto axesType = rankedOf(operands[1]);
               axesType && axesType.getRank() == 1 && axesType.getDimSize(0) == 0) {
      // A run-time axes input of static length 0 is always empty.
      if (intAttr(attrs, "noop_with_empty_axes", 0))
        return rankedWith(in.getShape());
      for (int64_t d = 0; d < rank; ++d)
        axes.push_back(d);
    } else {
      return keepDims ? rankedWith(SmallVector<int64_t>(rank, ShapedType::kDynamic))
                      : Type(UnrankedTensorType::get(elt));
    }
    SmallVector<bool> reduced(rank, false);
    for (int64_t a : axes) {
      if (a < 0)
        a += rank;
      if (a < 0 || a >= rank)
        return UnrankedTensorType::get(elt);
      reduced[a] = true;
    }
    SmallVector<int64_t> shape;
    for (int64_t d = 0; d < rank; ++d) {
      if (!reduced[d])
        shape.push_back(in.getDimSize(d));
      else if (keepDims)
        shape.push_back(1);
    }
    return rankedWith(shape);
  }
  if (op == "Slice") {
    auto in = rankedOf(operands[0]);
    if (!in)
      return UnrankedTensorType::get(elt);
    SmallVector<int64_t> shape(in.getShape());
    auto starts = constantInts(operands[1]), ends = constantInts(operands[2]);
    std::optional<SmallVector<int64_t>> axes, steps;
    if (!isa<NoneType>(operands[3].getType()))
      axes = constantInts(operands[3]);
    if (!isa<NoneType>(operands[4].getType()))
      steps = constantInts(operands[4]);
    bool axesKnown = isa<NoneType>(operands[3].getType()) || axes;
    bool stepsKnown = isa<NoneType>(operands[4].getType()) || steps;
    if (!starts || !ends || !axesKnown || !stepsKnown || starts->size() != ends->size()) {
      // Which axes are sliced is unknown: every dim may change.
      return rankedWith(SmallVector<int64_t>(in.getRank(), ShapedType::kDynamic));
    }
    for (size_t i = 0; i < starts->size(); ++i) {
      int64_t axis = axes && i < axes->size() ? (*axes)[i] : static_cast<int64_t>(i);
      int64_t step = steps && i < steps->size() ? (*steps)[i] : 1;
      if (axis < 0)
        axis += in.getRank();
      if (axis < 0 || axis >= in.getRank() || step == 0)
        return UnrankedTensorType::get(elt);
      int64_t dim = in.getDimSize(axis);
      if (ShapedType::isDynamic(dim)) {
        shape[axis] = ShapedType::kDynamic;
        continue;
      }
      // ONNX clamps starts/ends into range, by direction of the step.
      auto clampIndex = [&](int64_t v, int64_t lo, int64_t hi) {
        if (v < 0)
          v += dim;
        return std::clamp(v, lo, hi);
      };
      int64_t start = (*starts)[i], end = (*ends)[i], size;
      if (step > 0) {
        start = clampIndex(start, 0, dim);
        end = clampIndex(end, 0, dim);
        size = end > start ? (end - start + step - 1) / step : 0;
      } else {
        start = clampIndex(start, 0, dim - 1);
        end = clampIndex(end, -1, dim - 1);
        size = start > end ? (start - end - step - 1) / -step : 0;
      }
      shape[axis] = size;
    }
    return rankedWith(shape);
  }
  if (op == "Concat") {
    auto first = rankedOf(operands[0]);
    if (!first)
      return UnrankedTensorType::get(elt);
    int64_t rank = first.getRank();
    int64_t axis = intAttr(attrs, "axis", 0);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return UnrankedTensorType::get(elt);
    SmallVector<int64_t> shape(first.getShape());
    shape[axis] = 0;
    for (Value v : operands) {
      auto t = rankedOf(v);
      if (!t || t.getRank() != rank)
        return UnrankedTensorType::get(elt);
      for (int64_t d = 0; d < rank; ++d) {
        if (d == axis)
          shape[d] = (ShapedType::isDynamic(shape[d]) || t.isDynamicDim(d))
                         ? ShapedType::kDynamic
                         : shape[d] + t.getDimSize(d);
        else if (ShapedType::isDynamic(shape[d]))
          shape[d] = t.getDimSize(d);
      }
    }
    return rankedWith(shape);
  }
  if (auto sized = constantParameterShape(op, operands, attrs, resultIndex))
    return rankedWith(*sized);
  if (is({"Conv", "ConvInteger", "QLinearConv", "MaxPool", "AveragePool"}))
    if (auto shape = windowedShape(op, operands, attrs))
      return rankedWith(*shape);
  if (is({"Conv", "ConvTranspose", "MaxPool", "AveragePool", "QLinearConv",
          "ConvInteger", "Resize", "Pad", "Tile", "Expand", "Gather",
          "GatherElements", "Split", "DepthToSpace", "SpaceToDepth"})) {
    // Rank-preserving ops (spatial sizes are left dynamic).
    if (auto in = rankedOf(operands[0]); in && !is({"Gather", "Expand"}))
      return rankedWith(SmallVector<int64_t>(in.getRank(), ShapedType::kDynamic));
  }
  return UnrankedTensorType::get(elt);
}

} // namespace qc

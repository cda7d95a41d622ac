//===- SimplifyShapes.cpp - fold shape computations, refine types ---------===//
//
// Models compute shapes at run time from static ones: Shape -> Gather/Slice
// -> Cast -> Concat/Unsqueeze -> Reshape. The importer cannot see through
// such chains, so their results stay dynamic. This pass folds the chains on
// small constant tensors to qc.constant and recomputes result types with the
// importer's rules (qc::inferFallbackType), to a fixed point. Every change is
// checked with the verifiers of the ops it touches and undone if one fails.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/Pipelines.h"

#include "Import/FallbackTypes.h"
#include "Import/OnnxOpTable.h"
#include "QC/QCOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Iterators.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>

namespace qc {
#define GEN_PASS_DEF_SIMPLIFYSHAPES
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {
namespace {

constexpr int64_t kMaxElements = 64;

// A small constant tensor: integers (i1 included) or floats.
struct Lit {
  SmallVector<int64_t> shape;
  bool isFloat = false;
  SmallVector<int64_t> ints;
  SmallVector<double> floats;

  int64_t size() const { return isFloat ? floats.size() : ints.size(); }
  double f(int64_t i) const { return isFloat ? floats[i] : double(ints[i]); }
  int64_t rank() const { return shape.size(); }
};

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::optional<Lit> readLit(Value v) {
  if (!v)
    return std::nullopt;
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || !type.hasStaticShape() || type.getNumElements() > kMaxElements)
    return std::nullopt;
  Lit lit;
  lit.shape.assign(type.getShape().begin(), type.getShape().end());
  Type elt = type.getElementType();
  if (auto it = dyn_cast<IntegerType>(elt)) {
    for (const APInt &i : attr.getValues<APInt>())
      lit.ints.push_back(it.getWidth() == 1 ? int64_t(!i.isZero())
                         : it.isUnsigned()  ? int64_t(i.getZExtValue())
                                            : i.getSExtValue());
  } else if (isa<FloatType>(elt)) {
    lit.isFloat = true;
    for (const APFloat &f : attr.getValues<APFloat>())
      lit.floats.push_back(f.convertToDouble());
  } else {
    return std::nullopt;
  }
  return lit;
}

std::optional<Lit> readLitOrNone(Value v, bool &isNone) {
  isNone = v && isa<NoneType>(v.getType());
  if (isNone)
    return std::nullopt;
  return readLit(v);
}

// Values as the element type `elt` holds them (integers wrap, i1 is 0/1).
std::optional<DenseElementsAttr> toAttr(const Lit &lit, Type elt) {
  if (numElements(lit.shape) != lit.size() || lit.size() > kMaxElements)
    return std::nullopt;
  auto type = RankedTensorType::get(lit.shape, elt);
  if (auto it = dyn_cast<IntegerType>(elt)) {
    SmallVector<APInt> values;
    for (int64_t i = 0; i < lit.size(); ++i) {
      int64_t v;
      if (lit.isFloat) {
        double d = std::trunc(lit.floats[i]);
        if (!std::isfinite(d) || std::fabs(d) > 9.2e18)
          return std::nullopt;
        v = int64_t(d);
      } else {
        v = lit.ints[i];
      }
      if (it.getWidth() == 1)
        values.push_back(APInt(1, v != 0));
      else
        values.push_back(APInt(64, v, /*isSigned=*/true).trunc(it.getWidth()));
    }
    return DenseElementsAttr::get(type, values);
  }
  if (auto ft = dyn_cast<FloatType>(elt)) {
    SmallVector<APFloat> values;
    for (int64_t i = 0; i < lit.size(); ++i) {
      APFloat v(lit.f(i));
      bool lost;
      v.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(v);
    }
    return DenseElementsAttr::get(type, values);
  }
  return std::nullopt;
}

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

std::optional<SmallVector<int64_t>> broadcast(ArrayRef<const Lit *> ins) {
  SmallVector<int64_t> out;
  for (const Lit *l : ins) {
    SmallVector<int64_t> next;
    if (!OpTrait::util::getBroadcastedShape(out, l->shape, next))
      return std::nullopt;
    out = std::move(next);
  }
  if (numElements(out) > kMaxElements)
    return std::nullopt;
  return out;
}

// Index into `in` of element `flat` of the broadcast shape `out`.
int64_t broadcastIndex(const Lit &in, ArrayRef<int64_t> out, int64_t flat) {
  SmallVector<int64_t> outStrides = stridesOf(out), inStrides = stridesOf(in.shape);
  int64_t offset = out.size() - in.shape.size(), idx = 0;
  for (int64_t d = 0; d < int64_t(out.size()); ++d) {
    int64_t coord = (flat / outStrides[d]) % out[d];
    int64_t id = d - offset;
    if (id >= 0 && in.shape[id] != 1)
      idx += coord * inStrides[id];
  }
  return idx;
}

// Elementwise op on broadcast operands; `fn` gets one value per operand.
template <typename Fn>
std::optional<Lit> elementwise(ArrayRef<const Lit *> ins, bool floatOut, Fn fn) {
  auto shape = broadcast(ins);
  if (!shape)
    return std::nullopt;
  Lit out;
  out.shape = *shape;
  out.isFloat = floatOut;
  int64_t n = numElements(*shape);
  for (int64_t i = 0; i < n; ++i) {
    SmallVector<int64_t> idx;
    for (const Lit *l : ins)
      idx.push_back(broadcastIndex(*l, *shape, i));
    std::optional<double> v = fn(idx);
    if (!v)
      return std::nullopt;
    if (floatOut)
      out.floats.push_back(*v);
    else
      out.ints.push_back(int64_t(*v));
  }
  return out;
}

int64_t normAxis(int64_t axis, int64_t rank) { return axis < 0 ? axis + rank : axis; }

Lit withShape(const Lit &in, ArrayRef<int64_t> shape) {
  Lit out = in;
  out.shape.assign(shape.begin(), shape.end());
  return out;
}

bool pushFrom(Lit &out, const Lit &in, int64_t i) {
  if (in.isFloat)
    out.floats.push_back(in.floats[i]);
  else
    out.ints.push_back(in.ints[i]);
  return true;
}

std::optional<Lit> foldGather(const Lit &data, const Lit &indices, int64_t axis) {
  int64_t rank = data.rank();
  axis = normAxis(axis, rank);
  if (axis < 0 || axis >= rank || indices.isFloat)
    return std::nullopt;
  SmallVector<int64_t> shape(data.shape.begin(), data.shape.begin() + axis);
  shape.append(indices.shape.begin(), indices.shape.end());
  shape.append(data.shape.begin() + axis + 1, data.shape.end());
  int64_t outer = numElements(ArrayRef<int64_t>(data.shape).take_front(axis));
  int64_t inner = numElements(ArrayRef<int64_t>(data.shape).drop_front(axis + 1));
  int64_t dim = data.shape[axis];
  Lit out;
  out.shape = shape;
  out.isFloat = data.isFloat;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k : indices.ints) {
      if (k < 0)
        k += dim;
      if (k < 0 || k >= dim)
        return std::nullopt;
      for (int64_t i = 0; i < inner; ++i)
        pushFrom(out, data, (o * dim + k) * inner + i);
    }
  return out;
}

std::optional<Lit> foldSlice(const Lit &data, const Lit &starts, const Lit &ends,
                             const Lit *axes, const Lit *steps) {
  int64_t rank = data.rank();
  if (starts.isFloat || ends.isFloat || starts.size() != ends.size() ||
      (axes && axes->size() != starts.size()) ||
      (steps && steps->size() != starts.size()))
    return std::nullopt;
  SmallVector<int64_t> begin(rank, 0), stride(rank, 1), size(data.shape);
  for (int64_t i = 0; i < starts.size(); ++i) {
    int64_t axis = normAxis(axes ? axes->ints[i] : i, rank);
    int64_t step = steps ? steps->ints[i] : 1;
    if (axis < 0 || axis >= rank || step == 0)
      return std::nullopt;
    int64_t dim = data.shape[axis];
    auto clampIndex = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0)
        v += dim;
      return std::clamp(v, lo, hi);
    };
    int64_t start = starts.ints[i], end = ends.ints[i], n;
    if (step > 0) {
      start = clampIndex(start, 0, dim);
      end = clampIndex(end, 0, dim);
      n = end > start ? (end - start + step - 1) / step : 0;
    } else {
      start = clampIndex(start, 0, dim - 1);
      end = clampIndex(end, -1, dim - 1);
      n = start > end ? (start - end - step - 1) / -step : 0;
    }
    begin[axis] = start;
    stride[axis] = step;
    size[axis] = n;
  }
  Lit out;
  out.shape = size;
  out.isFloat = data.isFloat;
  SmallVector<int64_t> inStrides = stridesOf(data.shape), outStrides = stridesOf(size);
  int64_t n = numElements(size);
  for (int64_t i = 0; i < n; ++i) {
    int64_t idx = 0;
    for (int64_t d = 0; d < rank; ++d)
      idx += (begin[d] + ((i / outStrides[d]) % size[d]) * stride[d]) * inStrides[d];
    pushFrom(out, data, idx);
  }
  return out;
}

std::optional<Lit> foldConcat(ArrayRef<Lit> ins, int64_t axis) {
  if (ins.empty())
    return std::nullopt;
  int64_t rank = ins[0].rank();
  axis = normAxis(axis, rank);
  if (axis < 0 || axis >= rank)
    return std::nullopt;
  SmallVector<int64_t> shape(ins[0].shape);
  shape[axis] = 0;
  for (const Lit &l : ins) {
    if (l.rank() != rank || l.isFloat != ins[0].isFloat)
      return std::nullopt;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && l.shape[d] != ins[0].shape[d])
        return std::nullopt;
    shape[axis] += l.shape[axis];
  }
  Lit out;
  out.shape = shape;
  out.isFloat = ins[0].isFloat;
  int64_t outer = numElements(ArrayRef<int64_t>(shape).take_front(axis));
  for (int64_t o = 0; o < outer; ++o)
    for (const Lit &l : ins) {
      int64_t chunk = numElements(ArrayRef<int64_t>(l.shape).drop_front(axis));
      for (int64_t i = 0; i < chunk; ++i)
        pushFrom(out, l, o * chunk + i);
    }
  return out;
}

std::optional<Lit> foldReduceProd(const Lit &data, ArrayRef<int64_t> axesIn, bool keepDims) {
  int64_t rank = data.rank();
  SmallVector<bool> reduced(rank, false);
  for (int64_t a : axesIn) {
    a = normAxis(a, rank);
    if (a < 0 || a >= rank)
      return std::nullopt;
    reduced[a] = true;
  }
  SmallVector<int64_t> shape, keptShape;
  for (int64_t d = 0; d < rank; ++d) {
    keptShape.push_back(reduced[d] ? 1 : data.shape[d]);
    if (!reduced[d])
      shape.push_back(data.shape[d]);
    else if (keepDims)
      shape.push_back(1);
  }
  int64_t n = numElements(keptShape);
  Lit out;
  out.shape = shape;
  out.isFloat = data.isFloat;
  out.ints.assign(data.isFloat ? 0 : n, 1);
  out.floats.assign(data.isFloat ? n : 0, 1.0);
  SmallVector<int64_t> inStrides = stridesOf(data.shape), keptStrides = stridesOf(keptShape);
  for (int64_t i = 0; i < data.size(); ++i) {
    int64_t o = 0;
    for (int64_t d = 0; d < rank; ++d)
      if (!reduced[d])
        o += ((i / inStrides[d]) % data.shape[d]) * keptStrides[d];
    if (data.isFloat)
      out.floats[o] *= data.floats[i];
    else
      out.ints[o] *= data.ints[i];
  }
  return out;
}

// The constant value of `op`'s (single) result, if it follows from constant
// operands or static operand types.
std::optional<Lit> foldOp(Operation *op) {
  if (op->getNumResults() != 1)
    return std::nullopt;
  Type resultElt = getElementTypeOrSelf(op->getResult(0).getType());
  bool floatOut = isa<FloatType>(resultElt);
  if (!floatOut && !isa<IntegerType>(resultElt))
    return std::nullopt;

  if (auto shape = dyn_cast<ShapeOp>(op)) {
    auto in = dyn_cast<RankedTensorType>(shape.getData().getType());
    if (!in)
      return std::nullopt;
    int64_t rank = in.getRank();
    auto clampIndex = [&](int64_t i) {
      if (i < 0)
        i += rank;
      return std::clamp<int64_t>(i, 0, rank);
    };
    int64_t start = clampIndex(shape.getStart());
    int64_t end = clampIndex(shape.getEnd() ? *shape.getEnd() : rank);
    Lit out;
    for (int64_t d = start; d < end; ++d) {
      if (in.isDynamicDim(d))
        return std::nullopt;
      out.ints.push_back(in.getDimSize(d));
    }
    out.shape = {int64_t(out.ints.size())};
    return out;
  }
  if (auto size = dyn_cast<SizeOp>(op)) {
    auto in = dyn_cast<RankedTensorType>(size.getData().getType());
    if (!in || !in.hasStaticShape())
      return std::nullopt;
    Lit out;
    out.ints.push_back(in.getNumElements());
    return out;
  }
  if (isa<CastOp>(op)) {
    auto in = readLit(op->getOperand(0));
    if (!in)
      return std::nullopt;
    Lit out = *in;
    if (floatOut && !in->isFloat) {
      out.isFloat = true;
      out.floats.clear();
      for (int64_t v : in->ints)
        out.floats.push_back(double(v));
      out.ints.clear();
    } else if (!floatOut && in->isFloat) {
      out.isFloat = false;
      out.ints.clear();
      bool toBool = resultElt.isInteger(1);
      for (double v : in->floats) {
        if (toBool) {
          out.ints.push_back(v != 0.0);
          continue;
        }
        if (!std::isfinite(v) || std::fabs(v) > 9.2e18)
          return std::nullopt;
        out.ints.push_back(int64_t(std::trunc(v)));
      }
      out.floats.clear();
    }
    return out;
  }
  if (auto gather = dyn_cast<GatherOp>(op)) {
    auto data = readLit(gather.getData()), indices = readLit(gather.getIndices());
    if (!data || !indices)
      return std::nullopt;
    return foldGather(*data, *indices, gather.getAxis());
  }
  if (auto slice = dyn_cast<SliceOp>(op)) {
    auto data = readLit(slice.getData()), starts = readLit(slice.getStarts()),
         ends = readLit(slice.getEnds());
    bool axesNone, stepsNone;
    auto axes = readLitOrNone(slice.getAxes(), axesNone);
    auto steps = readLitOrNone(slice.getSteps(), stepsNone);
    if (!data || !starts || !ends || (!axesNone && !axes) || (!stepsNone && !steps) ||
        (axes && axes->isFloat) || (steps && steps->isFloat))
      return std::nullopt;
    return foldSlice(*data, *starts, *ends, axes ? &*axes : nullptr,
                     steps ? &*steps : nullptr);
  }
  if (auto concat = dyn_cast<ConcatOp>(op)) {
    SmallVector<Lit> ins;
    for (Value v : concat.getInputs()) {
      auto l = readLit(v);
      if (!l)
        return std::nullopt;
      ins.push_back(*l);
    }
    return foldConcat(ins, concat.getAxis());
  }
  if (isa<UnsqueezeOp, SqueezeOp>(op)) {
    auto data = readLit(op->getOperand(0));
    bool axesNone;
    auto axes = readLitOrNone(op->getOperand(1), axesNone);
    if (!data || (!axesNone && (!axes || axes->isFloat)))
      return std::nullopt;
    SmallVector<int64_t> shape;
    if (isa<UnsqueezeOp>(op)) {
      if (!axes)
        return std::nullopt;
      int64_t outRank = data->rank() + axes->size();
      SmallVector<bool> inserted(outRank, false);
      for (int64_t a : axes->ints) {
        a = normAxis(a, outRank);
        if (a < 0 || a >= outRank || inserted[a])
          return std::nullopt;
        inserted[a] = true;
      }
      int64_t next = 0;
      for (int64_t d = 0; d < outRank; ++d)
        shape.push_back(inserted[d] ? 1 : data->shape[next++]);
    } else {
      SmallVector<bool> removed(data->rank(), false);
      if (axes) {
        for (int64_t a : axes->ints) {
          a = normAxis(a, data->rank());
          if (a < 0 || a >= data->rank() || data->shape[a] != 1)
            return std::nullopt;
          removed[a] = true;
        }
      } else {
        for (int64_t d = 0; d < data->rank(); ++d)
          removed[d] = data->shape[d] == 1;
      }
      for (int64_t d = 0; d < data->rank(); ++d)
        if (!removed[d])
          shape.push_back(data->shape[d]);
    }
    return withShape(*data, shape);
  }
  if (auto reshape = dyn_cast<ReshapeOp>(op)) {
    auto data = readLit(reshape.getData()), target = readLit(reshape.getShape());
    if (!data || !target || target->isFloat)
      return std::nullopt;
    SmallVector<int64_t> shape;
    int64_t inferAt = -1, known = 1;
    for (auto [i, d] : llvm::enumerate(target->ints)) {
      if (d == 0 && !reshape.getAllowzero()) {
        if (int64_t(i) >= data->rank())
          return std::nullopt;
        d = data->shape[i];
      }
      if (d == -1) {
        if (inferAt >= 0)
          return std::nullopt;
        inferAt = i;
      } else if (d < 0) {
        return std::nullopt;
      } else {
        known *= d;
      }
      shape.push_back(d);
    }
    if (inferAt >= 0) {
      if (known == 0 || data->size() % known)
        return std::nullopt;
      shape[inferAt] = data->size() / known;
    }
    if (numElements(shape) != data->size())
      return std::nullopt;
    return withShape(*data, shape);
  }
  if (isa<AddOp, SubOp, MulOp, DivOp, EqualOp>(op)) {
    auto a = readLit(op->getOperand(0)), b = readLit(op->getOperand(1));
    if (!a || !b || a->isFloat != b->isFloat)
      return std::nullopt;
    bool isFloat = a->isFloat;
    bool isEqual = isa<EqualOp>(op);
    if (!isEqual && isFloat != floatOut)
      return std::nullopt;
    const Lit *ins[] = {&*a, &*b};
    return elementwise(ins, !isEqual && isFloat,
                       [&](ArrayRef<int64_t> idx) -> std::optional<double> {
                         if (isFloat) {
                           double x = a->floats[idx[0]], y = b->floats[idx[1]];
                           if (isa<AddOp>(op))
                             return x + y;
                           if (isa<SubOp>(op))
                             return x - y;
                           if (isa<MulOp>(op))
                             return x * y;
                           if (isa<DivOp>(op))
                             return x / y;
                           return double(x == y);
                         }
                         int64_t x = a->ints[idx[0]], y = b->ints[idx[1]];
                         if (isa<AddOp>(op))
                           return double(x + y);
                         if (isa<SubOp>(op))
                           return double(x - y);
                         if (isa<MulOp>(op))
                           return double(x * y);
                         if (isa<DivOp>(op)) {
                           if (y == 0)
                             return std::nullopt;
                           return double(x / y);
                         }
                         return double(x == y);
                       });
  }
  // Masks and sizes in expanded functions (Attention, RotaryEmbedding, ...)
  // come from comparisons, logic and Mod on shape values.
  if (isa<LessOp, LessOrEqualOp, GreaterOp, GreaterOrEqualOp, AndOp, OrOp, XorOp>(op)) {
    auto a = readLit(op->getOperand(0)), b = readLit(op->getOperand(1));
    if (!a || !b || a->isFloat != b->isFloat || floatOut)
      return std::nullopt;
    const Lit *ins[] = {&*a, &*b};
    return elementwise(ins, false, [&](ArrayRef<int64_t> idx) -> std::optional<double> {
      double x = a->f(idx[0]), y = b->f(idx[1]);
      if (isa<LessOp>(op))
        return double(x < y);
      if (isa<LessOrEqualOp>(op))
        return double(x <= y);
      if (isa<GreaterOp>(op))
        return double(x > y);
      if (isa<GreaterOrEqualOp>(op))
        return double(x >= y);
      if (isa<AndOp>(op))
        return double(x != 0 && y != 0);
      if (isa<OrOp>(op))
        return double(x != 0 || y != 0);
      return double((x != 0) != (y != 0));
    });
  }
  if (auto mod = dyn_cast<ModOp>(op)) {
    auto a = readLit(op->getOperand(0)), b = readLit(op->getOperand(1));
    if (!a || !b || a->isFloat || b->isFloat || floatOut)
      return std::nullopt;
    const Lit *ins[] = {&*a, &*b};
    bool cStyle = mod.getFmod() != 0;
    return elementwise(ins, false, [&](ArrayRef<int64_t> idx) -> std::optional<double> {
      int64_t x = a->ints[idx[0]], y = b->ints[idx[1]];
      if (y == 0)
        return std::nullopt;
      int64_t r = x % y;
      // fmod=0 takes the divisor's sign, as Python's % does.
      if (!cStyle && r != 0 && ((r < 0) != (y < 0)))
        r += y;
      return double(r);
    });
  }
  if (isa<NotOp, NegOp, AbsOp, IdentityOp, SqrtOp, ReciprocalOp, FloorOp, CeilOp>(op)) {
    auto x = readLit(op->getOperand(0));
    if (!x || x->isFloat != floatOut)
      return std::nullopt;
    if (!floatOut && isa<SqrtOp, ReciprocalOp, FloorOp, CeilOp>(op))
      return std::nullopt;
    const Lit *ins[] = {&*x};
    return elementwise(ins, floatOut, [&](ArrayRef<int64_t> idx) -> std::optional<double> {
      double v = x->f(idx[0]);
      if (isa<NotOp>(op))
        return double(v == 0);
      if (isa<NegOp>(op))
        return -v;
      if (isa<AbsOp>(op))
        return std::fabs(v);
      if (isa<SqrtOp>(op))
        return std::sqrt(v);
      if (isa<ReciprocalOp>(op))
        return 1.0 / v;
      if (isa<FloorOp>(op))
        return std::floor(v);
      if (isa<CeilOp>(op))
        return std::ceil(v);
      return v;
    });
  }
  if (isa<WhereOp>(op)) {
    auto c = readLit(op->getOperand(0)), x = readLit(op->getOperand(1)),
         y = readLit(op->getOperand(2));
    if (!c || !x || !y || c->isFloat || x->isFloat != y->isFloat ||
        x->isFloat != floatOut)
      return std::nullopt;
    const Lit *ins[] = {&*c, &*x, &*y};
    return elementwise(ins, floatOut, [&](ArrayRef<int64_t> idx) -> std::optional<double> {
      return c->ints[idx[0]] ? x->f(idx[1]) : y->f(idx[2]);
    });
  }
  if (isa<MaxOp, MinOp>(op)) {
    SmallVector<Lit> ins;
    for (Value v : op->getOperands()) {
      auto l = readLit(v);
      if (!l || l->isFloat != floatOut)
        return std::nullopt;
      ins.push_back(*l);
    }
    if (ins.empty())
      return std::nullopt;
    SmallVector<const Lit *> ptrs;
    for (const Lit &l : ins)
      ptrs.push_back(&l);
    bool isMax = isa<MaxOp>(op);
    return elementwise(ptrs, floatOut, [&](ArrayRef<int64_t> idx) -> std::optional<double> {
      double best = ins[0].f(idx[0]);
      for (size_t k = 1; k < ins.size(); ++k) {
        double v = ins[k].f(idx[k]);
        best = isMax ? std::max(best, v) : std::min(best, v);
      }
      return best;
    });
  }
  if (auto cos = dyn_cast<ConstantOfShapeOp>(op)) {
    auto shape = readLit(cos.getInput());
    if (!shape || shape->isFloat || shape->rank() != 1)
      return std::nullopt;
    for (int64_t d : shape->ints)
      if (d < 0)
        return std::nullopt;
    Lit out;
    out.shape = shape->ints;
    int64_t n = numElements(out.shape);
    if (n > kMaxElements)
      return std::nullopt;
    Lit fill;
    if (auto value = cos.getValueAttr()) {
      auto dense = dyn_cast<DenseElementsAttr>(value);
      if (!dense)
        return std::nullopt;
      Type elt = dense.getElementType();
      if (isa<FloatType>(elt)) {
        fill.isFloat = true;
        fill.floats.push_back((*dense.getValues<APFloat>().begin()).convertToDouble());
      } else if (auto it = dyn_cast<IntegerType>(elt)) {
        APInt v = *dense.getValues<APInt>().begin();
        fill.ints.push_back(it.getWidth() == 1 ? int64_t(!v.isZero())
                            : it.isUnsigned()  ? int64_t(v.getZExtValue())
                                               : v.getSExtValue());
      } else {
        return std::nullopt;
      }
    } else {
      fill.isFloat = true;
      fill.floats.push_back(0.0);
    }
    if (fill.isFloat != floatOut)
      return std::nullopt;
    out.isFloat = fill.isFloat;
    for (int64_t i = 0; i < n; ++i)
      pushFrom(out, fill, 0);
    return out;
  }
  if (isa<RangeOp>(op)) {
    auto start = readLit(op->getOperand(0)), limit = readLit(op->getOperand(1)),
         delta = readLit(op->getOperand(2));
    if (!start || !limit || !delta || start->size() != 1 || limit->size() != 1 ||
        delta->size() != 1 || start->isFloat != floatOut)
      return std::nullopt;
    double s = start->f(0), l = limit->f(0), d = delta->f(0);
    if (d == 0)
      return std::nullopt;
    double count = std::max(std::ceil((l - s) / d), 0.0);
    if (count > kMaxElements)
      return std::nullopt;
    Lit out;
    out.isFloat = floatOut;
    out.shape = {int64_t(count)};
    for (int64_t i = 0; i < int64_t(count); ++i) {
      if (floatOut)
        out.floats.push_back(s + i * d);
      else
        out.ints.push_back(start->ints[0] + i * delta->ints[0]);
    }
    return out;
  }
  if (isa<ExpandOp>(op)) {
    auto in = readLit(op->getOperand(0)), shape = readLit(op->getOperand(1));
    if (!in || !shape || shape->isFloat || shape->rank() != 1 || in->isFloat != floatOut)
      return std::nullopt;
    Lit target;
    target.shape = shape->ints;
    for (int64_t d : target.shape)
      if (d < 0)
        return std::nullopt;
    const Lit *ins[] = {&*in, &target};
    return elementwise(ins, floatOut, [&](ArrayRef<int64_t> idx) -> std::optional<double> {
      return in->f(idx[0]);
    });
  }
  if (auto prod = dyn_cast<ReduceProdOp>(op)) {
    auto data = readLit(prod.getData());
    if (!data || data->isFloat != floatOut)
      return std::nullopt;
    bool axesNone;
    auto axes = readLitOrNone(prod.getAxes(), axesNone);
    SmallVector<int64_t> axisList;
    if (axesNone || (axes && axes->size() == 0)) {
      if (prod.getNoopWithEmptyAxes())
        return *data;
      for (int64_t d = 0; d < data->rank(); ++d)
        axisList.push_back(d);
    } else if (axes && !axes->isFloat) {
      axisList = axes->ints;
    } else {
      return std::nullopt;
    }
    return foldReduceProd(*data, axisList, prod.getKeepdims() != 0);
  }
  return std::nullopt;
}

// Conv and pooling output sizes, which the importer's rules leave dynamic
// (libonnx infers them at import time, but only from what was static then).
Type inferWindowed(Operation *op, unsigned resultIndex) {
  if (resultIndex != 0 || !isa<ConvOp, MaxPoolOp, AveragePoolOp>(op))
    return {};
  auto x = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
  if (!x || x.getRank() < 3)
    return {};
  int64_t spatial = x.getRank() - 2;
  auto ints = [&](StringRef name, int64_t fill, int64_t n) {
    SmallVector<int64_t> v;
    if (auto a = op->getAttrOfType<DenseI64ArrayAttr>(name))
      v.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    else
      v.assign(n, fill);
    return v;
  };
  SmallVector<int64_t> kernel, shape{x.getDimSize(0)};
  if (isa<ConvOp>(op)) {
    auto w = dyn_cast<RankedTensorType>(op->getOperand(1).getType());
    if (!w || w.getRank() != x.getRank())
      return {};
    shape.push_back(w.getDimSize(0));
    if (op->getAttrOfType<DenseI64ArrayAttr>("kernel_shape"))
      kernel = ints("kernel_shape", 0, spatial);
    else
      kernel.assign(w.getShape().begin() + 2, w.getShape().end());
  } else {
    shape.push_back(x.getDimSize(1));
    kernel = ints("kernel_shape", 0, spatial);
  }
  SmallVector<int64_t> strides = ints("strides", 1, spatial),
                       dilations = ints("dilations", 1, spatial),
                       pads = ints("pads", 0, 2 * spatial);
  if (int64_t(kernel.size()) != spatial || int64_t(strides.size()) != spatial ||
      int64_t(dilations.size()) != spatial || int64_t(pads.size()) != 2 * spatial)
    return {};
  StringRef autoPad = "NOTSET";
  if (auto a = op->getAttrOfType<StringAttr>("auto_pad"))
    autoPad = a.getValue();
  bool ceilMode = false;
  if (auto a = op->getAttrOfType<IntegerAttr>("ceil_mode"))
    ceilMode = a.getInt() != 0;
  for (int64_t d = 0; d < spatial; ++d) {
    int64_t in = x.getDimSize(d + 2), s = strides[d];
    int64_t k = (kernel[d] - 1) * dilations[d] + 1;
    if (ShapedType::isDynamic(in) || s <= 0 || kernel[d] <= 0) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t out;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      out = (in + s - 1) / s;
    } else {
      int64_t begin = autoPad == "VALID" ? 0 : pads[d];
      int64_t end = autoPad == "VALID" ? 0 : pads[d + spatial];
      int64_t span = in + begin + end - k;
      if (span < 0)
        return {};
      out = (ceilMode ? (span + s - 1) / s : span / s) + 1;
      // ONNX drops a last window that would start in the end padding.
      if (ceilMode && (out - 1) * s >= in + begin)
        --out;
    }
    shape.push_back(out);
  }
  return RankedTensorType::get(shape, getElementTypeOrSelf(op->getResult(0).getType()));
}

// Verifies `ops` without reporting anything.
bool verifiesQuietly(MLIRContext *ctx, ArrayRef<Operation *> ops) {
  ScopedDiagnosticHandler silence(ctx, [](Diagnostic &) { return success(); });
  for (Operation *op : ops)
    if (failed(mlir::verify(op, /*verifyRecursively=*/false)))
      return false;
  return true;
}

SmallVector<Operation *> usersOf(Value v) {
  SmallVector<Operation *> users;
  for (Operation *u : v.getUsers())
    if (!llvm::is_contained(users, u))
      users.push_back(u);
  return users;
}

// `current` with the dims `inferred` knows, if the two are compatible and
// that makes it more static.
Type refine(Type current, Type inferred) {
  auto in = dyn_cast_if_present<RankedTensorType>(inferred);
  if (!in || !isa<TensorType>(current))
    return {};
  Type elt = cast<TensorType>(current).getElementType();
  auto cur = dyn_cast<RankedTensorType>(current);
  if (!cur)
    return RankedTensorType::get(in.getShape(), elt, Attribute());
  if (cur.getRank() != in.getRank())
    return {};
  SmallVector<int64_t> shape(cur.getShape());
  bool changed = false;
  for (auto [d, i] : llvm::zip(shape, in.getShape())) {
    if (ShapedType::isDynamic(i))
      continue;
    if (ShapedType::isDynamic(d)) {
      d = i;
      changed = true;
    } else if (d != i) {
      return {};
    }
  }
  return changed ? cur.clone(shape) : Type();
}

struct SimplifyShapesPass : impl::SimplifyShapesBase<SimplifyShapesPass> {
  llvm::StringMap<const OnnxOpSpec *> specs;

  const OnnxOpSpec *specFor(Operation *op) {
    if (specs.empty())
      for (const OnnxOpSpec &spec : getOnnxOpTable())
        specs.try_emplace(spec.qcName, &spec);
    return specs.lookup(op->getName().getStringRef());
  }

  bool tryFold(Operation *op) {
    std::optional<Lit> lit = foldOp(op);
    if (!lit)
      return false;
    Value result = op->getResult(0);
    auto attr = toAttr(*lit, getElementTypeOrSelf(result.getType()));
    if (!attr)
      return false;
    // Only qc users and the return can take a more static type.
    for (Operation *user : result.getUsers())
      if (!isa_and_nonnull<QCDialect>(user->getDialect()) && !isa<func::ReturnOp>(user))
        return false;
    OpBuilder b(op);
    auto constant = ConstantOp::create(b, op->getLoc(), attr->getType(), *attr);
    SmallVector<Operation *> users = usersOf(result);
    result.replaceAllUsesWith(constant.getResult());
    users.push_back(constant);
    llvm::erase_if(users, [](Operation *u) { return isa<func::ReturnOp>(u); });
    if (!verifiesQuietly(op->getContext(), users)) {
      constant.getResult().replaceAllUsesWith(result);
      constant->erase();
      return false;
    }
    op->erase();
    return true;
  }

  bool tryRefine(Operation *op) {
    const OnnxOpSpec *spec = specFor(op);
    if (!spec || isa<ConstantOp>(op))
      return false;
    bool changed = false;
    for (OpResult result : op->getResults()) {
      auto current = dyn_cast<TensorType>(result.getType());
      if (!current || (current.hasRank() && current.hasStaticShape()))
        continue;
      Type inferred = inferFallbackType(*op->getContext(), *spec, op->getOperands(),
                                        op->getAttrs(), result.getResultNumber(),
                                        current.getElementType());
      Type refined = refine(current, inferred);
      Type windowed = inferWindowed(op, result.getResultNumber());
      if (Type more = refine(refined ? refined : Type(current), windowed))
        refined = more;
      if (!refined)
        continue;
      for (Operation *user : result.getUsers())
        if (!isa_and_nonnull<QCDialect>(user->getDialect()) && !isa<func::ReturnOp>(user))
          return changed;
      result.setType(refined);
      SmallVector<Operation *> check = usersOf(result);
      llvm::erase_if(check, [](Operation *u) { return isa<func::ReturnOp>(u); });
      check.push_back(op);
      if (!verifiesQuietly(op->getContext(), check)) {
        result.setType(current);
        continue;
      }
      changed = true;
    }
    return changed;
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    for (int iteration = 0; iteration < 100; ++iteration) {
      bool changed = false;
      SmallVector<Operation *> ops;
      func.walk([&](Operation *op) {
        if (isa_and_nonnull<QCDialect>(op->getDialect()) && !isa<ConstantOp, NoneOp>(op))
          ops.push_back(op);
      });
      for (Operation *op : ops) {
        if (tryFold(op)) {
          changed = true;
          continue;
        }
        changed |= tryRefine(op);
      }
      // Folded chains leave dead ops behind.
      SmallVector<Operation *> dead;
      func.walk<WalkOrder::PostOrder, ReverseIterator>([&](Operation *op) {
        if (isa_and_nonnull<QCDialect>(op->getDialect()) && op->use_empty() &&
            isMemoryEffectFree(op) && op->getNumRegions() == 0) {
          op->erase();
          changed = true;
        }
      });
      if (!changed)
        break;
    }

    // The function returns what its return ops return.
    if (func.isExternal())
      return;
    Operation *terminator = func.getBody().back().getTerminator();
    if (auto ret = dyn_cast_or_null<func::ReturnOp>(terminator)) {
      SmallVector<Type> results(ret.getOperandTypes());
      if (results != SmallVector<Type>(func.getResultTypes()))
        func.setFunctionTypeAttr(TypeAttr::get(
            FunctionType::get(func.getContext(), func.getArgumentTypes(), results)));
    }
  }
};

} // namespace

} // namespace qc

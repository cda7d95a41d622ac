//===- NormalizationPatterns.cpp - qc normalizations and reductions -------===//
//
// BatchNormalization (inference), InstanceNormalization, LayerNormalization,
// Softmax / LogSoftmax / Hardmax, the Reduce* family and ArgMax / ArgMin, on
// static shapes, as linalg.generic reductions and elementwise generics.
//
// * Reductions accumulate into a tensor of the reduced shape (reduced dims
//   dropped); keepdims is a final expand_shape. Empty axes with
//   noop_with_empty_axes reduce over nothing, which applies the per-element
//   part (|x|, x^2, ...) as ONNX's reference does. Axes come from a constant;
//   run-time axes are accepted only where the static shapes determine them.
// * Softmax and LogSumExp subtract the maximum first (numerically stable).
// * f16/bf16 sums, exponentials and statistics are computed in f32 (ONNX's
//   stash_type for LayerNormalization) and rounded once at the end.
//
//===----------------------------------------------------------------------===//
#include "passes/QCToLinalg/LoweringUtils.h"
#include "passes/QCToLinalg/Patterns.h"

#include "QC/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <functional>

using namespace mlir;

namespace qc {
namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

bool isSignlessInt(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.isSignless();
}

int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

// The identity of max (lowest = true) or min: +-inf for floats, the signed
// extremes for integers, false/true for i1.
Value extremeConstant(OpBuilder &b, Location loc, Type t, bool lowest) {
  if (auto f = dyn_cast<FloatType>(t))
    return arith::ConstantOp::create(
        b, loc, t, b.getFloatAttr(t, APFloat::getInf(f.getFloatSemantics(), lowest)));
  unsigned width = t.getIntOrFloatBitWidth();
  if (width == 1)
    return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, lowest ? 0 : 1));
  APInt v = lowest ? APInt::getSignedMinValue(width) : APInt::getSignedMaxValue(width);
  return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, v));
}

// Converts floats to `to`; integers pass unchanged.
Value toAcc(OpBuilder &b, Location loc, Value v, Type to) {
  return isFloat(v.getType()) ? convertFloat(b, loc, v, to) : v;
}

// (d0, ..., dn-1) -> (the dims not in `reduced`).
AffineMap keptDimsMap(ArrayRef<bool> reduced, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (auto [d, r] : llvm::enumerate(reduced))
    if (!r)
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(reduced.size(), 0, exprs, ctx);
}

SmallVector<int64_t> keptShape(ArrayRef<int64_t> shape, ArrayRef<bool> reduced) {
  SmallVector<int64_t> out;
  for (auto [d, r] : llvm::zip(shape, reduced))
    if (!r)
      out.push_back(d);
  return out;
}

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

// One linalg.generic over `shape` (the full iteration space): `inputs[i]`
// read through `maps[i]`; one output of element type `outElt` that is either
// all-parallel (outMap = identity) or a reduction into the kept dims with
// `init` as its start value. `body` gets the input elements and, for
// reductions, the accumulator last.
Value buildGeneric(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, ValueRange inputs,
                   ArrayRef<AffineMap> maps, ArrayRef<bool> reduced, Type outElt, Value init,
                   BodyFn body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = shape.size();
  SmallVector<AffineMap> allMaps(maps);
  SmallVector<utils::IteratorType> iterators;
  for (bool r : reduced)
    iterators.push_back(r ? utils::IteratorType::reduction : utils::IteratorType::parallel);
  Value out;
  bool isReduction = static_cast<bool>(init);
  if (isReduction) {
    out = filledTensor(b, loc, keptShape(shape, reduced), outElt, init);
    allMaps.push_back(keptDimsMap(reduced, ctx));
  } else {
    out = tensor::EmptyOp::create(b, loc, shape, outElt);
    allMaps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  }
  return linalg::GenericOp::create(b, loc, TypeRange{out.getType()}, inputs, ValueRange{out},
                                   allMaps, iterators,
                                   [&](OpBuilder &nb, Location nl, ValueRange args) {
                                     ValueRange operands = isReduction ? args : args.drop_back();
                                     linalg::YieldOp::create(nb, nl, body(nb, nl, operands));
                                   })
      .getResult(0);
}

// Elementwise generic over `shape` with every input read through its map.
Value mapGeneric(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, ValueRange inputs,
                 ArrayRef<AffineMap> maps, Type outElt, BodyFn body) {
  SmallVector<bool> none(shape.size(), false);
  return buildGeneric(b, loc, shape, inputs, maps, none, outElt, Value(), body);
}

AffineMap identity(int64_t rank, MLIRContext *ctx) {
  return AffineMap::getMultiDimIdentityMap(rank, ctx);
}

// Integer values of a constant (qc.constant, arith.constant) 1-D operand.
std::optional<SmallVector<int64_t>> constantInts(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> values;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &a : dense.getValues<APInt>())
      values.push_back(a.getSExtValue());
    return values;
  }
  if (auto res = dyn_cast<DenseI64ResourceElementsAttr>(attr)) {
    if (auto data = res.tryGetAsArrayRef())
      return SmallVector<int64_t>(data->begin(), data->end());
  }
  if (auto res = dyn_cast<DenseI32ResourceElementsAttr>(attr)) {
    if (auto data = res.tryGetAsArrayRef())
      return SmallVector<int64_t>(data->begin(), data->end());
  }
  return std::nullopt;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// The dims a reduction of `in` into `out` reduces, when the shapes leave no
// doubt about it: a dim of size 1 may or may not be reduced without changing
// any value (it is reported as kept), every other dim must be determined.
std::optional<SmallVector<bool>> inferReducedDims(ArrayRef<int64_t> in, ArrayRef<int64_t> out,
                                                  bool keepdims) {
  int64_t rank = in.size();
  if (keepdims) {
    if (static_cast<int64_t>(out.size()) != rank)
      return std::nullopt;
    SmallVector<bool> reduced(rank, false);
    for (int64_t d = 0; d < rank; ++d) {
      if (out[d] == in[d])
        continue;
      if (out[d] != 1)
        return std::nullopt;
      reduced[d] = true;
    }
    return reduced;
  }
  // keepdims = 0: every way of deleting dims of `in` to get `out` must
  // delete the same dims of size != 1.
  if (static_cast<int64_t>(out.size()) > rank)
    return std::nullopt;
  std::optional<SmallVector<bool>> answer;
  bool ambiguous = false;
  SmallVector<bool> current(rank, false);
  std::function<void(int64_t, int64_t)> walk = [&](int64_t i, int64_t j) {
    if (ambiguous)
      return;
    if (i == rank) {
      if (j != static_cast<int64_t>(out.size()))
        return;
      if (!answer)
        answer = current;
      else if (*answer != current)
        ambiguous = true;
      return;
    }
    if (j < static_cast<int64_t>(out.size()) && in[i] == out[j])
      walk(i + 1, j + 1); // keep dim i
    // delete dim i (recorded only when its size matters)
    current[i] = in[i] != 1;
    walk(i + 1, j);
    current[i] = false;
  };
  walk(0, 0);
  if (ambiguous)
    return std::nullopt;
  return answer;
}

enum class ReduceKind { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

bool floatOnly(ReduceKind k) {
  return k == ReduceKind::Mean || k == ReduceKind::L2 || k == ReduceKind::LogSum ||
         k == ReduceKind::LogSumExp;
}

template <typename ReduceOp, ReduceKind Kind> struct ReducePattern : OpRewritePattern<ReduceOp> {
  using OpRewritePattern<ReduceOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ReduceOp op, PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getData());
    auto resultType = staticTensor(op.getReduced());
    if (!xType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Type elt = xType.getElementType();
    if (resultType.getElementType() != elt)
      return rewriter.notifyMatchFailure(op, "element types differ");
    bool boolOk = Kind == ReduceKind::Max || Kind == ReduceKind::Min;
    if (!isFloat(elt) && (floatOnly(Kind) || !isSignlessInt(elt) || (isBool(elt) && !boolOk)))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    int64_t rank = xType.getRank();

    SmallVector<bool> reduced(rank, false);
    std::optional<SmallVector<int64_t>> axes;
    bool fromShapes = false;
    if (isNone(op.getAxes()))
      axes.emplace();
    else if (auto axesType = staticTensor(op.getAxes()); axesType && axesType.getNumElements() == 0)
      axes.emplace();
    else
      axes = constantInts(op.getAxes());
    if (!axes) {
      // Axes known only at run time: the static shapes decide the reduced
      // dims up to dims of size 1, whose reduction changes no value.
      auto inferred = inferReducedDims(xType.getShape(), resultType.getShape(), op.getKeepdims());
      if (!inferred)
        return reduceByRuntimeAxes(op, xType, resultType, rewriter);
      reduced = *inferred;
      fromShapes = true;
    } else if (axes->empty()) {
      // Reduce everything, or nothing with noop_with_empty_axes.
      if (!op.getNoopWithEmptyAxes())
        reduced.assign(rank, true);
    } else {
      for (int64_t a : *axes) {
        auto axis = normalizeAxis(a, rank);
        if (!axis || reduced[*axis])
          return rewriter.notifyMatchFailure(op, "axes out of range or repeated");
        reduced[*axis] = true;
      }
    }
    SmallVector<int64_t> kept = keptShape(xType.getShape(), reduced);
    SmallVector<int64_t> keptDims;
    for (auto [d, r] : llvm::enumerate(reduced))
      keptDims.push_back(r ? 1 : xType.getDimSize(d));
    ArrayRef<int64_t> expected =
        op.getKeepdims() ? ArrayRef<int64_t>(keptDims) : ArrayRef<int64_t>(kept);
    // Dims of size 1 that the inference left kept are dropped by the final
    // reshape.
    if (fromShapes ? resultType.getNumElements() != product(kept)
                   : resultType.getShape() != expected)
      return rewriter.notifyMatchFailure(op, "result shape differs from the ONNX shape");
    rewriter.replaceOp(op, reduceOver(op, xType, resultType, reduced, rewriter));
    return success();
  }

  // Run-time axes that the static shapes leave ambiguous (3x2x2 -> 3x2 drops
  // dim 1 or dim 2): every reduction the shapes allow is computed and the one
  // the axes name is selected at run time.
  LogicalResult reduceByRuntimeAxes(ReduceOp op, RankedTensorType xType,
                                    RankedTensorType resultType,
                                    PatternRewriter &rewriter) const {
    auto axesType = staticTensor(op.getAxes());
    int64_t rank = xType.getRank();
    if (!axesType || axesType.getRank() != 1 || rank > 8)
      return rewriter.notifyMatchFailure(op, "axes must be a constant or a static 1-D tensor");
    ArrayRef<int64_t> in = xType.getShape(), out = resultType.getShape();
    // Candidate masks over the dims of size != 1 (reducing a size-1 dim
    // changes no value), each matching the result shape.
    SmallVector<SmallVector<bool>> candidates;
    for (uint32_t bits = 0; bits < (1u << rank); ++bits) {
      SmallVector<bool> mask(rank);
      bool skip = false;
      for (int64_t d = 0; d < rank; ++d) {
        mask[d] = bits & (1u << d);
        skip |= mask[d] && in[d] == 1;
      }
      if (skip || llvm::count(mask, true) > axesType.getDimSize(0))
        continue;
      SmallVector<int64_t> kept = keptShape(in, mask);
      if (op.getKeepdims()) {
        SmallVector<int64_t> keptDims;
        for (int64_t d = 0; d < rank; ++d)
          keptDims.push_back(mask[d] ? 1 : in[d]);
        if (ArrayRef<int64_t>(keptDims) != out)
          continue;
      } else {
        // Dims of size 1 may be dropped or not: compare the others.
        auto notOne = [](int64_t d) { return d != 1; };
        if (!llvm::equal(llvm::make_filter_range(kept, notOne),
                         llvm::make_filter_range(out, notOne)))
          continue;
      }
      candidates.push_back(mask);
    }
    if (candidates.empty())
      return rewriter.notifyMatchFailure(op, "no axes give the static result shape");
    Location loc = op.getLoc();
    Type indexType = rewriter.getIndexType();
    auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(rewriter, loc, v); };
    SmallVector<Value> axisValues;
    for (int64_t k = 0; k < axesType.getDimSize(0); ++k) {
      Value a = tensor::ExtractOp::create(rewriter, loc, op.getAxes(), ValueRange{c(k)});
      a = arith::IndexCastOp::create(rewriter, loc, indexType, a);
      Value negative = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt, a, c(0));
      axisValues.push_back(arith::SelectOp::create(
          rewriter, loc, negative, arith::AddIOp::create(rewriter, loc, a, c(rank)), a));
    }
    // Whether the axes name dim d.
    SmallVector<Value> named(rank);
    for (int64_t d = 0; d < rank; ++d) {
      Value any = arith::ConstantOp::create(rewriter, loc, rewriter.getBoolAttr(false));
      for (Value a : axisValues)
        any = arith::OrIOp::create(
            rewriter, loc, any,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, a, c(d)));
      named[d] = any;
    }
    Value result = reduceOver(op, xType, resultType, candidates.back(), rewriter);
    for (const SmallVector<bool> &mask : llvm::reverse(ArrayRef(candidates).drop_back())) {
      Value matches = arith::ConstantOp::create(rewriter, loc, rewriter.getBoolAttr(true));
      for (int64_t d = 0; d < rank; ++d) {
        if (in[d] == 1)
          continue;
        Value want = arith::ConstantOp::create(rewriter, loc, rewriter.getBoolAttr(mask[d]));
        matches = arith::AndIOp::create(
            rewriter, loc, matches,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, named[d], want));
      }
      result = arith::SelectOp::create(rewriter, loc, matches,
                                       reduceOver(op, xType, resultType, mask, rewriter), result);
    }
    rewriter.replaceOp(op, result);
    return success();
  }

  // The reduction of `op`'s data over the `reduced` dims, reshaped to the
  // result type.
  Value reduceOver(ReduceOp op, RankedTensorType xType, RankedTensorType resultType,
                   ArrayRef<bool> reduced, PatternRewriter &rewriter) const {
    SmallVector<int64_t> kept = keptShape(xType.getShape(), reduced);
    Type elt = xType.getElementType();
    int64_t rank = xType.getRank();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = op.getData();
    ArrayRef<int64_t> shape = xType.getShape();
    AffineMap id = identity(rank, ctx), keptMap = keptDimsMap(reduced, ctx);
    int64_t count = 1;
    for (auto [d, r] : llvm::zip(shape, reduced))
      if (r)
        count *= d;

    // Max and Min are exact; the others accumulate narrow floats in f32.
    Type acc = Kind == ReduceKind::Max || Kind == ReduceKind::Min || !isFloat(elt)
                   ? elt
                   : accumulatorType(elt);
    Value result;
    auto reduceWith = [&](Value init, BodyFn body) {
      return buildGeneric(rewriter, loc, shape, ValueRange{x}, {id}, reduced, acc, init,
                          [&](OpBuilder &b, Location l, ValueRange a) {
                            Value v[] = {toAcc(b, l, a[0], acc), a[1]};
                            return body(b, l, v);
                          });
    };
    auto finish = [&](Value v, function_ref<Value(OpBuilder &, Location, Value)> fn) {
      return mapGeneric(rewriter, loc, kept, ValueRange{v}, {identity(kept.size(), ctx)}, acc,
                        [&](OpBuilder &b, Location l, ValueRange a) { return fn(b, l, a[0]); });
    };
    Value zero = scalarConstant(rewriter, loc, acc, 0);
    auto sumOf = [&](function_ref<Value(OpBuilder &, Location, Value)> term) {
      return reduceWith(zero, [&](OpBuilder &b, Location l, ValueRange a) {
        return add(b, l, a[1], term(b, l, a[0]));
      });
    };
    auto identityTerm = [](OpBuilder &, Location, Value v) { return v; };
    auto squareTerm = [](OpBuilder &b, Location l, Value v) { return mul(b, l, v, v); };

    switch (Kind) {
    case ReduceKind::Sum:
      result = sumOf(identityTerm);
      break;
    case ReduceKind::Mean:
      result = finish(sumOf(identityTerm), [&](OpBuilder &b, Location l, Value s) -> Value {
        return arith::DivFOp::create(b, l, s, floatConstant(b, l, acc, count));
      });
      break;
    case ReduceKind::Max:
    case ReduceKind::Min: {
      bool isMax = Kind == ReduceKind::Max;
      result = reduceWith(extremeConstant(rewriter, loc, elt, isMax),
                          [&](OpBuilder &b, Location l, ValueRange a) {
                            return isMax ? maximum(b, l, a[1], a[0]) : minimum(b, l, a[1], a[0]);
                          });
      break;
    }
    case ReduceKind::Prod:
      result =
          reduceWith(scalarConstant(rewriter, loc, acc, 1),
                     [&](OpBuilder &b, Location l, ValueRange a) { return mul(b, l, a[1], a[0]); });
      break;
    case ReduceKind::L1:
      result = sumOf([](OpBuilder &b, Location l, Value v) -> Value {
        if (isFloat(v.getType()))
          return math::AbsFOp::create(b, l, v);
        return math::AbsIOp::create(b, l, v);
      });
      break;
    case ReduceKind::L2:
      result = finish(sumOf(squareTerm), [](OpBuilder &b, Location l, Value s) -> Value {
        return math::SqrtOp::create(b, l, s);
      });
      break;
    case ReduceKind::SumSquare:
      result = sumOf(squareTerm);
      break;
    case ReduceKind::LogSum:
      result = finish(sumOf(identityTerm), [](OpBuilder &b, Location l, Value s) -> Value {
        return math::LogOp::create(b, l, s);
      });
      break;
    case ReduceKind::LogSumExp: {
      // m = max(x) where finite, else 0; log(sum(exp(x - m))) + m.
      Value max = reduceWith(
          extremeConstant(rewriter, loc, acc, true),
          [](OpBuilder &b, Location l, ValueRange a) { return maximum(b, l, a[1], a[0]); });
      Value shift = finish(max, [&](OpBuilder &b, Location l, Value m) -> Value {
        Value inf = extremeConstant(b, l, acc, false);
        Value finite = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ONE,
                                             math::AbsFOp::create(b, l, m), inf);
        return arith::SelectOp::create(b, l, finite, m, floatConstant(b, l, acc, 0));
      });
      Value sum = buildGeneric(rewriter, loc, shape, ValueRange{x, shift}, {id, keptMap}, reduced,
                               acc, zero, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                                 Value d =
                                     arith::SubFOp::create(b, l, toAcc(b, l, a[0], acc), a[1]);
                                 Value e = math::ExpOp::create(b, l, d);
                                 return arith::AddFOp::create(b, l, a[2], e);
                               });
      AffineMap keptId = identity(kept.size(), ctx);
      result =
          mapGeneric(rewriter, loc, kept, ValueRange{sum, shift}, {keptId, keptId}, acc,
                     [](OpBuilder &b, Location l, ValueRange a) -> Value {
                       return arith::AddFOp::create(b, l, math::LogOp::create(b, l, a[0]), a[1]);
                     });
      break;
    }
    }
    if (acc != elt)
      result = mapGeneric(
          rewriter, loc, kept, ValueRange{result}, {identity(kept.size(), ctx)}, elt,
          [&](OpBuilder &b, Location l, ValueRange a) { return convertFloat(b, l, a[0], elt); });
    return reshapeTo(rewriter, loc, result, resultType);
  }
};

//===----------------------------------------------------------------------===//
// ArgMax / ArgMin
//===----------------------------------------------------------------------===//

template <typename ArgOp, bool IsMax> struct ArgReducePattern : OpRewritePattern<ArgOp> {
  using OpRewritePattern<ArgOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ArgOp op, PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getData());
    auto resultType = staticTensor(op.getReduced());
    if (!xType || !resultType || xType.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 1");
    Type elt = xType.getElementType();
    if (!isFloat(elt) && (!isSignlessInt(elt) || isBool(elt)))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    int64_t rank = xType.getRank();
    auto axis = normalizeAxis(op.getAxis(), rank);
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    SmallVector<bool> reduced(rank, false);
    reduced[*axis] = true;
    SmallVector<int64_t> kept = keptShape(xType.getShape(), reduced);
    SmallVector<int64_t> keptDims(xType.getShape());
    keptDims[*axis] = 1;
    if (resultType.getShape() !=
        (op.getKeepdims() ? ArrayRef<int64_t>(keptDims) : ArrayRef<int64_t>(kept)))
      return rewriter.notifyMatchFailure(op, "result shape differs from the ONNX shape");

    Location loc = op.getLoc();
    Value idx =
        buildArgIndex(rewriter, loc, op.getData(), *axis, IsMax, op.getSelectLastIndex() != 0);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, idx, resultType));
    return success();
  }

  // Index (i64) of the first (or last) extreme along `axis`, in the shape with
  // `axis` dropped.
  static Value buildArgIndex(OpBuilder &b, Location loc, Value x, int64_t axis, bool isMax,
                             bool last) {
    auto xType = cast<RankedTensorType>(x.getType());
    Type elt = xType.getElementType();
    MLIRContext *ctx = b.getContext();
    int64_t rank = xType.getRank();
    SmallVector<bool> reduced(rank, false);
    reduced[axis] = true;
    SmallVector<int64_t> kept = keptShape(xType.getShape(), reduced);
    Type i64 = b.getI64Type();
    Value values = filledTensor(b, loc, kept, elt, extremeConstant(b, loc, elt, isMax));
    Value indices = filledTensor(b, loc, kept, i64,
                                 arith::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(0)));
    SmallVector<AffineMap> maps = {identity(rank, ctx), keptDimsMap(reduced, ctx),
                                   keptDimsMap(reduced, ctx)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{values.getType(), indices.getType()}, ValueRange{x},
        ValueRange{values, indices}, maps, iterators,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value v = args[0], best = args[1], bestIdx = args[2];
          Value i = arith::IndexCastOp::create(nb, nl, i64, linalg::IndexOp::create(nb, nl, axis));
          Value better;
          if (isFloat(elt)) {
            auto pred = isMax ? (last ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
                              : (last ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT);
            better = arith::CmpFOp::create(nb, nl, pred, v, best);
          } else {
            auto pred = isMax ? (last ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sgt)
                              : (last ? arith::CmpIPredicate::sle : arith::CmpIPredicate::slt);
            better = arith::CmpIOp::create(nb, nl, pred, v, best);
          }
          Value newBest = arith::SelectOp::create(nb, nl, better, v, best);
          Value newIdx = arith::SelectOp::create(nb, nl, better, i, bestIdx);
          linalg::YieldOp::create(nb, nl, ValueRange{newBest, newIdx});
        });
    return generic.getResult(1);
  }
};

//===----------------------------------------------------------------------===//
// Softmax, LogSoftmax, Hardmax
//===----------------------------------------------------------------------===//

enum class SoftmaxKind { Softmax, LogSoftmax, Hardmax };

template <typename SoftmaxOp, SoftmaxKind Kind>
struct SoftmaxPattern : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern<SoftmaxOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(SoftmaxOp op, PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getInput());
    auto resultType = staticTensor(op.getOutput());
    if (!xType || !resultType || xType.getRank() == 0 || resultType != xType)
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 1");
    Type elt = xType.getElementType();
    if (!isFloat(elt))
      return rewriter.notifyMatchFailure(op, "needs a float type");
    int64_t rank = xType.getRank();
    auto axis = normalizeAxis(op.getAxis(), rank);
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = op.getInput();
    ArrayRef<int64_t> shape = xType.getShape();
    SmallVector<bool> reduced(rank, false);
    reduced[*axis] = true;
    AffineMap id = identity(rank, ctx), keptMap = keptDimsMap(reduced, ctx);

    if (Kind == SoftmaxKind::Hardmax) {
      Value best = ArgReducePattern<ArgMaxOp, true>::buildArgIndex(rewriter, loc, x, *axis,
                                                                   /*isMax=*/true, /*last=*/false);
      int64_t ax = *axis;
      Value result =
          mapGeneric(rewriter, loc, shape, ValueRange{best}, {keptMap}, elt,
                     [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                       Value i = arith::IndexCastOp::create(b, l, b.getI64Type(),
                                                            linalg::IndexOp::create(b, l, ax));
                       Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i, a[0]);
                       return arith::SelectOp::create(b, l, hit, floatConstant(b, l, elt, 1),
                                                      floatConstant(b, l, elt, 0));
                     });
      rewriter.replaceOp(op, result);
      return success();
    }

    Value max = buildGeneric(
        rewriter, loc, shape, ValueRange{x}, {id}, reduced, elt,
        extremeConstant(rewriter, loc, elt, true),
        [](OpBuilder &b, Location l, ValueRange a) { return maximum(b, l, a[1], a[0]); });
    // exp and the sum run in f32 for narrow floats.
    Type acc = accumulatorType(elt);
    Value zero = floatConstant(rewriter, loc, acc, 0);
    auto shifted = [&](OpBuilder &b, Location l, Value v, Value m) -> Value {
      return arith::SubFOp::create(b, l, convertFloat(b, l, v, acc), convertFloat(b, l, m, acc));
    };
    Value result;
    if (Kind == SoftmaxKind::Softmax) {
      Value e = mapGeneric(rewriter, loc, shape, ValueRange{x, max}, {id, keptMap}, acc,
                           [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                             return math::ExpOp::create(b, l, shifted(b, l, a[0], a[1]));
                           });
      Value sum = buildGeneric(rewriter, loc, shape, ValueRange{e}, {id}, reduced, acc, zero,
                               [](OpBuilder &b, Location l, ValueRange a) -> Value {
                                 return arith::AddFOp::create(b, l, a[1], a[0]);
                               });
      result = mapGeneric(rewriter, loc, shape, ValueRange{e, sum}, {id, keptMap}, elt,
                          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            Value y = arith::DivFOp::create(b, l, a[0], a[1]);
                            return convertFloat(b, l, y, elt);
                          });
    } else {
      Value sum = buildGeneric(rewriter, loc, shape, ValueRange{x, max}, {id, keptMap}, reduced,
                               acc, zero, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                                 Value e = math::ExpOp::create(b, l, shifted(b, l, a[0], a[1]));
                                 return arith::AddFOp::create(b, l, a[2], e);
                               });
      result = mapGeneric(rewriter, loc, shape, ValueRange{x, max, sum}, {id, keptMap, keptMap},
                          elt, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                            Value y = arith::SubFOp::create(b, l, shifted(b, l, a[0], a[1]),
                                                            math::LogOp::create(b, l, a[2]));
                            return convertFloat(b, l, y, elt);
                          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

// Map reading a per-channel [C] tensor (channel = dim 1) in a rank-`rank` space.
AffineMap channelMap(int64_t rank, MLIRContext *ctx) {
  return AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
}

bool allUnused(ValueRange values) {
  return llvm::all_of(values, [](Value v) { return v.use_empty() || isNone(v); });
}

struct BatchNormPattern : OpRewritePattern<BatchNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormalizationOp op, PatternRewriter &rewriter) const override {
    if (op.getTrainingMode() != 0)
      return rewriter.notifyMatchFailure(op, "training mode");
    if (!allUnused({op.getRunningMean(), op.getRunningVar()}))
      return rewriter.notifyMatchFailure(op, "running statistics are used");
    auto xType = staticTensor(op.getX());
    auto resultType = staticTensor(op.getY());
    if (!xType || resultType != xType || xType.getRank() < 2)
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 2");
    Type elt = xType.getElementType();
    if (!isFloat(elt))
      return rewriter.notifyMatchFailure(op, "needs a float type");
    int64_t channels = xType.getDimSize(1);
    for (Value p : {op.getScale(), op.getB(), op.getInputMean(), op.getInputVar()}) {
      auto t = staticTensor(p);
      if (!t || t.getRank() != 1 || t.getDimSize(0) != channels || !isFloat(t.getElementType()))
        return rewriter.notifyMatchFailure(op, "parameters must be static float [C]");
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    float epsilon = op.getEpsilon().convertToFloat();
    // Per channel: a = scale / sqrt(var + eps), b = B - mean * a, in f32 for
    // narrow floats (parameters may have their own float types).
    Type acc = accumulatorType(elt);
    AffineMap id1 = identity(1, ctx);
    SmallVector<Value> inits = {tensor::EmptyOp::create(rewriter, loc, {channels}, acc),
                                tensor::EmptyOp::create(rewriter, loc, {channels}, acc)};
    auto coeffs = linalg::GenericOp::create(
        rewriter, loc, TypeRange{inits[0].getType(), inits[1].getType()},
        ValueRange{op.getScale(), op.getB(), op.getInputMean(), op.getInputVar()}, inits,
        SmallVector<AffineMap>(6, id1), {utils::IteratorType::parallel},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value p[4];
          for (int i = 0; i < 4; ++i)
            p[i] = convertFloat(b, l, a[i], acc);
          Value var = arith::AddFOp::create(b, l, p[3], floatConstant(b, l, acc, epsilon));
          Value scale = arith::DivFOp::create(b, l, p[0], math::SqrtOp::create(b, l, var));
          Value shift = arith::SubFOp::create(b, l, p[1], arith::MulFOp::create(b, l, p[2], scale));
          linalg::YieldOp::create(b, l, ValueRange{scale, shift});
        });
    int64_t rank = xType.getRank();
    AffineMap cMap = channelMap(rank, ctx);
    Value result = mapGeneric(
        rewriter, loc, xType.getShape(),
        ValueRange{op.getX(), coeffs.getResult(0), coeffs.getResult(1)},
        {identity(rank, ctx), cMap, cMap}, elt,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value y = arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, convertFloat(b, l, a[0], acc), a[1]), a[2]);
          return convertFloat(b, l, y, elt);
        });
    rewriter.replaceAllUsesWith(op.getY(), result);
    rewriter.eraseOp(op);
    return success();
  }
};

// Mean and 1/sqrt(var + eps) of `x` over the dims marked in `reduced`,
// computed in `computeType`, in the kept shape.
std::pair<Value, Value> meanAndInvStd(OpBuilder &b, Location loc, Value x, ArrayRef<bool> reduced,
                                      Type computeType, double epsilon) {
  auto xType = cast<RankedTensorType>(x.getType());
  MLIRContext *ctx = b.getContext();
  int64_t rank = xType.getRank();
  ArrayRef<int64_t> shape = xType.getShape();
  SmallVector<int64_t> kept = keptShape(shape, reduced);
  AffineMap id = identity(rank, ctx), keptMap = keptDimsMap(reduced, ctx);
  AffineMap keptId = identity(kept.size(), ctx);
  double count = 1;
  for (auto [d, r] : llvm::zip(shape, reduced))
    if (r)
      count *= d;
  Value zero = floatConstant(b, loc, computeType, 0);
  Value sum = buildGeneric(b, loc, shape, ValueRange{x}, {id}, reduced, computeType, zero,
                           [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                             return arith::AddFOp::create(nb, l, a[1],
                                                          convertFloat(nb, l, a[0], computeType));
                           });
  Value mean = mapGeneric(b, loc, kept, ValueRange{sum}, {keptId}, computeType,
                          [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                            return arith::DivFOp::create(nb, l, a[0],
                                                         floatConstant(nb, l, computeType, count));
                          });
  Value sq =
      buildGeneric(b, loc, shape, ValueRange{x, mean}, {id, keptMap}, reduced, computeType, zero,
                   [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                     Value d =
                         arith::SubFOp::create(nb, l, convertFloat(nb, l, a[0], computeType), a[1]);
                     return arith::AddFOp::create(nb, l, a[2], arith::MulFOp::create(nb, l, d, d));
                   });
  Value invStd = mapGeneric(
      b, loc, kept, ValueRange{sq}, {keptId}, computeType,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value var = arith::DivFOp::create(nb, l, a[0], floatConstant(nb, l, computeType, count));
        Value std = math::SqrtOp::create(
            nb, l, arith::AddFOp::create(nb, l, var, floatConstant(nb, l, computeType, epsilon)));
        return arith::DivFOp::create(nb, l, floatConstant(nb, l, computeType, 1), std);
      });
  return {mean, invStd};
}

struct InstanceNormPattern : OpRewritePattern<InstanceNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(InstanceNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getInput());
    auto resultType = staticTensor(op.getOutput());
    if (!xType || resultType != xType || xType.getRank() < 3)
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 3");
    Type elt = xType.getElementType();
    if (!isFloat(elt))
      return rewriter.notifyMatchFailure(op, "needs a float type");
    int64_t rank = xType.getRank(), channels = xType.getDimSize(1);
    for (Value p : {op.getScale(), op.getB()}) {
      auto t = staticTensor(p);
      if (!t || t.getRank() != 1 || t.getDimSize(0) != channels || t.getElementType() != elt)
        return rewriter.notifyMatchFailure(op, "scale and B must be static [C] of X's type");
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<bool> reduced(rank, true);
    reduced[0] = reduced[1] = false;
    // Narrow floats accumulate in f32.
    Type computeType = elt.getIntOrFloatBitWidth() < 32 ? rewriter.getF32Type() : elt;
    auto [mean, invStd] = meanAndInvStd(rewriter, loc, op.getInput(), reduced, computeType,
                                        op.getEpsilon().convertToFloat());
    AffineMap nc = keptDimsMap(reduced, ctx), cMap = channelMap(rank, ctx);
    Value result = mapGeneric(
        rewriter, loc, xType.getShape(),
        ValueRange{op.getInput(), mean, invStd, op.getScale(), op.getB()},
        {identity(rank, ctx), nc, nc, cMap, cMap}, elt,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = arith::SubFOp::create(b, l, convertFloat(b, l, a[0], computeType), a[1]);
          Value n = arith::MulFOp::create(b, l, d, a[2]);
          Value y = arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, n, convertFloat(b, l, a[3], computeType)),
              convertFloat(b, l, a[4], computeType));
          return convertFloat(b, l, y, elt);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LayerNormPattern : OpRewritePattern<LayerNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LayerNormalizationOp op, PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getX());
    auto resultType = staticTensor(op.getY());
    if (!xType || resultType != xType || xType.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 1");
    Type elt = xType.getElementType();
    if (!isFloat(elt))
      return rewriter.notifyMatchFailure(op, "needs a float type");
    int64_t rank = xType.getRank();
    auto axis = normalizeAxis(op.getAxis(), rank);
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Type computeType =
        op.getStashType() == 1 && elt.getIntOrFloatBitWidth() < 32 ? rewriter.getF32Type() : elt;

    // Mean and InvStdDev: [outer..., 1, ...] of the stash type, when used.
    SmallVector<int64_t> statShape(xType.getShape().take_front(*axis));
    statShape.append(rank - *axis, 1);
    for (Value stat : {op.getMean(), op.getInvStdDev()}) {
      if (stat.use_empty() || isNone(stat))
        continue;
      auto t = staticTensor(stat);
      if (!t || t.getShape() != ArrayRef<int64_t>(statShape) || t.getElementType() != computeType)
        return rewriter.notifyMatchFailure(op, "Mean/InvStdDev results of an unexpected type");
    }

    // Scale and B broadcast (right-aligned) to the normalized dims.
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<Value> params = {op.getScale()};
    if (!isNone(op.getB()))
      params.push_back(op.getB());
    SmallVector<AffineMap> paramMaps;
    for (Value p : params) {
      auto t = staticTensor(p);
      if (!t || t.getElementType() != elt || t.getRank() > rank - *axis)
        return rewriter.notifyMatchFailure(op, "scale and B must be static and broadcastable");
      SmallVector<AffineExpr> exprs;
      int64_t offset = rank - t.getRank();
      for (int64_t d = 0; d < t.getRank(); ++d) {
        int64_t size = t.getDimSize(d), target = xType.getDimSize(d + offset);
        if (size == target)
          exprs.push_back(getAffineDimExpr(d + offset, ctx));
        else if (size == 1)
          exprs.push_back(getAffineConstantExpr(0, ctx));
        else
          return rewriter.notifyMatchFailure(op, "scale or B does not broadcast");
      }
      paramMaps.push_back(AffineMap::get(rank, 0, exprs, ctx));
    }

    Location loc = op.getLoc();
    SmallVector<bool> reduced(rank, false);
    for (int64_t d = *axis; d < rank; ++d)
      reduced[d] = true;
    auto [mean, invStd] = meanAndInvStd(rewriter, loc, op.getX(), reduced, computeType,
                                        op.getEpsilon().convertToFloat());
    AffineMap outer = keptDimsMap(reduced, ctx);
    SmallVector<Value> inputs = {op.getX(), mean, invStd};
    inputs.append(params);
    SmallVector<AffineMap> maps = {identity(rank, ctx), outer, outer};
    maps.append(paramMaps);
    bool hasBias = params.size() == 2;
    Value result =
        mapGeneric(rewriter, loc, xType.getShape(), inputs, maps, elt,
                   [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                     Value d =
                         arith::SubFOp::create(b, l, convertFloat(b, l, a[0], computeType), a[1]);
                     Value y = arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, d, a[2]),
                                                     convertFloat(b, l, a[3], computeType));
                     if (hasBias)
                       y = arith::AddFOp::create(b, l, y, convertFloat(b, l, a[4], computeType));
                     return convertFloat(b, l, y, elt);
                   });
    auto statType = RankedTensorType::get(statShape, computeType);
    rewriter.replaceAllUsesWith(op.getY(), result);
    if (!op.getMean().use_empty() && !isNone(op.getMean()))
      rewriter.replaceAllUsesWith(op.getMean(), reshapeTo(rewriter, loc, mean, statType));
    if (!op.getInvStdDev().use_empty() && !isNone(op.getInvStdDev()))
      rewriter.replaceAllUsesWith(op.getInvStdDev(), reshapeTo(rewriter, loc, invStd, statType));
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void populateNormalizationToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BatchNormPattern, InstanceNormPattern, LayerNormPattern>(ctx);
  patterns.add<SoftmaxPattern<SoftmaxOp, SoftmaxKind::Softmax>,
               SoftmaxPattern<LogSoftmaxOp, SoftmaxKind::LogSoftmax>,
               SoftmaxPattern<HardmaxOp, SoftmaxKind::Hardmax>>(ctx);
  patterns.add<
      ReducePattern<ReduceSumOp, ReduceKind::Sum>, ReducePattern<ReduceMeanOp, ReduceKind::Mean>,
      ReducePattern<ReduceMaxOp, ReduceKind::Max>, ReducePattern<ReduceMinOp, ReduceKind::Min>,
      ReducePattern<ReduceProdOp, ReduceKind::Prod>, ReducePattern<ReduceL1Op, ReduceKind::L1>,
      ReducePattern<ReduceL2Op, ReduceKind::L2>, ReducePattern<ReduceLogSumOp, ReduceKind::LogSum>,
      ReducePattern<ReduceLogSumExpOp, ReduceKind::LogSumExp>,
      ReducePattern<ReduceSumSquareOp, ReduceKind::SumSquare>>(ctx);
  patterns.add<ArgReducePattern<ArgMaxOp, true>, ArgReducePattern<ArgMinOp, false>>(ctx);
}

} // namespace qc

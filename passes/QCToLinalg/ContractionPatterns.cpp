//===- ContractionPatterns.cpp - qc conv, matmul and pooling to linalg ----===//
//
// Conv, ConvTranspose, MatMul, Gemm and the pooling ops, on static shapes.
//
// * Padding is explicit: a tensor.pad (zero for conv and average pooling,
//   -inf or the integer minimum for max pooling) covering exactly the input
//   range that the output windows read; named ops allow an input longer than
//   what they read, so no slicing is needed when windows stop short.
// * Conv uses linalg's NCHW named ops (conv_{1,2,3}d_nc*_fc*, depthwise
//   *_nc*_c*, conv_2d_ngchw_gfchw for groups) and a linalg.generic of the
//   same structure where none fits. The bias initialises the accumulator.
// * ConvTranspose is a stride-1 conv over the zero-stuffed (dilated) input
//   with the kernel flipped and its channel dims swapped per group.
// * MatMul folds batch dims of A into M when B is a matrix, and otherwise
//   materialises the numpy batch broadcast and uses linalg.batch_matmul.
// * Average pooling divides the sum by the ONNX element count of each
//   window, a compile-time constant per output position.
// * MaxPool's Indices result, when used, comes from one generic that carries
//   the value and the flat input index of the first maximum.
// * f16/bf16 products and sums accumulate in f32 and are rounded once.
// * Output sizes are recomputed from ONNX's rules; an op whose declared
//   result shape disagrees is left alone rather than lowered to a guess.
//
//===----------------------------------------------------------------------===//
#include "passes/QCToLinalg/LoweringUtils.h"
#include "passes/QCToLinalg/Windows.h"
#include "passes/QCToLinalg/Patterns.h"

#include "QC/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

#include <numeric>

using namespace mlir;

namespace qc {
namespace {

//===----------------------------------------------------------------------===//
// Small helpers
//===----------------------------------------------------------------------===//

bool isSignlessInt(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.isSignless() && i.getWidth() > 1;
}

int64_t product(ArrayRef<int64_t> dims) {
  return std::accumulate(dims.begin(), dims.end(), int64_t(1), std::multiplies<int64_t>());
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// The identity of max: -inf for floats, the signed minimum for integers.
Value lowestConstant(OpBuilder &b, Location loc, Type t) {
  if (auto f = dyn_cast<FloatType>(t))
    return arith::ConstantOp::create(
        b, loc, t, b.getFloatAttr(t, APFloat::getInf(f.getFloatSemantics(), /*Negative=*/true)));
  unsigned width = t.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(b, loc, t, b.getIntegerAttr(t, APInt::getSignedMinValue(width)));
}

// Elementwise conversion of a float tensor to element type `elt`.
Value convertTensor(OpBuilder &b, Location loc, Value v, Type elt) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getElementType() == elt)
    return v;
  int64_t rank = type.getRank();
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), elt);
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{v}, ValueRange{init}, maps,
             SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, convertFloat(nb, nl, args[0], elt));
             })
      .getResult(0);
}

// Reads `v` (static shape) broadcast the numpy way (right-aligned, size-1 dims
// stretched) into a new tensor of `shape`; returns `v` if nothing changes.
Value broadcastTo(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  int64_t rank = shape.size(), offset = rank - type.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < type.getRank(); ++d)
    exprs.push_back(type.getDimSize(d) == shape[d + offset] ? b.getAffineDimExpr(d + offset)
                                                            : b.getAffineConstantExpr(0));
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, exprs, b.getContext()),
                                 b.getMultiDimIdentityMap(rank)};
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(b, loc, TypeRange{init.getType()}, ValueRange{v},
                                   ValueRange{init}, maps, iterators,
                                   [](OpBuilder &nb, Location nl, ValueRange args) {
                                     linalg::YieldOp::create(nb, nl, args[0]);
                                   })
      .getResult(0);
}

// Whether `from` broadcasts (numpy rules) to `to`.
bool broadcastsTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  int64_t offset = to.size() - from.size();
  for (auto [i, d] : llvm::enumerate(from))
    if (d != 1 && d != to[i + offset])
      return false;
  return true;
}

} // namespace

//===----------------------------------------------------------------------===//
// Window geometry (conv and pooling)
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Window>> computeWindows(ArrayRef<int64_t> inSpatial, ArrayRef<int64_t> kernel,
                                              std::optional<ArrayRef<int64_t>> strides,
                                              std::optional<ArrayRef<int64_t>> dilations,
                                              std::optional<ArrayRef<int64_t>> pads,
                                              StringRef autoPad, bool ceilMode) {
  size_t n = inSpatial.size();
  if (kernel.size() != n || (strides && strides->size() != n) ||
      (dilations && dilations->size() != n) || (pads && pads->size() != 2 * n))
    return failure();
  SmallVector<Window> windows;
  for (size_t i = 0; i < n; ++i) {
    Window w;
    w.in = inSpatial[i];
    w.kernel = kernel[i];
    w.stride = strides ? (*strides)[i] : 1;
    w.dilation = dilations ? (*dilations)[i] : 1;
    if (w.kernel < 1 || w.stride < 1 || w.dilation < 1)
      return failure();
    int64_t extent = w.extent();
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      w.out = ceilDiv(w.in, w.stride);
      int64_t total = std::max<int64_t>(0, (w.out - 1) * w.stride + extent - w.in);
      int64_t small = total / 2, large = total - small;
      w.padBegin = autoPad == "SAME_UPPER" ? small : large;
      w.padEnd = autoPad == "SAME_UPPER" ? large : small;
    } else if (autoPad == "VALID") {
      w.padBegin = w.padEnd = 0;
      if (w.in < extent)
        return failure();
      w.out = (w.in - extent) / w.stride + 1;
    } else if (autoPad == "NOTSET") {
      w.padBegin = pads ? (*pads)[i] : 0;
      w.padEnd = pads ? (*pads)[i + n] : 0;
      if (w.padBegin < 0 || w.padEnd < 0)
        return failure();
      int64_t span = w.in + w.padBegin + w.padEnd - extent;
      if (span < 0)
        return failure();
      if (ceilMode) {
        w.out = ceilDiv(span, w.stride) + 1;
        // The last window must start inside the input or its leading pad.
        if ((w.out - 1) * w.stride >= w.in + w.padBegin)
          --w.out;
      } else {
        w.out = span / w.stride + 1;
      }
    } else {
      return failure();
    }
    if (w.out < 1)
      return failure();
    windows.push_back(w);
  }
  return windows;
}

Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<Window> windows, Value padValue) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> low(rank, 0), high(rank, 0), shape(type.getShape());
  bool any = false;
  for (auto [i, w] : llvm::enumerate(windows)) {
    low[i + 2] = w.padBegin;
    high[i + 2] = w.readPadEnd();
    shape[i + 2] += low[i + 2] + high[i + 2];
    any |= low[i + 2] != 0 || high[i + 2] != 0;
  }
  if (!any)
    return x;
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, resultType, x, getAsIndexOpFoldResult(b.getContext(), low),
                               getAsIndexOpFoldResult(b.getContext(), high), padValue);
}

SmallVector<int64_t> windowOut(ArrayRef<Window> windows) {
  return llvm::to_vector(llvm::map_range(windows, [](const Window &w) { return w.out; }));
}
SmallVector<int64_t> windowStrides(ArrayRef<Window> windows) {
  return llvm::to_vector(llvm::map_range(windows, [](const Window &w) { return w.stride; }));
}
SmallVector<int64_t> windowDilations(ArrayRef<Window> windows) {
  return llvm::to_vector(llvm::map_range(windows, [](const Window &w) { return w.dilation; }));
}

namespace {

//===----------------------------------------------------------------------===//
// Convolution core
//===----------------------------------------------------------------------===//

// Builds a named convolution op `OpTy` with strides/dilations.
template <typename OpTy>
Value namedConv(OpBuilder &b, Location loc, Value x, Value w, Value init, ArrayRef<int64_t> strides,
                ArrayRef<int64_t> dilations) {
  return OpTy::create(b, loc, TypeRange{init.getType()}, ValueRange{x, w}, ValueRange{init},
                      b.getI64TensorAttr(strides), b.getI64TensorAttr(dilations))
      .getResult(0);
}

// Grouped N-D convolution as one linalg.generic. x: [N, C, padded...],
// w: [M, C/G, k...], init: [N, M, out...].
Value genericConv(OpBuilder &b, Location loc, Value x, Value w, Value init,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations, int64_t group) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  int64_t spatial = xType.getRank() - 2;
  int64_t cPerGroup = wType.getDimSize(1), mPerGroup = wType.getDimSize(0) / group;
  // init [N, M, out...] -> [N, G, M/G, out...]
  SmallVector<int64_t> groupedShape = {initType.getDimSize(0), group, mPerGroup};
  llvm::append_range(groupedShape, initType.getShape().drop_front(2));
  auto groupedType = RankedTensorType::get(groupedShape, initType.getElementType());
  SmallVector<ReassociationIndices> reassociation = {{0}, {1, 2}};
  for (int64_t i = 0; i < spatial; ++i)
    reassociation.push_back({i + 3});
  Value groupedInit = tensor::ExpandShapeOp::create(b, loc, groupedType, init, reassociation);

  // Loops: n, g, m, o_1..o_s (parallel); c, k_1..k_s (reduction).
  int64_t numLoops = 4 + 2 * spatial;
  auto dim = [&](int64_t i) { return b.getAffineDimExpr(i); };
  AffineExpr n = dim(0), g = dim(1), m = dim(2), c = dim(3 + spatial);
  SmallVector<AffineExpr> xExprs = {n, g * cPerGroup + c};
  SmallVector<AffineExpr> wExprs = {g * mPerGroup + m, c};
  SmallVector<AffineExpr> outExprs = {n, g, m};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = dim(3 + i), k = dim(4 + spatial + i);
    xExprs.push_back(o * strides[i] + k * dilations[i]);
    wExprs.push_back(k);
    outExprs.push_back(o);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(numLoops, 0, xExprs, b.getContext()),
                                 AffineMap::get(numLoops, 0, wExprs, b.getContext()),
                                 AffineMap::get(numLoops, 0, outExprs, b.getContext())};
  SmallVector<utils::IteratorType> iterators(3 + spatial, utils::IteratorType::parallel);
  iterators.append(1 + spatial, utils::IteratorType::reduction);
  Value result =
      linalg::GenericOp::create(b, loc, TypeRange{groupedType}, ValueRange{x, w},
                                ValueRange{groupedInit}, maps, iterators,
                                [](OpBuilder &nb, Location nl, ValueRange args) {
                                  Type acc = args[2].getType();
                                  Value prod = mul(nb, nl, convertFloat(nb, nl, args[0], acc),
                                                   convertFloat(nb, nl, args[1], acc));
                                  linalg::YieldOp::create(nb, nl, add(nb, nl, args[2], prod));
                                })
          .getResult(0);
  return tensor::CollapseShapeOp::create(b, loc, initType, result, reassociation);
}

// Convolution of an already padded x: [N, C, padded...] with w: [M, C/G, k...]
// accumulating into init: [N, M, out...].
Value emitConv(OpBuilder &b, Location loc, Value x, Value w, Value init, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilations, int64_t group) {
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  int64_t spatial = xType.getRank() - 2;
  int64_t channels = xType.getDimSize(1), outChannels = wType.getDimSize(0);
  if (group == 1) {
    switch (spatial) {
    case 1:
      return namedConv<linalg::Conv1DNcwFcwOp>(b, loc, x, w, init, strides, dilations);
    case 2:
      return namedConv<linalg::Conv2DNchwFchwOp>(b, loc, x, w, init, strides, dilations);
    case 3:
      return namedConv<linalg::Conv3DNcdhwFcdhwOp>(b, loc, x, w, init, strides, dilations);
    default:
      return genericConv(b, loc, x, w, init, strides, dilations, group);
    }
  }
  if (group == channels && outChannels == channels && spatial <= 3) {
    // Depthwise: the filter [C, 1, k...] becomes [C, k...].
    SmallVector<int64_t> filterShape = {channels};
    llvm::append_range(filterShape, wType.getShape().drop_front(2));
    SmallVector<ReassociationIndices> reassociation = {{0, 1}};
    for (int64_t i = 0; i < spatial; ++i)
      reassociation.push_back({i + 2});
    Value filter = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get(filterShape, wType.getElementType()), w, reassociation);
    switch (spatial) {
    case 1:
      return namedConv<linalg::DepthwiseConv1DNcwCwOp>(b, loc, x, filter, init, strides, dilations);
    case 2:
      return namedConv<linalg::DepthwiseConv2DNchwChwOp>(b, loc, x, filter, init, strides,
                                                         dilations);
    default:
      return namedConv<linalg::DepthwiseConv3DNcdhwCdhwOp>(b, loc, x, filter, init, strides,
                                                           dilations);
    }
  }
  if (spatial == 2) {
    // conv_2d_ngchw_gfchw: x [N, G, C/G, H, W], w [G, M/G, C/G, kh, kw],
    // out [N, G, M/G, oh, ow].
    auto expand = [&](Value v, RankedTensorType type, int64_t at, int64_t outer) {
      SmallVector<int64_t> shape(type.getShape().take_front(at));
      shape.push_back(outer);
      shape.push_back(type.getDimSize(at) / outer);
      llvm::append_range(shape, type.getShape().drop_front(at + 1));
      SmallVector<ReassociationIndices> reassociation;
      for (int64_t i = 0; i < type.getRank(); ++i) {
        if (i < at)
          reassociation.push_back({i});
        else if (i == at)
          reassociation.push_back({i, i + 1});
        else
          reassociation.push_back({i + 1});
      }
      auto expandedType = RankedTensorType::get(shape, type.getElementType());
      return std::make_pair(
          tensor::ExpandShapeOp::create(b, loc, expandedType, v, reassociation).getResult(),
          reassociation);
    };
    Value gx = expand(x, xType, 1, group).first;
    Value gw = expand(w, wType, 0, group).first;
    auto [gInit, outReassociation] = expand(init, initType, 1, group);
    Value result = namedConv<linalg::Conv2DNgchwGfchwOp>(b, loc, gx, gw, gInit, strides, dilations);
    return tensor::CollapseShapeOp::create(b, loc, initType, result, outReassociation);
  }
  return genericConv(b, loc, x, w, init, strides, dilations, group);
}

// The accumulator of a conv: the bias broadcast along the channel dim (1), or
// zeros, in the accumulator's element type.
Value convInit(OpBuilder &b, Location loc, RankedTensorType accType, Value bias) {
  Type acc = accType.getElementType();
  if (!bias || isNone(bias))
    return filledTensor(b, loc, accType.getShape(), acc, scalarConstant(b, loc, acc, 0));
  Value empty = tensor::EmptyOp::create(b, loc, accType.getShape(), acc);
  int64_t rank = accType.getRank();
  if (cast<RankedTensorType>(bias.getType()).getElementType() == acc) {
    SmallVector<int64_t> added = {0};
    for (int64_t i = 2; i < rank; ++i)
      added.push_back(i);
    return linalg::BroadcastOp::create(b, loc, bias, empty, added).getResult()[0];
  }
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, {b.getAffineDimExpr(1)}, b.getContext()),
                                 b.getMultiDimIdentityMap(rank)};
  return linalg::GenericOp::create(
             b, loc, TypeRange{accType}, ValueRange{bias}, ValueRange{empty}, maps,
             SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, convertFloat(nb, nl, args[0], acc));
             })
      .getResult(0);
}

LogicalResult checkBias(Value bias, int64_t outChannels, Type elt) {
  if (isNone(bias))
    return success();
  auto type = staticTensor(bias);
  return success(type && type.getRank() == 1 && type.getDimSize(0) == outChannels &&
                 type.getElementType() == elt);
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

struct ConvPattern : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvOp op, PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getX()), wType = staticTensor(op.getW());
    auto resultType = staticTensor(op.getY());
    if (!xType || !wType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Type elt = resultType.getElementType();
    if (!isFloat(elt) || xType.getElementType() != elt || wType.getElementType() != elt)
      return rewriter.notifyMatchFailure(op, "needs one float element type");
    int64_t rank = xType.getRank(), group = op.getGroup();
    if (rank < 3 || wType.getRank() != rank || group < 1 ||
        xType.getDimSize(1) != wType.getDimSize(1) * group || wType.getDimSize(0) % group)
      return rewriter.notifyMatchFailure(op, "inconsistent channels");
    if (failed(checkBias(op.getB(), wType.getDimSize(0), elt)))
      return rewriter.notifyMatchFailure(op, "bias must be static [M]");
    auto windows = computeWindows(xType.getShape().drop_front(2), wType.getShape().drop_front(2),
                                  op.getStrides(), op.getDilations(), op.getPads(), op.getAutoPad(),
                                  /*ceilMode=*/false);
    if (failed(windows))
      return rewriter.notifyMatchFailure(op, "unsupported window attributes");
    SmallVector<int64_t> shape = {xType.getDimSize(0), wType.getDimSize(0)};
    llvm::append_range(shape, windowOut(*windows));
    if (ArrayRef<int64_t>(shape) != resultType.getShape())
      return rewriter.notifyMatchFailure(op, "result shape differs from the ONNX shape");

    Location loc = op.getLoc();
    Value x = padSpatial(rewriter, loc, op.getX(), *windows, scalarConstant(rewriter, loc, elt, 0));
    Value init = convInit(rewriter, loc, resultType.clone(accumulatorType(elt)), op.getB());
    Value result = emitConv(rewriter, loc, x, op.getW(), init, windowStrides(*windows),
                            windowDilations(*windows), group);
    rewriter.replaceOp(op, convertTensor(rewriter, loc, result, elt));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

// Floor division (ONNX's reference computes pads with Python's //).
int64_t floorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

struct ConvTransposePattern : OpRewritePattern<ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConvTransposeOp op, PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getX()), wType = staticTensor(op.getW());
    auto resultType = staticTensor(op.getY());
    if (!xType || !wType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Type elt = resultType.getElementType();
    if (!isFloat(elt) || xType.getElementType() != elt || wType.getElementType() != elt)
      return rewriter.notifyMatchFailure(op, "needs one float element type");
    int64_t rank = xType.getRank(), spatial = rank - 2, group = op.getGroup();
    int64_t channels = xType.getDimSize(1);
    if (rank < 3 || wType.getRank() != rank || group < 1 || wType.getDimSize(0) != channels ||
        channels % group)
      return rewriter.notifyMatchFailure(op, "inconsistent channels");
    int64_t cPerGroup = channels / group, mPerGroup = wType.getDimSize(1);
    int64_t outChannels = mPerGroup * group;
    if (failed(checkBias(op.getB(), outChannels, elt)))
      return rewriter.notifyMatchFailure(op, "bias must be static [M]");
    auto strides = op.getStrides(), dilations = op.getDilations(), pads = op.getPads();
    auto outputPadding = op.getOutputPadding(), outputShape = op.getOutputShape();
    StringRef autoPad = op.getAutoPad();
    if ((strides && (int64_t)strides->size() != spatial) ||
        (dilations && (int64_t)dilations->size() != spatial) ||
        (pads && (int64_t)pads->size() != 2 * spatial) ||
        (outputPadding && (int64_t)outputPadding->size() != spatial) ||
        (outputShape && (int64_t)outputShape->size() != spatial))
      return rewriter.notifyMatchFailure(op, "attribute lengths differ from the spatial rank");
    if (!llvm::is_contained({"NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"}, autoPad))
      return rewriter.notifyMatchFailure(op, "unknown auto_pad");

    // Output size and leading pad per spatial dim (ONNX ConvTranspose rules).
    SmallVector<int64_t> out, padBegin, kernel, strideV, dilationV;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = xType.getDimSize(i + 2), k = wType.getDimSize(i + 2);
      int64_t s = strides ? (*strides)[i] : 1, d = dilations ? (*dilations)[i] : 1;
      int64_t adj = outputPadding ? (*outputPadding)[i] : 0;
      if (s < 1 || d < 1)
        return rewriter.notifyMatchFailure(op, "strides and dilations must be >= 1");
      int64_t full = s * (in - 1) + adj + (k - 1) * d + 1;
      bool autoPads = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
      int64_t o, pb;
      if (outputShape || (autoPads && !pads)) {
        o = outputShape ? (*outputShape)[i] : in * s;
        int64_t total = full - o;
        int64_t half = floorDiv(total, 2);
        pb = autoPad == "SAME_UPPER" ? half : total - half;
        if (pads && !autoPads)
          pb = (*pads)[i]; // explicit pads win over the derived ones
      } else {
        pb = pads && autoPad == "NOTSET" ? (*pads)[i] : 0;
        int64_t pe = pads && autoPad == "NOTSET" ? (*pads)[i + spatial] : 0;
        o = full - pb - pe;
      }
      if (o < 1)
        return rewriter.notifyMatchFailure(op, "empty output");
      out.push_back(o);
      padBegin.push_back(pb);
      kernel.push_back(k);
      strideV.push_back(s);
      dilationV.push_back(d);
    }
    SmallVector<int64_t> shape = {xType.getDimSize(0), outChannels};
    llvm::append_range(shape, out);
    if (ArrayRef<int64_t>(shape) != resultType.getShape())
      return rewriter.notifyMatchFailure(op, "result shape differs from the ONNX shape");

    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value zero = scalarConstant(rewriter, loc, elt, 0);

    // y[o] = sum_k xs[o + k*d] * w[K-1-k], where xs holds x[i] at
    // i*s + (K-1)*d - padBegin and zeros elsewhere, of length out + (K-1)*d.
    SmallVector<int64_t> stuffedShape = {xType.getDimSize(0), channels};
    SmallVector<int64_t> srcOffsets(rank, 0), srcSizes(xType.getShape()), dstOffsets(rank, 0);
    SmallVector<int64_t> dstStrides(rank, 1);
    bool empty = false;
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t length = out[i] + (kernel[i] - 1) * dilationV[i];
      int64_t shift = (kernel[i] - 1) * dilationV[i] - padBegin[i];
      int64_t in = xType.getDimSize(i + 2), s = strideV[i];
      // Input indices whose position i*s + shift lies in [0, length).
      int64_t first = shift >= 0 ? 0 : ceilDiv(-shift, s);
      int64_t last = std::min(in - 1, floorDiv(length - 1 - shift, s));
      stuffedShape.push_back(length);
      if (last < first) {
        empty = true;
        continue;
      }
      srcOffsets[i + 2] = first;
      srcSizes[i + 2] = last - first + 1;
      dstOffsets[i + 2] = first * s + shift;
      dstStrides[i + 2] = s;
    }
    Value stuffed = filledTensor(rewriter, loc, stuffedShape, elt, zero);
    if (!empty) {
      Value src = op.getX();
      if (ArrayRef<int64_t>(srcSizes) != xType.getShape())
        src = tensor::ExtractSliceOp::create(
            rewriter, loc, src, getAsIndexOpFoldResult(ctx, srcOffsets),
            getAsIndexOpFoldResult(ctx, srcSizes),
            getAsIndexOpFoldResult(ctx, SmallVector<int64_t>(rank, 1)));
      stuffed = tensor::InsertSliceOp::create(
          rewriter, loc, src, stuffed, getAsIndexOpFoldResult(ctx, dstOffsets),
          getAsIndexOpFoldResult(ctx, srcSizes), getAsIndexOpFoldResult(ctx, dstStrides));
    }

    // Filter [C, M/G, k...] -> [G, M/G, C/G, k...] flipped -> [M, C/G, k...].
    SmallVector<int64_t> gFilterShape = {group, mPerGroup, cPerGroup};
    llvm::append_range(gFilterShape, kernel);
    auto gFilterType = RankedTensorType::get(gFilterShape, elt);
    int64_t loops = 3 + spatial;
    SmallVector<AffineExpr> wExprs = {rewriter.getAffineDimExpr(0) * cPerGroup +
                                          rewriter.getAffineDimExpr(2),
                                      rewriter.getAffineDimExpr(1)};
    for (int64_t i = 0; i < spatial; ++i)
      wExprs.push_back(rewriter.getAffineConstantExpr(kernel[i] - 1) -
                       rewriter.getAffineDimExpr(3 + i));
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, wExprs, ctx),
                                   rewriter.getMultiDimIdentityMap(loops)};
    Value gFilterInit = tensor::EmptyOp::create(rewriter, loc, gFilterShape, elt);
    Value gFilter =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{gFilterType}, ValueRange{op.getW()}, ValueRange{gFilterInit},
            maps, SmallVector<utils::IteratorType>(loops, utils::IteratorType::parallel),
            [](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(nb, nl, args[0]);
            })
            .getResult(0);
    SmallVector<int64_t> filterShape = {outChannels, cPerGroup};
    llvm::append_range(filterShape, kernel);
    SmallVector<ReassociationIndices> reassociation = {{0, 1}, {2}};
    for (int64_t i = 0; i < spatial; ++i)
      reassociation.push_back({3 + i});
    Value filter = tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get(filterShape, elt), gFilter, reassociation);

    Value init = convInit(rewriter, loc, resultType.clone(accumulatorType(elt)), op.getB());
    Value result = emitConv(rewriter, loc, stuffed, filter, init, SmallVector<int64_t>(spatial, 1),
                            dilationV, group);
    rewriter.replaceOp(op, convertTensor(rewriter, loc, result, elt));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

struct MatMulPattern : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatMulOp op, PatternRewriter &rewriter) const override {
    auto aType = staticTensor(op.getA()), bType = staticTensor(op.getB());
    auto resultType = staticTensor(op.getY());
    if (!aType || !bType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Type elt = resultType.getElementType();
    if ((!isFloat(elt) && !isSignlessInt(elt)) || aType.getElementType() != elt ||
        bType.getElementType() != elt)
      return rewriter.notifyMatchFailure(op, "needs one float or signless integer type");
    if (aType.getRank() == 0 || bType.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "operands must have rank >= 1");
    Location loc = op.getLoc();

    // 1-D operands become matrices: A [K] -> [1, K], B [K] -> [K, 1].
    Value a = op.getA(), b = op.getB();
    const char *why = nullptr;
    FailureOr<MatmulShapes> shapes = matmulShapes(aType.getShape(), bType.getShape(), why);
    if (failed(shapes))
      return rewriter.notifyMatchFailure(op, why);
    ArrayRef<int64_t> aShape = shapes->a, bShape = shapes->b, batch = shapes->batch;
    ArrayRef<int64_t> aBatch = shapes->aBatch(), bBatch = shapes->bBatch();
    int64_t m = shapes->m, k = shapes->k, n = shapes->n;
    // The result before the dims of 1-D operands are dropped.
    SmallVector<int64_t> fullShape(batch);
    fullShape.append({m, n});
    if (product(fullShape) != resultType.getNumElements())
      return rewriter.notifyMatchFailure(op, "result shape differs from the numpy shape");

    a = reshapeTo(rewriter, loc, a, RankedTensorType::get(aShape, elt));
    b = reshapeTo(rewriter, loc, b, RankedTensorType::get(bShape, elt));
    Type acc = accumulatorType(elt);
    Value zero = scalarConstant(rewriter, loc, acc, 0);
    Value result;
    if (bBatch.empty()) {
      // [batch..., M, K] x [K, N]: fold the batch into M.
      int64_t rows = product(aBatch) * m;
      a = reshapeTo(rewriter, loc, a, RankedTensorType::get({rows, k}, elt));
      Value init = filledTensor(rewriter, loc, {rows, n}, acc, zero);
      result = linalg::MatmulOp::create(rewriter, loc, TypeRange{init.getType()}, ValueRange{a, b},
                                        ValueRange{init})
                   .getResult(0);
    } else {
      SmallVector<int64_t> aFull(batch), bFull(batch);
      aFull.append({m, k});
      bFull.append({k, n});
      a = broadcastTo(rewriter, loc, a, aFull);
      b = broadcastTo(rewriter, loc, b, bFull);
      int64_t batchSize = product(batch);
      a = reshapeTo(rewriter, loc, a, RankedTensorType::get({batchSize, m, k}, elt));
      b = reshapeTo(rewriter, loc, b, RankedTensorType::get({batchSize, k, n}, elt));
      Value init = filledTensor(rewriter, loc, {batchSize, m, n}, acc, zero);
      result = linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{init.getType()},
                                             ValueRange{a, b}, ValueRange{init})
                   .getResult(0);
    }
    result = convertTensor(rewriter, loc, result, elt);
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, result, resultType));
    return success();
  }
};

struct GemmPattern : OpRewritePattern<GemmOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GemmOp op, PatternRewriter &rewriter) const override {
    auto aType = staticTensor(op.getA()), bType = staticTensor(op.getB());
    auto resultType = staticTensor(op.getY());
    if (!aType || !bType || !resultType || aType.getRank() != 2 || bType.getRank() != 2)
      return rewriter.notifyMatchFailure(op, "needs static 2-D operands");
    Type elt = resultType.getElementType();
    if ((!isFloat(elt) && !isSignlessInt(elt)) || aType.getElementType() != elt ||
        bType.getElementType() != elt)
      return rewriter.notifyMatchFailure(op, "needs one float or signless integer type");
    float alpha = op.getAlpha().convertToFloat(), beta = op.getBeta().convertToFloat();
    Value c = op.getC();
    bool useC = !isNone(c) && beta != 0.0f;
    RankedTensorType cType;
    if (useC) {
      cType = staticTensor(c);
      if (!cType || cType.getElementType() != elt ||
          !broadcastsTo(cType.getShape(), resultType.getShape()))
        return rewriter.notifyMatchFailure(op, "C must be static and broadcast to the result");
    }
    if (!isFloat(elt) && (alpha != 1.0f || (useC && beta != 1.0f)))
      return rewriter.notifyMatchFailure(op, "integer Gemm needs alpha = beta = 1");
    int64_t m = aType.getDimSize(op.getTransA() ? 1 : 0);
    int64_t k = aType.getDimSize(op.getTransA() ? 0 : 1);
    int64_t n = bType.getDimSize(op.getTransB() ? 0 : 1);
    if (bType.getDimSize(op.getTransB() ? 1 : 0) != k ||
        resultType.getShape() != ArrayRef<int64_t>{m, n})
      return rewriter.notifyMatchFailure(op, "shapes do not match Gemm's");

    Location loc = op.getLoc();
    auto transpose = [&](Value v) -> Value {
      // Constant weights (a classifier's, usually) are transposed once, here.
      if (DenseElementsAttr values = constantAsDense(v))
        if (DenseElementsAttr t = transposedConstant(values))
          return arith::ConstantOp::create(rewriter, loc, t.getType(), t);
      auto t = cast<RankedTensorType>(v.getType());
      Value init = tensor::EmptyOp::create(rewriter, loc, {t.getDimSize(1), t.getDimSize(0)}, elt);
      return linalg::TransposeOp::create(rewriter, loc, v, init, ArrayRef<int64_t>{1, 0})
          .getResult()[0];
    };
    Value a = op.getTransA() ? transpose(op.getA()) : op.getA();
    Value b = op.getTransB() ? transpose(op.getB()) : op.getB();
    SmallVector<AffineMap> maps;
    SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
    AffineMap id = rewriter.getMultiDimIdentityMap(2);
    auto cMap = [&]() {
      SmallVector<AffineExpr> exprs;
      int64_t offset = 2 - cType.getRank();
      for (int64_t d = 0; d < cType.getRank(); ++d)
        exprs.push_back(cType.getDimSize(d) == resultType.getDimSize(d + offset)
                            ? rewriter.getAffineDimExpr(d + offset)
                            : rewriter.getAffineConstantExpr(0));
      return AffineMap::get(2, 0, exprs, rewriter.getContext());
    };

    Type acc = accumulatorType(elt);
    auto accType = resultType.clone(acc);
    Value init;
    if (alpha == 1.0f && useC) {
      // The accumulator starts at beta * C.
      Value empty = tensor::EmptyOp::create(rewriter, loc, {m, n}, acc);
      init = linalg::GenericOp::create(
                 rewriter, loc, TypeRange{accType}, ValueRange{c}, ValueRange{empty},
                 SmallVector<AffineMap>{cMap(), id}, iterators,
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   Value v = isFloat(acc) ? convertFloat(nb, nl, args[0], acc) : args[0];
                   if (beta != 1.0f)
                     v = mul(nb, nl, v, scalarConstant(nb, nl, acc, beta));
                   linalg::YieldOp::create(nb, nl, v);
                 })
                 .getResult(0);
    } else {
      init = filledTensor(rewriter, loc, {m, n}, acc, scalarConstant(rewriter, loc, acc, 0));
    }
    Value result = linalg::MatmulOp::create(rewriter, loc, TypeRange{accType}, ValueRange{a, b},
                                            ValueRange{init})
                       .getResult(0);
    if (alpha == 1.0f) {
      rewriter.replaceOp(op, isFloat(elt) ? convertTensor(rewriter, loc, result, elt) : result);
      return success();
    }
    // alpha * AB (+ beta * C), rounded to the result type.
    SmallVector<Value> inputs = {result};
    SmallVector<AffineMap> epilogueMaps = {id};
    if (useC) {
      inputs.push_back(c);
      epilogueMaps.push_back(cMap());
    }
    epilogueMaps.push_back(id);
    Value empty = tensor::EmptyOp::create(rewriter, loc, {m, n}, elt);
    result =
        linalg::GenericOp::create(rewriter, loc, TypeRange{resultType}, inputs, ValueRange{empty},
                                  epilogueMaps, iterators,
                                  [&](OpBuilder &nb, Location nl, ValueRange args) {
                                    Value v =
                                        mul(nb, nl, args[0], scalarConstant(nb, nl, acc, alpha));
                                    if (useC) {
                                      Value cv = convertFloat(nb, nl, args[1], acc);
                                      if (beta != 1.0f)
                                        cv = mul(nb, nl, cv, scalarConstant(nb, nl, acc, beta));
                                      v = add(nb, nl, v, cv);
                                    }
                                    linalg::YieldOp::create(nb, nl, convertFloat(nb, nl, v, elt));
                                  })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

enum class PoolKind { Max, Sum };

// Pools an already padded x: [N, C, padded...] into init: [N, C, out...].
Value emitPool(OpBuilder &b, Location loc, PoolKind kind, Value x, Value init,
               ArrayRef<Window> windows) {
  int64_t spatial = windows.size();
  Type elt = cast<RankedTensorType>(x.getType()).getElementType();
  SmallVector<int64_t> kernel =
      llvm::to_vector(llvm::map_range(windows, [](const Window &w) { return w.kernel; }));
  Value window = tensor::EmptyOp::create(b, loc, kernel, elt);
  SmallVector<int64_t> strides = windowStrides(windows), dilations = windowDilations(windows);
  Type initType = init.getType();
  auto named = [&](auto tag) -> Value {
    using OpTy = decltype(tag);
    return OpTy::create(b, loc, TypeRange{initType}, ValueRange{x, window}, ValueRange{init},
                        b.getI64TensorAttr(strides), b.getI64TensorAttr(dilations))
        .getResult(0);
  };
  if (spatial == 2)
    return kind == PoolKind::Max ? named(linalg::PoolingNchwMaxOp())
                                 : named(linalg::PoolingNchwSumOp());
  if (spatial == 1)
    return kind == PoolKind::Max ? named(linalg::PoolingNcwMaxOp())
                                 : named(linalg::PoolingNcwSumOp());

  // N-D: n, c, o... (parallel), k... (reduction); the window tensor only
  // carries the kernel extent, as in the named ops.
  int64_t loops = 2 + 2 * spatial;
  SmallVector<AffineExpr> xExprs = {b.getAffineDimExpr(0), b.getAffineDimExpr(1)};
  SmallVector<AffineExpr> kExprs, outExprs = {b.getAffineDimExpr(0), b.getAffineDimExpr(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = b.getAffineDimExpr(2 + i), k = b.getAffineDimExpr(2 + spatial + i);
    xExprs.push_back(o * strides[i] + k * dilations[i]);
    kExprs.push_back(k);
    outExprs.push_back(o);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, xExprs, b.getContext()),
                                 AffineMap::get(loops, 0, kExprs, b.getContext()),
                                 AffineMap::get(loops, 0, outExprs, b.getContext())};
  SmallVector<utils::IteratorType> iterators(2 + spatial, utils::IteratorType::parallel);
  iterators.append(spatial, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{initType}, ValueRange{x, window}, ValueRange{init}, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value v =
                   kind == PoolKind::Max
                       ? maximum(nb, nl, args[2], args[0])
                       : add(nb, nl, args[2], convertFloat(nb, nl, args[0], args[2].getType()));
               linalg::YieldOp::create(nb, nl, v);
             })
      .getResult(0);
}

template <typename PoolOp>
FailureOr<SmallVector<Window>> poolWindows(PoolOp op, RankedTensorType xType,
                                           RankedTensorType resultType) {
  if (xType.getRank() < 3)
    return failure();
  auto windows =
      computeWindows(xType.getShape().drop_front(2), op.getKernelShape(), op.getStrides(),
                     op.getDilations(), op.getPads(), op.getAutoPad(), op.getCeilMode() != 0);
  if (failed(windows))
    return failure();
  SmallVector<int64_t> shape(xType.getShape().take_front(2));
  llvm::append_range(shape, windowOut(*windows));
  if (ArrayRef<int64_t>(shape) != resultType.getShape())
    return failure();
  return windows;
}

// MaxPool with its Indices result: one generic over (n, c, out..., k...)
// with two outputs, the value and the flat input index of the first maximum
// among the window taps on the input (row-major, or column-major spatial
// dims with storage_order = 1), as ONNX's reference picks it.
std::pair<Value, Value> maxPoolWithIndices(OpBuilder &b, Location loc, Value x,
                                           RankedTensorType xType, RankedTensorType resultType,
                                           ArrayRef<Window> windows, bool columnMajor) {
  Type elt = resultType.getElementType();
  Type i64 = b.getI64Type();
  int64_t spatial = windows.size();
  MLIRContext *ctx = b.getContext();
  Value lowest = lowestConstant(b, loc, elt);
  Value padded = padSpatial(b, loc, x, windows, lowest);
  SmallVector<int64_t> kernel =
      llvm::to_vector(llvm::map_range(windows, [](const Window &w) { return w.kernel; }));
  Value window = tensor::EmptyOp::create(b, loc, kernel, elt);
  Value values = filledTensor(b, loc, resultType.getShape(), elt, lowest);
  Value indices = filledTensor(b, loc, resultType.getShape(), i64,
                               arith::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(-1)));
  int64_t loops = 2 + 2 * spatial;
  SmallVector<AffineExpr> xExprs = {b.getAffineDimExpr(0), b.getAffineDimExpr(1)};
  SmallVector<AffineExpr> kExprs, outExprs = {b.getAffineDimExpr(0), b.getAffineDimExpr(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = b.getAffineDimExpr(2 + i), k = b.getAffineDimExpr(2 + spatial + i);
    xExprs.push_back(o * windows[i].stride + k * windows[i].dilation);
    kExprs.push_back(k);
    outExprs.push_back(o);
  }
  AffineMap outMap = AffineMap::get(loops, 0, outExprs, ctx);
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, xExprs, ctx),
                                 AffineMap::get(loops, 0, kExprs, ctx), outMap, outMap};
  SmallVector<utils::IteratorType> iterators(2 + spatial, utils::IteratorType::parallel);
  iterators.append(spatial, utils::IteratorType::reduction);
  int64_t channels = xType.getDimSize(1);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{values.getType(), indices.getType()}, ValueRange{padded, window},
      ValueRange{values, indices}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value v = args[0], best = args[2], bestIdx = args[3];
        auto cst = [&](int64_t c) -> Value {
          return arith::ConstantOp::create(nb, nl, i64, nb.getI64IntegerAttr(c));
        };
        auto loopIndex = [&](int64_t d) -> Value {
          return arith::IndexCastOp::create(nb, nl, i64, linalg::IndexOp::create(nb, nl, d));
        };
        // Input coordinates of this tap, whether it is on the input, and the
        // flat index.
        Value valid = arith::ConstantOp::create(nb, nl, nb.getI1Type(), nb.getBoolAttr(true));
        Value flat = arith::AddIOp::create(
            nb, nl, arith::MulIOp::create(nb, nl, loopIndex(0), cst(channels)), loopIndex(1));
        SmallVector<Value> coords;
        for (int64_t i = 0; i < spatial; ++i) {
          const Window &w = windows[i];
          Value p = arith::AddIOp::create(
              nb, nl, arith::MulIOp::create(nb, nl, loopIndex(2 + i), cst(w.stride)),
              arith::MulIOp::create(nb, nl, loopIndex(2 + spatial + i), cst(w.dilation)));
          p = arith::SubIOp::create(nb, nl, p, cst(w.padBegin));
          Value inside = arith::AndIOp::create(
              nb, nl, arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, p, cst(0)),
              arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, p, cst(w.in)));
          valid = arith::AndIOp::create(nb, nl, valid, inside);
          coords.push_back(p);
        }
        Value spatialIndex = cst(0);
        for (int64_t j = 0; j < spatial; ++j) {
          int64_t i = columnMajor ? spatial - 1 - j : j;
          spatialIndex = arith::AddIOp::create(
              nb, nl, arith::MulIOp::create(nb, nl, spatialIndex, cst(windows[i].in)), coords[i]);
        }
        int64_t spatialSize = 1;
        for (const Window &w : windows)
          spatialSize *= w.in;
        flat = arith::AddIOp::create(nb, nl, arith::MulIOp::create(nb, nl, flat, cst(spatialSize)),
                                     spatialIndex);
        Value greater =
            isFloat(elt)
                ? arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT, v, best).getResult()
                : arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sgt, v, best).getResult();
        Value unset = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, bestIdx, cst(0));
        Value take =
            arith::AndIOp::create(nb, nl, valid, arith::OrIOp::create(nb, nl, greater, unset));
        linalg::YieldOp::create(nb, nl,
                                ValueRange{arith::SelectOp::create(nb, nl, take, v, best),
                                           arith::SelectOp::create(nb, nl, take, flat, bestIdx)});
      });
  return {generic.getResult(0), generic.getResult(1)};
}

// x XOR the sign bit, elementwise, as a tensor of element type `to` (of
// x's width, signless or unsigned): maps unsigned order to signed order and
// back.
Value flipSignBit(OpBuilder &b, Location loc, Value x, Type to) {
  auto type = cast<RankedTensorType>(x.getType());
  Type bits = signlessOf(to);
  unsigned width = bits.getIntOrFloatBitWidth();
  Value bit = arith::ConstantOp::create(b, loc, bits,
                                        b.getIntegerAttr(bits, APInt::getSignMask(width)));
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  return linalg::GenericOp::create(
             b, loc, TypeRange{type.clone(to)}, ValueRange{x},
             ValueRange{emptyOf(b, loc, type.clone(to))}, maps,
             SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value v = reinterpretInt(nb, nl, args[0], bits);
               v = arith::XOrIOp::create(nb, nl, v, bit);
               linalg::YieldOp::create(nb, nl, reinterpretInt(nb, nl, v, to));
             })
      .getResult(0);
}

struct MaxPoolPattern : OpRewritePattern<MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MaxPoolOp op, PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getX());
    auto resultType = staticTensor(op.getY());
    if (!xType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Type elt = resultType.getElementType();
    // Unsigned values (uint8 activations) only without Indices.
    bool isUnsigned = elt.isUnsignedInteger() && op.getIndices().use_empty();
    if ((!isFloat(elt) && !isSignlessInt(elt) && !isUnsigned) || xType.getElementType() != elt)
      return rewriter.notifyMatchFailure(op, "needs a float or integer type");
    bool withIndices = !op.getIndices().use_empty() && !isNone(op.getIndices());
    if (withIndices) {
      auto indicesType = staticTensor(op.getIndices());
      if (!indicesType || !indicesType.getElementType().isInteger(64) ||
          indicesType.getShape() != resultType.getShape())
        return rewriter.notifyMatchFailure(op, "Indices must be static i64 of Y's shape");
      if (op.getStorageOrder() != 0 && op.getStorageOrder() != 1)
        return rewriter.notifyMatchFailure(op, "storage_order must be 0 or 1");
    }
    auto windows = poolWindows(op, xType, resultType);
    if (failed(windows))
      return rewriter.notifyMatchFailure(op, "unsupported window attributes or result shape");
    Location loc = op.getLoc();
    if (withIndices) {
      auto [values, indices] = maxPoolWithIndices(rewriter, loc, op.getX(), xType, resultType,
                                                  *windows, op.getStorageOrder() == 1);
      rewriter.replaceAllUsesWith(op.getY(), values);
      rewriter.replaceAllUsesWith(op.getIndices(), indices);
      rewriter.eraseOp(op);
      return success();
    }
    Value x = op.getX();
    Type poolElt = elt;
    if (isUnsigned) {
      // Unsigned values flipped at the top bit order as signed ones do: pool
      // those, then flip back.
      poolElt = signlessOf(elt);
      x = flipSignBit(rewriter, loc, x, poolElt);
    }
    Value lowest = lowestConstant(rewriter, loc, poolElt);
    x = padSpatial(rewriter, loc, x, *windows, lowest);
    Value init = filledTensor(rewriter, loc, resultType.getShape(), poolElt, lowest);
    Value result = emitPool(rewriter, loc, PoolKind::Max, x, init, *windows);
    if (isUnsigned)
      result = flipSignBit(rewriter, loc, result, elt);
    // Indices has no users: only Y is replaced.
    rewriter.replaceAllUsesWith(op.getY(), result);
    rewriter.eraseOp(op);
    return success();
  }
};

// Number of window taps of output position `o` that ONNX counts: the taps on
// the input, plus those on the explicit pads when count_include_pad is set
// (never those on the extra tail that ceil_mode reads).
int64_t windowCount(const Window &w, int64_t o, bool countPads) {
  int64_t lo = countPads ? -w.padBegin : 0, hi = countPads ? w.in + w.padEnd : w.in;
  int64_t count = 0;
  for (int64_t t = 0; t < w.kernel; ++t) {
    int64_t p = o * w.stride - w.padBegin + t * w.dilation;
    count += p >= lo && p < hi;
  }
  return count;
}

struct AveragePoolPattern : OpRewritePattern<AveragePoolOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AveragePoolOp op, PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getX());
    auto resultType = staticTensor(op.getY());
    if (!xType || !resultType)
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Type elt = resultType.getElementType();
    if (!isFloat(elt) || xType.getElementType() != elt)
      return rewriter.notifyMatchFailure(op, "needs a float type");
    auto windows = poolWindows(op, xType, resultType);
    if (failed(windows))
      return rewriter.notifyMatchFailure(op, "unsupported window attributes or result shape");
    bool countPads = op.getCountIncludePad() != 0;
    // The divisor per output position is a product over spatial dims.
    SmallVector<SmallVector<int64_t>> counts;
    bool uniform = true;
    for (const Window &w : *windows) {
      SmallVector<int64_t> c;
      for (int64_t o = 0; o < w.out; ++o) {
        c.push_back(windowCount(w, o, countPads));
        if (c.back() == 0)
          return rewriter.notifyMatchFailure(op, "a window covers no element");
        uniform &= c.back() == c.front();
      }
      counts.push_back(std::move(c));
    }

    Location loc = op.getLoc();
    Value zero = scalarConstant(rewriter, loc, elt, 0);
    Value x = padSpatial(rewriter, loc, op.getX(), *windows, zero);
    Type acc = accumulatorType(elt);
    Value init = filledTensor(rewriter, loc, resultType.getShape(), acc,
                              scalarConstant(rewriter, loc, acc, 0));
    Value sum = emitPool(rewriter, loc, PoolKind::Sum, x, init, *windows);

    int64_t rank = resultType.getRank(), spatial = rank - 2;
    SmallVector<Value> inputs = {sum};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    if (!uniform) {
      // Divisors as a constant [out...] tensor.
      SmallVector<int64_t> outShape = windowOut(*windows);
      SmallVector<Attribute> values;
      SmallVector<int64_t> index(spatial, 0);
      for (int64_t flat = 0, total = product(outShape); flat < total; ++flat) {
        int64_t rest = flat, count = 1;
        for (int64_t i = spatial - 1; i >= 0; --i) {
          count *= counts[i][rest % outShape[i]];
          rest /= outShape[i];
        }
        values.push_back(rewriter.getFloatAttr(acc, static_cast<double>(count)));
      }
      auto divType = RankedTensorType::get(outShape, acc);
      inputs.push_back(arith::ConstantOp::create(rewriter, loc, divType,
                                                 DenseElementsAttr::get(divType, values)));
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < spatial; ++i)
        exprs.push_back(rewriter.getAffineDimExpr(2 + i));
      maps.push_back(AffineMap::get(rank, 0, exprs, rewriter.getContext()));
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    double divisor = 1;
    for (auto &c : counts)
      divisor *= c.front();
    Value empty = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(), elt);
    Value result = linalg::GenericOp::create(
                       rewriter, loc, TypeRange{resultType}, inputs, ValueRange{empty}, maps,
                       SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
                       [&](OpBuilder &nb, Location nl, ValueRange args) {
                         Value d = uniform ? scalarConstant(nb, nl, acc, divisor) : args[1];
                         Value avg = arith::DivFOp::create(nb, nl, args[0], d);
                         linalg::YieldOp::create(nb, nl, convertFloat(nb, nl, avg, elt));
                       })
                       .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

// GlobalAveragePool / GlobalMaxPool: reduce all spatial dims into [N, C],
// then write [N, C, 1, ...] (dividing by the spatial size for the average).
template <typename GlobalOp, bool IsMax> struct GlobalPoolPattern : OpRewritePattern<GlobalOp> {
  using OpRewritePattern<GlobalOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(GlobalOp op, PatternRewriter &rewriter) const override {
    auto xType = staticTensor(op.getX());
    auto resultType = staticTensor(op.getY());
    if (!xType || !resultType || xType.getRank() < 3 || resultType.getRank() != xType.getRank())
      return rewriter.notifyMatchFailure(op, "needs static shapes of rank >= 3");
    Type elt = resultType.getElementType();
    if (!isFloat(elt) || xType.getElementType() != elt)
      return rewriter.notifyMatchFailure(op, "needs a float type");
    int64_t rank = xType.getRank();
    Location loc = op.getLoc();
    int64_t batch = xType.getDimSize(0), channels = xType.getDimSize(1);
    // The average sums in f32 for narrow floats; max keeps the type.
    Type accElt = IsMax ? elt : accumulatorType(elt);
    Value initValue =
        IsMax ? lowestConstant(rewriter, loc, elt) : scalarConstant(rewriter, loc, accElt, 0);
    Value acc = filledTensor(rewriter, loc, {batch, channels}, accElt, initValue);
    SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
    iterators.append(rank - 2, utils::IteratorType::reduction);
    SmallVector<AffineMap> maps = {
        rewriter.getMultiDimIdentityMap(rank),
        AffineMap::get(rank, 0, {rewriter.getAffineDimExpr(0), rewriter.getAffineDimExpr(1)},
                       rewriter.getContext())};
    Value reduced = linalg::GenericOp::create(
                        rewriter, loc, TypeRange{acc.getType()}, ValueRange{op.getX()},
                        ValueRange{acc}, maps, iterators,
                        [](OpBuilder &nb, Location nl, ValueRange args) {
                          Value v = IsMax ? maximum(nb, nl, args[1], args[0])
                                          : add(nb, nl, args[1],
                                                convertFloat(nb, nl, args[0], args[1].getType()));
                          linalg::YieldOp::create(nb, nl, v);
                        })
                        .getResult(0);
    if (IsMax) {
      rewriter.replaceOp(op, reshapeTo(rewriter, loc, reduced, resultType));
      return success();
    }
    double count = static_cast<double>(product(xType.getShape().drop_front(2)));
    Value empty = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(), elt);
    SmallVector<AffineMap> divMaps = {
        AffineMap::get(rank, 0, {rewriter.getAffineDimExpr(0), rewriter.getAffineDimExpr(1)},
                       rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{reduced}, ValueRange{empty}, divMaps,
            SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange args) {
              Value d = scalarConstant(nb, nl, accElt, count);
              Value avg = arith::DivFOp::create(nb, nl, args[0], d);
              linalg::YieldOp::create(nb, nl, convertFloat(nb, nl, avg, elt));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateContractionToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ConvPattern, ConvTransposePattern, MatMulPattern, GemmPattern, MaxPoolPattern,
               AveragePoolPattern>(ctx);
  patterns
      .add<GlobalPoolPattern<GlobalAveragePoolOp, false>, GlobalPoolPattern<GlobalMaxPoolOp, true>>(
          ctx);
}

} // namespace qc

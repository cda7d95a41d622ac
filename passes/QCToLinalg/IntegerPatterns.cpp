//===- IntegerPatterns.cpp - qc integer kernels to linalg -----------------===//
//
// The integer ops: ConvInteger, MatMulInteger, QLinearConv, QLinearMatMul
// (ONNX) and qc.requantize (the compiler's own, from qc-fold-qdq).
//
// * Products accumulate in i32 over the raw i8/u8 values; zero points are
//   not subtracted element by element but through the row/column-sum
//   expansion. For a matmul with K-long rows:
//     sum_k (a - za)(b - zb) = sum_k a*b - za * colsum(b) - zb * rowsum(a)
//                              + K * za * zb
//   and the same for a convolution, where the "row" sum is the sum of each
//   input window and the "column" sum that of each filter. Terms whose zero
//   point is a constant 0 are not built. The input is padded with its zero
//   point, so padded positions contribute nothing once expanded.
// * QLinearConv and QLinearMatMul rescale as ONNX defines it, in f32:
//   saturate(round_half_to_even(acc * (s_x * s_w / s_y)) + z_y), with
//   run-time scales allowed.
// * qc.requantize rescales in exact 64-bit integer arithmetic with the
//   fixed-point multipliers it carries.
//
//===----------------------------------------------------------------------===//
#include "passes/QCToLinalg/LoweringUtils.h"
#include "passes/QCToLinalg/Patterns.h"
#include "passes/QCToLinalg/Windows.h"

#include "QC/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

#include <numeric>

using namespace mlir;

namespace qc {
namespace {

int64_t product(ArrayRef<int64_t> dims) {
  return std::accumulate(dims.begin(), dims.end(), int64_t(1), std::multiplies<int64_t>());
}

bool isInt8Storage(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.getWidth() == 8;
}

// An integer scalar of tensor element type `storage` (i8, ui8, i32, ...)
// widened to `to`, sign- or zero-extended as the storage type says.
Value extendInt(OpBuilder &b, Location loc, Value v, Type storage, Type to) {
  Value signless = reinterpretInt(b, loc, v, signlessOf(storage));
  if (signless.getType() == to)
    return signless;
  if (isUnsignedInt(storage))
    return arith::ExtUIOp::create(b, loc, to, signless);
  return arith::ExtSIOp::create(b, loc, to, signless);
}

// True for an absent operand or a constant whose elements are all 0.
bool isKnownZero(Value v) {
  if (isNone(v))
    return true;
  DenseElementsAttr values = constantAsDense(v);
  if (!values || !isa<IntegerType>(values.getElementType()))
    return false;
  return llvm::all_of(values.getValues<APInt>(), [](const APInt &x) { return x.isZero(); });
}

// How a scale or zero point is read inside a generic of `numLoops` loops:
// one value, or one per index of loop `dim` (a 1-D tensor of `size`).
FailureOr<AffineMap> paramMap(Value param, int64_t numLoops, int64_t dim, int64_t size,
                              MLIRContext *ctx) {
  auto type = staticTensor(param);
  if (!type)
    return failure();
  if (type.getNumElements() == 1)
    return AffineMap::get(
        numLoops, 0, SmallVector<AffineExpr>(type.getRank(), getAffineConstantExpr(0, ctx)), ctx);
  if (dim >= 0 && type.getRank() == 1 && type.getDimSize(0) == size)
    return AffineMap::get(numLoops, 0, getAffineDimExpr(dim, ctx), ctx);
  return failure();
}

// A zero-point operand as generics should read it: a constant becomes an
// i32 constant of the same shape (an unsigned constant would otherwise be
// folded into a body as an unsigned arith.constant, which arith rejects);
// `elt` receives the element type to extend from.
Value zeroPointOperand(OpBuilder &b, Location loc, Value zeroPoint, Type &elt) {
  elt = getElementTypeOrSelf(zeroPoint.getType());
  DenseElementsAttr values = constantAsDense(zeroPoint);
  auto intType = values ? dyn_cast<IntegerType>(values.getElementType()) : IntegerType();
  if (!intType || intType.getWidth() > 32)
    return zeroPoint;
  SmallVector<int32_t> ints;
  for (const APInt &v : values.getValues<APInt>())
    ints.push_back(intType.isUnsigned() ? static_cast<int32_t>(v.getZExtValue())
                                        : static_cast<int32_t>(v.getSExtValue()));
  elt = b.getI32Type();
  auto type = RankedTensorType::get(values.getType().getShape(), elt);
  return arith::ConstantOp::create(b, loc, type,
                                   DenseElementsAttr::get(type, ArrayRef<int32_t>(ints)));
}

// A tensor of unsigned integers as a signless tensor of the same bits (a
// copy: tensor.bitcast does not bufferize).
Value asSignless(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  Type elt = type.getElementType();
  if (!isUnsignedInt(elt))
    return v;
  auto signless = type.clone(signlessOf(elt));
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  return linalg::GenericOp::create(
             b, loc, TypeRange{signless}, ValueRange{v}, ValueRange{emptyOf(b, loc, signless)},
             maps, SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               linalg::YieldOp::create(nb, nl, reinterpretInt(nb, nl, args[0], signlessOf(elt)));
             })
      .getResult(0);
}

// The single value of a one-element tensor as a scalar.
Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> zeros(type.getRank(), arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

// A generic reducing `inputs` into a zero-filled i32 tensor of `outShape`;
// `body` gets the block arguments and returns the value to add.
Value sumGeneric(OpBuilder &b, Location loc, ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                 AffineMap outMap, ArrayRef<int64_t> outShape,
                 ArrayRef<utils::IteratorType> iterators,
                 function_ref<Value(OpBuilder &, Location, ValueRange)> term) {
  Type i32 = b.getI32Type();
  Value init = filledTensor(b, loc, outShape, i32, scalarConstant(b, loc, i32, 0));
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outMap);
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps, iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value v = term(nb, nl, args.drop_back());
               linalg::YieldOp::create(nb, nl,
                                       arith::AddIOp::create(nb, nl, args.back(), v).getResult());
             })
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// Integer convolution
//===----------------------------------------------------------------------===//

// sum over (c, k) of (x - zx)(w - zw) as i32 [N, M, out...] for an integer
// conv with ONNX attributes; x: [N, C, in...], w: [M, C/G, k...], zero
// points scalar (w's also per output channel) or none.
template <typename ConvLikeOp>
FailureOr<Value> integerConv(ConvLikeOp op, Value x, Value w, Value xZeroPoint, Value wZeroPoint,
                             PatternRewriter &rewriter) {
  auto xType = staticTensor(x), wType = staticTensor(w);
  if (!xType || !wType || !isInt8Storage(xType.getElementType()) ||
      !isInt8Storage(wType.getElementType()))
    return rewriter.notifyMatchFailure(op, "needs static 8-bit integer operands");
  int64_t rank = xType.getRank(), group = op.getGroup();
  int64_t spatial = rank - 2;
  if (rank < 3 || wType.getRank() != rank || group < 1 ||
      xType.getDimSize(1) != wType.getDimSize(1) * group || wType.getDimSize(0) % group)
    return rewriter.notifyMatchFailure(op, "inconsistent channels");
  auto windows = computeWindows(xType.getShape().drop_front(2), wType.getShape().drop_front(2),
                                op.getStrides(), op.getDilations(), op.getPads(), op.getAutoPad(),
                                /*ceilMode=*/false);
  if (failed(windows))
    return rewriter.notifyMatchFailure(op, "unsupported window attributes");
  int64_t batch = xType.getDimSize(0), outChannels = wType.getDimSize(0);
  int64_t cPerGroup = wType.getDimSize(1), mPerGroup = outChannels / group;
  MLIRContext *ctx = rewriter.getContext();
  Location loc = op.getLoc();
  Type i32 = rewriter.getI32Type();
  Type xElt = xType.getElementType(), wElt = wType.getElementType();

  bool hasXZero = !isKnownZero(xZeroPoint), hasWZero = !isKnownZero(wZeroPoint);
  int64_t convLoops = 2 + 2 * spatial + 1;
  FailureOr<AffineMap> xZeroMap, wZeroMap;
  if (hasXZero && failed(xZeroMap = paramMap(xZeroPoint, 2 + spatial, -1, 0, ctx)))
    return rewriter.notifyMatchFailure(op, "x zero point must be a scalar");
  if (hasWZero && failed(wZeroMap = paramMap(wZeroPoint, 2 + spatial, 1, outChannels, ctx)))
    return rewriter.notifyMatchFailure(op, "w zero point must be a scalar or one per filter");

  // Padding with the zero point makes padded positions (x - zx) = 0. The
  // padded tensor is signless; extensions still follow xElt.
  Type xZeroElt, wZeroElt;
  if (hasXZero)
    xZeroPoint = zeroPointOperand(rewriter, loc, xZeroPoint, xZeroElt);
  if (hasWZero)
    wZeroPoint = zeroPointOperand(rewriter, loc, wZeroPoint, wZeroElt);
  Type xBits = signlessOf(xElt);
  Value padValue = scalarConstant(rewriter, loc, xBits, 0);
  if (hasXZero) {
    padValue = extractScalar(rewriter, loc, xZeroPoint);
    padValue = xZeroElt == xBits
                   ? padValue
                   : (isa<IntegerType>(xZeroElt) && xZeroElt.getIntOrFloatBitWidth() == 32
                          ? arith::TruncIOp::create(rewriter, loc, xBits, padValue).getResult()
                          : reinterpretInt(rewriter, loc, padValue, xBits));
  }
  Value xPadded = padSpatial(rewriter, loc, asSignless(rewriter, loc, x), *windows, padValue);

  SmallVector<int64_t> outShape = {batch, outChannels};
  llvm::append_range(outShape, windowOut(*windows));
  SmallVector<int64_t> strides = windowStrides(*windows), dilations = windowDilations(*windows);

  // Loops n, m, o..., c, k...: x[n, (m / mPerGroup) * cPerGroup + c, o*s + k*d].
  auto dim = [&](int64_t i) { return rewriter.getAffineDimExpr(i); };
  AffineExpr n = dim(0), m = dim(1), c = dim(2 + spatial);
  // One group reads channel c itself: a floordiv the affine simplifier
  // cannot drop would otherwise sit in the innermost index computation.
  AffineExpr group0 = group == 1 ? rewriter.getAffineConstantExpr(0) : m.floorDiv(mPerGroup);
  SmallVector<AffineExpr> xExprs = {n, group0 * cPerGroup + c};
  SmallVector<AffineExpr> wExprs = {m, c}, outExprs = {n, m};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = dim(2 + i), k = dim(3 + spatial + i);
    xExprs.push_back(o * strides[i] + k * dilations[i]);
    wExprs.push_back(k);
    outExprs.push_back(o);
  }
  SmallVector<utils::IteratorType> iterators(2 + spatial, utils::IteratorType::parallel);
  iterators.append(1 + spatial, utils::IteratorType::reduction);
  Value acc = sumGeneric(
      rewriter, loc, {xPadded, w},
      {AffineMap::get(convLoops, 0, xExprs, ctx), AffineMap::get(convLoops, 0, wExprs, ctx)},
      AffineMap::get(convLoops, 0, outExprs, ctx), outShape, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        return arith::MulIOp::create(b, l, extendInt(b, l, args[0], xElt, i32),
                                     extendInt(b, l, args[1], wElt, i32));
      });
  if (!hasXZero && !hasWZero)
    return acc;

  // Correction terms, applied in one elementwise generic over [N, M, out...].
  int64_t outRank = 2 + spatial;
  int64_t kernelSize = cPerGroup * product(wType.getShape().drop_front(2));
  SmallVector<Value> inputs = {acc};
  SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(outRank)};
  if (hasXZero) {
    // Filter sums [M].
    int64_t wLoops = wType.getRank();
    SmallVector<utils::IteratorType> wIterators(1, utils::IteratorType::parallel);
    wIterators.append(wLoops - 1, utils::IteratorType::reduction);
    Value filterSums = sumGeneric(rewriter, loc, {w}, {rewriter.getMultiDimIdentityMap(wLoops)},
                                  AffineMap::get(wLoops, 0, dim(0), ctx), {outChannels}, wIterators,
                                  [&](OpBuilder &b, Location l, ValueRange args) {
                                    return extendInt(b, l, args[0], wElt, i32);
                                  });
    inputs.append({filterSums, xZeroPoint});
    maps.append({AffineMap::get(outRank, 0, dim(1), ctx), *xZeroMap});
  }
  if (hasWZero) {
    // Window sums [N, G, out...] over each group's channels.
    SmallVector<AffineExpr> sumX = {n, m * cPerGroup + c}, sumOut = {n, m};
    for (int64_t i = 0; i < spatial; ++i) {
      sumX.push_back(dim(2 + i) * strides[i] + dim(3 + spatial + i) * dilations[i]);
      sumOut.push_back(dim(2 + i));
    }
    SmallVector<int64_t> sumShape = {batch, group};
    llvm::append_range(sumShape, windowOut(*windows));
    // The filter is read only to give the c and k loops their extents.
    SmallVector<AffineExpr> extentExprs = {m * mPerGroup, c};
    for (int64_t i = 0; i < spatial; ++i)
      extentExprs.push_back(dim(3 + spatial + i));
    Value windowSums = sumGeneric(
        rewriter, loc, {xPadded, w},
        {AffineMap::get(convLoops, 0, sumX, ctx), AffineMap::get(convLoops, 0, extentExprs, ctx)},
        AffineMap::get(convLoops, 0, sumOut, ctx), sumShape, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          return extendInt(b, l, args[0], xElt, i32);
        });
    SmallVector<AffineExpr> readSums = {n, group0};
    for (int64_t i = 0; i < spatial; ++i)
      readSums.push_back(dim(2 + i));
    inputs.append({windowSums, wZeroPoint});
    maps.append({AffineMap::get(outRank, 0, readSums, ctx), *wZeroMap});
  }
  maps.push_back(rewriter.getMultiDimIdentityMap(outRank));
  Value empty = tensor::EmptyOp::create(rewriter, loc, outShape, i32);
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{empty.getType()}, inputs, ValueRange{empty}, maps,
             SmallVector<utils::IteratorType>(outRank, utils::IteratorType::parallel),
             [&](OpBuilder &b, Location l, ValueRange args) {
               Value v = args[0];
               Value zx, zw;
               size_t next = 1;
               if (hasXZero) {
                 zx = extendInt(b, l, args[next + 1], xZeroElt, i32);
                 v = arith::SubIOp::create(b, l, v, arith::MulIOp::create(b, l, zx, args[next]));
                 next += 2;
               }
               if (hasWZero) {
                 zw = extendInt(b, l, args[next + 1], wZeroElt, i32);
                 v = arith::SubIOp::create(b, l, v, arith::MulIOp::create(b, l, zw, args[next]));
               }
               if (hasXZero && hasWZero) {
                 Value k = scalarConstant(b, l, i32, static_cast<double>(kernelSize));
                 v = arith::AddIOp::create(
                     b, l, v, arith::MulIOp::create(b, l, k, arith::MulIOp::create(b, l, zx, zw)));
               }
               linalg::YieldOp::create(b, l, v);
             })
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// Integer matmul
//===----------------------------------------------------------------------===//

// numpy matmul of a [..., M, K] and b [..., K, N] (1-D operands promoted)
// as i32 [batch..., M, N] of sum_k (a - za)(b - zb); za scalar or per row
// (M), zb scalar or per column (N). `shape` receives the result shape
// before 1-D operands' dims are dropped.
FailureOr<Value> integerMatmul(Operation *op, Value a, Value b, Value aZeroPoint, Value bZeroPoint,
                               PatternRewriter &rewriter) {
  auto aType = staticTensor(a), bType = staticTensor(b);
  if (!aType || !bType || !isInt8Storage(aType.getElementType()) ||
      !isInt8Storage(bType.getElementType()) || aType.getRank() == 0 || bType.getRank() == 0)
    return rewriter.notifyMatchFailure(op, "needs static 8-bit integer operands of rank >= 1");
  Location loc = op->getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Type i32 = rewriter.getI32Type();
  Type aElt = aType.getElementType(), bElt = bType.getElementType();
  const char *why = nullptr;
  FailureOr<MatmulShapes> shapes = matmulShapes(aType.getShape(), bType.getShape(), why);
  if (failed(shapes))
    return rewriter.notifyMatchFailure(op, why);
  ArrayRef<int64_t> aShape = shapes->a, bShape = shapes->b, batch = shapes->batch;
  ArrayRef<int64_t> aBatch = shapes->aBatch(), bBatch = shapes->bBatch();
  int64_t m = shapes->m, k = shapes->k, n = shapes->n;
  a = reshapeTo(rewriter, loc, a, RankedTensorType::get(aShape, aElt));
  b = reshapeTo(rewriter, loc, b, RankedTensorType::get(bShape, bElt));

  int64_t nb = batch.size();
  // Batch exprs of an operand with batch dims `dims`: right-aligned, size-1
  // dims read index 0.
  auto batchExprs = [&](ArrayRef<int64_t> dims) {
    SmallVector<AffineExpr> exprs;
    int64_t offset = nb - dims.size();
    for (auto [i, d] : llvm::enumerate(dims))
      exprs.push_back(d == batch[i + offset] ? getAffineDimExpr(i + offset, ctx)
                                             : getAffineConstantExpr(0, ctx));
    return exprs;
  };
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr mDim = dim(nb), nDim = dim(nb + 1), kDim = dim(nb + 2);
  int64_t loops = nb + 3;
  SmallVector<AffineExpr> aExprs = batchExprs(aBatch), bExprs = batchExprs(bBatch), outExprs;
  aExprs.append({mDim, kDim});
  bExprs.append({kDim, nDim});
  for (int64_t i = 0; i < nb; ++i)
    outExprs.push_back(dim(i));
  outExprs.append({mDim, nDim});
  SmallVector<int64_t> outShape(batch);
  outShape.append({m, n});
  SmallVector<utils::IteratorType> iterators(nb + 2, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value acc =
      sumGeneric(rewriter, loc, {a, b},
                 {AffineMap::get(loops, 0, aExprs, ctx), AffineMap::get(loops, 0, bExprs, ctx)},
                 AffineMap::get(loops, 0, outExprs, ctx), outShape, iterators,
                 [&](OpBuilder &nbld, Location l, ValueRange args) -> Value {
                   return arith::MulIOp::create(nbld, l, extendInt(nbld, l, args[0], aElt, i32),
                                                extendInt(nbld, l, args[1], bElt, i32));
                 });
  bool hasAZero = !isKnownZero(aZeroPoint), hasBZero = !isKnownZero(bZeroPoint);
  if (!hasAZero && !hasBZero)
    return acc;
  Type aZeroElt, bZeroElt;
  if (hasAZero)
    aZeroPoint = zeroPointOperand(rewriter, loc, aZeroPoint, aZeroElt);
  if (hasBZero)
    bZeroPoint = zeroPointOperand(rewriter, loc, bZeroPoint, bZeroElt);

  int64_t outRank = nb + 2;
  FailureOr<AffineMap> aZeroMap, bZeroMap;
  if (hasAZero && failed(aZeroMap = paramMap(aZeroPoint, outRank, nb, m, ctx)))
    return rewriter.notifyMatchFailure(op, "a zero point must be a scalar or one per row");
  if (hasBZero && failed(bZeroMap = paramMap(bZeroPoint, outRank, nb + 1, n, ctx)))
    return rewriter.notifyMatchFailure(op, "b zero point must be a scalar or one per column");
  SmallVector<Value> inputs = {acc};
  SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(outRank)};
  // Sums over k of one operand, [its batch..., rows] with `rows` at `keep`.
  auto sums = [&](Value v, ArrayRef<int64_t> opBatch, int64_t rows, bool rowsFirst, Type elt) {
    int64_t rank = opBatch.size() + 2;
    SmallVector<AffineExpr> out;
    for (size_t i = 0; i < opBatch.size(); ++i)
      out.push_back(dim(i));
    out.push_back(dim(rank - 2));
    // Loops: batch..., rows, k.
    SmallVector<AffineExpr> in(out);
    if (rowsFirst)
      in.push_back(dim(rank - 1));
    else
      in.insert(in.end() - 1, dim(rank - 1));
    SmallVector<int64_t> shape(opBatch);
    shape.push_back(rows);
    SmallVector<utils::IteratorType> its(rank - 1, utils::IteratorType::parallel);
    its.push_back(utils::IteratorType::reduction);
    return sumGeneric(rewriter, loc, {v}, {AffineMap::get(rank, 0, in, ctx)},
                      AffineMap::get(rank, 0, out, ctx), shape, its,
                      [&](OpBuilder &bb, Location l, ValueRange args) {
                        return extendInt(bb, l, args[0], elt, i32);
                      });
  };
  if (hasAZero) {
    // za * column sums of b: [bBatch..., N].
    Value colSums = sums(b, bBatch, n, /*rowsFirst=*/false, bElt);
    SmallVector<AffineExpr> read = batchExprs(bBatch);
    read.push_back(nDim);
    inputs.append({colSums, aZeroPoint});
    maps.append({AffineMap::get(outRank, 0, read, ctx), *aZeroMap});
  }
  if (hasBZero) {
    Value rowSums = sums(a, aBatch, m, /*rowsFirst=*/true, aElt);
    SmallVector<AffineExpr> read = batchExprs(aBatch);
    read.push_back(mDim);
    inputs.append({rowSums, bZeroPoint});
    maps.append({AffineMap::get(outRank, 0, read, ctx), *bZeroMap});
  }
  maps.push_back(rewriter.getMultiDimIdentityMap(outRank));
  Value empty = tensor::EmptyOp::create(rewriter, loc, outShape, i32);
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{empty.getType()}, inputs, ValueRange{empty}, maps,
             SmallVector<utils::IteratorType>(outRank, utils::IteratorType::parallel),
             [&](OpBuilder &bb, Location l, ValueRange args) {
               Value v = args[0], za, zb;
               size_t next = 1;
               if (hasAZero) {
                 za = extendInt(bb, l, args[next + 1], aZeroElt, i32);
                 v = arith::SubIOp::create(bb, l, v, arith::MulIOp::create(bb, l, za, args[next]));
                 next += 2;
               }
               if (hasBZero) {
                 zb = extendInt(bb, l, args[next + 1], bZeroElt, i32);
                 v = arith::SubIOp::create(bb, l, v, arith::MulIOp::create(bb, l, zb, args[next]));
               }
               if (hasAZero && hasBZero) {
                 Value kk = scalarConstant(bb, l, i32, static_cast<double>(k));
                 v = arith::AddIOp::create(
                     bb, l, v,
                     arith::MulIOp::create(bb, l, kk, arith::MulIOp::create(bb, l, za, zb)));
               }
               linalg::YieldOp::create(bb, l, v);
             })
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// ONNX integer ops
//===----------------------------------------------------------------------===//

struct ConvIntegerPattern : OpRewritePattern<ConvIntegerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvIntegerOp op, PatternRewriter &rewriter) const override {
    auto resultType = staticTensor(op.getY());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "needs a static result");
    FailureOr<Value> acc =
        integerConv(op, op.getX(), op.getW(), op.getXZeroPoint(), op.getWZeroPoint(), rewriter);
    if (failed(acc))
      return failure();
    if (cast<RankedTensorType>(acc->getType()).getShape() != resultType.getShape())
      return rewriter.notifyMatchFailure(op, "result shape differs from the ONNX shape");
    rewriter.replaceOp(op, *acc);
    return success();
  }
};

struct MatMulIntegerPattern : OpRewritePattern<MatMulIntegerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulIntegerOp op, PatternRewriter &rewriter) const override {
    auto resultType = staticTensor(op.getY());
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "needs a static result");
    FailureOr<Value> acc =
        integerMatmul(op, op.getA(), op.getB(), op.getAZeroPoint(), op.getBZeroPoint(), rewriter);
    if (failed(acc))
      return failure();
    if (cast<RankedTensorType>(acc->getType()).getNumElements() != resultType.getNumElements())
      return rewriter.notifyMatchFailure(op, "result shape differs from the numpy shape");
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), *acc, resultType));
    return success();
  }
};

// saturate(round_half_to_even(acc * (s_a[i] * s_b[j] / s_y)) + z_y) over an
// i32 accumulator of `resultType`'s shape, the float rescale ONNX defines
// for QLinearConv and QLinearMatMul. (aScale, aDim) and (bScale, bDim)
// give each scale and the accumulator dim it varies along (-1: scalar).
Value floatRescale(PatternRewriter &rewriter, Location loc, Value acc, Value bias, int64_t biasDim,
                   Value aScale, int64_t aDim, Value bScale, int64_t bDim, Value yScale,
                   Value yZeroPoint, RankedTensorType resultType) {
  MLIRContext *ctx = rewriter.getContext();
  int64_t rank = resultType.getRank();
  auto accShape = cast<RankedTensorType>(acc.getType()).getShape();
  auto map = [&](Value param, int64_t d) {
    return *paramMap(param, rank, d, d >= 0 ? accShape[d] : 0, ctx);
  };
  SmallVector<Value> inputs = {acc, aScale, bScale, yScale};
  SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank), map(aScale, aDim),
                                 map(bScale, bDim), map(yScale, -1)};
  bool hasZero = !isNone(yZeroPoint), hasBias = !isNone(bias);
  Type zeroElt;
  if (hasZero)
    yZeroPoint = zeroPointOperand(rewriter, loc, yZeroPoint, zeroElt);
  if (hasZero) {
    inputs.push_back(yZeroPoint);
    maps.push_back(map(yZeroPoint, -1));
  }
  if (hasBias) {
    inputs.push_back(bias);
    maps.push_back(map(bias, biasDim));
  }
  maps.push_back(rewriter.getMultiDimIdentityMap(rank));
  Type storage = resultType.getElementType();
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{resultType}, inputs,
             ValueRange{emptyOf(rewriter, loc, resultType)}, maps,
             SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
             [&](OpBuilder &b, Location l, ValueRange args) {
               Type f32 = b.getF32Type();
               Value v = args[0];
               if (hasBias)
                 v = arith::AddIOp::create(b, l, v, args[4 + hasZero]);
               Value scale = arith::MulFOp::create(b, l, convertFloat(b, l, args[1], f32),
                                                   convertFloat(b, l, args[2], f32));
               scale = arith::DivFOp::create(b, l, scale, convertFloat(b, l, args[3], f32));
               Value r = arith::MulFOp::create(b, l, arith::SIToFPOp::create(b, l, f32, v), scale);
               r = math::RoundEvenOp::create(b, l, r);
               Value q = arith::FPToSIOp::create(b, l, b.getI64Type(), r);
               if (hasZero)
                 q = arith::AddIOp::create(b, l, q,
                                           extendInt(b, l, args[4], zeroElt, b.getI64Type()));
               bool isUnsigned = isUnsignedInt(storage);
               unsigned width = storage.getIntOrFloatBitWidth();
               int64_t lo = isUnsigned ? 0 : -(int64_t(1) << (width - 1));
               int64_t hi =
                   isUnsigned ? (int64_t(1) << width) - 1 : (int64_t(1) << (width - 1)) - 1;
               Type i64 = b.getI64Type();
               q = arith::MaxSIOp::create(b, l, q, scalarConstant(b, l, i64, lo));
               q = arith::MinSIOp::create(b, l, q, scalarConstant(b, l, i64, hi));
               Value narrow = arith::TruncIOp::create(b, l, signlessOf(storage), q);
               linalg::YieldOp::create(b, l, reinterpretInt(b, l, narrow, storage));
             })
      .getResult(0);
}

struct QLinearConvPattern : OpRewritePattern<QLinearConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QLinearConvOp op, PatternRewriter &rewriter) const override {
    auto resultType = staticTensor(op.getY());
    if (!resultType || !isInt8Storage(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static 8-bit result");
    FailureOr<Value> acc =
        integerConv(op, op.getX(), op.getW(), op.getXZeroPoint(), op.getWZeroPoint(), rewriter);
    if (failed(acc))
      return failure();
    auto accShape = cast<RankedTensorType>(acc->getType()).getShape();
    int64_t channels = accShape[1], rank = accShape.size();
    MLIRContext *ctx = getContext();
    if (accShape != resultType.getShape())
      return rewriter.notifyMatchFailure(op, "result shape differs from the ONNX shape");
    if (failed(paramMap(op.getXScale(), rank, -1, 0, ctx)) ||
        failed(paramMap(op.getWScale(), rank, 1, channels, ctx)) ||
        failed(paramMap(op.getYScale(), rank, -1, 0, ctx)) ||
        (!isNone(op.getYZeroPoint()) && failed(paramMap(op.getYZeroPoint(), rank, -1, 0, ctx))))
      return rewriter.notifyMatchFailure(op, "scales must be scalars (w's also per filter)");
    Value bias = op.getB();
    if (!isNone(bias)) {
      auto biasType = staticTensor(bias);
      if (!biasType || !biasType.getElementType().isInteger(32) ||
          failed(paramMap(bias, rank, 1, channels, ctx)))
        return rewriter.notifyMatchFailure(op, "bias must be int32 [M]");
    }
    rewriter.replaceOp(op, floatRescale(rewriter, op.getLoc(), *acc, bias, 1, op.getXScale(), -1,
                                        op.getWScale(), 1, op.getYScale(), op.getYZeroPoint(),
                                        resultType));
    return success();
  }
};

struct QLinearMatMulPattern : OpRewritePattern<QLinearMatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QLinearMatMulOp op, PatternRewriter &rewriter) const override {
    auto resultType = staticTensor(op.getY());
    if (!resultType || !isInt8Storage(resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static 8-bit result");
    FailureOr<Value> acc =
        integerMatmul(op, op.getA(), op.getB(), op.getAZeroPoint(), op.getBZeroPoint(), rewriter);
    if (failed(acc))
      return failure();
    auto accType = cast<RankedTensorType>(acc->getType());
    if (accType.getNumElements() != resultType.getNumElements())
      return rewriter.notifyMatchFailure(op, "result shape differs from the numpy shape");
    int64_t rank = accType.getRank();
    MLIRContext *ctx = getContext();
    if (failed(paramMap(op.getAScale(), rank, rank - 2, accType.getDimSize(rank - 2), ctx)) ||
        failed(paramMap(op.getBScale(), rank, rank - 1, accType.getDimSize(rank - 1), ctx)) ||
        failed(paramMap(op.getYScale(), rank, -1, 0, ctx)) ||
        failed(paramMap(op.getYZeroPoint(), rank, -1, 0, ctx)))
      return rewriter.notifyMatchFailure(op, "scales must be scalars, per row or per column");
    auto aScaleType = cast<RankedTensorType>(op.getAScale().getType());
    auto bScaleType = cast<RankedTensorType>(op.getBScale().getType());
    Value y = floatRescale(rewriter, op.getLoc(), *acc, Value(), -1, op.getAScale(),
                           aScaleType.getNumElements() == 1 ? -1 : rank - 2, op.getBScale(),
                           bScaleType.getNumElements() == 1 ? -1 : rank - 1, op.getYScale(),
                           op.getYZeroPoint(), accType.clone(resultType.getElementType()));
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), y, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// qc.requantize
//===----------------------------------------------------------------------===//

// round(t / 2^shift) of an i64 `t`, shift >= 1.
Value roundingShift(OpBuilder &b, Location loc, Value t, Value shift, bool halfToEven) {
  Type i64 = b.getI64Type();
  Value one = scalarConstant(b, loc, i64, 1);
  Value half = arith::ShLIOp::create(b, loc, one, arith::SubIOp::create(b, loc, shift, one));
  if (!halfToEven) {
    // Away from zero: add half (half - 1 for negatives), then floor.
    Value negative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, t, scalarConstant(b, loc, i64, 0));
    Value bias =
        arith::SelectOp::create(b, loc, negative, arith::SubIOp::create(b, loc, half, one), half);
    return arith::ShRSIOp::create(b, loc, arith::AddIOp::create(b, loc, t, bias), shift);
  }
  // Half to even: add half - 1 and the parity of floor(t / 2^shift) (bit
  // `shift` of t), then floor. With t = q 2^s + r: q below half, q + 1
  // above it, q + (q & 1) at it.
  Value parity = arith::AndIOp::create(b, loc, arith::ShRSIOp::create(b, loc, t, shift), one);
  Value bias = arith::AddIOp::create(b, loc, arith::SubIOp::create(b, loc, half, one), parity);
  return arith::ShRSIOp::create(b, loc, arith::AddIOp::create(b, loc, t, bias), shift);
}

struct RequantizePattern : OpRewritePattern<RequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RequantizeOp op, PatternRewriter &rewriter) const override {
    auto resultType = staticTensor(op.getOutput());
    auto inputType = staticTensor(op.getInput());
    Value residual = op.getResidual();
    auto residualType = residual ? staticTensor(residual) : RankedTensorType();
    if (!resultType || !inputType || (residual && !residualType))
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    MLIRContext *ctx = getContext();
    Location loc = op.getLoc();
    int64_t rank = resultType.getRank();
    SmallVector<Value> inputs = {op.getInput()};
    SmallVector<AffineMap> maps;
    FailureOr<AffineMap> inputMap = broadcastingMap(inputType, resultType);
    if (failed(inputMap))
      return rewriter.notifyMatchFailure(op, "input does not broadcast to the result");
    maps.push_back(*inputMap);
    if (residual) {
      FailureOr<AffineMap> residualMap = broadcastingMap(residualType, resultType);
      if (failed(residualMap))
        return rewriter.notifyMatchFailure(op, "residual does not broadcast to the result");
      inputs.push_back(residual);
      maps.push_back(*residualMap);
    }
    // Per-channel parameters are i64 tensors read along the axis; a single
    // one is a constant in the body.
    size_t channels = op.getMultiplier().size();
    bool perChannel = channels > 1;
    int64_t axis = op.getAxis() < 0 ? op.getAxis() + rank : op.getAxis();
    Type i64 = rewriter.getI64Type();
    auto channelTensor = [&](ArrayRef<int64_t> values) -> Value {
      auto type = RankedTensorType::get({static_cast<int64_t>(values.size())}, i64);
      return arith::ConstantOp::create(rewriter, loc, type, DenseElementsAttr::get(type, values));
    };
    SmallVector<ArrayRef<int64_t>> params = {op.getMultiplier(), op.getShift()};
    if (residual)
      params.push_back(*op.getResidualMultiplier());
    if (perChannel)
      for (ArrayRef<int64_t> values : params) {
        inputs.push_back(channelTensor(values));
        maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx), ctx));
      }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    Type inputElt = inputType.getElementType();
    Type residualElt = residual ? residualType.getElementType() : Type();
    Type storage = resultType.getElementType();
    bool halfToEven = op.getRounding() == "half_to_even";
    int64_t inputZero = op.getInputZeroPoint(), residualZero = op.getResidualZeroPoint();
    int64_t outputZero = op.getOutputZeroPoint();
    int64_t lo = op.getClampMin(), hi = op.getClampMax();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, inputs,
        ValueRange{emptyOf(rewriter, loc, resultType)}, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          size_t p = residual ? 2 : 1;
          auto param = [&](size_t which) -> Value {
            if (perChannel)
              return args[p + which];
            return scalarConstant(b, l, i64, static_cast<double>(params[which][0]));
          };
          auto term = [&](Value v, Type elt, int64_t zero, Value multiplier) {
            Value wide = extendInt(b, l, v, elt, i64);
            if (zero)
              wide = arith::SubIOp::create(b, l, wide, scalarConstant(b, l, i64, zero));
            return arith::MulIOp::create(b, l, wide, multiplier);
          };
          Value t = term(args[0], inputElt, inputZero, param(0));
          if (residual)
            t = arith::AddIOp::create(b, l, t, term(args[1], residualElt, residualZero, param(2)));
          Value q = roundingShift(b, l, t, param(1), halfToEven);
          if (outputZero)
            q = arith::AddIOp::create(b, l, q, scalarConstant(b, l, i64, outputZero));
          q = arith::MaxSIOp::create(b, l, q, scalarConstant(b, l, i64, lo));
          q = arith::MinSIOp::create(b, l, q, scalarConstant(b, l, i64, hi));
          Value narrow = arith::TruncIOp::create(b, l, signlessOf(storage), q);
          linalg::YieldOp::create(b, l, reinterpretInt(b, l, narrow, storage));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void populateIntegerToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvIntegerPattern, MatMulIntegerPattern, QLinearConvPattern, QLinearMatMulPattern,
               RequantizePattern>(patterns.getContext());
}

} // namespace qc

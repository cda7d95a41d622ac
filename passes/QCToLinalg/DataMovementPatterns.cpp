//===- DataMovementPatterns.cpp - shape ops, data movement, casts ---------===//
//
// Shape manipulation (Reshape, Flatten, Squeeze, Unsqueeze, Transpose,
// DepthToSpace, SpaceToDepth) becomes tensor.collapse_shape/expand_shape and
// linalg.transpose; slicing and joining (Slice, Split, Concat, Pad) become
// tensor.extract_slice/insert_slice/pad; index-driven movement (Gather,
// GatherElements, Resize, Pad in reflect/edge/wrap mode, Tile, Expand) becomes
// a linalg.generic over the result, reading the input with tensor.extract or
// through an affine indexing map. Casts and shape queries become arith
// (qc.constant itself is lowered in ConvertQCToLinalg.cpp; the operands read
// here as constants may be either qc.constant or arith.constant). Everything
// needs static shapes; the integer operands that ONNX passes as tensors
// (shapes, axes, pads, starts, ...) must be constants unless the static result
// type alone determines the result.
//
// Pure data movement accepts any integer or float element type (unsigned
// included, nothing is computed on the values); ops that compute on the
// values (Cast, CumSum, Range, Trilu, linear Resize) take signless integers
// and floats only.
//
//===----------------------------------------------------------------------===//
#include "passes/QCToLinalg/LoweringUtils.h"
#include "passes/QCToLinalg/Patterns.h"

#include "QC/OnnxTypes.h"
#include "QC/QCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <cstring>

using namespace mlir;

namespace qc {
namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//


// Values that are only moved around: any integer (signed, unsigned, signless)
// or float element type.
bool isMovableElement(Type t) { return isa<IntegerType, FloatType>(t); }

// Values arith can compute on: signless integers (i1 = bool) and floats.
bool isArithElement(Type t) {
  if (auto i = dyn_cast<IntegerType>(t))
    return i.isSignless();
  return isa<FloatType>(t);
}

// Floats arith.extf/truncf convert between (FP8 and FP4 formats need ONNX's
// own saturation rules and are left to a later lowering).
bool isCastableFloat(Type t) {
  return t.isF16() || t.isBF16() || t.isF32() || t.isF64() || isSmallFloat(t);
}
bool isCastableInt(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && (i.isSignless() || i.isUnsigned()) &&
         llvm::is_contained({1u, 4u, 8u, 16u, 32u, 64u}, i.getWidth());
}

// The values of an integer constant tensor (qc.constant or arith.constant,
// dense or dense_resource).
std::optional<SmallVector<int64_t>> getConstantInts(Value v) {
  if (isNone(v))
    return std::nullopt;
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto elements = dyn_cast<ElementsAttr>(attr);
  if (!elements)
    return std::nullopt;
  auto intType = dyn_cast<IntegerType>(elements.getElementType());
  if (!intType)
    return std::nullopt;
  // Bools and unsigned integers read as non-negative values.
  bool isUnsigned = intType.isUnsigned() || intType.getWidth() == 1;
  SmallVector<int64_t> values;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &value : dense)
      values.push_back(isUnsigned ? static_cast<int64_t>(value.getZExtValue())
                                  : value.getSExtValue());
    return values;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    unsigned bytes = intType.getWidth() / 8;
    if (!blob || intType.getWidth() % 8 != 0 || bytes > 8)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    int64_t count = elements.getNumElements();
    if (static_cast<int64_t>(data.size()) != count * bytes)
      return std::nullopt;
    for (int64_t i = 0; i < count; ++i) {
      uint64_t raw = 0;
      std::memcpy(&raw, data.data() + i * bytes, bytes); // little endian
      APInt value(intType.getWidth(), raw);
      values.push_back(isUnsigned ? static_cast<int64_t>(value.getZExtValue())
                                  : value.getSExtValue());
    }
    return values;
  }
  return std::nullopt;
}

// The values of a float constant tensor, as doubles.
std::optional<SmallVector<double>> getConstantFloats(Value v) {
  if (isNone(v))
    return std::nullopt;
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<double> values;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (APFloat value : dense) {
      bool lost;
      value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(value.convertToDouble());
    }
    return values;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    Type elt = resource.getElementType();
    if (!blob || !(elt.isF32() || elt.isF64()))
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    int64_t count = resource.getNumElements();
    size_t bytes = elt.isF32() ? 4 : 8;
    if (data.size() != count * bytes)
      return std::nullopt;
    for (int64_t i = 0; i < count; ++i) {
      if (elt.isF32()) {
        float f;
        std::memcpy(&f, data.data() + i * 4, 4);
        values.push_back(f);
      } else {
        double d;
        std::memcpy(&d, data.data() + i * 8, 8);
        values.push_back(d);
      }
    }
    return values;
  }
  return std::nullopt;
}

// A scalar operand (rank 0 or one element) as a value of its element type.
Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> zeros(type.getRank(), arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

bool isScalarTensor(Value v) {
  auto t = staticTensor(v);
  return t && t.getNumElements() == 1;
}

Value zeroOf(OpBuilder &b, Location loc, Type t) {
  return arith::ConstantOp::create(b, loc, t, b.getZeroAttr(t));
}

Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

// Normalizes an ONNX axis into [0, rank); fails when it is out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

// The result type to build: the op's own when static, else `inferred` (which
// must agree with it). Null when neither gives a static type.
RankedTensorType pickResultType(Value result, std::optional<SmallVector<int64_t>> inferred,
                                Type elementType) {
  auto declared = dyn_cast<RankedTensorType>(result.getType());
  if (inferred) {
    auto type = RankedTensorType::get(*inferred, elementType);
    if (declared && (declared.getRank() != type.getRank() ||
                     failed(verifyCompatibleShape(declared.getShape(), type.getShape()))))
      return {};
    return type;
  }
  if (declared && declared.hasStaticShape())
    return declared;
  return {};
}

// Replaces `op`'s results with `values`, casting where the op's result types
// are less static than what was built.
void replaceWithCasts(PatternRewriter &rewriter, Operation *op, ValueRange values) {
  SmallVector<Value> results;
  for (auto [value, result] : llvm::zip(values, op->getResults())) {
    if (value.getType() != result.getType())
      value = tensor::CastOp::create(rewriter, op->getLoc(), result.getType(), value);
    results.push_back(value);
  }
  rewriter.replaceOp(op, results);
}

SmallVector<utils::IteratorType> parallelIterators(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

// A linalg.generic over `resultType` with `inputs` read through `maps` (the
// output map is the identity); `body` gets the input elements and yields the
// result element.
Value buildGeneric(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                   ArrayRef<AffineMap> inputMaps,
                   function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{emptyOf(b, loc, resultType)}, maps,
      parallelIterators(resultType.getRank()),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args.drop_back()));
      });
  return generic.getResult(0);
}

// A 1-D i64 constant table.
Value tableConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())}, b.getI64Type());
  return arith::ConstantOp::create(b, loc, type, DenseIntElementsAttr::get(type, values));
}

// Builds result[o] = src[t_0(o_0), ..., t_{r-1}(o_{r-1})] where each t_d is
// either the identity (no table) or a compile-time table of source indices.
// Tables become 1-D constants read by the generic; the source is read with
// tensor.extract.
Value gatherByTables(OpBuilder &b, Location loc, Value src, RankedTensorType resultType,
                     ArrayRef<std::optional<SmallVector<int64_t>>> tables) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (int64_t d = 0; d < rank; ++d) {
    if (!tables[d])
      continue;
    inputs.push_back(tableConstant(b, loc, *tables[d]));
    maps.push_back(AffineMap::get(rank, 0, b.getAffineDimExpr(d), b.getContext()));
  }
  return buildGeneric(b, loc, resultType, inputs, maps,
                      [&](OpBuilder &nb, Location nloc, ValueRange args) {
                        SmallVector<Value> indices;
                        unsigned next = 0;
                        for (int64_t d = 0; d < rank; ++d) {
                          if (tables[d])
                            indices.push_back(arith::IndexCastOp::create(
                                nb, nloc, nb.getIndexType(), args[next++]));
                          else
                            indices.push_back(linalg::IndexOp::create(nb, nloc, d));
                        }
                        return tensor::ExtractOp::create(nb, nloc, src, indices);
                      });
}

// An index read from an integer tensor element, made non-negative ONNX style
// (idx < 0 reads idx + size) and clamped into [0, size) so a bad index cannot
// read outside the tensor.
Value normalizeIndex(OpBuilder &b, Location loc, Value idx, int64_t size) {
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), idx);
  Value zero = indexConst(b, loc, 0);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, zero);
  Value wrapped = arith::AddIOp::create(b, loc, i, indexConst(b, loc, size));
  i = arith::SelectOp::create(b, loc, negative, wrapped, i);
  i = arith::MaxSIOp::create(b, loc, i, zero);
  return arith::MinSIOp::create(b, loc, i, indexConst(b, loc, std::max<int64_t>(size - 1, 0)));
}

//===----------------------------------------------------------------------===//
// Shape queries and generated constants
//===----------------------------------------------------------------------===//

struct ShapeLowering : OpRewritePattern<ShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ShapeOp op, PatternRewriter &rewriter) const override {
    auto in = dyn_cast<RankedTensorType>(op.getData().getType());
    if (!in)
      return rewriter.notifyMatchFailure(op, "needs a ranked input");
    int64_t rank = in.getRank();
    auto clampIndex = [&](int64_t v) {
      if (v < 0)
        v += rank;
      return std::clamp<int64_t>(v, 0, rank);
    };
    int64_t start = clampIndex(op.getStart());
    int64_t end = op.getEnd() ? clampIndex(*op.getEnd()) : rank;
    SmallVector<int64_t> dims;
    for (int64_t d = start; d < end; ++d) {
      if (in.isDynamicDim(d))
        return rewriter.notifyMatchFailure(op, "a requested dim is dynamic");
      dims.push_back(in.getDimSize(d));
    }
    auto type = RankedTensorType::get({static_cast<int64_t>(dims.size())}, rewriter.getI64Type());
    Value c = arith::ConstantOp::create(rewriter, op.getLoc(), type,
                                        DenseIntElementsAttr::get(type, dims));
    replaceWithCasts(rewriter, op, c);
    return success();
  }
};

struct SizeLowering : OpRewritePattern<SizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SizeOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getData());
    if (!in)
      return rewriter.notifyMatchFailure(op, "needs a static input");
    auto type = RankedTensorType::get({}, rewriter.getI64Type());
    Value c = arith::ConstantOp::create(
        rewriter, op.getLoc(), type,
        DenseIntElementsAttr::get(type, ArrayRef<int64_t>{in.getNumElements()}));
    replaceWithCasts(rewriter, op, c);
    return success();
  }
};

struct ConstantOfShapeLowering : OpRewritePattern<ConstantOfShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConstantOfShapeOp op, PatternRewriter &rewriter) const override {
    auto declared = cast<TensorType>(op.getType());
    Type elt = declared.getElementType();
    if (!isMovableElement(elt))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    std::optional<SmallVector<int64_t>> shape = getConstantInts(op.getInput());
    if (shape && llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
      return rewriter.notifyMatchFailure(op, "negative dims");
    RankedTensorType type = pickResultType(op.getResult(), shape, elt);
    if (!type)
      return rewriter.notifyMatchFailure(op, "needs a constant shape or static result");
    TypedAttr scalar;
    if (auto value = op.getValue()) {
      auto dense = dyn_cast<DenseElementsAttr>(*value);
      if (!dense)
        return rewriter.notifyMatchFailure(op, "'value' is not a dense attribute");
      scalar = cast<TypedAttr>(*dense.value_begin<Attribute>());
    } else {
      scalar = rewriter.getF32FloatAttr(0);
    }
    Location loc = op.getLoc();
    Value result;
    // Small tensors stay foldable constants; large ones are filled at run
    // time instead of being stored in the binary.
    if (type.getNumElements() <= 256 || !isArithElement(elt)) {
      result = arith::ConstantOp::create(rewriter, loc, type, DenseElementsAttr::get(type, scalar));
    } else {
      Value fillValue = arith::ConstantOp::create(rewriter, loc, scalar);
      result = linalg::FillOp::create(rewriter, loc, ValueRange{fillValue},
                                      ValueRange{emptyOf(rewriter, loc, type)})
                   .getResult(0);
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

struct RangeLowering : OpRewritePattern<RangeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RangeOp op, PatternRewriter &rewriter) const override {
    auto declared = dyn_cast<RankedTensorType>(op.getType());
    if (!declared || declared.getRank() != 1)
      return rewriter.notifyMatchFailure(op, "needs a 1-D ranked result");
    Type elt = declared.getElementType();
    if (!isArithElement(elt) || elt.isInteger(1))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    if (!isScalarTensor(op.getStart()) || !isScalarTensor(op.getDelta()) ||
        !isScalarTensor(op.getLimit()))
      return rewriter.notifyMatchFailure(op, "operands must be scalars");
    std::optional<SmallVector<int64_t>> inferred;
    if (isa<IntegerType>(elt)) {
      auto s = getConstantInts(op.getStart()), l = getConstantInts(op.getLimit()),
           d = getConstantInts(op.getDelta());
      if (s && l && d && (*d)[0] != 0) {
        int64_t diff = (*l)[0] - (*s)[0], delta = (*d)[0];
        int64_t n = diff / delta + ((diff % delta != 0) && ((diff < 0) == (delta < 0)));
        inferred = SmallVector<int64_t>{std::max<int64_t>(n, 0)};
      }
    } else {
      auto s = getConstantFloats(op.getStart()), l = getConstantFloats(op.getLimit()),
           d = getConstantFloats(op.getDelta());
      if (s && l && d && (*d)[0] != 0)
        inferred = SmallVector<int64_t>{std::max<int64_t>(
            static_cast<int64_t>(std::ceil(((*l)[0] - (*s)[0]) / (*d)[0])), 0)};
    }
    RankedTensorType type = pickResultType(op.getResult(), inferred, elt);
    if (!type)
      return rewriter.notifyMatchFailure(op, "needs constant operands or a static result");
    Location loc = op.getLoc();
    Value start = extractScalar(rewriter, loc, op.getStart());
    Value delta = extractScalar(rewriter, loc, op.getDelta());
    Value result = buildGeneric(
        rewriter, loc, type, {}, {}, [&](OpBuilder &b, Location l, ValueRange) -> Value {
          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, 0));
          if (isa<FloatType>(elt)) {
            Value f = arith::SIToFPOp::create(b, l, elt, i);
            return arith::AddFOp::create(b, l, start, arith::MulFOp::create(b, l, f, delta));
          }
          if (elt.getIntOrFloatBitWidth() != 64)
            i = arith::TruncIOp::create(b, l, elt, i);
          return arith::AddIOp::create(b, l, start, arith::MulIOp::create(b, l, i, delta));
        });
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Identity, Dropout, Cast
//===----------------------------------------------------------------------===//

struct IdentityLowering : OpRewritePattern<IdentityOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IdentityOp op, PatternRewriter &rewriter) const override {
    if (!isa<RankedTensorType>(op.getX().getType()) || !isa<RankedTensorType>(op.getType()))
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    replaceWithCasts(rewriter, op, op.getX());
    return success();
  }
};

struct DropoutLowering : OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op, PatternRewriter &rewriter) const override {
    if (!isa<RankedTensorType>(op.getData().getType()) ||
        !isa<RankedTensorType>(op.getOutput().getType()))
      return rewriter.notifyMatchFailure(op, "needs ranked tensors");
    // In inference mode the output is the input and the mask all true; in
    // training mode both are random, which a compiled model does not do.
    Value training = op.getTrainingMode();
    if (!isNone(training)) {
      auto flag = getConstantInts(training);
      if (!flag || flag->size() != 1 || (*flag)[0] != 0)
        return rewriter.notifyMatchFailure(op, "training mode is not known to be off");
    }
    Value maskResult = op.getMask();
    bool maskUsed = !isNone(maskResult) && !maskResult.use_empty();
    RankedTensorType maskType;
    if (maskUsed) {
      maskType = staticTensor(maskResult);
      if (!maskType || !maskType.getElementType().isInteger(1))
        return rewriter.notifyMatchFailure(op, "the used mask needs a static bool type");
    } else if (!maskResult.use_empty()) {
      return rewriter.notifyMatchFailure(op, "mask of unknown type is used");
    }
    Location loc = op.getLoc();
    Value output = op.getData();
    if (output.getType() != op.getOutput().getType())
      output = tensor::CastOp::create(rewriter, loc, op.getOutput().getType(), output);
    rewriter.replaceAllUsesWith(op.getOutput(), output);
    if (maskUsed) {
      Value one = arith::ConstantOp::create(rewriter, loc, rewriter.getBoolAttr(true));
      Value mask = linalg::FillOp::create(rewriter, loc, ValueRange{one},
                                          ValueRange{emptyOf(rewriter, loc, maskType)})
                       .getResult(0);
      rewriter.replaceAllUsesWith(maskResult, mask);
    }
    rewriter.eraseOp(op);
    return success();
  }
};

Value castSignless(OpBuilder &b, Location loc, Value v, Type from, Type to, bool fromUnsigned,
                   bool toUnsigned);

// Converts one element from `from` to `to` with ONNX Cast semantics.
// Float8 and float4 values go through f32 (exact when read, rounded once to
// nearest even when written); unsigned integers compute as their signless
// twins with unsigned extensions and conversions.
Value castElement(OpBuilder &b, Location loc, Value v, Type from, Type to, bool saturate = true) {
  if (from == to)
    return v;
  Type f32 = b.getF32Type();
  if (isSmallFloat(from))
    return castElement(b, loc, extSmallFloatToF32(b, loc, v), f32, to, saturate);
  if (isSmallFloat(to))
    return truncToSmallFloat(b, loc, castElement(b, loc, v, from, f32, saturate), to, saturate);
  Value signless = reinterpretInt(b, loc, v, signlessOf(from));
  Value result = castSignless(b, loc, signless, signlessOf(from), signlessOf(to),
                              isUnsignedInt(from), isUnsignedInt(to));
  return reinterpretInt(b, loc, result, to);
}

Value castSignless(OpBuilder &b, Location loc, Value v, Type from, Type to, bool fromUnsigned,
                   bool toUnsigned) {
  if (from == to)
    return v;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  if (to.isInteger(1)) {
    // x != 0 (NaN casts to true).
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v, zeroOf(b, loc, from));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v, zeroOf(b, loc, from));
  }
  if (from.isInteger(1)) {
    if (toFloat)
      return arith::UIToFPOp::create(b, loc, to, v);
    return arith::ExtUIOp::create(b, loc, to, v);
  }
  if (fromFloat && toFloat) {
    unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
    if (fw < tw)
      return arith::ExtFOp::create(b, loc, to, v);
    if (fw > tw)
      return arith::TruncFOp::create(b, loc, to, v);
    // f16 <-> bf16: through f32 (exact widening, then one rounding).
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), v);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (fromFloat) {
    // Truncates toward zero. Narrow results wrap (as ONNX's INT4 cases
    // expect) through an i64 conversion instead of being poison.
    if (to.getIntOrFloatBitWidth() < 64) {
      Value wide = arith::FPToSIOp::create(b, loc, b.getI64Type(), v);
      return arith::TruncIOp::create(b, loc, to, wide);
    }
    if (toUnsigned)
      return arith::FPToUIOp::create(b, loc, to, v);
    return arith::FPToSIOp::create(b, loc, to, v);
  }
  if (toFloat) {
    if (fromUnsigned)
      return arith::UIToFPOp::create(b, loc, to, v);
    return arith::SIToFPOp::create(b, loc, to, v);
  }
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw < tw) {
    if (fromUnsigned)
      return arith::ExtUIOp::create(b, loc, to, v);
    return arith::ExtSIOp::create(b, loc, to, v);
  }
  return arith::TruncIOp::create(b, loc, to, v);
}

LogicalResult lowerCast(Operation *op, Value input, bool saturate, PatternRewriter &rewriter) {
  auto inType = staticTensor(input);
  auto outType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!inType || !outType)
    return rewriter.notifyMatchFailure(op, "needs a static input");
  Type from = inType.getElementType(), to = outType.getElementType();
  auto castable = [](Type t) { return isCastableFloat(t) || isCastableInt(t); };
  if (!castable(from) || !castable(to))
    return rewriter.notifyMatchFailure(op, "unsupported element types");
  auto type = RankedTensorType::get(inType.getShape(), to);
  Value result = input;
  if (from != to) {
    AffineMap id = rewriter.getMultiDimIdentityMap(type.getRank());
    result = buildGeneric(rewriter, op->getLoc(), type, input, id,
                          [&](OpBuilder &b, Location loc, ValueRange args) {
                            return castElement(b, loc, args[0], from, to, saturate);
                          });
  }
  replaceWithCasts(rewriter, op, result);
  return success();
}

struct CastLowering : OpRewritePattern<CastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op, PatternRewriter &rewriter) const override {
    return lowerCast(op, op.getInput(), op.getSaturate() != 0, rewriter);
  }
};

struct CastLikeLowering : OpRewritePattern<CastLikeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastLikeOp op, PatternRewriter &rewriter) const override {
    return lowerCast(op, op.getInput(), op.getSaturate() != 0, rewriter);
  }
};

//===----------------------------------------------------------------------===//
// Reshape family
//===----------------------------------------------------------------------===//

// Reshape, Flatten, Squeeze and Unsqueeze only reinterpret the shape: once the
// result shape is known they are one collapse/expand.
template <typename OpTy>
struct ReshapeLikeLowering : OpRewritePattern<OpTy> {
  using InferFn = std::optional<SmallVector<int64_t>> (*)(OpTy, RankedTensorType);
  ReshapeLikeLowering(MLIRContext *ctx, InferFn infer)
      : OpRewritePattern<OpTy>(ctx), infer(infer) {}

  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    Value input = op->getOperand(0);
    auto inType = staticTensor(input);
    if (!inType || !isMovableElement(inType.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static input of a supported type");
    std::optional<SmallVector<int64_t>> shape = infer(op, inType);
    RankedTensorType type = pickResultType(op->getResult(0), shape, inType.getElementType());
    if (!type || !type.hasStaticShape() || type.getNumElements() != inType.getNumElements())
      return rewriter.notifyMatchFailure(op, "result shape unknown or inconsistent");
    replaceWithCasts(rewriter, op, reshapeTo(rewriter, op->getLoc(), input, type));
    return success();
  }

  InferFn infer;
};

std::optional<SmallVector<int64_t>> inferReshape(ReshapeOp op, RankedTensorType in) {
  auto shape = getConstantInts(op.getShape());
  if (!shape)
    return std::nullopt;
  SmallVector<int64_t> dims;
  int64_t inferIndex = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(*shape)) {
    if (d == 0 && !op.getAllowzero()) {
      if (static_cast<int64_t>(i) >= in.getRank())
        return std::nullopt;
      d = in.getDimSize(i);
    }
    if (d == -1) {
      if (inferIndex >= 0)
        return std::nullopt;
      inferIndex = i;
    } else if (d < 0) {
      return std::nullopt;
    } else {
      known *= d;
    }
    dims.push_back(d);
  }
  if (inferIndex >= 0) {
    if (known == 0 || in.getNumElements() % known != 0)
      return std::nullopt;
    dims[inferIndex] = in.getNumElements() / known;
  }
  return dims;
}

std::optional<SmallVector<int64_t>> inferFlatten(FlattenOp op, RankedTensorType in) {
  int64_t rank = in.getRank(), axis = op.getAxis();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return std::nullopt;
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= in.getDimSize(d);
  int64_t inner = 1;
  for (int64_t d = axis; d < rank; ++d)
    inner *= in.getDimSize(d);
  return SmallVector<int64_t>{outer, inner};
}

std::optional<SmallVector<int64_t>> inferSqueeze(SqueezeOp op, RankedTensorType in) {
  int64_t rank = in.getRank();
  SmallVector<bool> drop(rank, false);
  if (isNone(op.getAxes())) {
    for (int64_t d = 0; d < rank; ++d)
      drop[d] = in.getDimSize(d) == 1;
  } else {
    auto axes = getConstantInts(op.getAxes());
    if (!axes)
      return std::nullopt;
    for (int64_t a : *axes) {
      auto axis = normalizeAxis(a, rank);
      if (!axis || in.getDimSize(*axis) != 1)
        return std::nullopt;
      drop[*axis] = true;
    }
  }
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < rank; ++d)
    if (!drop[d])
      dims.push_back(in.getDimSize(d));
  return dims;
}

std::optional<SmallVector<int64_t>> inferUnsqueeze(UnsqueezeOp op, RankedTensorType in) {
  auto axes = getConstantInts(op.getAxes());
  if (!axes)
    return std::nullopt;
  int64_t rank = in.getRank() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t a : *axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis || inserted[*axis])
      return std::nullopt;
    inserted[*axis] = true;
  }
  SmallVector<int64_t> dims;
  int64_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    dims.push_back(inserted[d] ? 1 : in.getDimSize(next++));
  return dims;
}

struct TransposeLowering : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op, PatternRewriter &rewriter) const override {
    auto inType = staticTensor(op.getData());
    if (!inType || !isMovableElement(inType.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static input of a supported type");
    int64_t rank = inType.getRank();
    SmallVector<int64_t> perm;
    if (auto p = op.getPerm())
      perm.assign(p->begin(), p->end());
    else
      perm = llvm::to_vector(llvm::reverse(llvm::seq<int64_t>(0, rank)));
    if (static_cast<int64_t>(perm.size()) != rank)
      return rewriter.notifyMatchFailure(op, "perm does not match the rank");
    SmallVector<int64_t> dims;
    for (int64_t p : perm)
      dims.push_back(inType.getDimSize(p));
    RankedTensorType type = pickResultType(op.getResult(), dims, inType.getElementType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "inconsistent result type");
    Value result = op.getData();
    if (!llvm::equal(perm, llvm::seq<int64_t>(0, rank))) {
      Location loc = op.getLoc();
      result = linalg::TransposeOp::create(rewriter, loc, op.getData(), emptyOf(rewriter, loc, type),
                                           perm)
                   .getResult()[0];
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

// DepthToSpace and SpaceToDepth: expand to 6-D, transpose, collapse to 4-D.
Value expandTransposeCollapse(OpBuilder &b, Location loc, Value input,
                              ArrayRef<int64_t> expandedShape,
                              ArrayRef<ReassociationIndices> expandAssoc, ArrayRef<int64_t> perm,
                              ArrayRef<ReassociationIndices> collapseAssoc,
                              RankedTensorType resultType) {
  Type elt = resultType.getElementType();
  auto expandedType = RankedTensorType::get(expandedShape, elt);
  Value expanded = tensor::ExpandShapeOp::create(b, loc, expandedType, input, expandAssoc);
  SmallVector<int64_t> permuted;
  for (int64_t p : perm)
    permuted.push_back(expandedShape[p]);
  auto permutedType = RankedTensorType::get(permuted, elt);
  Value transposed =
      linalg::TransposeOp::create(b, loc, expanded, emptyOf(b, loc, permutedType), perm)
          .getResult()[0];
  return tensor::CollapseShapeOp::create(b, loc, resultType, transposed, collapseAssoc);
}

struct DepthToSpaceLowering : OpRewritePattern<DepthToSpaceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DepthToSpaceOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getInput());
    if (!in || in.getRank() != 4 || !isMovableElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static 4-D input");
    int64_t b = op.getBlocksize(), n = in.getDimSize(0), c = in.getDimSize(1),
            h = in.getDimSize(2), w = in.getDimSize(3);
    if (b < 1 || c % (b * b) != 0)
      return rewriter.notifyMatchFailure(op, "channels not divisible by blocksize^2");
    RankedTensorType type = pickResultType(
        op.getResult(), SmallVector<int64_t>{n, c / (b * b), h * b, w * b}, in.getElementType());
    if (!type || type.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "inconsistent or empty result");
    bool dcr = op.getMode() == "DCR";
    SmallVector<int64_t> expanded = dcr ? SmallVector<int64_t>{n, b, b, c / (b * b), h, w}
                                        : SmallVector<int64_t>{n, c / (b * b), b, b, h, w};
    SmallVector<int64_t> perm = dcr ? SmallVector<int64_t>{0, 3, 4, 1, 5, 2}
                                    : SmallVector<int64_t>{0, 1, 4, 2, 5, 3};
    Value result = expandTransposeCollapse(rewriter, op.getLoc(), op.getInput(), expanded,
                                           {{0}, {1, 2, 3}, {4}, {5}}, perm,
                                           {{0}, {1}, {2, 3}, {4, 5}}, type);
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

struct SpaceToDepthLowering : OpRewritePattern<SpaceToDepthOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SpaceToDepthOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getInput());
    if (!in || in.getRank() != 4 || !isMovableElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static 4-D input");
    int64_t b = op.getBlocksize(), n = in.getDimSize(0), c = in.getDimSize(1),
            h = in.getDimSize(2), w = in.getDimSize(3);
    if (b < 1 || h % b != 0 || w % b != 0)
      return rewriter.notifyMatchFailure(op, "spatial dims not divisible by blocksize");
    RankedTensorType type = pickResultType(
        op.getResult(), SmallVector<int64_t>{n, c * b * b, h / b, w / b}, in.getElementType());
    if (!type || type.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "inconsistent or empty result");
    Value result = expandTransposeCollapse(
        rewriter, op.getLoc(), op.getInput(), {n, c, h / b, b, w / b, b},
        {{0}, {1}, {2, 3}, {4, 5}}, {0, 3, 5, 1, 2, 4}, {{0}, {1, 2, 3}, {4}, {5}}, type);
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Concat, Split, Slice
//===----------------------------------------------------------------------===//

struct ConcatLowering : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op, PatternRewriter &rewriter) const override {
    SmallVector<RankedTensorType> types;
    for (Value v : op.getInputs()) {
      auto t = staticTensor(v);
      if (!t || !isMovableElement(t.getElementType()))
        return rewriter.notifyMatchFailure(op, "needs static inputs of a supported type");
      types.push_back(t);
    }
    int64_t rank = types[0].getRank();
    auto axis = normalizeAxis(op.getAxis(), rank);
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    SmallVector<int64_t> dims(types[0].getShape());
    dims[*axis] = 0;
    for (RankedTensorType t : types) {
      if (t.getRank() != rank)
        return rewriter.notifyMatchFailure(op, "rank mismatch");
      for (int64_t d = 0; d < rank; ++d)
        if (d != *axis && t.getDimSize(d) != dims[d])
          return rewriter.notifyMatchFailure(op, "non-axis dims differ");
      dims[*axis] += t.getDimSize(*axis);
    }
    RankedTensorType type = pickResultType(op.getResult(), dims, types[0].getElementType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "inconsistent result type");
    Location loc = op.getLoc();
    SmallVector<Value> nonEmpty;
    for (Value v : op.getInputs())
      if (staticTensor(v).getNumElements() != 0)
        nonEmpty.push_back(v);
    Value result;
    if (nonEmpty.size() == 1 && nonEmpty[0].getType() == type) {
      result = nonEmpty[0];
    } else {
      result = emptyOf(rewriter, loc, type);
      int64_t offset = 0;
      for (Value v : nonEmpty) {
        auto t = staticTensor(v);
        SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
        offsets[*axis] = rewriter.getIndexAttr(offset);
        SmallVector<OpFoldResult> sizes;
        for (int64_t s : t.getShape())
          sizes.push_back(rewriter.getIndexAttr(s));
        SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
        result = tensor::InsertSliceOp::create(rewriter, loc, v, result, offsets, sizes, strides);
        offset += t.getDimSize(*axis);
      }
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

struct SplitLowering : OpRewritePattern<SplitOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SplitOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getInput());
    if (!in || !isMovableElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static input of a supported type");
    int64_t rank = in.getRank();
    auto axis = normalizeAxis(op.getAxis(), rank);
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    int64_t dim = in.getDimSize(*axis);
    int64_t n = op.getNumResults();
    SmallVector<int64_t> sizes;
    // An empty `split` tensor means no split sizes were given.
    auto splitType = dyn_cast<RankedTensorType>(op.getSplit().getType());
    bool hasSplit = splitType && !(splitType.hasStaticShape() && splitType.getNumElements() == 0);
    if (hasSplit) {
      if (auto split = getConstantInts(op.getSplit())) {
        sizes = *split;
      } else {
        // Sizes known only at run time: static result types say what they
        // must be (other values would make the model invalid).
        for (Value result : op.getResults()) {
          auto type = staticTensor(result);
          if (!type || type.getRank() != rank)
            return rewriter.notifyMatchFailure(
                op, "split sizes are neither constant nor given by static result types");
          sizes.push_back(type.getDimSize(*axis));
        }
      }
    } else if (op.getNumOutputs()) {
      // ONNX 18: chunks of ceil(dim / n), the last one smaller.
      int64_t chunk = (dim + n - 1) / n;
      for (int64_t i = 0; i < n; ++i)
        sizes.push_back(std::clamp<int64_t>(dim - i * chunk, 0, chunk));
    } else {
      if (dim % n != 0)
        return rewriter.notifyMatchFailure(op, "dim is not evenly divisible");
      sizes.assign(n, dim / n);
    }
    if (static_cast<int64_t>(sizes.size()) != n ||
        llvm::any_of(sizes, [](int64_t s) { return s < 0; }))
      return rewriter.notifyMatchFailure(op, "bad split sizes");
    int64_t total = 0;
    for (int64_t s : sizes)
      total += s;
    if (total != dim)
      return rewriter.notifyMatchFailure(op, "split sizes do not add up to the dim");
    Location loc = op.getLoc();
    SmallVector<Value> results;
    int64_t offset = 0;
    for (auto [i, size] : llvm::enumerate(sizes)) {
      SmallVector<int64_t> dims(in.getShape());
      dims[*axis] = size;
      RankedTensorType type = pickResultType(op.getResult(i), dims, in.getElementType());
      if (!type)
        return rewriter.notifyMatchFailure(op, "inconsistent result type");
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[*axis] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sliceSizes;
      for (int64_t s : dims)
        sliceSizes.push_back(rewriter.getIndexAttr(s));
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      results.push_back(tensor::ExtractSliceOp::create(rewriter, loc, type, op.getInput(), offsets,
                                                       sliceSizes, strides));
      offset += size;
    }
    replaceWithCasts(rewriter, op, results);
    return success();
  }
};

// Slice whose starts, axes or steps are known only at run time, into a static
// result type: output element o of dim d reads start[d] + step[d] * o, with
// start and step read with tensor.extract and clamped as ONNX does (the
// static result type fixes the ends' effect).
LogicalResult lowerRuntimeSlice(SliceOp op, RankedTensorType in, PatternRewriter &rewriter) {
  auto type = staticTensor(op.getResult());
  auto startsType = staticTensor(op.getStarts());
  int64_t rank = in.getRank();
  if (!type || type.getRank() != rank || !startsType || startsType.getRank() != 1)
    return rewriter.notifyMatchFailure(op, "run-time slices need static starts and result types");
  int64_t count = startsType.getDimSize(0);
  for (Value v : {op.getAxes(), op.getSteps()}) {
    if (isNone(v))
      continue;
    auto t = staticTensor(v);
    if (!t || t.getRank() != 1 || t.getDimSize(0) != count)
      return rewriter.notifyMatchFailure(op, "starts, axes and steps differ in length");
  }
  if (isNone(op.getAxes()) && count > rank)
    return rewriter.notifyMatchFailure(op, "more starts than dims");
  Location loc = op.getLoc();
  if (type.getNumElements() == 0) {
    replaceWithCasts(rewriter, op, emptyOf(rewriter, loc, type));
    return success();
  }
  Type indexType = rewriter.getIndexType();
  auto c = [&](int64_t v) { return indexConst(rewriter, loc, v); };
  auto readIndex = [&](Value tensor, int64_t i) -> Value {
    Value v = tensor::ExtractOp::create(rewriter, loc, tensor, ValueRange{c(i)});
    return arith::IndexCastOp::create(rewriter, loc, indexType, v);
  };
  auto select = [&](Value cond, Value a, Value b) -> Value {
    return arith::SelectOp::create(rewriter, loc, cond, a, b);
  };
  auto cmp = [&](arith::CmpIPredicate p, Value a, Value b) -> Value {
    return arith::CmpIOp::create(rewriter, loc, p, a, b);
  };
  SmallVector<Value> start(rank, c(0)), step(rank, c(1));
  for (int64_t i = 0; i < count; ++i) {
    Value axis = isNone(op.getAxes()) ? c(i) : readIndex(op.getAxes(), i);
    axis = select(cmp(arith::CmpIPredicate::slt, axis, c(0)),
                  arith::AddIOp::create(rewriter, loc, axis, c(rank)), axis);
    Value stepI = isNone(op.getSteps()) ? c(1) : readIndex(op.getSteps(), i);
    Value startI = readIndex(op.getStarts(), i);
    for (int64_t d = 0; d < rank; ++d) {
      int64_t dim = in.getDimSize(d);
      // start += dim if negative; clamp into [0, dim] (step > 0) or
      // [0, dim - 1] (step < 0).
      Value s = select(cmp(arith::CmpIPredicate::slt, startI, c(0)),
                       arith::AddIOp::create(rewriter, loc, startI, c(dim)), startI);
      Value hi = select(cmp(arith::CmpIPredicate::sgt, stepI, c(0)), c(dim), c(dim - 1));
      s = arith::MinSIOp::create(rewriter, loc, arith::MaxSIOp::create(rewriter, loc, s, c(0)),
                                 hi);
      Value isAxis = cmp(arith::CmpIPredicate::eq, axis, c(d));
      start[d] = select(isAxis, s, start[d]);
      step[d] = select(isAxis, stepI, step[d]);
    }
  }
  Value src = op.getData();
  Value result = buildGeneric(
      rewriter, loc, type, ValueRange{}, {}, [&](OpBuilder &b, Location l, ValueRange) -> Value {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d) {
          Value o = linalg::IndexOp::create(b, l, d);
          Value i = arith::AddIOp::create(b, l, start[d], arith::MulIOp::create(b, l, step[d], o));
          // Keeps a model whose ends disagree with its result type in bounds.
          i = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, i, indexConst(b, l, 0)),
                                     indexConst(b, l, in.getDimSize(d) - 1));
          indices.push_back(i);
        }
        return tensor::ExtractOp::create(b, l, src, indices);
      });
  replaceWithCasts(rewriter, op, result);
  return success();
}

struct SliceLowering : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getData());
    if (!in || !isMovableElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static input of a supported type");
    int64_t rank = in.getRank();
    auto starts = getConstantInts(op.getStarts());
    auto ends = getConstantInts(op.getEnds());
    bool constantAxes = isNone(op.getAxes()) || getConstantInts(op.getAxes());
    bool constantSteps = isNone(op.getSteps()) || getConstantInts(op.getSteps());
    if (!starts || !ends || !constantAxes || !constantSteps)
      return lowerRuntimeSlice(op, in, rewriter);
    if (starts->size() != ends->size())
      return rewriter.notifyMatchFailure(op, "starts and ends differ in length");
    size_t count = starts->size();
    SmallVector<int64_t> axes, steps;
    if (isNone(op.getAxes())) {
      axes = llvm::to_vector(llvm::seq<int64_t>(0, count));
    } else if (auto a = getConstantInts(op.getAxes())) {
      axes = *a;
    } else {
      return rewriter.notifyMatchFailure(op, "axes are not constant");
    }
    if (isNone(op.getSteps())) {
      steps.assign(count, 1);
    } else if (auto s = getConstantInts(op.getSteps())) {
      steps = *s;
    } else {
      return rewriter.notifyMatchFailure(op, "steps are not constant");
    }
    if (axes.size() != count || steps.size() != count)
      return rewriter.notifyMatchFailure(op, "starts, ends, axes and steps differ in length");

    SmallVector<int64_t> offsets(rank, 0), sizes(in.getShape()), strides(rank, 1);
    SmallVector<bool> seen(rank, false);
    for (size_t i = 0; i < count; ++i) {
      auto axis = normalizeAxis(axes[i], rank);
      if (!axis || seen[*axis] || steps[i] == 0)
        return rewriter.notifyMatchFailure(op, "bad axes or zero step");
      seen[*axis] = true;
      int64_t dim = in.getDimSize(*axis), step = steps[i];
      int64_t start = (*starts)[i], end = (*ends)[i];
      if (start < 0)
        start += dim;
      if (end < 0)
        end += dim;
      int64_t size;
      if (step > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
        size = end > start ? (end - start + step - 1) / step : 0;
      } else {
        start = std::clamp<int64_t>(start, 0, dim - 1);
        end = std::clamp<int64_t>(end, -1, dim - 1);
        size = start > end ? (start - end + (-step) - 1) / (-step) : 0;
      }
      offsets[*axis] = start;
      sizes[*axis] = size;
      strides[*axis] = step;
    }
    RankedTensorType type = pickResultType(op.getResult(), sizes, in.getElementType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "inconsistent result type");
    Location loc = op.getLoc();
    Value result;
    if (type.getNumElements() == 0) {
      result = emptyOf(rewriter, loc, type);
    } else if (llvm::all_of(strides, [](int64_t s) { return s > 0; })) {
      result = tensor::ExtractSliceOp::create(
          rewriter, loc, type, op.getData(), getAsIndexOpFoldResult(getContext(), offsets),
          getAsIndexOpFoldResult(getContext(), sizes),
          getAsIndexOpFoldResult(getContext(), strides));
    } else {
      // Negative steps: read input[offset + step * i] through an affine map.
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d < rank; ++d)
        exprs.push_back(rewriter.getAffineConstantExpr(offsets[d]) +
                        rewriter.getAffineDimExpr(d) * strides[d]);
      AffineMap map = AffineMap::get(rank, 0, exprs, getContext());
      result = buildGeneric(rewriter, loc, type, op.getData(), map,
                            [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Gather, GatherElements
//===----------------------------------------------------------------------===//

bool isIndexElement(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.isSignless() && (i.getWidth() == 32 || i.getWidth() == 64);
}

struct GatherLowering : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherOp op, PatternRewriter &rewriter) const override {
    auto data = staticTensor(op.getData());
    auto indices = staticTensor(op.getIndices());
    if (!data || !indices || !isMovableElement(data.getElementType()) ||
        !isIndexElement(indices.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs static data and i32/i64 indices");
    int64_t r = data.getRank(), q = indices.getRank();
    auto axis = normalizeAxis(op.getAxis(), r);
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    SmallVector<int64_t> dims(data.getShape().take_front(*axis));
    llvm::append_range(dims, indices.getShape());
    llvm::append_range(dims, data.getShape().drop_front(*axis + 1));
    RankedTensorType type = pickResultType(op.getResult(), dims, data.getElementType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "inconsistent result type");
    int64_t axisSize = data.getDimSize(*axis);
    Location loc = op.getLoc();
    Value result;
    if (type.getNumElements() == 0) {
      result = emptyOf(rewriter, loc, type);
    } else if (axisSize == 0) {
      return rewriter.notifyMatchFailure(op, "gathers from an empty axis");
    } else if (auto constIdx = getConstantInts(op.getIndices());
               constIdx && constIdx->size() == 1 && (*constIdx)[0] >= -axisSize &&
               (*constIdx)[0] < axisSize) {
      // One constant index: a slice (then drop or keep the axis).
      int64_t idx = (*constIdx)[0] < 0 ? (*constIdx)[0] + axisSize : (*constIdx)[0];
      SmallVector<int64_t> offsets(r, 0), sizes(data.getShape()), strides(r, 1);
      offsets[*axis] = idx;
      sizes[*axis] = 1;
      auto sliceType = RankedTensorType::get(sizes, data.getElementType());
      Value slice = tensor::ExtractSliceOp::create(
          rewriter, loc, sliceType, op.getData(), getAsIndexOpFoldResult(getContext(), offsets),
          getAsIndexOpFoldResult(getContext(), sizes), getAsIndexOpFoldResult(getContext(), strides));
      result = reshapeTo(rewriter, loc, slice, type);
    } else {
      int64_t outRank = type.getRank();
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d < q; ++d)
        exprs.push_back(rewriter.getAffineDimExpr(*axis + d));
      AffineMap map = AffineMap::get(outRank, 0, exprs, getContext());
      Value src = op.getData();
      result = buildGeneric(rewriter, loc, type, op.getIndices(), map,
                            [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                              SmallVector<Value> at;
                              for (int64_t d = 0; d < *axis; ++d)
                                at.push_back(linalg::IndexOp::create(b, l, d));
                              at.push_back(normalizeIndex(b, l, args[0], axisSize));
                              for (int64_t d = *axis + 1; d < r; ++d)
                                at.push_back(linalg::IndexOp::create(b, l, d - 1 + q));
                              return tensor::ExtractOp::create(b, l, src, at);
                            });
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

struct GatherElementsLowering : OpRewritePattern<GatherElementsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherElementsOp op, PatternRewriter &rewriter) const override {
    auto data = staticTensor(op.getData());
    auto indices = staticTensor(op.getIndices());
    if (!data || !indices || !isMovableElement(data.getElementType()) ||
        !isIndexElement(indices.getElementType()) || data.getRank() != indices.getRank())
      return rewriter.notifyMatchFailure(op, "needs static data and i32/i64 indices");
    int64_t r = data.getRank();
    auto axis = normalizeAxis(op.getAxis(), r);
    if (!axis)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    for (int64_t d = 0; d < r; ++d)
      if (d != *axis && indices.getDimSize(d) > data.getDimSize(d))
        return rewriter.notifyMatchFailure(op, "indices exceed data in a non-axis dim");
    RankedTensorType type = pickResultType(op.getResult(), SmallVector<int64_t>(indices.getShape()),
                                           data.getElementType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "inconsistent result type");
    int64_t axisSize = data.getDimSize(*axis);
    Location loc = op.getLoc();
    Value result;
    if (type.getNumElements() == 0) {
      result = emptyOf(rewriter, loc, type);
    } else if (axisSize == 0) {
      return rewriter.notifyMatchFailure(op, "gathers from an empty axis");
    } else {
      Value src = op.getData();
      result = buildGeneric(rewriter, loc, type, op.getIndices(),
                            rewriter.getMultiDimIdentityMap(r),
                            [&](OpBuilder &b, Location l, ValueRange args) -> Value {
                              SmallVector<Value> at;
                              for (int64_t d = 0; d < r; ++d)
                                at.push_back(d == *axis ? normalizeIndex(b, l, args[0], axisSize)
                                                        : linalg::IndexOp::create(b, l, d));
                              return tensor::ExtractOp::create(b, l, src, at);
                            });
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

// Source index of output position `o` along a dim of size `dim` padded by
// `low` in reflect, edge or wrap mode (numpy's np.pad, large pads included).
int64_t padSourceIndex(StringRef mode, int64_t o, int64_t low, int64_t dim) {
  int64_t i = o - low;
  if (mode == "edge")
    return std::clamp<int64_t>(i, 0, dim - 1);
  if (mode == "wrap")
    return ((i % dim) + dim) % dim;
  // reflect
  int64_t period = 2 * (dim - 1);
  if (period == 0)
    return 0;
  int64_t m = ((i % period) + period) % period;
  return m < dim ? m : period - m;
}

// Pad whose pads (and axes) are known only at run time, into a static result
// type: every output element computes its source index from the leading pads
// read with tensor.extract, then reads the input (or takes the constant).
LogicalResult lowerRuntimePad(PadOp op, RankedTensorType in, PatternRewriter &rewriter) {
  auto type = staticTensor(op.getResult());
  auto padsType = staticTensor(op.getPads());
  StringRef mode = op.getMode();
  int64_t rank = in.getRank();
  if (!type || type.getRank() != rank || !padsType || padsType.getRank() != 1)
    return rewriter.notifyMatchFailure(op, "run-time pads need static pads and result types");
  if (mode != "constant" && mode != "edge" && mode != "reflect" && mode != "wrap")
    return rewriter.notifyMatchFailure(op, "unknown mode");
  if (llvm::any_of(in.getShape(), [](int64_t d) { return d == 0; }))
    return rewriter.notifyMatchFailure(op, "run-time pads of an empty input");
  Value constantValue = op.getConstantValue();
  Type elt = in.getElementType();
  if (mode == "constant" && !isNone(constantValue) &&
      (!isScalarTensor(constantValue) || getElementTypeOrSelf(constantValue.getType()) != elt))
    return rewriter.notifyMatchFailure(op, "constant_value must be a scalar");
  if (mode == "constant" && isNone(constantValue) && !isArithElement(elt))
    return rewriter.notifyMatchFailure(op, "no zero constant for this element type");
  int64_t count = padsType.getDimSize(0) / 2;
  bool allAxes = isNone(op.getAxes());
  auto axesType = allAxes ? RankedTensorType() : staticTensor(op.getAxes());
  if (allAxes ? count != rank
              : !axesType || axesType.getRank() != 1 || axesType.getDimSize(0) != count ||
                    padsType.getDimSize(0) != 2 * count)
    return rewriter.notifyMatchFailure(op, "pads do not match the axes");

  Location loc = op.getLoc();
  Type indexType = rewriter.getIndexType();
  auto readIndex = [&](Value tensor, int64_t i) -> Value {
    Value v = tensor::ExtractOp::create(rewriter, loc, tensor, ValueRange{indexConst(rewriter, loc, i)});
    return arith::IndexCastOp::create(rewriter, loc, indexType, v);
  };
  // low[d] = the leading pad of the entry whose (normalized) axis is d.
  SmallVector<Value> low(rank, indexConst(rewriter, loc, 0));
  for (int64_t i = 0; i < count; ++i) {
    Value pad = readIndex(op.getPads(), i);
    if (allAxes) {
      low[i] = pad;
      continue;
    }
    Value axis = readIndex(op.getAxes(), i);
    Value negative =
        arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt, axis, indexConst(rewriter, loc, 0));
    axis = arith::SelectOp::create(
        rewriter, loc, negative,
        arith::AddIOp::create(rewriter, loc, axis, indexConst(rewriter, loc, rank)), axis);
    for (int64_t d = 0; d < rank; ++d) {
      Value isAxis = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, axis,
                                           indexConst(rewriter, loc, d));
      low[d] = arith::SelectOp::create(rewriter, loc, isAxis, pad, low[d]);
    }
  }
  Value fill = mode != "constant"          ? Value()
               : isNone(constantValue) ? zeroOf(rewriter, loc, elt)
                                       : extractScalar(rewriter, loc, constantValue);
  Value src = op.getData();
  Value result = buildGeneric(
      rewriter, loc, type, ValueRange{}, {}, [&](OpBuilder &b, Location l, ValueRange) -> Value {
        auto c = [&](int64_t v) { return indexConst(b, l, v); };
        auto positiveRem = [&](Value x, int64_t m) -> Value {
          Value r = arith::RemSIOp::create(b, l, x, c(m));
          Value negative = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, r, c(0));
          return arith::SelectOp::create(b, l, negative, arith::AddIOp::create(b, l, r, c(m)), r);
        };
        SmallVector<Value> indices;
        Value inside = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
        for (int64_t d = 0; d < rank; ++d) {
          int64_t dim = in.getDimSize(d);
          Value i = arith::SubIOp::create(b, l, linalg::IndexOp::create(b, l, d), low[d]);
          Value clamped = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, i, c(0)),
                                                 c(dim - 1));
          if (mode == "constant") {
            Value ok = arith::AndIOp::create(
                b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, i, c(0)),
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, c(dim)));
            inside = arith::AndIOp::create(b, l, inside, ok);
            i = clamped;
          } else if (mode == "edge" || dim == 1) {
            i = clamped;
          } else if (mode == "wrap") {
            i = positiveRem(i, dim);
          } else {
            // reflect: period 2 (dim - 1), folded back past the last element.
            int64_t period = 2 * (dim - 1);
            Value m = positiveRem(i, period);
            Value back = arith::SubIOp::create(b, l, c(period), m);
            Value below = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, m, c(dim));
            i = arith::SelectOp::create(b, l, below, m, back);
          }
          indices.push_back(i);
        }
        Value v = tensor::ExtractOp::create(b, l, src, indices);
        if (mode == "constant")
          v = arith::SelectOp::create(b, l, inside, v, fill);
        return v;
      });
  replaceWithCasts(rewriter, op, result);
  return success();
}

struct PadLowering : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getData());
    if (!in || !isMovableElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static input of a supported type");
    int64_t rank = in.getRank();
    auto pads = getConstantInts(op.getPads());
    bool constantAxes = isNone(op.getAxes()) || getConstantInts(op.getAxes());
    if (!pads || !constantAxes)
      return lowerRuntimePad(op, in, rewriter);
    SmallVector<int64_t> axes;
    if (isNone(op.getAxes())) {
      axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    } else if (auto a = getConstantInts(op.getAxes())) {
      axes = *a;
    } else {
      return rewriter.notifyMatchFailure(op, "axes are not constant");
    }
    if (pads->size() != 2 * axes.size())
      return rewriter.notifyMatchFailure(op, "pads do not match the axes");
    SmallVector<int64_t> low(rank, 0), high(rank, 0);
    for (auto [i, a] : llvm::enumerate(axes)) {
      auto axis = normalizeAxis(a, rank);
      if (!axis)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      low[*axis] = (*pads)[i];
      high[*axis] = (*pads)[i + axes.size()];
    }
    StringRef mode = op.getMode();
    Value constantValue = op.getConstantValue();
    if (mode == "constant" && !isNone(constantValue) &&
        (!isScalarTensor(constantValue) ||
         getElementTypeOrSelf(constantValue.getType()) != in.getElementType()))
      return rewriter.notifyMatchFailure(op, "constant_value must be a scalar");
    if (mode == "constant" && isNone(constantValue) && !isArithElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "no zero constant for this element type");

    // Negative pads crop first (as onnxruntime does); the rest pads.
    SmallVector<int64_t> cropOffsets(rank), cropSizes(rank), outDims(rank);
    bool crop = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t lowCrop = std::max<int64_t>(-low[d], 0), highCrop = std::max<int64_t>(-high[d], 0);
      cropOffsets[d] = lowCrop;
      cropSizes[d] = in.getDimSize(d) - lowCrop - highCrop;
      if (cropSizes[d] < 0)
        return rewriter.notifyMatchFailure(op, "pads crop more than the dim");
      crop |= lowCrop || highCrop;
      low[d] = std::max<int64_t>(low[d], 0);
      high[d] = std::max<int64_t>(high[d], 0);
      outDims[d] = cropSizes[d] + low[d] + high[d];
    }
    RankedTensorType type = pickResultType(op.getResult(), outDims, in.getElementType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "inconsistent result type");
    if (mode != "constant")
      for (int64_t d = 0; d < rank; ++d)
        if ((low[d] || high[d]) && cropSizes[d] == 0 && type.getNumElements() != 0)
          return rewriter.notifyMatchFailure(op, "cannot pad an empty dim in this mode");

    Location loc = op.getLoc();
    if (type.getNumElements() == 0) {
      replaceWithCasts(rewriter, op, emptyOf(rewriter, loc, type));
      return success();
    }
    Value src = op.getData();
    if (crop) {
      SmallVector<int64_t> ones(rank, 1);
      src = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(cropSizes, in.getElementType()), src,
          getAsIndexOpFoldResult(getContext(), cropOffsets),
          getAsIndexOpFoldResult(getContext(), cropSizes),
          getAsIndexOpFoldResult(getContext(), ones));
    }
    Value result = src;
    bool anyPad = llvm::any_of(low, [](int64_t v) { return v != 0; }) ||
                  llvm::any_of(high, [](int64_t v) { return v != 0; });
    if (!anyPad) {
      // Nothing to add.
    } else if (mode == "constant") {
      Value value = isNone(constantValue) ? zeroOf(rewriter, loc, in.getElementType())
                                               : extractScalar(rewriter, loc, constantValue);
      result = tensor::PadOp::create(rewriter, loc, type, src,
                                     getAsIndexOpFoldResult(getContext(), low),
                                     getAsIndexOpFoldResult(getContext(), high), value);
    } else {
      SmallVector<std::optional<SmallVector<int64_t>>> tables(rank);
      for (int64_t d = 0; d < rank; ++d) {
        if (!low[d] && !high[d])
          continue;
        SmallVector<int64_t> table;
        for (int64_t o = 0; o < outDims[d]; ++o)
          table.push_back(padSourceIndex(mode, o, low[d], cropSizes[d]));
        tables[d] = std::move(table);
      }
      result = gatherByTables(rewriter, loc, src, type, tables);
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

// Maps output coordinate x to the input coordinate (ONNX Resize, computed in
// double like the ONNX reference implementation).
double resizeSourceCoordinate(StringRef mode, double x, double scale, int64_t inSize,
                              int64_t outSize) {
  double outWidth = scale * static_cast<double>(inSize);
  if (mode == "align_corners")
    return outWidth == 1 ? 0.0 : x * (inSize - 1) / (outWidth - 1);
  if (mode == "asymmetric")
    return x / scale;
  if (mode == "pytorch_half_pixel")
    return outWidth == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
  if (mode == "half_pixel_symmetric") {
    double adjustment = static_cast<double>(outSize) / outWidth;
    double center = static_cast<double>(inSize) / 2;
    double offset = center * (1 - adjustment);
    return offset + (x + 0.5) / scale - 0.5;
  }
  // half_pixel
  return (x + 0.5) / scale - 0.5;
}

struct ResizeLowering : OpRewritePattern<ResizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ResizeOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getX());
    if (!in || !isMovableElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static input of a supported type");
    StringRef mode = op.getMode(), ctm = op.getCoordinateTransformationMode();
    bool linear = mode == "linear";
    if (mode != "nearest" && !linear)
      return rewriter.notifyMatchFailure(op, "only nearest and linear modes");
    if (op.getAntialias() != 0)
      return rewriter.notifyMatchFailure(op, "antialias is not supported");
    if (ctm == "tf_crop_and_resize")
      return rewriter.notifyMatchFailure(op, "tf_crop_and_resize is not supported");
    Type elt = in.getElementType();
    if (linear && !isa<FloatType>(elt))
      return rewriter.notifyMatchFailure(op, "linear mode needs floats");
    int64_t rank = in.getRank();

    SmallVector<int64_t> axes;
    if (auto a = op.getAxes()) {
      for (int64_t v : *a) {
        auto axis = normalizeAxis(v, rank);
        if (!axis)
          return rewriter.notifyMatchFailure(op, "axis out of range");
        axes.push_back(*axis);
      }
    } else {
      axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    }
    SmallVector<double> scales(rank, 1.0);
    SmallVector<int64_t> outDims(in.getShape());
    auto scaleValues = getConstantFloats(op.getScales());
    if (scaleValues && scaleValues->empty())
      scaleValues.reset(); // an empty `scales` means `sizes` is used
    if (scaleValues) {
      if (scaleValues->size() != axes.size())
        return rewriter.notifyMatchFailure(op, "scales do not match the axes");
      for (auto [i, axis] : llvm::enumerate(axes)) {
        double s = (*scaleValues)[i];
        if (!(s > 0))
          return rewriter.notifyMatchFailure(op, "scales must be positive");
        scales[axis] = s;
        outDims[axis] = static_cast<int64_t>(s * static_cast<double>(in.getDimSize(axis)));
      }
    } else {
      auto sizes = getConstantInts(op.getSizes());
      if (!sizes || sizes->size() != axes.size())
        return rewriter.notifyMatchFailure(op, "needs constant scales or sizes");
      for (auto [i, axis] : llvm::enumerate(axes)) {
        if (in.getDimSize(axis) == 0)
          return rewriter.notifyMatchFailure(op, "cannot resize an empty dim");
        scales[axis] = static_cast<double>((*sizes)[i]) / in.getDimSize(axis);
        outDims[axis] = (*sizes)[i];
      }
      StringRef policy = op.getKeepAspectRatioPolicy();
      if (policy != "stretch") {
        double scale = scales[axes[0]];
        for (int64_t axis : axes)
          scale = policy == "not_larger" ? std::min(scale, scales[axis])
                                         : std::max(scale, scales[axis]);
        for (int64_t axis : axes) {
          scales[axis] = scale;
          outDims[axis] = static_cast<int64_t>(scale * in.getDimSize(axis) + 0.5);
        }
      }
    }
    RankedTensorType type = pickResultType(op.getResult(), outDims, elt);
    if (!type)
      return rewriter.notifyMatchFailure(op, "inconsistent result type");
    Location loc = op.getLoc();
    if (type.getNumElements() == 0) {
      replaceWithCasts(rewriter, op, emptyOf(rewriter, loc, type));
      return success();
    }

    // Per resized dim: the floor neighbour, the one above, and the ratio
    // between them (ONNX reference: an integral coordinate takes the upper
    // neighbour with ratio 1; indices clamp to the edge).
    struct AxisTables {
      SmallVector<int64_t> lo, hi;
      SmallVector<double> ratio;
    };
    SmallVector<std::optional<AxisTables>> perDim(rank);
    for (int64_t d = 0; d < rank; ++d) {
      int64_t inSize = in.getDimSize(d), outSize = outDims[d];
      if (std::fabs(scales[d] - 1.0) <= 1e-9 * std::max(1.0, std::fabs(scales[d])) &&
          inSize == outSize)
        continue; // the reference skips identity axes
      if (inSize == 0)
        return rewriter.notifyMatchFailure(op, "cannot resize an empty dim");
      AxisTables t;
      for (int64_t o = 0; o < outSize; ++o) {
        double x = resizeSourceCoordinate(ctm, o, scales[d], inSize, outSize);
        double fl = std::floor(x);
        int64_t lo = static_cast<int64_t>(fl), hi = lo + 1;
        double ratio = x - fl;
        if (x == fl) {
          lo -= 1;
          hi -= 1;
          ratio = 1.0;
        }
        t.lo.push_back(std::clamp<int64_t>(lo, 0, inSize - 1));
        t.hi.push_back(std::clamp<int64_t>(hi, 0, inSize - 1));
        t.ratio.push_back(ratio);
      }
      perDim[d] = std::move(t);
    }

    if (linear && llvm::count_if(perDim, [](const auto &t) { return t.has_value(); }) > 4)
      return rewriter.notifyMatchFailure(op, "linear resize of more than 4 dims");
    Value result;
    if (!linear) {
      StringRef nearest = op.getNearestMode();
      SmallVector<std::optional<SmallVector<int64_t>>> tables(rank);
      for (int64_t d = 0; d < rank; ++d) {
        if (!perDim[d])
          continue;
        SmallVector<int64_t> table;
        for (auto [lo, hi, ratio] : llvm::zip(perDim[d]->lo, perDim[d]->hi, perDim[d]->ratio)) {
          bool up;
          if (ratio == 1.0)
            up = true; // integral coordinate
          else if (nearest == "round_prefer_floor")
            up = ratio > 0.5;
          else if (nearest == "round_prefer_ceil")
            up = ratio >= 0.5;
          else if (nearest == "floor")
            up = false;
          else
            up = true; // ceil
          table.push_back(up ? hi : lo);
        }
        tables[d] = std::move(table);
      }
      bool any = llvm::any_of(tables, [](const auto &t) { return t.has_value(); });
      result = any ? gatherByTables(rewriter, loc, op.getX(), type, tables) : op.getX();
    } else if (llvm::none_of(perDim, [](const auto &t) { return t.has_value(); })) {
      result = op.getX();
    } else {
      // Multilinear: sum over the 2^k corners of the resized dims.
      SmallVector<int64_t> resized;
      SmallVector<Value> inputs;
      SmallVector<AffineMap> maps;
      for (int64_t d = 0; d < rank; ++d) {
        if (!perDim[d])
          continue;
        resized.push_back(d);
        int64_t n = perDim[d]->lo.size();
        inputs.push_back(tableConstant(rewriter, loc, perDim[d]->lo));
        inputs.push_back(tableConstant(rewriter, loc, perDim[d]->hi));
        SmallVector<Attribute> w0, w1;
        for (double r : perDim[d]->ratio) {
          w0.push_back(rewriter.getFloatAttr(elt, 1.0 - r));
          w1.push_back(rewriter.getFloatAttr(elt, r));
        }
        auto weightType = RankedTensorType::get({n}, elt);
        inputs.push_back(arith::ConstantOp::create(rewriter, loc, weightType,
                                                   DenseElementsAttr::get(weightType, w0)));
        inputs.push_back(arith::ConstantOp::create(rewriter, loc, weightType,
                                                   DenseElementsAttr::get(weightType, w1)));
        for (int i = 0; i < 4; ++i)
          maps.push_back(AffineMap::get(rank, 0, rewriter.getAffineDimExpr(d), getContext()));
      }
      Value src = op.getX();
      result = buildGeneric(
          rewriter, loc, type, inputs, maps, [&](OpBuilder &b, Location l, ValueRange args) {
            int64_t k = resized.size();
            SmallVector<Value> lo, hi, w0, w1;
            for (int64_t i = 0; i < k; ++i) {
              lo.push_back(arith::IndexCastOp::create(b, l, b.getIndexType(), args[4 * i]));
              hi.push_back(arith::IndexCastOp::create(b, l, b.getIndexType(), args[4 * i + 1]));
              w0.push_back(args[4 * i + 2]);
              w1.push_back(args[4 * i + 3]);
            }
            SmallVector<Value> base;
            for (int64_t d = 0; d < rank; ++d)
              base.push_back(linalg::IndexOp::create(b, l, d));
            Value sum;
            for (int64_t corner = 0; corner < (int64_t(1) << k); ++corner) {
              SmallVector<Value> at(base);
              Value weight;
              for (int64_t i = 0; i < k; ++i) {
                bool upper = (corner >> i) & 1;
                at[resized[i]] = upper ? hi[i] : lo[i];
                Value w = upper ? w1[i] : w0[i];
                weight = weight ? arith::MulFOp::create(b, l, weight, w).getResult() : w;
              }
              Value v = tensor::ExtractOp::create(b, l, src, at);
              Value term = arith::MulFOp::create(b, l, weight, v);
              sum = sum ? arith::AddFOp::create(b, l, sum, term).getResult() : term;
            }
            return sum;
          });
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Expand, Tile
//===----------------------------------------------------------------------===//

struct ExpandLowering : OpRewritePattern<ExpandOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ExpandOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getInput());
    if (!in || !isMovableElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static input of a supported type");
    std::optional<SmallVector<int64_t>> inferred;
    if (auto shape = getConstantInts(op.getShape())) {
      // Bidirectional broadcast of the input shape and `shape`.
      int64_t rank = std::max<int64_t>(in.getRank(), shape->size());
      SmallVector<int64_t> dims(rank, 1);
      bool ok = true;
      for (int64_t i = 0; i < rank; ++i) {
        int64_t a = i - (rank - in.getRank()), s = i - (rank - shape->size());
        int64_t da = a >= 0 ? in.getDimSize(a) : 1, ds = s >= 0 ? (*shape)[s] : 1;
        if (da == ds || ds == 1)
          dims[i] = da;
        else if (da == 1)
          dims[i] = ds;
        else
          ok = false;
      }
      if (!ok)
        return rewriter.notifyMatchFailure(op, "shapes do not broadcast");
      inferred = dims;
    }
    RankedTensorType type = pickResultType(op.getResult(), inferred, in.getElementType());
    if (!type || type.getRank() < in.getRank())
      return rewriter.notifyMatchFailure(op, "needs a constant shape or static result");
    FailureOr<AffineMap> map = broadcastingMap(in, type);
    if (failed(map))
      return rewriter.notifyMatchFailure(op, "input does not broadcast to the result");
    Location loc = op.getLoc();
    Value result;
    if (type == in)
      result = op.getInput();
    else if (type.getNumElements() == 0)
      result = emptyOf(rewriter, loc, type);
    else
      result = buildGeneric(rewriter, loc, type, op.getInput(), *map,
                            [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

struct TileLowering : OpRewritePattern<TileOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TileOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getInput());
    if (!in || !isMovableElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static input of a supported type");
    int64_t rank = in.getRank();
    std::optional<SmallVector<int64_t>> inferred;
    if (auto repeats = getConstantInts(op.getRepeats())) {
      if (static_cast<int64_t>(repeats->size()) != rank ||
          llvm::any_of(*repeats, [](int64_t r) { return r < 0; }))
        return rewriter.notifyMatchFailure(op, "bad repeats");
      SmallVector<int64_t> dims;
      for (int64_t d = 0; d < rank; ++d)
        dims.push_back(in.getDimSize(d) * (*repeats)[d]);
      inferred = dims;
    }
    RankedTensorType type = pickResultType(op.getResult(), inferred, in.getElementType());
    if (!type || type.getRank() != rank)
      return rewriter.notifyMatchFailure(op, "needs constant repeats or a static result");
    Location loc = op.getLoc();
    Value result;
    if (type.getNumElements() == 0) {
      result = emptyOf(rewriter, loc, type);
    } else if (type == in) {
      result = op.getInput();
    } else {
      // Iterate [r0, d0, r1, d1, ...] (a size-1 repeat adds no dim), read the
      // input at the d's, and collapse each (r, d) pair.
      SmallVector<int64_t> expanded;
      SmallVector<AffineExpr> exprs;
      SmallVector<ReassociationIndices> assoc;
      for (int64_t d = 0; d < rank; ++d) {
        int64_t size = in.getDimSize(d);
        if (type.getDimSize(d) % size != 0)
          return rewriter.notifyMatchFailure(op, "result dim is not a multiple");
        int64_t repeat = type.getDimSize(d) / size;
        ReassociationIndices group;
        if (repeat != 1) {
          group.push_back(expanded.size());
          expanded.push_back(repeat);
        }
        group.push_back(expanded.size());
        exprs.push_back(rewriter.getAffineDimExpr(expanded.size()));
        expanded.push_back(size);
        assoc.push_back(group);
      }
      auto expandedType = RankedTensorType::get(expanded, in.getElementType());
      Value generic =
          buildGeneric(rewriter, loc, expandedType, op.getInput(),
                       AffineMap::get(expanded.size(), 0, exprs, getContext()),
                       [](OpBuilder &, Location, ValueRange args) { return args[0]; });
      result = tensor::CollapseShapeOp::create(rewriter, loc, type, generic, assoc);
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Trilu, CumSum
//===----------------------------------------------------------------------===//

struct TriluLowering : OpRewritePattern<TriluOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TriluOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getInput());
    if (!in || in.getRank() < 2 || !isArithElement(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a static input of rank >= 2");
    Value kTensor = op.getK();
    if (!isNone(kTensor) && (!isScalarTensor(kTensor) ||
                                  !isIndexElement(getElementTypeOrSelf(kTensor.getType()))))
      return rewriter.notifyMatchFailure(op, "k must be an integer scalar");
    RankedTensorType type = pickResultType(op.getResult(), SmallVector<int64_t>(in.getShape()),
                                           in.getElementType());
    if (!type)
      return rewriter.notifyMatchFailure(op, "inconsistent result type");
    Location loc = op.getLoc();
    int64_t rank = in.getRank();
    // k may be a run-time scalar.
    Value k = isNone(kTensor)
                  ? indexConst(rewriter, loc, 0)
                  : arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                               extractScalar(rewriter, loc, kTensor))
                        .getResult();
    bool upper = op.getUpper() != 0;
    Type elt = in.getElementType();
    Value result = op.getInput();
    if (type.getNumElements() != 0)
      result = buildGeneric(
          rewriter, loc, type, op.getInput(), rewriter.getMultiDimIdentityMap(rank),
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value i = linalg::IndexOp::create(b, l, rank - 2);
            Value j = linalg::IndexOp::create(b, l, rank - 1);
            Value diff = arith::SubIOp::create(b, l, j, i);
            // upper keeps j - i >= k, lower keeps j - i <= k.
            Value keep = arith::CmpIOp::create(
                b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle, diff, k);
            return arith::SelectOp::create(b, l, keep, args[0], zeroOf(b, l, elt));
          });
    replaceWithCasts(rewriter, op, result);
    return success();
  }
};

struct CumSumLowering : OpRewritePattern<CumSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CumSumOp op, PatternRewriter &rewriter) const override {
    auto in = staticTensor(op.getX());
    Type elt = in ? in.getElementType() : Type();
    if (!in || in.getRank() == 0 || !isArithElement(elt) || elt.isInteger(1))
      return rewriter.notifyMatchFailure(op, "needs a static numeric input");
    int64_t rank = in.getRank();
    auto axisType = staticTensor(op.getAxis());
    if (!axisType || axisType.getNumElements() != 1)
      return rewriter.notifyMatchFailure(op, "axis is not a scalar");
    RankedTensorType type = pickResultType(op.getResult(), SmallVector<int64_t>(in.getShape()), elt);
    if (!type)
      return rewriter.notifyMatchFailure(op, "inconsistent result type");
    Location loc = op.getLoc();
    if (type.getNumElements() == 0) {
      replaceWithCasts(rewriter, op, emptyOf(rewriter, loc, type));
      return success();
    }
    if (auto axisValues = getConstantInts(op.getAxis())) {
      auto axis = normalizeAxis((*axisValues)[0], rank);
      if (!axis)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      replaceWithCasts(rewriter, op, cumSumAlong(rewriter, loc, op, type, *axis));
      return success();
    }
    // Axis known only at run time: one sum per possible axis, the one the
    // axis names selected.
    Value axis = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                            extractScalar(rewriter, loc, op.getAxis()));
    Value negative = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt, axis,
                                           indexConst(rewriter, loc, 0));
    axis = arith::SelectOp::create(
        rewriter, loc, negative,
        arith::AddIOp::create(rewriter, loc, axis, indexConst(rewriter, loc, rank)), axis);
    Value result = cumSumAlong(rewriter, loc, op, type, 0);
    for (int64_t d = 1; d < rank; ++d) {
      Value isAxis = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, axis,
                                           indexConst(rewriter, loc, d));
      result = arith::SelectOp::create(rewriter, loc, isAxis,
                                       cumSumAlong(rewriter, loc, op, type, d), result);
    }
    replaceWithCasts(rewriter, op, result);
    return success();
  }

  // y[.., i, ..] = sum over j of x[.., j, ..] where j is in the prefix (or
  // suffix) of i: a reduction over an extra loop dim j (quadratic in the axis
  // length, fully parallel in the other dims).
  static Value cumSumAlong(PatternRewriter &rewriter, Location loc, CumSumOp op,
                           RankedTensorType type, int64_t axisDim) {
    int64_t rank = type.getRank();
    Type elt = type.getElementType();
    MLIRContext *ctx = rewriter.getContext();
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    arith::CmpIPredicate pred = reverse ? (exclusive ? arith::CmpIPredicate::sgt
                                                     : arith::CmpIPredicate::sge)
                                        : (exclusive ? arith::CmpIPredicate::slt
                                                     : arith::CmpIPredicate::sle);
    int64_t loops = rank + 1;
    SmallVector<AffineExpr> inExprs;
    for (int64_t d = 0; d < rank; ++d)
      inExprs.push_back(rewriter.getAffineDimExpr(d == axisDim ? rank : d));
    SmallVector<AffineMap> maps{AffineMap::get(loops, 0, inExprs, ctx),
                                AffineMap::getMultiDimIdentityMap(loops, ctx).getMajorSubMap(rank)};
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators.push_back(utils::IteratorType::reduction);
    Value zero = zeroOf(rewriter, loc, elt);
    Value init = linalg::FillOp::create(rewriter, loc, ValueRange{zero},
                                        ValueRange{emptyOf(rewriter, loc, type)})
                     .getResult(0);
    bool isFloat = isa<FloatType>(elt);
    return linalg::GenericOp::create(
               rewriter, loc, TypeRange{type}, ValueRange{op.getX()}, ValueRange{init}, maps,
               iterators,
               [&](OpBuilder &b, Location l, ValueRange args) {
                 Value i = linalg::IndexOp::create(b, l, axisDim);
                 Value j = linalg::IndexOp::create(b, l, rank);
                 Value take = arith::CmpIOp::create(b, l, pred, j, i);
                 Value sum = isFloat ? arith::AddFOp::create(b, l, args[1], args[0]).getResult()
                                     : arith::AddIOp::create(b, l, args[1], args[0]).getResult();
                 linalg::YieldOp::create(b, l,
                                         Value(arith::SelectOp::create(b, l, take, sum, args[1])));
               })
        .getResult(0);
  }
};

} // namespace

void populateDataMovementToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ShapeLowering, SizeLowering, ConstantOfShapeLowering,
               RangeLowering, IdentityLowering, DropoutLowering, CastLowering, CastLikeLowering,
               TransposeLowering, DepthToSpaceLowering, SpaceToDepthLowering, ConcatLowering,
               SplitLowering, SliceLowering, GatherLowering, GatherElementsLowering, PadLowering,
               ResizeLowering, ExpandLowering, TileLowering, TriluLowering, CumSumLowering>(ctx);
  patterns.add<ReshapeLikeLowering<ReshapeOp>>(ctx, inferReshape);
  patterns.add<ReshapeLikeLowering<FlattenOp>>(ctx, inferFlatten);
  patterns.add<ReshapeLikeLowering<SqueezeOp>>(ctx, inferSqueeze);
  patterns.add<ReshapeLikeLowering<UnsqueezeOp>>(ctx, inferUnsqueeze);
}

} // namespace qc

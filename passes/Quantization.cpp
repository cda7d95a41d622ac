//===- Quantization.cpp - where quantization goes, and Q/DQ helpers -------===//
#include "passes/Quantization.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace qc {

bool isQuantizableActivation(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.getElementType().isF32())
    return false;
  Operation *def = value.getDefiningOp();
  return !def || !def->hasTrait<OpTrait::ConstantLike>();
}

SmallVector<unsigned, 2> quantizedActivationOperands(Operation *op) {
  if (isa<ConvOp, ConvTransposeOp, GlobalAveragePoolOp>(op))
    return {0};
  if (isa<MatMulOp, GemmOp>(op))
    return {0, 1};
  // An Add of a constant is a bias: it joins the contraction before it.
  if (isa<AddOp>(op) && isQuantizableActivation(op->getOperand(0)) &&
      isQuantizableActivation(op->getOperand(1)))
    return {0, 1};
  return {};
}

std::optional<WeightOperand> quantizedWeightOperand(Operation *op) {
  auto rank = [&](unsigned operand) {
    auto type = dyn_cast<RankedTensorType>(op->getOperand(operand).getType());
    return type ? type.getRank() : -1;
  };
  if (isa<ConvOp>(op))
    return WeightOperand{1, 0};
  if (auto convT = dyn_cast<ConvTransposeOp>(op))
    return WeightOperand{1, convT.getGroup() == 1 ? std::optional<int64_t>(1) : std::nullopt};
  if (isa<MatMulOp>(op))
    return WeightOperand{1, rank(1) == 2 ? std::optional<int64_t>(1) : std::nullopt};
  if (auto gemm = dyn_cast<GemmOp>(op))
    return WeightOperand{1, gemm.getTransB() != 0 ? 0 : 1};
  return std::nullopt;
}

std::optional<std::pair<AddOp, unsigned>> matmulBiasAdd(MatMulOp matmul) {
  Value result = matmul.getResult();
  auto resultType = dyn_cast<RankedTensorType>(result.getType());
  if (!resultType || resultType.getRank() < 1 || !result.hasOneUse())
    return std::nullopt;
  auto add = dyn_cast<AddOp>(*result.getUsers().begin());
  if (!add)
    return std::nullopt;
  unsigned other = add->getOperand(0) == result ? 1 : 0;
  Value bias = add->getOperand(other);
  auto type = dyn_cast<RankedTensorType>(bias.getType());
  if (bias == result || !constantAsDense(bias) || !type || type.getRank() != 1 ||
      !type.getElementType().isF32() || type.getDimSize(0) != resultType.getShape().back())
    return std::nullopt;
  return std::make_pair(add, other);
}

static bool isConstantSplat(Value value, double expected) {
  DenseElementsAttr attr = constantAsDense(value);
  if (!attr || !attr.isSplat())
    return false;
  if (isa<FloatType>(attr.getElementType()))
    return attr.getSplatValue<APFloat>().convertToDouble() == expected;
  if (isa<IntegerType>(attr.getElementType()))
    return attr.getSplatValue<APInt>().getSExtValue() == static_cast<int64_t>(expected);
  return false;
}

std::optional<BiasOperand> quantizedBiasOperand(Operation *op) {
  if (isa<ConvOp>(op))
    return BiasOperand{2, 0};
  if (auto convT = dyn_cast<ConvTransposeOp>(op); convT && convT.getGroup() == 1)
    return BiasOperand{2, 1};
  if (auto gemm = dyn_cast<GemmOp>(op);
      gemm && gemm.getAlpha().convertToFloat() == 1.0f && gemm.getBeta().convertToFloat() == 1.0f)
    return BiasOperand{2, gemm.getTransB() != 0 ? 0 : 1};
  return std::nullopt;
}

bool preservesScale(Operation *op) {
  if (isa<MaxPoolOp>(op))
    return op->getResult(1).use_empty(); // not the Indices
  if (isa<ReshapeOp, TransposeOp, FlattenOp, SqueezeOp, UnsqueezeOp, SliceOp>(op))
    return true;
  if (auto pad = dyn_cast<PadOp>(op))
    return pad.getMode() == "constant" && (isa<NoneType>(pad.getConstantValue().getType()) ||
                                           isConstantSplat(pad.getConstantValue(), 0.0));
  if (auto resize = dyn_cast<ResizeOp>(op))
    return resize.getMode() == "nearest";
  return false;
}

SmallVector<QuantizedActivation> collectQuantizedActivations(ModuleOp module) {
  llvm::SetVector<Value> values;
  module.walk([&](Operation *op) {
    for (unsigned operand : quantizedActivationOperands(op))
      if (isQuantizableActivation(op->getOperand(operand)))
        values.insert(op->getOperand(operand));
  });
  SmallVector<QuantizedActivation> result;
  for (auto [index, value] : llvm::enumerate(values)) {
    std::string name = onnxTensorName(value);
    result.push_back({value, name.empty() ? "tensor_" + std::to_string(index) : name});
  }
  return result;
}

void setCalibration(ModuleOp module, const calib::Table &table) {
  MLIRContext *context = module.getContext();
  auto i8 = IntegerType::get(context, 8);
  auto f32 = Float32Type::get(context);
  SmallVector<NamedAttribute> entries;
  for (const calib::TableEntry &e : table.entries) {
    bool isSigned = e.type == calib::ActivationType::Int8;
    auto type = quant::UniformQuantizedType::get(
        isSigned ? quant::QuantizationFlags::Signed : 0, i8, f32, e.params.scale,
        e.params.zeroPoint, isSigned ? -128 : 0, isSigned ? 127 : 255);
    entries.push_back(NamedAttribute(StringAttr::get(context, e.tensor), TypeAttr::get(type)));
  }
  module->setAttr(kCalibrationAttr, DictionaryAttr::get(context, entries));
  Builder b(context);
  if (!table.floatLayers.empty()) {
    SmallVector<StringRef> layers(table.floatLayers.begin(), table.floatLayers.end());
    module->setAttr(kFloatLayersAttr, b.getStrArrayAttr(layers));
  }
  if (!table.biasCorrections.empty()) {
    SmallVector<NamedAttribute> corrections;
    for (const calib::BiasCorrection &c : table.biasCorrections)
      corrections.push_back(b.getNamedAttr(c.layer, b.getDenseF32ArrayAttr(c.delta)));
    module->setAttr(kBiasCorrectionsAttr, b.getDictionaryAttr(corrections));
  }
  if (!table.roundedWeights.empty()) {
    SmallVector<NamedAttribute> weights;
    for (const calib::RoundedWeight &w : table.roundedWeights) {
      auto type = RankedTensorType::get({static_cast<int64_t>(w.values.size())}, i8);
      weights.push_back(
          b.getNamedAttr(w.layer, DenseElementsAttr::get(type, ArrayRef<int8_t>(w.values))));
    }
    module->setAttr(kRoundedWeightsAttr, b.getDictionaryAttr(weights));
  }
}

quant::UniformQuantizedType perTensorType(Operation *qdq) {
  auto attr = qdq->getAttrOfType<TypeAttr>("qtype");
  return attr ? dyn_cast<quant::UniformQuantizedType>(attr.getValue()) : nullptr;
}

QuantizeLinearOp findPerTensorQuantize(Value value) {
  for (Operation *user : value.getUsers())
    if (auto q = dyn_cast<QuantizeLinearOp>(user); q && q.getX() == value && perTensorType(q))
      return q;
  return nullptr;
}

// The element type a quantized tensor of `type` has in qc: i8 or ui8.
static Type storageElementType(quant::UniformQuantizedType type) {
  unsigned width = type.getStorageTypeIntegralWidth();
  return IntegerType::get(type.getContext(), width,
                          type.isSigned() ? IntegerType::Signless : IntegerType::Unsigned);
}

Value quantizeDequantize(OpBuilder &builder, Value value, quant::UniformQuantizedType type) {
  for (Operation *user : value.getUsers()) {
    auto q = dyn_cast<QuantizeLinearOp>(user);
    if (!q || q.getX() != value || perTensorType(q) != type)
      continue;
    for (Operation *qUser : q.getY().getUsers())
      if (auto dq = dyn_cast<DequantizeLinearOp>(qUser))
        return dq.getY();
  }
  OpBuilder::InsertionGuard guard(builder);
  if (auto arg = dyn_cast<BlockArgument>(value))
    builder.setInsertionPointToStart(arg.getOwner());
  else
    builder.setInsertionPointAfter(value.getDefiningOp());
  std::string name = onnxTensorName(value);
  Location loc = NameLoc::get(builder.getStringAttr(name + "_QuantizeLinear"), value.getLoc());
  auto valueType = cast<RankedTensorType>(value.getType());
  Type storage = storageElementType(type);
  auto scaleType = RankedTensorType::get({}, builder.getF32Type());
  auto zeroPointType = RankedTensorType::get({}, storage);
  Value scale = ConstantOp::create(
      builder, loc, scaleType,
      DenseElementsAttr::get(scaleType, static_cast<float>(type.getScale())));
  Value zeroPoint = ConstantOp::create(
      builder, loc, zeroPointType,
      DenseElementsAttr::get(zeroPointType,
                             APInt(8, static_cast<uint64_t>(type.getZeroPoint()), type.isSigned())));
  NamedAttribute qtype(builder.getStringAttr("qtype"), TypeAttr::get(type));
  Value quantized = QuantizeLinearOp::create(builder, loc, TypeRange{valueType.clone(storage)},
                                             ValueRange{value, scale, zeroPoint},
                                             ArrayRef<NamedAttribute>{qtype})
                        .getY();
  Location dqLoc = NameLoc::get(builder.getStringAttr(name + "_DequantizeLinear"), value.getLoc());
  return DequantizeLinearOp::create(builder, dqLoc, TypeRange{valueType},
                                    ValueRange{quantized, scale, zeroPoint},
                                    ArrayRef<NamedAttribute>{qtype})
      .getY();
}

Value createConstant(OpBuilder &builder, Location loc, RankedTensorType type,
                     ArrayRef<char> data, StringRef name) {
  ElementsAttr attr;
  if (type.getNumElements() >= 16) {
    auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(data, alignof(uint64_t));
    attr = DenseResourceElementsAttr::get(type, name, std::move(blob));
  } else {
    attr = DenseElementsAttr::getFromRawBuffer(type, data);
  }
  return ConstantOp::create(builder, loc, type, attr);
}

Value createDequantizedConstant(OpBuilder &builder, Location loc, RankedTensorType type,
                                unsigned bits, ArrayRef<char> data, ArrayRef<float> scales,
                                std::optional<int64_t> axis, int64_t lowest, int64_t highest,
                                StringRef name) {
  Type storage = builder.getIntegerType(bits);
  Value values = createConstant(builder, loc, type.clone(storage), data, name);
  SmallVector<int64_t> scaleShape;
  if (axis)
    scaleShape.push_back(static_cast<int64_t>(scales.size()));
  auto scaleType = RankedTensorType::get(scaleShape, builder.getF32Type());
  Value scale = ConstantOp::create(builder, loc, scaleType, DenseElementsAttr::get(scaleType, scales));
  auto zeroPointType = RankedTensorType::get(scaleShape, storage);
  Value zeroPoint = ConstantOp::create(builder, loc, zeroPointType,
                                       DenseElementsAttr::get(zeroPointType, APInt(bits, 0)));
  auto f32 = builder.getF32Type();
  Type qtype;
  if (axis)
    qtype = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, storage, f32,
        SmallVector<double>(scales.begin(), scales.end()),
        SmallVector<int64_t>(scales.size(), 0), *axis, lowest, highest);
  else
    qtype = quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed, storage, f32,
                                             scales.front(), 0, lowest, highest);
  SmallVector<NamedAttribute> attrs{{builder.getStringAttr("qtype"), TypeAttr::get(qtype)}};
  if (axis)
    attrs.push_back({builder.getStringAttr("axis"), builder.getI64IntegerAttr(*axis)});
  return DequantizeLinearOp::create(builder, loc, TypeRange{type},
                                    ValueRange{values, scale, zeroPoint}, attrs)
      .getY();
}

std::optional<FixedPointScales> fixedPointScales(ArrayRef<double> scales) {
  if (scales.empty())
    return std::nullopt;
  double largest = 0;
  for (double s : scales) {
    if (!(s > 0) || !std::isfinite(s))
      return std::nullopt;
    largest = std::max(largest, s);
  }
  int exponent;
  std::frexp(largest, &exponent); // largest = f * 2^exponent, f in [0.5, 1)
  int64_t shift = 31 - exponent;
  // f * 2^31 may round up to 2^31 itself.
  if (std::nearbyint(std::ldexp(largest, shift)) >= std::ldexp(1.0, 31))
    --shift;
  shift = std::min<int64_t>(shift, 62);
  if (shift < 1)
    return std::nullopt;
  FixedPointScales result{{}, shift};
  for (double s : scales)
    result.multipliers.push_back(static_cast<int64_t>(std::nearbyint(std::ldexp(s, shift))));
  return result;
}

} // namespace qc

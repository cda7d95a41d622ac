//===- FoldQdq.cpp - DQ -> op -> Q chains into integer kernels ------------===//
//
// Explicit quantization: whatever put the Q/DQ pairs there (qc-place-qdq,
// onnxruntime's quantize_static, QAT), each DQ -> op -> Q chain whose op has
// an integer form becomes integer ops (qc.conv_integer / qc.matmul_integer
// with an i32 accumulator, then qc.requantize; data movement directly on
// i8/u8 values). Q/DQ ops that remain get a `qc.unfolded` attribute saying
// why, which `quantc report` shows; they still run, in float.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/QCToLinalg/LoweringUtils.h"
#include "passes/QdqFolding/Folding.h"

#include "QC/OnnxTypes.h"
#include "passes/Quantization.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace qc {
#define GEN_PASS_DEF_FOLDQDQ
#include "passes/Passes.h.inc"
} // namespace qc

using namespace mlir;

namespace qc {

std::optional<QuantParams> quantParamsOf(Operation *qdq) {
  auto attr = qdq->getAttrOfType<TypeAttr>("qtype");
  if (!attr)
    return std::nullopt;
  Value integers = isa<QuantizeLinearOp>(qdq) ? qdq->getResult(0) : qdq->getOperand(0);
  auto intType = dyn_cast<IntegerType>(getElementTypeOrSelf(integers.getType()));
  if (!intType || intType.getWidth() != 8)
    return std::nullopt;
  QuantParams params;
  params.storage = intType;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(attr.getValue())) {
    params.scales = {perTensor.getScale()};
    params.zeroPoints = {perTensor.getZeroPoint()};
    params.lowest = perTensor.getStorageTypeMin();
    params.highest = perTensor.getStorageTypeMax();
  } else if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(attr.getValue())) {
    params.scales.assign(perAxis.getScales().begin(), perAxis.getScales().end());
    params.zeroPoints.assign(perAxis.getZeroPoints().begin(), perAxis.getZeroPoints().end());
    params.axis = perAxis.getQuantizedDimension();
    params.lowest = perAxis.getStorageTypeMin();
    params.highest = perAxis.getStorageTypeMax();
  } else {
    return std::nullopt;
  }
  // The storage range follows the tensor's element type, whatever narrower
  // range the type names.
  bool isUnsigned = intType.isUnsigned();
  params.lowest = isUnsigned ? 0 : -128;
  params.highest = isUnsigned ? 255 : 127;
  return params;
}

std::optional<QuantizedResult> quantizedResult(QuantizeLinearOp q) {
  std::optional<QuantParams> params = quantParamsOf(q);
  auto type = staticTensor(q.getY());
  if (!params || !params->perTensor() || !type)
    return std::nullopt;
  return QuantizedResult{*params, type};
}

Value widenInteger(PatternRewriter &rewriter, Location loc, Value value, Type to) {
  auto type = cast<RankedTensorType>(value.getType()).clone(to);
  return CastOp::create(rewriter, loc, type, value,
                        rewriter.getI64IntegerAttr(*getOnnxDataType(to)),
                        rewriter.getI64IntegerAttr(1));
}

DequantizeLinearOp dequantizeOf(Value value) {
  auto dq = value.getDefiningOp<DequantizeLinearOp>();
  if (!dq || !quantParamsOf(dq))
    return nullptr;
  return dq;
}

// round_half_to_even(v / scale) + zero point, saturated to the storage.
static int64_t quantizeScalar(double v, const QuantParams &out) {
  double q = std::nearbyint(v / out.scale()) + static_cast<double>(out.zeroPoint());
  return static_cast<int64_t>(std::clamp(q, double(out.lowest), double(out.highest)));
}

Value absorbActivation(Value value, const QuantParams &out, ClampRange &range) {
  Operation *def = value.getDefiningOp();
  if (!def || !def->hasOneUse())
    return value;
  if (auto relu = dyn_cast<ReluOp>(def)) {
    range.lo = std::max(range.lo, out.zeroPoint());
    return relu.getX();
  }
  if (auto clip = dyn_cast<ClipOp>(def)) {
    auto bound = [](Value v) -> std::optional<double> {
      if (isa<NoneType>(v.getType()))
        return std::nullopt;
      DenseElementsAttr attr = constantAsDense(v);
      if (!attr || attr.getNumElements() != 1 || !isa<FloatType>(attr.getElementType()))
        return std::nullopt;
      return (*attr.getValues<APFloat>().begin()).convertToDouble();
    };
    bool hasMin = !isa<NoneType>(clip.getMin().getType());
    bool hasMax = !isa<NoneType>(clip.getMax().getType());
    std::optional<double> lo = bound(clip.getMin()), hi = bound(clip.getMax());
    if ((hasMin && !lo) || (hasMax && !hi))
      return value;
    // Quantization is monotonic: Q(clip(v, a, b)) = clamp(Q(v), Q(a), Q(b)).
    if (lo)
      range.lo = std::max(range.lo, quantizeScalar(*lo, out));
    if (hi)
      range.hi = std::min(range.hi, quantizeScalar(*hi, out));
    return clip.getInput();
  }
  return value;
}

// Per channel: the input and residual scales over the output scale at one
// shift.
static std::optional<FixedPointScales>
channelScales(double inputScale, std::optional<double> residualScale, const QuantParams &out) {
  SmallVector<double> pair = {inputScale / out.scale()};
  if (residualScale)
    pair.push_back(*residualScale / out.scale());
  return fixedPointScales(pair);
}

bool canRequantize(ArrayRef<double> inputScales, std::optional<double> residualScale,
                   const QuantParams &out) {
  return llvm::all_of(inputScales, [&](double scale) {
    return channelScales(scale, residualScale, out).has_value();
  });
}

Value createRequantize(PatternRewriter &rewriter, Location loc, RankedTensorType resultType,
                       Value input, int64_t inputZeroPoint, ArrayRef<double> inputScales,
                       int64_t axis, Value residual, int64_t residualZeroPoint,
                       double residualScale, const QuantParams &out, ClampRange range) {
  SmallVector<int64_t> multipliers, shifts, residualMultipliers;
  // Each channel gets its own shift, shared with its residual term.
  for (double scale : inputScales) {
    std::optional<FixedPointScales> fixed =
        channelScales(scale, residual ? std::optional<double>(residualScale) : std::nullopt, out);
    assert(fixed && "scales not checked with canRequantize");
    multipliers.push_back(fixed->multipliers[0]);
    shifts.push_back(fixed->shift);
    if (residual)
      residualMultipliers.push_back(fixed->multipliers[1]);
  }
  // Clip with min > max gives max everywhere (ONNX: min(max(x, lo), hi)).
  if (range.lo > range.hi)
    range.lo = range.hi;
  SmallVector<Value> operands = {input};
  if (residual)
    operands.push_back(residual);
  SmallVector<NamedAttribute> attrs = {
      rewriter.getNamedAttr("multiplier", rewriter.getDenseI64ArrayAttr(multipliers)),
      rewriter.getNamedAttr("shift", rewriter.getDenseI64ArrayAttr(shifts)),
      rewriter.getNamedAttr("axis", rewriter.getI64IntegerAttr(axis)),
      rewriter.getNamedAttr("input_zero_point", rewriter.getI64IntegerAttr(inputZeroPoint)),
      rewriter.getNamedAttr("output_zero_point", rewriter.getI64IntegerAttr(out.zeroPoint())),
      rewriter.getNamedAttr("clamp_min", rewriter.getI64IntegerAttr(range.lo)),
      rewriter.getNamedAttr("clamp_max", rewriter.getI64IntegerAttr(range.hi))};
  if (residual) {
    attrs.push_back(rewriter.getNamedAttr("residual_multiplier",
                                          rewriter.getDenseI64ArrayAttr(residualMultipliers)));
    attrs.push_back(rewriter.getNamedAttr("residual_zero_point",
                                          rewriter.getI64IntegerAttr(residualZeroPoint)));
  }
  return RequantizeOp::create(rewriter, loc, TypeRange{resultType}, operands, attrs).getOutput();
}

namespace {

// Why a Q or DQ left after folding did not fold, in a user's words.
std::string unfoldedReason(Operation *qdq) {
  if (!quantParamsOf(qdq))
    return "not an 8-bit quantization with constant scale and zero point";
  if (auto dq = dyn_cast<DequantizeLinearOp>(qdq)) {
    if (dq.getX().getDefiningOp<ConstantOp>())
      return "constant weight read by a float op";
    for (Operation *user : dq.getY().getUsers()) {
      if (isa<QuantizeLinearOp, func::ReturnOp>(user))
        continue;
      std::string name = user->getName().stripDialect().str();
      if (preservesScale(user) || isa<ConcatOp>(user))
        return "'" + name +
               "' keeps the scale, but its output is not requantized to the same "
               "quantization";
      bool resultQuantized = llvm::any_of(user->getResult(0).getUsers(),
                                          [](Operation *u) { return isa<QuantizeLinearOp>(u); });
      if (isa<AddOp, MulOp, ReluOp, ClipOp, GlobalAveragePoolOp>(user) && !resultQuantized)
        return "'" + name +
               "' result stays float (no QuantizeLinear after it), so it runs in float";
      if (isa<AddOp, MulOp>(user) && !user->getResult(0).hasOneUse())
        return "'" + name + "' result is also read in float by other ops, so it runs in float";
      return "'" + name + "' has no int8 kernel here (or its other inputs are not quantized)";
    }
    return "no user";
  }
  auto q = cast<QuantizeLinearOp>(qdq);
  return "producer '" + q.getX().getDefiningOp()->getName().stripDialect().str() +
         "' has no int8 form with quantized inputs";
}

struct FoldQdqPass : impl::FoldQdqBase<FoldQdqPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateContractionFoldPatterns(patterns);
    populateElementwiseFoldPatterns(patterns);
    populateDataMovementFoldPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    getOperation().walk([&](Operation *op) {
      if (!isa<QuantizeLinearOp, DequantizeLinearOp>(op) || op->hasAttr(kEpilogueAttr))
        return;
      // Quantizing a model input and dequantizing a model output are where
      // integer code starts and ends, not something left unfolded.
      auto dq = dyn_cast<DequantizeLinearOp>(op);
      bool boundary = isa<BlockArgument>(op->getOperand(0)) ||
                      (dq && llvm::all_of(dq->getUsers(), [](Operation *user) {
                         return isa<func::ReturnOp>(user);
                       }));
      if (boundary && quantParamsOf(op))
        op->setAttr(kBoundaryAttr, UnitAttr::get(&getContext()));
      else
        op->setAttr(kUnfoldedAttr, StringAttr::get(&getContext(), unfoldedReason(op)));
    });
  }
};

} // namespace
} // namespace qc

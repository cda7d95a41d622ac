//===- Folding.h - shared pieces of qc-fold-qdq ----------------*- C++ -*-===//
//
// qc-fold-qdq turns DequantizeLinear -> op -> QuantizeLinear chains into
// integer ops. The patterns are split by op family; each anchors on the
// QuantizeLinear that ends a chain and replaces its i8/u8 result, so the
// DequantizeLinear after it (if any) reads integer code's output and the
// float ops before it die.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_QDQFOLDING_FOLDING_H
#define QUANTC_PASSES_QDQFOLDING_FOLDING_H

#include "QC/QCOps.h"

#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace qc {

// The quantization of a Q/DQ op, read from its `qtype`: 8-bit storage,
// per tensor (one scale) or per axis.
struct QuantParams {
  llvm::SmallVector<double> scales;
  llvm::SmallVector<int64_t> zeroPoints;
  std::optional<int64_t> axis;
  mlir::Type storage; // the integer tensor's element type: i8 or ui8
  int64_t lowest, highest;

  bool perTensor() const { return !axis; }
  double scale() const { return scales.front(); }
  int64_t zeroPoint() const { return zeroPoints.front(); }
};
std::optional<QuantParams> quantParamsOf(mlir::Operation *qdq);

// The per-tensor quantization and static type of a QuantizeLinear's result,
// the end every fold anchors on; none for per-axis or dynamic ones.
struct QuantizedResult {
  QuantParams params;
  mlir::RankedTensorType type;
};
std::optional<QuantizedResult> quantizedResult(QuantizeLinearOp q);

// An integer tensor widened exactly to element type `to` (an ONNX Cast to
// that type: sign- or zero-extension as the input's type says).
mlir::Value widenInteger(mlir::PatternRewriter &rewriter, mlir::Location loc, mlir::Value value,
                         mlir::Type to);

// `value` as a DequantizeLinear of 8-bit values: the DQ op, or null.
DequantizeLinearOp dequantizeOf(mlir::Value value);

// The clamp range of a fused Relu/Clip in the output's quantized domain,
// narrowed from [lo, hi]; Clip bounds must be constants.
struct ClampRange {
  int64_t lo, hi;
};
// If `value` is produced by a Relu or constant-bound Clip with one user,
// narrows `range` for `out` and returns the activation's input; else
// returns `value` unchanged.
mlir::Value absorbActivation(mlir::Value value, const QuantParams &out, ClampRange &range);

// Whether every input scale (with the residual scale) relative to the
// output scale has a fixed-point form; check before building anything.
bool canRequantize(llvm::ArrayRef<double> inputScales, std::optional<double> residualScale,
                   const QuantParams &out);

// A qc.requantize of `input` (and `residual`) to `resultType`: one term per
// channel along `axis` of `inputScales` (or one), the residual term at
// `residualScale`, both relative to the output scale. The scales must pass
// canRequantize.
mlir::Value createRequantize(mlir::PatternRewriter &rewriter, mlir::Location loc,
                             mlir::RankedTensorType resultType, mlir::Value input,
                             int64_t inputZeroPoint, llvm::ArrayRef<double> inputScales,
                             int64_t axis, mlir::Value residual, int64_t residualZeroPoint,
                             double residualScale, const QuantParams &out, ClampRange range);

// The attribute qc-fold-qdq puts on each Q/DQ it leaves, saying why.
inline constexpr llvm::StringLiteral kUnfoldedAttr = "qc.unfolded";
// ... and on the Q of a model input and the DQ of a model output, where
// integer code begins and ends.
inline constexpr llvm::StringLiteral kBoundaryAttr = "qc.boundary";
// ... and on the DequantizeLinear that turns an integer kernel's i32
// accumulator into its float result (part of that kernel).
inline constexpr llvm::StringLiteral kEpilogueAttr = "qc.epilogue";

// Conv, Gemm and MatMul (+ bias, Relu/Clip, residual Add) into integer
// convolution/matmul and one requantize.
void populateContractionFoldPatterns(mlir::RewritePatternSet &patterns);
// Add (+ Relu/Clip) and GlobalAveragePool into requantize.
void populateElementwiseFoldPatterns(mlir::RewritePatternSet &patterns);
// Ops that commute with quantization (MaxPool, Reshape, Transpose, Concat,
// Pad, ...) applied to the integer values when the scales agree.
void populateDataMovementFoldPatterns(mlir::RewritePatternSet &patterns);

} // namespace qc

#endif // QUANTC_PASSES_QDQFOLDING_FOLDING_H

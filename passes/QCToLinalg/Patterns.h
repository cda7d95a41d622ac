//===- Patterns.h - qc to linalg rewrite patterns, by op family -*- C++ -*-===//
#ifndef QUANTC_PASSES_QCTOLINALG_PATTERNS_H
#define QUANTC_PASSES_QCTOLINALG_PATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace qc {

// Unary and broadcasting binary elementwise ops and activations.
void populateElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);

// Conv, ConvTranspose, MatMul, Gemm and pooling.
void populateContractionToLinalgPatterns(mlir::RewritePatternSet &patterns);

// ConvInteger, MatMulInteger, QLinearConv, QLinearMatMul, qc.requantize.
void populateIntegerToLinalgPatterns(mlir::RewritePatternSet &patterns);

// Normalizations, Softmax family and reductions.
void populateNormalizationToLinalgPatterns(mlir::RewritePatternSet &patterns);

// Shape manipulation, data movement, casts and constants.
void populateDataMovementToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace qc

#endif // QUANTC_PASSES_QCTOLINALG_PATTERNS_H

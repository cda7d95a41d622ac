//===- Patterns.h - qc to linalg rewrite patterns, by op family -*- C++ -*-===//
#ifndef QUANTC_PASSES_QCTOLINALG_PATTERNS_H
#define QUANTC_PASSES_QCTOLINALG_PATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace qc {

// Unary and broadcasting binary elementwise ops and activations.
void populateElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace qc

#endif // QUANTC_PASSES_QCTOLINALG_PATTERNS_H

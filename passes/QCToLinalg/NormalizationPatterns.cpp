//===- NormalizationPatterns.cpp - qc to linalg ------------------------------------===//
#include "passes/QCToLinalg/Patterns.h"

using namespace mlir;

namespace qc {

void populateNormalizationToLinalgPatterns(RewritePatternSet &patterns) {}

} // namespace qc

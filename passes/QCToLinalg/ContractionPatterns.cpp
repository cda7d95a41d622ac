//===- ContractionPatterns.cpp - qc to linalg ------------------------------------===//
#include "passes/QCToLinalg/Patterns.h"

using namespace mlir;

namespace qc {

void populateContractionToLinalgPatterns(RewritePatternSet &patterns) {}

} // namespace qc

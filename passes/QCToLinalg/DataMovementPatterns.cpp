//===- DataMovementPatterns.cpp - qc to linalg ------------------------------------===//
#include "passes/QCToLinalg/Patterns.h"

using namespace mlir;

namespace qc {

void populateDataMovementToLinalgPatterns(RewritePatternSet &patterns) {}

} // namespace qc

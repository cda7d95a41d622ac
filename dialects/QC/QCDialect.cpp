//===- QCDialect.cpp - the qc dialect -------------------------------------===//
#include "QC/QCDialect.h"
#include "QC/QCOps.h"

using namespace mlir;
using namespace qc;

#include "QC/QCDialect.cpp.inc"

void QCDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "QC/QCOps.cpp.inc"
      >();
}

Operation *QCDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  if (isa<NoneType>(type))
    return NoneOp::create(builder, loc, builder.getNoneType());
  if (auto elements = dyn_cast<ElementsAttr>(value))
    return ConstantOp::create(builder, loc, type, elements);
  return nullptr;
}

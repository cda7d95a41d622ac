//===- QCOps.h - qc operations ----------------------------------*- C++ -*-===//
#ifndef QC_QCOPS_H
#define QC_QCOPS_H

#include "QC/QCDialect.h"
#include "mlir/Dialect/Traits.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "QC/QCOps.h.inc"

#endif // QC_QCOPS_H

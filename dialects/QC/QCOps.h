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

namespace qc {
// The ONNX name of a tensor: a graph input's `qc.name`, or the name the
// importer recorded for an op result (a fused location whose metadata
// lists the op's output names). Empty if unknown.
std::string onnxTensorName(mlir::Value value);

// The ONNX node an op comes from: the first name in its location. Empty if
// unknown.
std::string onnxNodeName(mlir::Operation *op);

// The value of a constant operand as DenseElementsAttr, read out of its
// dense resource blob if it has one (weights do); null if not a constant.
mlir::DenseElementsAttr constantAsDense(mlir::Value value);
} // namespace qc

#endif // QC_QCOPS_H

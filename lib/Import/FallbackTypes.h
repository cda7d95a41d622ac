//===- FallbackTypes.h - result types ONNX shape inference missed -*- C++ -*-===//
#ifndef QUANTC_IMPORT_FALLBACKTYPES_H
#define QUANTC_IMPORT_FALLBACKTYPES_H

#include "Import/OnnxOpTable.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeRange.h"
#include "mlir/IR/Value.h"
#include "mlir/IR/ValueRange.h"

namespace qc {

// The result type of output `resultIndex` of an ONNX node, from the operands
// already imported. Used where libonnx's shape inference gave no shape
// (newer opsets, dynamic shapes). Returns a ranked type whenever the rank
// follows from the operands, else an unranked one. `knownElement`, when
// set, is ONNX's element type for the value and wins over the op's rule.
mlir::Type inferFallbackType(mlir::MLIRContext &ctx, const OnnxOpSpec &spec,
                             mlir::ValueRange operands,
                             llvm::ArrayRef<mlir::NamedAttribute> attrs,
                             unsigned resultIndex, mlir::Type knownElement);

} // namespace qc

#endif // QUANTC_IMPORT_FALLBACKTYPES_H

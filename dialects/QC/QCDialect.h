//===- QCDialect.h - the qc dialect -----------------------------*- C++ -*-===//
#ifndef QC_QCDIALECT_H
#define QC_QCDIALECT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "QC/QCDialect.h.inc"

#endif // QC_QCDIALECT_H

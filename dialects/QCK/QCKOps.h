//===- QCKOps.h - qck dialect and ops ---------------------------*- C++ -*-===//
#ifndef QUANTC_DIALECTS_QCK_QCKOPS_H
#define QUANTC_DIALECTS_QCK_QCKOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "QCK/QCKDialect.h.inc"

#define GET_OP_CLASSES
#include "QCK/QCKOps.h.inc"

namespace mlir {
class DialectRegistry;
}

namespace qck {
// Lets one-shot bufferization handle qck ops.
void registerBufferizableOpInterfaceExternalModels(mlir::DialectRegistry &registry);
} // namespace qck

#endif

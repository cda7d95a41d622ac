//===- Signature.h - a model's inputs and outputs ---------------*- C++ -*-===//
#ifndef QUANTC_CODEGEN_SIGNATURE_H
#define QUANTC_CODEGEN_SIGNATURE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qc {

struct TensorSpec {
  std::string name;
  std::string dtype; // NumPy descr ("<f4", "|u1", ...)
  std::vector<int64_t> shape;

  int64_t numElements() const;
  size_t elementSize() const;
};

struct Signature {
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
};

// Reads the signature of func.func @main of an imported (qc) module. Fails
// for dynamic shapes and element types without a NumPy equivalent.
llvm::Expected<Signature> readSignature(mlir::ModuleOp module);

} // namespace qc

#endif // QUANTC_CODEGEN_SIGNATURE_H

//===- ONNXImporter.h - ONNX protobuf to the qc dialect ---------*- C++ -*-===//
#ifndef QUANTC_IMPORT_ONNXIMPORTER_H
#define QUANTC_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qc {

struct ImportOptions {
  // Initializers with at least this many elements become dense resources;
  // smaller ones (shapes, scalars, scales) stay inline so passes fold them.
  int64_t resourceMinElements = 16;
  // Run ONNX shape inference before import.
  bool shapeInference = true;
  // Fixed dims for graph inputs (name -> dims), replacing dynamic or
  // symbolic ones before shape inference, as TensorRT's --shapes does.
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputShapes;
};

// The model opsets (default domain) the importer understands.
constexpr int64_t kMinOnnxOpset = 11;
constexpr int64_t kMaxOnnxOpset = 27;

// Imports an ONNX model file into a module holding one func.func @main.
// On failure, errors have been emitted to the context's diagnostic engine
// (every unsupported node is listed) and a null module is returned.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxFile(llvm::StringRef path,
                                                 mlir::MLIRContext &context,
                                                 const ImportOptions &options = {});

// The same for an in-memory serialized ModelProto; `sourceName` names it in
// diagnostics and locations.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxBytes(llvm::StringRef bytes,
                                                  llvm::StringRef sourceName,
                                                  mlir::MLIRContext &context,
                                                  const ImportOptions &options = {});

// ONNX op types the importer maps to qc, for documentation and --list-ops.
std::vector<std::string> getSupportedOnnxOps();

} // namespace qc

#endif // QUANTC_IMPORT_ONNXIMPORTER_H

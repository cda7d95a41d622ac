//===- Report.h - what runs in INT8, and how far it is from float -*- C++ -*-===//
//
// `quantc report`: every layer (ONNX node) of a quantized model with the
// precision it runs in after Q/DQ folding, every Q/DQ left unfolded with
// the reason, and the per-layer error of the quantized model against the
// reference, measured by running both on the same input: each quantized
// activation is read out of the INT8 model (dequantized) and compared with
// the same tensor of the reference (SQNR in dB and cosine similarity).
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_TOOLS_REPORT_H
#define QUANTC_TOOLS_REPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace qc::report {

struct Layer {
  std::string node;      // ONNX node name
  std::string opType;    // ONNX op type
  std::string precision; // INT8, FP32, or "fused" into the kernel of the node before it
  std::string output;    // its first output tensor
  std::optional<double> sqnr, cosine;
};

struct Unfolded {
  std::string op; // QuantizeLinear or DequantizeLinear
  std::string tensor;
  std::string reason;
};

struct Report {
  std::string model;
  std::string reference; // what the errors are measured against
  std::string input;     // where the input came from
  std::vector<Layer> layers;
  std::vector<Unfolded> unfolded;
  // Model outputs: name, SQNR, cosine.
  struct Output {
    std::string name;
    double sqnr, cosine;
  };
  std::vector<Output> outputs;
};

// The model's layers before folding: one per op of @main that is not a
// constant or a Q/DQ, named by its ONNX node and typed by its ONNX op.
std::vector<Layer> collectLayers(mlir::ModuleOp quantized);

// After folding: each layer's precision, and the Q/DQ left unfolded.
void classifyLayers(mlir::ModuleOp folded, std::vector<Layer> &layers,
                    std::vector<Unfolded> &unfolded);

// Before folding: returns the dequantized value of every per-tensor
// activation QuantizeLinear as an extra output of @main (named
// "probe:<tensor>"); the tensors, in output order.
std::vector<std::string> addQuantizedProbes(mlir::ModuleOp quantized);

// Returns the values named `tensors` as extra outputs of the reference's
// @main; `found[i]` says whether tensor i exists there.
void addReferenceProbes(mlir::ModuleOp reference, const std::vector<std::string> &tensors,
                        std::vector<bool> &found);

// SQNR (dB; +inf when equal) and cosine of `test` against `ref`.
std::pair<double, double> compare(const std::vector<float> &ref, const std::vector<float> &test);

void writeText(const Report &report, llvm::raw_ostream &os);
void writeJson(const Report &report, llvm::raw_ostream &os);
void writeHtml(const Report &report, llvm::raw_ostream &os);

} // namespace qc::report

#endif // QUANTC_TOOLS_REPORT_H

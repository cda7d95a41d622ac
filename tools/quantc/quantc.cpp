//===- quantc.cpp - the quantc driver -------------------------------------===//
//
// quantc <subcommand> ...: import (ONNX -> qc). Later subcommands (calibrate,
// compile, run, report) share the same import front end.
//
//===----------------------------------------------------------------------===//
#include "Import/ONNXImporter.h"
#include "QC/QCDialect.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

static cl::SubCommand importCommand("import", "Import an ONNX model into the qc dialect");

static cl::opt<std::string> importInput(cl::Positional, cl::desc("<model.onnx>"),
                                        cl::sub(importCommand));
static cl::opt<std::string> importOutput("o", cl::desc("Output file (default: stdout)"),
                                         cl::value_desc("file"), cl::init("-"),
                                         cl::sub(importCommand));
static cl::opt<bool> emitBytecode("emit-bytecode",
                                  cl::desc("Write MLIR bytecode (weights included)"),
                                  cl::sub(importCommand));
static cl::opt<bool> keepWeights(
    "keep-weights",
    cl::desc("Print weight tensors in the textual IR (elided by default)"),
    cl::sub(importCommand));
static cl::opt<bool> opHistogram("op-histogram",
                                 cl::desc("Print how often each qc op occurs"),
                                 cl::sub(importCommand));
static cl::opt<bool> noShapeInference("no-shape-inference",
                                      cl::desc("Skip ONNX shape inference"),
                                      cl::sub(importCommand));
static cl::opt<bool> listOps("list-ops",
                             cl::desc("List the ONNX operators quantc imports and exit"),
                             cl::sub(importCommand));

// Weights above this many bytes print as `__elided__` unless --keep-weights.
constexpr int64_t kElidedResourceBytes = 1024;

// Prints diagnostics as `model.onnx: error: node 'conv1': message`: the
// node name is what users search for in Netron, line numbers mean nothing
// in a protobuf file.
static LogicalResult printModelDiagnostic(Diagnostic &diag) {
  std::string file, node;
  diag.getLocation()->walk([&](Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc); name && node.empty())
      node = name.getName().str();
    if (auto fileLoc = dyn_cast<FileLineColLoc>(loc); fileLoc && file.empty())
      file = fileLoc.getFilename().str();
    return WalkResult::advance();
  });
  auto print = [&](Diagnostic &d, StringRef severity) {
    llvm::raw_ostream &os = llvm::errs();
    os << (file.empty() ? "quantc" : file) << ": " << severity << ": ";
    std::string message = d.str();
    if (!node.empty() && !StringRef(message).starts_with("node '"))
      os << "node '" << node << "': ";
    os << message << "\n";
  };
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error: print(diag, "error"); break;
  case DiagnosticSeverity::Warning: print(diag, "warning"); break;
  case DiagnosticSeverity::Remark: print(diag, "remark"); break;
  case DiagnosticSeverity::Note: print(diag, "note"); break;
  }
  for (Diagnostic &note : diag.getNotes()) {
    node.clear();
    note.getLocation()->walk([&](Location loc) {
      if (auto name = dyn_cast<NameLoc>(loc); name && node.empty())
        node = name.getName().str();
      return WalkResult::advance();
    });
    print(note, "note");
  }
  return success();
}

static void printHistogram(ModuleOp module, llvm::raw_ostream &os) {
  llvm::MapVector<StringRef, unsigned> counts;
  module.walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "qc" &&
        op->getName().getStringRef() != "qc.none")
      ++counts[op->getName().getStringRef()];
  });
  auto entries = counts.takeVector();
  llvm::sort(entries, [](const auto &a, const auto &b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  unsigned total = 0;
  for (const auto &[name, count] : entries) {
    os << llvm::format("  %-28s %6u\n", name.str().c_str(), count);
    total += count;
  }
  os << llvm::format("  %-28s %6u\n", "total", total);
}

static int runImport() {
  if (listOps) {
    for (const std::string &op : qc::getSupportedOnnxOps())
      llvm::outs() << op << "\n";
    return 0;
  }
  if (importInput.empty()) {
    llvm::errs() << "quantc import: no input model given\n";
    return 1;
  }
  MLIRContext context;
  context.printOpOnDiagnostic(false);
  context.getDiagEngine().registerHandler(printModelDiagnostic);
  qc::ImportOptions options;
  options.shapeInference = !noShapeInference;

  auto start = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module = qc::importOnnxFile(importInput, context, options);
  if (!module)
    return 1;
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::string error;
  auto output = openOutputFile(importOutput, &error);
  if (!output) {
    llvm::errs() << "quantc import: " << error << "\n";
    return 1;
  }
  if (emitBytecode) {
    if (failed(writeBytecodeToFile(*module, output->os()))) {
      llvm::errs() << "quantc import: cannot write bytecode\n";
      return 1;
    }
  } else {
    OpPrintingFlags flags;
    if (!keepWeights)
      flags.elideLargeResourceString(kElidedResourceBytes);
    module->print(output->os(), flags);
  }
  output->keep();
  if (opHistogram) {
    // The histogram goes to stdout unless the IR itself does.
    llvm::raw_ostream &os = importOutput == "-" ? llvm::errs() : llvm::outs();
    os << "imported " << importInput << " in " << llvm::format("%.2f", seconds)
       << " s\n";
    printHistogram(*module, os);
  }
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "quantc: a quantizing compiler for ONNX models\n\n"
                              "  quantc import model.onnx -o model.mlir\n");
  if (importCommand)
    return runImport();
  llvm::errs() << "quantc: give a subcommand (see quantc --help)\n";
  return 1;
}

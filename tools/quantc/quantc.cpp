//===- quantc.cpp - the quantc driver -------------------------------------===//
//
// quantc <subcommand> ...: import (ONNX -> qc). Later subcommands (calibrate,
// compile, run, report) share the same import front end.
//
//===----------------------------------------------------------------------===//
#include "Analysis.h"
#include "CalibrationData.h"
#include "Report.h"
#include "Calibration/Calibrators.h"
#include "Calibration/Table.h"
#include "Codegen/Emit.h"
#include "Export/QdqExport.h"
#include "Codegen/Jit.h"
#include "Import/ONNXImporter.h"
#include "QC/QCDialect.h"
#include "Runtime/Npy.h"
#include "Runtime/Runner.h"
#include "passes/Passes.h"
#include "passes/Pipelines.h"
#include "passes/Quantization.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstring>
#include <map>
#include <random>

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

static cl::SubCommand runCommand("run",
                                 "Compile a model in memory (JIT) and run it once");
static cl::opt<std::string> runInput(cl::Positional, cl::desc("<model.onnx>"),
                                     cl::sub(runCommand));
static cl::list<std::string> runInputs("input",
                                       cl::desc("An input as NAME=FILE.npy (repeatable)"),
                                       cl::value_desc("name=file.npy"), cl::sub(runCommand));
static cl::opt<std::string> runOutputDir("output-dir",
                                         cl::desc("Write each output to DIR/NAME.npy"),
                                         cl::value_desc("dir"), cl::sub(runCommand));
static cl::opt<bool> runRandomInputs(
    "random-inputs", cl::desc("Fill inputs not given with deterministic random data"),
    cl::sub(runCommand));
static cl::opt<std::string> runInputsNpz("inputs", cl::desc("All inputs from an .npz"),
                                         cl::value_desc("file.npz"), cl::sub(runCommand));
static cl::opt<std::string> runOutputNpz("output-npz", cl::desc("Write the outputs to an .npz"),
                                         cl::value_desc("file.npz"), cl::sub(runCommand));
static cl::opt<int> runBench("bench", cl::desc("Time N runs (after one warm-up)"),
                             cl::init(0), cl::sub(runCommand));
static cl::opt<int> runThreads("threads", cl::desc("Threads for parallel loops"),
                               cl::init(0), cl::sub(runCommand));

static cl::SubCommand compileCommand("compile",
                                     "Compile a model to native code (weights embedded)");
static cl::opt<std::string> compileInput(cl::Positional, cl::desc("<model.onnx>"),
                                         cl::sub(compileCommand));
static cl::opt<std::string> compileOutput("o", cl::desc("Output path"), cl::value_desc("path"),
                                          cl::Required, cl::sub(compileCommand));
enum class EmitKind { Object, Library, Executable, QC, MLIR, LLVMIR };
static cl::opt<EmitKind> emitKind(
    "emit", cl::desc("What to produce"), cl::init(EmitKind::Object),
    cl::values(clEnumValN(EmitKind::Object, "obj", "object file + C header (default)"),
               clEnumValN(EmitKind::Library, "lib", "shared library + C header"),
               clEnumValN(EmitKind::Executable, "exe", "runnable program (see --help of it)"),
               clEnumValN(EmitKind::QC, "qc",
                          "the qc module after quantization and Q/DQ folding (before lowering)"),
               clEnumValN(EmitKind::MLIR, "mlir", "the lowered module (LLVM dialect)"),
               clEnumValN(EmitKind::LLVMIR, "llvm", "optimized LLVM IR")),
    cl::sub(compileCommand));
static cl::opt<std::string> compileCpu("mcpu",
                                       cl::desc("Target CPU (default: native, the host)"),
                                       cl::init("native"), cl::sub(compileCommand));
static cl::opt<std::string> compileFeatures("mattr", cl::desc("Extra target features"),
                                            cl::sub(compileCommand));
static cl::opt<bool> compileProfile(
    "profile",
    cl::desc("Time every layer into a table that `quantc-run --profile` prints"),
    cl::sub(compileCommand));
static cl::opt<bool> compileTimeStages("time-stages",
                                       cl::desc("Print the wall time of each compile stage"),
                                       cl::sub(compileCommand));
static cl::opt<std::string> compilePrefix("prefix",
                                          cl::desc("Symbol prefix of the C ABI (P_info, P_run)"),
                                          cl::init("model"), cl::sub(compileCommand));

static cl::SubCommand calibrateCommand(
    "calibrate", "Measure activation ranges on calibration data and write a calibration table");
static cl::opt<std::string> calibrateInput(cl::Positional, cl::desc("<model.onnx>"),
                                           cl::sub(calibrateCommand));
static cl::opt<std::string> calibrateData(
    "data",
    cl::desc("An .npz of the model's inputs (samples along dimension 0, a multiple of the "
             "model's batch), an .npy (one-input models), or a directory of such files or "
             "of PNG/JPEG images (see --preprocess)"),
    cl::value_desc("path"), cl::Required, cl::sub(calibrateCommand));
static cl::opt<std::string> calibrateMethod(
    "method",
    cl::desc("max | percentile | entropy | mse | auto (per tensor, the method whose range "
             "gives the lowest output error on the data)"),
                                            cl::init("entropy"), cl::sub(calibrateCommand));
static cl::opt<double> calibratePercentile("percentile",
                                           cl::desc("CDF percentage for --method percentile"),
                                           cl::init(99.99), cl::sub(calibrateCommand));
static cl::opt<int> calibrateBatches("batches", cl::desc("Use at most N batches (0: all)"),
                                     cl::init(0), cl::sub(calibrateCommand));
static cl::opt<std::string> calibratePreprocess(
    "preprocess",
    cl::desc("How images become the model's input: 'key=value;...' with resize=N (shorter "
             "side, then a center crop), scale=S (default 255), mean=a,b,c, std=a,b,c, "
             "layout=nchw|nhwc, color=rgb|bgr|gray"),
    cl::value_desc("spec"), cl::sub(calibrateCommand));
static cl::opt<std::string> calibrateActivationType(
    "activation-type",
    cl::desc("int8 (symmetric, zero point 0; the default) | uint8 (asymmetric)"),
    cl::init("int8"), cl::sub(calibrateCommand));
static cl::opt<std::string> calibrateBudget(
    "accuracy-budget",
    cl::desc("Keep the noisiest layers (output error with only that layer INT8) in FP32, "
             "one by one, until the output "
             "holds agreement=PERCENT (top-1 agreement with FP32), sample-agreement=PERCENT "
             "(samples whose every output row agrees: whole sequences), cosine=C (mean cosine) or "
             "sqnr=DB; prints each fallback's speed cost from the compiler's layer profile"),
    cl::value_desc("metric=value"), cl::sub(calibrateCommand));
static cl::opt<bool> calibrateBiasCorrection(
    "bias-correction",
    cl::desc("Move each quantized Conv/Gemm's (and biased MatMul's) mean output error into "
             "its bias, kept only where it improves the output (default on; =false to skip)"),
    cl::init(true), cl::sub(calibrateCommand));
static cl::opt<bool> calibrateWeightRounding(
    "weight-rounding",
    cl::desc("Round each quantized Conv/MatMul/Gemm weight to int8 by its effect on the "
             "layer's output on the data (GPTQ), not to nearest; kept only where it improves "
             "the output (default on; =false to skip)"),
    cl::init(true), cl::sub(calibrateCommand));
static cl::opt<std::string> calibrateEqualize(
    "equalize",
    cl::desc("Cross-layer equalization of Conv -> [Relu] -> Conv pairs before calibration: "
             "auto (kept when it lowers the output error on the data), on, off"),
    cl::init("auto"), cl::sub(calibrateCommand));
static cl::opt<int> calibrateSearchSamples(
    "search-samples",
    cl::desc("Samples the searches (auto method, weight rounding, bias correction, budget) "
             "measure on"),
    cl::init(64), cl::sub(calibrateCommand));
static cl::opt<std::string> calibrateOutput("o", cl::desc("The calibration table to write"),
                                            cl::value_desc("file"), cl::Required,
                                            cl::sub(calibrateCommand));

static cl::SubCommand quantizeCommand(
    "quantize", "Write the model with the QuantizeLinear/DequantizeLinear quantc places from a "
                "calibration table (QDQ ONNX, per-channel int8 weights, int32 biases)");

static cl::SubCommand reportCommand(
    "report", "Show which layers run in INT8, each Q/DQ that did not fold and why, and each "
              "layer's error against float (SQNR, cosine)");
static cl::opt<std::string> reportInput(cl::Positional, cl::desc("<model.onnx>"), cl::Required,
                                        cl::sub(reportCommand));
static cl::opt<std::string> reportData(
    "data",
    cl::desc("Input to measure the errors on: .npz/.npy or an image directory, as calibrate "
             "reads it (its first batch); default: deterministic random data (floats "
             "N(0, 1), integers in [0, 100))"),
    cl::value_desc("path"), cl::sub(reportCommand));
static cl::opt<std::string> reportPreprocess(
    "preprocess", cl::desc("Image preprocessing for --data directories of images"),
    cl::value_desc("spec"), cl::sub(reportCommand));
static cl::opt<std::string> reportFormat("format", cl::desc("text | json | html"),
                                         cl::init("text"), cl::sub(reportCommand));
static cl::opt<std::string> reportOutput("o", cl::desc("Output file (default: stdout)"),
                                         cl::init("-"), cl::sub(reportCommand));

static cl::SubCommand analyzeCommand(
    "analyze", "Rank layers by how much quantizing them costs in output accuracy: each layer "
               "alone in INT8, and every layer but it (SQNR, cosine, top-1 agreement)");
static cl::opt<std::string> analyzeInput(cl::Positional, cl::desc("<model.onnx>"), cl::Required,
                                         cl::sub(analyzeCommand));
static cl::opt<std::string> analyzeData(
    "data", cl::desc("Samples to measure on, as calibrate reads them"), cl::value_desc("path"),
    cl::Required, cl::sub(analyzeCommand));
static cl::opt<std::string> analyzePreprocess(
    "preprocess", cl::desc("Image preprocessing for --data directories of images"),
    cl::value_desc("spec"), cl::sub(analyzeCommand));
static cl::opt<std::string> analyzeMethod(
    "method", cl::desc("Calibrate on --data with this method when no --calib is given"),
    cl::init("mse"), cl::sub(analyzeCommand));
static cl::opt<int> analyzeSamples("samples", cl::desc("Samples to measure on (0: all)"),
                                   cl::init(64), cl::sub(analyzeCommand));
static cl::opt<std::string> analyzeFormat("format", cl::desc("text | json | html"),
                                          cl::init("text"), cl::sub(analyzeCommand));
static cl::opt<std::string> analyzeOutput("o", cl::desc("Output file (default: stdout)"),
                                          cl::init("-"), cl::sub(analyzeCommand));

// --input-shape NAME=D0,D1,... for every subcommand that imports a model.
static cl::list<std::string> inputShapeArgs(
    "input-shape", cl::desc("Fix a dynamic input's shape: NAME=D0,D1,... (repeatable)"),
    cl::value_desc("name=d0,d1,..."), cl::sub(importCommand), cl::sub(runCommand),
    cl::sub(compileCommand), cl::sub(calibrateCommand), cl::sub(quantizeCommand),
    cl::sub(reportCommand), cl::sub(analyzeCommand));

// --calib TABLE: quantize as the calibration table says.
static cl::opt<std::string> calibTable(
    "calib",
    cl::desc("A calibration table (quantc calibrate): place Q/DQ as it says, and run and "
             "compile the model in INT8"),
    cl::value_desc("file"), cl::sub(runCommand), cl::sub(compileCommand),
    cl::sub(quantizeCommand), cl::sub(reportCommand), cl::sub(analyzeCommand));

static cl::opt<bool> simulateQuantization(
    "simulate",
    cl::desc("Keep QuantizeLinear/DequantizeLinear as float arithmetic instead of folding them "
             "into integer kernels (what the QDQ graph computes as written)"),
    cl::sub(runCommand), cl::sub(compileCommand));

static bool parseInputShapes(qc::ImportOptions &options) {
  for (const std::string &arg : inputShapeArgs) {
    auto [name, dimsText] = StringRef(arg).split('=');
    SmallVector<StringRef> parts;
    dimsText.split(parts, ',');
    std::vector<int64_t> dims;
    for (StringRef part : parts) {
      int64_t d;
      if (part.trim().getAsInteger(10, d)) {
        llvm::errs() << "quantc: --input-shape expects NAME=D0,D1,..., got '" << arg << "'\n";
        return false;
      }
      dims.push_back(d);
    }
    if (name.empty() || dimsText.empty()) {
      llvm::errs() << "quantc: --input-shape expects NAME=D0,D1,..., got '" << arg << "'\n";
      return false;
    }
    options.inputShapes.emplace_back(name.str(), std::move(dims));
  }
  return true;
}

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
    // Name the node unless the message already does (graph inputs and
    // initializers carry their own names in the text).
    if (!node.empty() && !StringRef(message).contains("'" + node + "'"))
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

static std::unique_ptr<MLIRContext> makeContext() {
  DialectRegistry registry;
  qc::registerPipelineDialects(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  context->printOpOnDiagnostic(false);
  context->getDiagEngine().registerHandler(printModelDiagnostic);
  return context;
}

// The front end of run, compile, calibrate and quantize: import with
// --input-shape, then make shapes static where they follow from static
// ones. One function, so that calibration and quantization see the same IR
// (and name the same tensors).
static OwningOpRef<ModuleOp> importModel(MLIRContext &context, const std::string &path) {
  qc::ImportOptions options;
  if (!parseInputShapes(options))
    return nullptr;
  OwningOpRef<ModuleOp> module = qc::importOnnxFile(path, context, options);
  if (!module || failed(qc::cleanUpFloatModel(*module)))
    return nullptr;
  return module;
}

// Cross-layer equalization (qc-equalize-layers); returns how many Convs it
// changed, or -1 on failure.
static int equalizeLayers(ModuleOp module) {
  PassManager pm(module.getContext());
  pm.addNestedPass<func::FuncOp>(qc::createEqualizeLayers());
  if (failed(pm.run(module)))
    return -1;
  int changed = 0;
  module.walk([&](qc::ConvOp conv) { changed += conv->hasAttr("qc.equalized"); });
  return changed;
}

// Records --calib's table on the module and places Q/DQ as it says.
static bool applyCalibration(ModuleOp module, const char *tool) {
  if (calibTable.empty())
    return true;
  qc::calib::Table table;
  std::string error;
  if (!qc::calib::readTable(calibTable, table, error)) {
    llvm::errs() << tool << ": " << error << "\n";
    return false;
  }
  // Q/DQ already in the model (QAT, another quantizer) are explicit
  // quantization, which a table does not add to.
  if (module.walk([](Operation *op) {
        return isa<qc::QuantizeLinearOp, qc::DequantizeLinearOp>(op) ? WalkResult::interrupt()
                                                                     : WalkResult::advance();
      }).wasInterrupted()) {
    llvm::errs() << tool << ": the model already has QuantizeLinear/DequantizeLinear; "
                 << "--calib applies to float models\n";
    return false;
  }
  if (table.equalized && equalizeLayers(module) < 0)
    return false;
  qc::setCalibration(module, table);
  PassManager pm(module.getContext());
  qc::buildQdqPlacementPipeline(pm);
  return succeeded(pm.run(module));
}

// What run and compile do before code generation: --calib's placement, then
// the Q/DQ (placed, or already in the model) folded into integer ops.
static bool quantizeForCodegen(ModuleOp module, const char *tool) {
  if (!applyCalibration(module, tool))
    return false;
  if (simulateQuantization)
    return true;
  if (failed(qc::foldQuantization(module))) {
    llvm::errs() << tool << ": folding QuantizeLinear/DequantizeLinear failed\n";
    return false;
  }
  return true;
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
  auto context = makeContext();
  qc::ImportOptions options;
  options.shapeInference = !noShapeInference;
  if (!parseInputShapes(options))
    return 1;

  auto start = std::chrono::steady_clock::now();
  OwningOpRef<ModuleOp> module = qc::importOnnxFile(importInput, *context, options);
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

// The model `quantc run` compiled; the C ABI's run function has no context
// argument, and the driver runs one model per process.
static qc::JitModel *jitModel = nullptr;

static int32_t runJitModel(void *const *inputs, void *const *outputs) {
  const qc_model_info *info = jitModel->info();
  if (llvm::Error error = jitModel->run(ArrayRef<void *>(inputs, info->num_inputs),
                                        ArrayRef<void *>(outputs, info->num_outputs))) {
    llvm::errs() << "quantc run: " << llvm::toString(std::move(error)) << "\n";
    return 2;
  }
  return QC_OK;
}

static int runRun() {
  if (runInput.empty()) {
    llvm::errs() << "quantc run: no input model given\n";
    return 1;
  }
  auto context = makeContext();
  OwningOpRef<ModuleOp> module = importModel(*context, runInput);
  if (!module || !quantizeForCodegen(*module, "quantc run"))
    return 1;
  auto model = qc::JitModel::compile(*module);
  if (!model) {
    llvm::errs() << "quantc run: " << llvm::toString(model.takeError()) << "\n";
    return 1;
  }
  // Inputs, outputs, timing and threads go through the same runner as
  // quantc-run and compiled executables.
  jitModel = model->get();
  std::vector<std::string> args{"quantc run"};
  for (const std::string &input : runInputs)
    args.push_back("--input=" + input);
  if (!runInputsNpz.empty())
    args.push_back("--inputs=" + runInputsNpz);
  if (runRandomInputs)
    args.push_back("--random-inputs");
  if (!runOutputNpz.empty())
    args.push_back("--output-npz=" + runOutputNpz);
  if (!runOutputDir.empty())
    args.push_back("--output-dir=" + runOutputDir);
  if (runBench > 0)
    args.push_back("--bench=" + std::to_string(runBench));
  if (runThreads > 0)
    args.push_back("--threads=" + std::to_string(runThreads));
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  return qc::runnerMain(static_cast<int>(argv.size()), argv.data(), 1, "quantc run",
                        jitModel->info(), runJitModel);
}

// Links with an external linker driver; code generation itself is in-process.
static bool runLinker(ArrayRef<std::string> args) {
  std::string driver;
  for (const char *candidate : {"clang++-22", "clang++", "c++", "g++"})
    if (auto path = llvm::sys::findProgramByName(candidate)) {
      driver = *path;
      break;
    }
  if (driver.empty()) {
    llvm::errs() << "quantc compile: no linker driver (clang++ or c++) on PATH\n";
    return false;
  }
  SmallVector<StringRef> argv{driver};
  for (const std::string &a : args)
    argv.push_back(a);
  std::string error;
  int status = llvm::sys::ExecuteAndWait(driver, argv, std::nullopt, {}, 0, 0, &error);
  if (status != 0) {
    llvm::errs() << "quantc compile: linking failed (" << driver << " exited with " << status
                 << (error.empty() ? "" : ": " + error) << ")\n";
    return false;
  }
  return true;
}

static bool writeText(StringRef path, StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    llvm::errs() << "quantc compile: cannot write '" << path << "': " << ec.message() << "\n";
    return false;
  }
  os << text;
  return true;
}

// Prints each stage's wall time (quantc compile --time-stages) when the
// compile ends, however it ends.
struct StagePrinter {
  qc::StageTimes times;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  void lap(const char *stage) {
    auto now = std::chrono::steady_clock::now();
    times.seconds.emplace_back(stage, std::chrono::duration<double>(now - start).count());
    start = now;
  }
  ~StagePrinter() {
    if (!compileTimeStages)
      return;
    double total = 0;
    llvm::errs() << "quantc compile: time per stage\n";
    for (auto &[stage, seconds] : times.seconds) {
      llvm::errs() << llvm::format("  %-44s %8.3f s\n", stage.c_str(), seconds);
      total += seconds;
    }
    llvm::errs() << llvm::format("  %-44s %8.3f s\n", "total", total);
  }
};

static int runCompile(const char *argv0) {
  StagePrinter stages;
  auto context = makeContext();
  OwningOpRef<ModuleOp> module = importModel(*context, compileInput);
  if (!module)
    return 1;
  stages.lap("import ONNX (shape inference, constants)");
  if (!quantizeForCodegen(*module, "quantc compile"))
    return 1;
  stages.lap("quantize, fold Q/DQ into integer ops");
  if (emitKind == EmitKind::QC) {
    std::string text;
    llvm::raw_string_ostream os(text);
    OpPrintingFlags flags;
    flags.elideLargeElementsAttrs(16);
    module->print(os, flags);
    return writeText(compileOutput, text) ? 0 : 1;
  }
  auto signature = qc::readSignature(*module);
  if (!signature) {
    llvm::errs() << "quantc compile: " << llvm::toString(signature.takeError()) << "\n";
    return 1;
  }
  qc::TargetOptions target;
  target.cpu = compileCpu;
  target.features = compileFeatures;
  target.prefix = compilePrefix;
  target.exeEntryAliases = emitKind == EmitKind::Executable;
  target.profileLayers = compileProfile;
  auto machine = qc::createTargetMachine(target);
  if (!machine) {
    llvm::errs() << "quantc compile: " << llvm::toString(machine.takeError()) << "\n";
    return 1;
  }
  if (emitKind == EmitKind::MLIR) {
    if (llvm::Error error = qc::lowerToLLVMDialect(*module, compileProfile)) {
      llvm::errs() << "quantc compile: " << llvm::toString(std::move(error)) << "\n";
      return 1;
    }
    std::string text;
    llvm::raw_string_ostream os(text);
    OpPrintingFlags flags;
    flags.elideLargeElementsAttrs(16);
    module->print(os, flags);
    return writeText(compileOutput, text) ? 0 : 1;
  }
  llvm::LLVMContext llvmContext;
  target.stageTimes = &stages.times;
  auto llvmModule = qc::lowerToLLVMIR(*module, *signature, llvmContext, **machine, target);
  stages.start = std::chrono::steady_clock::now();
  if (!llvmModule) {
    llvm::errs() << "quantc compile: " << llvm::toString(llvmModule.takeError()) << "\n";
    return 1;
  }
  if (emitKind == EmitKind::LLVMIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    (*llvmModule)->print(os, nullptr);
    return writeText(compileOutput, text) ? 0 : 1;
  }

  // The header sits beside the artifact: out.o / out.so -> out.h.
  SmallString<256> headerPath(compileOutput);
  llvm::sys::path::replace_extension(headerPath, "h");
  std::string objectPath = compileOutput;
  if (emitKind != EmitKind::Object)
    objectPath = compileOutput + ".o";
  if (llvm::Error error = qc::emitObjectFile(**llvmModule, **machine, objectPath)) {
    llvm::errs() << "quantc compile: " << llvm::toString(std::move(error)) << "\n";
    return 1;
  }
  stages.lap("code generation (object file)");
  if (emitKind != EmitKind::Executable &&
      !writeText(headerPath, qc::generateHeader(*signature, target.prefix)))
    return 1;
  if (emitKind == EmitKind::Object)
    return 0;

  // Parallel loops need the OpenMP runtime; found again at load time by rpath.
  std::string ompDir = llvm::sys::path::parent_path(QUANTC_OMP_LIBRARY).str();
  std::vector<std::string> ompArgs{"-L" + ompDir, "-Wl,-rpath," + ompDir, "-lomp", "-lm"};
  bool linked;
  if (emitKind == EmitKind::Library) {
    std::vector<std::string> args{"-shared", "-o", compileOutput, objectPath};
    args.insert(args.end(), ompArgs.begin(), ompArgs.end());
    linked = runLinker(args);
  } else {
    // The runtime archives live in build/lib beside build/bin/quantc.
    std::string self = llvm::sys::fs::getMainExecutable(argv0, (void *)&runCompile);
    SmallString<256> libDir(llvm::sys::path::parent_path(llvm::sys::path::parent_path(self)));
    llvm::sys::path::append(libDir, "lib");
    std::string exeMain = (libDir + "/libQCRuntimeExeMain.a").str();
    std::string runtime = (libDir + "/libQCRuntime.a").str();
    if (!llvm::sys::fs::exists(exeMain) || !llvm::sys::fs::exists(runtime)) {
      llvm::errs() << "quantc compile: the runtime archives are missing from " << libDir
                   << " (build the QCRuntimeExeMain target)\n";
      return 1;
    }
    std::vector<std::string> args{"-o", compileOutput, objectPath, exeMain, runtime};
    args.insert(args.end(), ompArgs.begin(), ompArgs.end());
    linked = runLinker(args);
  }
  llvm::sys::fs::remove(objectPath);
  stages.lap("link");
  return linked ? 0 : 1;
}

// Output buffers for every output of `sig`.
static std::vector<std::vector<char>> allocateOutputs(const qc::Signature &sig,
                                                      std::vector<void *> &pointers) {
  std::vector<std::vector<char>> buffers;
  for (const qc::TensorSpec &spec : sig.outputs)
    buffers.emplace_back(std::max<size_t>(spec.numElements() * spec.elementSize(), 1));
  for (auto &b : buffers)
    pointers.push_back(b.data());
  return buffers;
}

// The histograms of the model being calibrated, by observer id; the
// compiled calibration build calls qc_rt_observe for each observed tensor.
static std::vector<qc::calib::Histogram> *observedHistograms = nullptr;

extern "C" void quantcObserve(int64_t id, int64_t address, int64_t elements, int64_t samples) {
  if (!observedHistograms || id < 0 || id >= static_cast<int64_t>(observedHistograms->size()))
    return;
  // Sample by sample: the histograms do not depend on the batch size.
  (*observedHistograms)[id].addSamples(reinterpret_cast<const float *>(address), elements,
                                       std::max<int64_t>(samples, 1));
}

// What observing a model's quantized activations over calibration data
// gives: their calibration names and histograms.
struct Observed {
  std::vector<std::string> names;
  std::vector<qc::calib::Histogram> histograms;
  int64_t samples = 0, batches = 0;
  bool fromImages = false;
};

static bool observeActivations(const std::string &path, const std::string &dataPath,
                               const std::string &preprocess, int maxBatches, bool equalize,
                               Observed &observed, const char *tool) {
  auto context = makeContext();
  OwningOpRef<ModuleOp> module = importModel(*context, path);
  if (!module || (equalize && equalizeLayers(*module) < 0))
    return false;
  PassManager pm(context.get());
  pm.addPass(qc::createInsertObservers());
  if (failed(pm.run(*module)))
    return false;
  for (Attribute name : (*module)->getAttrOfType<ArrayAttr>("qc.observed"))
    observed.names.push_back(cast<StringAttr>(name).str());
  observed.histograms.assign(observed.names.size(), qc::calib::Histogram());
  observedHistograms = &observed.histograms;
  auto model = qc::JitModel::compile(
      *module, {{"qc_rt_observe", reinterpret_cast<void *>(&quantcObserve)}});
  if (!model) {
    llvm::errs() << tool << ": " << llvm::toString(model.takeError()) << "\n";
    return false;
  }
  const qc::Signature &sig = (*model)->signature();

  // Outputs are computed and dropped; inputs come batch by batch.
  std::vector<void *> outputPointers;
  std::vector<std::vector<char>> outputs = allocateOutputs(sig, outputPointers);
  std::string error;
  auto data = qc::CalibrationData::open(dataPath, sig, preprocess, error);
  if (!data) {
    llvm::errs() << tool << ": " << error << "\n";
    return false;
  }
  bool terminal = llvm::errs().is_displayed();
  std::vector<void *> inputPointers;
  while (maxBatches <= 0 || observed.batches < maxBatches) {
    if (!data->next(inputPointers, error)) {
      if (error.empty())
        break;
      llvm::errs() << tool << ": " << error << "\n";
      return false;
    }
    if (llvm::Error runError = (*model)->run(inputPointers, outputPointers)) {
      llvm::errs() << tool << ": " << llvm::toString(std::move(runError)) << "\n";
      return false;
    }
    ++observed.batches;
    observed.samples += data->batchSize();
    if (terminal)
      llvm::errs() << "\rcalibrating: " << observed.batches << " batches, " << observed.samples
                   << " samples";
  }
  if (terminal)
    llvm::errs() << "\n";
  observedHistograms = nullptr;
  observed.fromImages = data->fromImages();
  if (observed.batches == 0) {
    llvm::errs() << tool << ": no calibration samples in " << dataPath << "\n";
    return false;
  }
  return true;
}

static qc::calib::TableEntry tableEntry(const std::string &name,
                                        const qc::calib::Histogram &histogram,
                                        qc::calib::ActivationType type, qc::calib::Method method,
                                        double percentile) {
  qc::calib::TableEntry e;
  e.tensor = name;
  e.type = type;
  e.amax = qc::calib::computeAmax(histogram, {method, percentile});
  e.min = histogram.min();
  e.max = histogram.max();
  e.params = qc::calib::activationParams(e.type, e.amax, e.min, e.max);
  e.binWidth = histogram.binWidth();
  e.count = histogram.count();
  e.bins = static_cast<int64_t>(histogram.bins().size());
  return e;
}

constexpr qc::calib::Method kAllMethods[] = {qc::calib::Method::Max,
                                             qc::calib::Method::Percentile,
                                             qc::calib::Method::Entropy, qc::calib::Method::Mse};

static std::string describe(const qc::analysis::Accuracy &a) {
  std::string text =
      llvm::formatv("SQNR {0:F2} dB, cosine {1:F5} (min {2:F4}), top-1 agreement {3:F2}%", a.sqnr,
                    a.cosine, a.cosineMin, a.agreement)
          .str();
  if (a.rowsPerSample > 1)
    text += llvm::formatv(" ({0} rows per sample; all agree in {1:F2}% of samples)",
                          a.rowsPerSample, a.sampleAgreement)
                .str();
  return text;
}

// Per-layer FP32 and INT8 time (ms per run) from the compiler's own layer
// profile: the model compiled both ways with qc-profile-layers, run on
// zeros.
static std::map<std::string, std::pair<double, double>>
measureLayerCosts(const std::string &path, const qc::calib::Table &table, const char *tool) {
  std::map<std::string, std::pair<double, double>> costs;
  // On one thread, each layer's fastest run. On a busy machine a parallel
  // layer waits at its barrier for whichever thread was descheduled, and
  // the same layers did so in every run: with two other jobs on the two
  // cores, PP-OCRv4 rec's Conv.32 measured 7 ms slower in INT8 than in FP32
  // as the fastest of ~100 runs on two threads (0.2 ms faster idle). On one
  // thread it measures 0.42 ms faster busy and 0.44 idle: a single thread
  // loses whole runs to other jobs, which the fastest run leaves out. At
  // least kMinRuns, then more until kBudgetSeconds of runs per model or
  // kMaxRuns.
  constexpr int kMinRuns = 5, kMaxRuns = 200;
  constexpr double kBudgetSeconds = 2.0;
  for (bool int8 : {false, true}) {
    auto context = makeContext();
    OwningOpRef<ModuleOp> module = importModel(*context, path);
    if (!module)
      return {};
    if (int8) {
      if (table.equalized && equalizeLayers(*module) < 0)
        return {};
      qc::setCalibration(*module, table);
      PassManager pm(context.get());
      qc::buildQdqPlacementPipeline(pm);
      if (failed(pm.run(*module)) || failed(qc::foldQuantization(*module)))
        return {};
    }
    auto model = qc::JitModel::compile(*module, {}, /*profileLayers=*/true);
    if (!model) {
      llvm::errs() << tool << ": profiling: " << llvm::toString(model.takeError()) << "\n";
      return {};
    }
    const qc::Signature &sig = (*model)->signature();
    std::vector<void *> inputPointers, outputPointers;
    std::vector<std::vector<char>> inputs;
    for (const qc::TensorSpec &spec : sig.inputs)
      inputs.emplace_back(std::max<size_t>(spec.numElements() * spec.elementSize(), 1), 0);
    for (auto &input : inputs)
      inputPointers.push_back(input.data());
    auto outputs = allocateOutputs(sig, outputPointers);
    // The JIT has loaded the OpenMP runtime by now.
    int threads = qc::setParallelThreads(1);
    llvm::scope_exit restoreThreads([&] {
      if (threads > 0)
        qc::setParallelThreads(threads);
    });
    // The first run packs weights: it is not timed.
    std::map<std::string, double> fastest;
    auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    for (int run = 0; run <= kMaxRuns && (run <= kMinRuns || elapsed() < kBudgetSeconds); ++run) {
      if (llvm::Error error = (*model)->run(inputPointers, outputPointers)) {
        llvm::consumeError(std::move(error));
        return {};
      }
      const qc::ProfileTable &profile = (*model)->profile();
      if (run > 0)
        for (auto &[layer, ms] : qc::analysis::layerTimes(profile, 1)) {
          auto [it, inserted] = fastest.insert({layer, ms});
          if (!inserted)
            it->second = std::min(it->second, ms);
        }
      for (int64_t layer = 0; layer < profile.count; ++layer) {
        profile.layers[layer * qc::kProfileColumns + qc::kNanosColumn] = 0;
        profile.layers[layer * qc::kProfileColumns + qc::kCallsColumn] = 0;
      }
    }
    for (auto &[layer, ms] : fastest)
      (int8 ? costs[layer].second : costs[layer].first) = ms;
  }
  return costs;
}

// The output error of the model quantized as `table` says, on the search
// samples.
static bool measureTable(const qc::calib::Table &table, qc::analysis::Accuracy &accuracy,
                         const char *tool) {
  auto context = makeContext();
  OwningOpRef<ModuleOp> module = importModel(*context, calibrateInput);
  if (!module || (table.equalized && equalizeLayers(*module) < 0))
    return false;
  std::string error;
  auto simulator = qc::analysis::Simulator::create(*module, calibrateData, calibratePreprocess,
                                                   calibrateSearchSamples, error);
  if (!simulator || !simulator->evaluate(qc::analysis::planFromTable(table), accuracy, error)) {
    llvm::errs() << tool << ": " << error << "\n";
    return false;
  }
  return true;
}

// --method auto, bias correction and --accuracy-budget: searches measured
// on the float model with probes (tools/quantc/Analysis.h).
static bool refineCalibration(qc::calib::Table &table, const Observed &observed,
                              bool chooseMethod, const qc::analysis::Objective &objective,
                              const char *tool) {
  auto context = makeContext();
  OwningOpRef<ModuleOp> module = importModel(*context, calibrateInput);
  if (!module || (table.equalized && equalizeLayers(*module) < 0))
    return false;
  std::string error;
  auto simulator = qc::analysis::Simulator::create(*module, calibrateData, calibratePreprocess,
                                                   calibrateSearchSamples, error);
  if (!simulator) {
    llvm::errs() << tool << ": " << error << "\n";
    return false;
  }
  qc::analysis::Plan plan = qc::analysis::planFromTable(table);
  qc::analysis::Accuracy accuracy;
  if (!simulator->evaluate(plan, accuracy, error)) {
    llvm::errs() << tool << ": " << error << "\n";
    return false;
  }
  llvm::outs() << tool << ": measured on " << simulator->samples() << " samples, "
               << (chooseMethod ? std::string("mse") : table.method) << " for all: "
               << describe(accuracy) << "\n";
  if (chooseMethod) {
    std::map<std::string, std::map<std::string, qc::calib::QuantParams>> candidates;
    for (auto [name, histogram] : llvm::zip(observed.names, observed.histograms))
      for (qc::calib::Method method : kAllMethods)
        candidates[name][qc::calib::methodName(method)] =
            tableEntry(name, histogram, table.entries.front().type, method,
                       calibratePercentile)
                .params;
    std::map<std::string, std::string> chosen;
    if (!qc::analysis::chooseMethods(*simulator, candidates, objective, plan, chosen, error)) {
      llvm::errs() << tool << ": " << error << "\n";
      return false;
    }
    std::map<std::string, int> counts;
    for (auto [e, histogram] : llvm::zip(table.entries, observed.histograms)) {
      e = tableEntry(e.tensor, histogram, e.type, *qc::calib::parseMethod(chosen[e.tensor]),
                     calibratePercentile);
      e.method = chosen[e.tensor];
      ++counts[e.method];
    }
    if (!simulator->evaluate(plan, accuracy, error)) {
      llvm::errs() << tool << ": " << error << "\n";
      return false;
    }
    llvm::outs() << tool << ": auto:";
    for (auto &[method, count] : counts)
      llvm::outs() << " " << method << " " << count;
    llvm::outs() << " tensors: " << describe(accuracy) << "\n";
  }
  if (calibrateWeightRounding) {
    bool kept = false;
    int64_t layers = 0;
    qc::analysis::Accuracy before, after;
    if (!qc::analysis::roundWeights(*simulator, objective, plan, kept, layers, before, after,
                                    error)) {
      llvm::errs() << tool << ": " << error << "\n";
      return false;
    }
    llvm::outs() << tool << ": weight rounding of " << layers << " layers "
                 << (kept ? "kept" : "not kept (no gain)") << ": " << describe(after) << "\n";
  }
  if (calibrateBiasCorrection) {
    bool kept = false;
    qc::analysis::Accuracy before, after;
    if (!qc::analysis::correctBiases(*simulator, objective, plan, kept, before, after, error)) {
      llvm::errs() << tool << ": " << error << "\n";
      return false;
    }
    llvm::outs() << tool << ": bias correction " << (kept ? "kept" : "not kept (no gain)")
                 << ": " << describe(after) << "\n";
    if (kept)
      for (auto &[layer, delta] : plan.biasCorrections)
        table.biasCorrections.push_back({layer, delta});
  }
  if (!calibrateBudget.empty()) {
    qc::analysis::Budget budget;
    if (!qc::analysis::parseBudget(calibrateBudget, budget, error)) {
      llvm::errs() << tool << ": " << error << "\n";
      return false;
    }
    auto costs = measureLayerCosts(calibrateInput, table, tool);
    std::vector<qc::analysis::Fallback> steps;
    bool met = false;
    if (!qc::analysis::fallBackToBudget(*simulator, budget, costs, plan, steps, met, error)) {
      llvm::errs() << tool << ": " << error << "\n";
      return false;
    }
    double added = 0;
    llvm::outs() << tool << ": accuracy budget " << budget.metric << " >= "
                 << llvm::format("%g", budget.least) << ": "
                 << (steps.empty() ? "holds with every layer INT8"
                                   : "layers falling back to FP32, noisiest first (the "
                                     "output SQNR with only that layer INT8)")
                 << "\n";
    for (auto [i, step] : llvm::enumerate(steps)) {
      if (!std::isnan(step.costMs))
        added += step.costMs;
      llvm::outs() << llvm::formatv("  {0,2}. {1} ({2}, alone {3:F2} dB) -> {4}; {5} ms per run\n",
                                    i + 1, step.layer, step.opType, step.aloneSqnr,
                                    describe(step.after),
                                    std::isnan(step.costMs)
                                        ? std::string("unmeasured")
                                        : (step.costMs >= 0 ? "+" : "") +
                                              llvm::formatv("{0:F3}", step.costMs).str());
      table.floatLayers.push_back(step.layer);
    }
    if (!steps.empty())
      llvm::outs() << llvm::formatv("  {0} layers FP32: {1:F3} ms per run more (each layer's "
                                    "FP32 minus INT8 time on one thread, from the compiler's "
                                    "layer profile)\n",
                                    steps.size(), added);
    if (!met)
      llvm::errs() << tool << ": warning: the budget does not hold even with every layer "
                   << "FP32\n";
    if (calibrateBiasCorrection && !steps.empty()) {
      // The corrections below each fallen-back layer were measured with its
      // error upstream, which is gone now: measure them again.
      qc::analysis::Plan fresh = plan;
      fresh.biasCorrections.clear();
      bool kept = false;
      qc::analysis::Accuracy current, before, after;
      if (!simulator->evaluate(plan, current, error) ||
          !qc::analysis::correctBiases(*simulator, objective, fresh, kept, before, after, error)) {
        llvm::errs() << tool << ": " << error << "\n";
        return false;
      }
      const qc::analysis::Accuracy &remeasured = kept ? after : before;
      bool better = objective.better(remeasured, current) && (budget.holds(remeasured) || !met);
      llvm::outs() << tool << ": bias corrections measured again with the FP32 layers: "
                   << describe(remeasured) << (better ? ", kept" : ", not kept") << "\n";
      if (better) {
        plan = std::move(fresh);
        table.biasCorrections.clear();
        for (auto &[layer, delta] : plan.biasCorrections)
          table.biasCorrections.push_back({layer, delta});
      }
    }
  }
  std::set<std::string> floatLayers(table.floatLayers.begin(), table.floatLayers.end());
  for (auto &[layer, values] : plan.roundedWeights)
    if (!floatLayers.count(layer))
      table.roundedWeights.push_back({layer, values});
  return true;
}

static int runCalibrate() {
  const char *tool = "quantc calibrate";
  bool chooseMethod = calibrateMethod == "auto";
  auto method = chooseMethod ? qc::calib::Method::Mse : qc::calib::parseMethod(calibrateMethod);
  if (!method) {
    llvm::errs() << tool << ": unknown method '" << calibrateMethod
                 << "' (max, percentile, entropy, mse, auto)\n";
    return 1;
  }
  auto activationType = qc::calib::parseActivationType(calibrateActivationType);
  if (!activationType) {
    llvm::errs() << tool << ": unknown activation type '" << calibrateActivationType
                 << "' (int8, uint8)\n";
    return 1;
  }
  if (calibrateInput.empty()) {
    llvm::errs() << tool << ": no input model given\n";
    return 1;
  }
  qc::analysis::Budget budget;
  std::string error;
  if (!calibrateBudget.empty() && !qc::analysis::parseBudget(calibrateBudget, budget, error)) {
    llvm::errs() << tool << ": " << error << "\n";
    return 1;
  }
  qc::analysis::Objective objective;
  if (!calibrateBudget.empty())
    objective.metric = budget.metric;
  if (calibrateEqualize != "auto" && calibrateEqualize != "on" && calibrateEqualize != "off") {
    llvm::errs() << tool << ": --equalize takes auto, on or off, not '" << calibrateEqualize
                 << "'\n";
    return 1;
  }
  auto buildTable = [&](const Observed &observed, bool equalized) {
    qc::calib::Table table;
    table.model = llvm::sys::path::filename(calibrateInput).str();
    if (observed.fromImages)
      table.preprocessing = calibratePreprocess;
    table.method = chooseMethod ? "auto" : qc::calib::methodName(*method);
    table.percentile = calibratePercentile;
    table.samples = observed.samples;
    table.batches = observed.batches;
    table.equalized = equalized;
    for (auto [name, histogram] : llvm::zip(observed.names, observed.histograms))
      table.entries.push_back(
          tableEntry(name, histogram, *activationType, *method, calibratePercentile));
    return table;
  };
  bool equalize = calibrateEqualize == "on";
  Observed observed;
  if (calibrateEqualize == "auto") {
    // Both ways when the model has a pair to equalize; the lower output
    // error wins.
    auto context = makeContext();
    OwningOpRef<ModuleOp> probe = importModel(*context, calibrateInput);
    int convs = probe ? equalizeLayers(*probe) : -1;
    if (convs < 0)
      return 1;
    if (convs > 0) {
      Observed plain, equalized;
      qc::analysis::Accuracy plainAccuracy, equalizedAccuracy;
      if (!observeActivations(calibrateInput, calibrateData, calibratePreprocess,
                              calibrateBatches, false, plain, tool) ||
          !observeActivations(calibrateInput, calibrateData, calibratePreprocess,
                              calibrateBatches, true, equalized, tool) ||
          !measureTable(buildTable(plain, false), plainAccuracy, tool) ||
          !measureTable(buildTable(equalized, true), equalizedAccuracy, tool))
        return 1;
      equalize = objective.better(equalizedAccuracy, plainAccuracy);
      llvm::outs() << tool << ": cross-layer equalization of " << convs << " Convs: SQNR "
                   << llvm::format("%.2f", plainAccuracy.sqnr) << " -> "
                   << llvm::format("%.2f", equalizedAccuracy.sqnr) << " dB, "
                   << (equalize ? "kept" : "not kept") << "\n";
      observed = std::move(equalize ? equalized : plain);
    }
  }
  if (observed.batches == 0 &&
      !observeActivations(calibrateInput, calibrateData, calibratePreprocess, calibrateBatches,
                          equalize, observed, tool))
    return 1;

  qc::calib::Table table = buildTable(observed, equalize);
  bool search = chooseMethod || calibrateWeightRounding || calibrateBiasCorrection ||
                !calibrateBudget.empty();
  if (search && !table.entries.empty() &&
      !refineCalibration(table, observed, chooseMethod, objective, tool))
    return 1;
  if (!qc::calib::writeTable(table, calibrateOutput, error)) {
    llvm::errs() << tool << ": " << error << "\n";
    return 1;
  }
  llvm::outs() << tool << ": " << table.entries.size() << " tensors, " << observed.samples
               << " samples in " << observed.batches << " batches, method " << table.method;
  if (table.equalized)
    llvm::outs() << ", equalized";
  if (!table.floatLayers.empty())
    llvm::outs() << ", " << table.floatLayers.size() << " layers FP32";
  if (!table.biasCorrections.empty())
    llvm::outs() << ", " << table.biasCorrections.size() << " bias corrections";
  if (!table.roundedWeights.empty())
    llvm::outs() << ", " << table.roundedWeights.size() << " rounded weights";
  llvm::outs() << " -> " << calibrateOutput << "\n";
  return 0;
}

static cl::opt<std::string> quantizeInput(cl::Positional, cl::desc("<model.onnx>"),
                                          cl::sub(quantizeCommand));
static cl::opt<std::string> quantizeOutput("o", cl::desc("The QDQ model to write"),
                                           cl::value_desc("file.onnx"), cl::Required,
                                           cl::sub(quantizeCommand));

static int runQuantize() {
  if (quantizeInput.empty()) {
    llvm::errs() << "quantc quantize: no input model given\n";
    return 1;
  }
  if (calibTable.empty()) {
    llvm::errs() << "quantc quantize: --calib is required\n";
    return 1;
  }
  auto context = makeContext();
  OwningOpRef<ModuleOp> module = importModel(*context, quantizeInput);
  if (!module || !applyCalibration(*module, "quantc quantize"))
    return 1;
  qc::QdqExportStats stats;
  std::string error;
  if (!qc::writeQdqModel(quantizeInput, *module, quantizeOutput, stats, error)) {
    llvm::errs() << "quantc quantize: " << error << "\n";
    return 1;
  }
  if (stats.activations == 0) {
    llvm::errs() << "quantc quantize: no tensor of " << calibTable
                 << " is an activation of the model that quantization covers\n";
    return 1;
  }
  llvm::outs() << "quantc quantize: " << stats.activations << " activation Q/DQ pairs, "
               << stats.weights << " weights, " << stats.biases << " biases -> "
               << quantizeOutput << "\n";
  return 0;
}

static cl::SubCommand calibAmaxCommand(
    "calib-amax", "Print the clipping threshold (amax) of the values in an .npy file by a "
                  "calibration method, feeding its first dimension as samples");
static cl::opt<std::string> calibAmaxInput(cl::Positional, cl::desc("<values.npy>"),
                                           cl::Required, cl::sub(calibAmaxCommand));
static cl::opt<std::string> calibAmaxMethod("method",
                                            cl::desc("max | percentile | entropy | mse"),
                                            cl::init("max"), cl::sub(calibAmaxCommand));
static cl::opt<double> calibAmaxPercentile("percentile",
                                           cl::desc("CDF percentage for --method percentile"),
                                           cl::init(99.99), cl::sub(calibAmaxCommand));

static int runCalibAmax() {
  auto method = qc::calib::parseMethod(calibAmaxMethod);
  if (!method) {
    llvm::errs() << "quantc calib-amax: unknown method '" << calibAmaxMethod
                 << "' (max, percentile, entropy, mse)\n";
    return 1;
  }
  qc::npy::Array array;
  std::string error;
  if (!qc::npy::read(calibAmaxInput, array, error)) {
    llvm::errs() << "quantc calib-amax: " << error << "\n";
    return 1;
  }
  if (array.dtype != "<f4") {
    llvm::errs() << "quantc calib-amax: " << calibAmaxInput << " holds " << array.dtype
                 << ", expected float32 (<f4)\n";
    return 1;
  }
  int64_t samples = array.shape.empty() ? 1 : std::max<int64_t>(array.shape[0], 0);
  qc::calib::Histogram histogram;
  histogram.addSamples(reinterpret_cast<const float *>(array.data.data()), array.numElements(),
                       samples);
  qc::calib::CalibrationOptions options;
  options.method = *method;
  options.percentile = calibAmaxPercentile;
  llvm::outs() << "method=" << qc::calib::methodName(*method)
               << " amax=" << llvm::format("%.9g", qc::calib::computeAmax(histogram, options))
               << " bins=" << histogram.bins().size() << " max=" << llvm::format("%.9g", histogram.maxAbs())
               << "\n";
  return 0;
}

static std::vector<float> asFloats(const std::vector<char> &buffer, const qc::TensorSpec &spec) {
  std::vector<float> values(spec.numElements());
  std::memcpy(values.data(), buffer.data(), values.size() * sizeof(float));
  return values;
}

static int runReport() {
  auto context = makeContext();
  OwningOpRef<ModuleOp> quantized = importModel(*context, reportInput);
  if (!quantized)
    return 1;
  // The reference: the float model, or for a QDQ model its graph as written
  // (Q/DQ computed in float): the imported module before quantization.
  OwningOpRef<ModuleOp> reference(cast<ModuleOp>((*quantized)->clone()));
  // A table of an equalized model names the equalized tensors.
  qc::calib::Table table;
  std::string tableError;
  if (!calibTable.empty() && qc::calib::readTable(calibTable, table, tableError) &&
      table.equalized && equalizeLayers(*reference) < 0)
    return 1;
  if (!applyCalibration(*quantized, "quantc report"))
    return 1;
  if (!quantized->walk([](Operation *op) {
        return isa<qc::QuantizeLinearOp, qc::DequantizeLinearOp>(op) ? WalkResult::interrupt()
                                                                     : WalkResult::advance();
      }).wasInterrupted()) {
    llvm::errs() << "quantc report: nothing in " << reportInput
                 << " is quantized: give --calib TABLE, or a QDQ model\n";
    return 1;
  }
  if (reportFormat != "text" && reportFormat != "json" && reportFormat != "html") {
    llvm::errs() << "quantc report: unknown --format '" << reportFormat
                 << "' (text, json, html)\n";
    return 1;
  }
  qc::report::Report report;
  report.model = llvm::sys::path::filename(reportInput).str();
  report.layers = qc::report::collectLayers(*quantized);
  std::vector<std::string> probes = qc::report::addQuantizedProbes(*quantized);
  if (failed(qc::foldQuantization(*quantized)))
    return 1;
  qc::report::classifyLayers(*quantized, report.layers, report.unfolded);

  report.reference = calibTable.empty() ? "the QDQ graph computed in float" : "the float model";
  std::vector<bool> found;
  qc::report::addReferenceProbes(*reference, probes, found);
  auto quantizedModel = qc::JitModel::compile(*quantized);
  if (!quantizedModel) {
    llvm::errs() << "quantc report: " << llvm::toString(quantizedModel.takeError()) << "\n";
    return 1;
  }
  auto referenceModel = qc::JitModel::compile(*reference);
  if (!referenceModel) {
    llvm::errs() << "quantc report: " << llvm::toString(referenceModel.takeError()) << "\n";
    return 1;
  }
  const qc::Signature &qsig = (*quantizedModel)->signature();
  const qc::Signature &rsig = (*referenceModel)->signature();

  std::vector<void *> inputs;
  std::vector<std::vector<char>> inputStorage;
  std::unique_ptr<qc::CalibrationData> data;
  std::string error;
  if (!reportData.empty()) {
    data = qc::CalibrationData::open(reportData, qsig, reportPreprocess, error);
    if (!data || !data->next(inputs, error)) {
      llvm::errs() << "quantc report: " << (error.empty() ? "no data in " + reportData : error)
                   << "\n";
      return 1;
    }
    report.input = "the first batch of " + llvm::sys::path::filename(reportData).str();
  } else {
    // Floats N(0, 1); integers (token ids, indices) uniform in [0, 100).
    std::mt19937 rng(0);
    std::normal_distribution<float> normal;
    std::uniform_int_distribution<int64_t> small(0, 99);
    for (const qc::TensorSpec &spec : qsig.inputs) {
      inputStorage.emplace_back(spec.numElements() * spec.elementSize());
      char *data = inputStorage.back().data();
      for (int64_t i = 0; i < spec.numElements(); ++i) {
        if (spec.dtype == "<f4") {
          reinterpret_cast<float *>(data)[i] = normal(rng);
        } else if (spec.dtype == "<i8") {
          reinterpret_cast<int64_t *>(data)[i] = small(rng);
        } else if (spec.dtype == "<i4") {
          reinterpret_cast<int32_t *>(data)[i] = static_cast<int32_t>(small(rng));
        } else {
          llvm::errs() << "quantc report: input '" << spec.name << "' is " << spec.dtype
                       << ": give --data\n";
          return 1;
        }
      }
      inputs.push_back(data);
    }
    report.input = "deterministic random input (floats N(0, 1), integers in [0, 100))";
  }
  std::vector<void *> qPointers, rPointers;
  auto qOutputs = allocateOutputs(qsig, qPointers);
  auto rOutputs = allocateOutputs(rsig, rPointers);
  for (auto [model, pointers] : {std::make_pair(quantizedModel->get(), &qPointers),
                                 std::make_pair(referenceModel->get(), &rPointers)})
    if (llvm::Error runError = model->run(inputs, *pointers)) {
      llvm::errs() << "quantc report: " << llvm::toString(std::move(runError)) << "\n";
      return 1;
    }

  size_t originals = qsig.outputs.size() - probes.size();
  for (size_t i = 0; i < originals && i < rsig.outputs.size(); ++i) {
    if (qsig.outputs[i].dtype != "<f4" || rsig.outputs[i].dtype != "<f4")
      continue;
    auto [sqnr, cosine] = qc::report::compare(asFloats(rOutputs[i], rsig.outputs[i]),
                                              asFloats(qOutputs[i], qsig.outputs[i]));
    report.outputs.push_back({qsig.outputs[i].name, sqnr, cosine});
  }
  std::map<std::string, std::pair<double, double>> errors;
  for (size_t p = 0, r = originals; p < probes.size(); ++p) {
    if (!found[p])
      continue;
    size_t q = originals + p;
    errors[probes[p]] = qc::report::compare(asFloats(rOutputs[r], rsig.outputs[r]),
                                            asFloats(qOutputs[q], qsig.outputs[q]));
    ++r;
  }
  for (qc::report::Layer &layer : report.layers)
    if (auto it = errors.find(layer.output); it != errors.end()) {
      layer.sqnr = it->second.first;
      layer.cosine = it->second.second;
    }

  std::error_code ec;
  llvm::raw_fd_ostream os(reportOutput, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    llvm::errs() << "quantc report: cannot write '" << reportOutput << "': " << ec.message()
                 << "\n";
    return 1;
  }
  if (reportFormat == "json")
    qc::report::writeJson(report, os);
  else if (reportFormat == "html")
    qc::report::writeHtml(report, os);
  else
    qc::report::writeText(report, os);
  return 0;
}

static int runAnalyze() {
  const char *tool = "quantc analyze";
  if (analyzeFormat != "text" && analyzeFormat != "json" && analyzeFormat != "html") {
    llvm::errs() << tool << ": unknown --format '" << analyzeFormat << "' (text, json, html)\n";
    return 1;
  }
  qc::calib::Table table;
  std::string error;
  if (!calibTable.empty()) {
    if (!qc::calib::readTable(calibTable, table, error)) {
      llvm::errs() << tool << ": " << error << "\n";
      return 1;
    }
  } else {
    auto method = qc::calib::parseMethod(analyzeMethod);
    if (!method) {
      llvm::errs() << tool << ": unknown method '" << analyzeMethod
                   << "' (max, percentile, entropy, mse)\n";
      return 1;
    }
    Observed observed;
    if (!observeActivations(analyzeInput, analyzeData, analyzePreprocess, 0, false, observed,
                            tool))
      return 1;
    table.method = analyzeMethod;
    for (auto [name, histogram] : llvm::zip(observed.names, observed.histograms))
      table.entries.push_back(
          tableEntry(name, histogram, qc::calib::ActivationType::Int8, *method, 99.99));
  }
  auto context = makeContext();
  OwningOpRef<ModuleOp> module = importModel(*context, analyzeInput);
  if (!module || (table.equalized && equalizeLayers(*module) < 0))
    return 1;
  auto simulator = qc::analysis::Simulator::create(*module, analyzeData, analyzePreprocess,
                                                   analyzeSamples, error);
  if (!simulator) {
    llvm::errs() << tool << ": " << error << "\n";
    return 1;
  }
  qc::analysis::AnalysisReport report;
  report.model = llvm::sys::path::filename(analyzeInput).str();
  report.data = llvm::sys::path::filename(analyzeData).str();
  report.calibration = calibTable.empty() ? "method " + analyzeMethod + " on the data"
                                          : llvm::sys::path::filename(calibTable).str();
  report.samples = simulator->samples();
  qc::analysis::Plan plan = qc::analysis::planFromTable(table);
  if (!simulator->evaluate(plan, report.all, error) ||
      !qc::analysis::measureSensitivity(*simulator, plan, report.layers, error)) {
    llvm::errs() << tool << ": " << error << "\n";
    return 1;
  }
  if (report.layers.empty()) {
    llvm::errs() << tool << ": no layer of " << analyzeInput << " is quantized\n";
    return 1;
  }
  auto costs = measureLayerCosts(analyzeInput, table, tool);
  for (qc::analysis::LayerSensitivity &layer : report.layers)
    if (auto it = costs.find(layer.layer); it != costs.end()) {
      layer.fp32Ms = it->second.first;
      layer.int8Ms = it->second.second;
    }
  qc::analysis::rankBySensitivity(report.layers);
  std::error_code ec;
  llvm::raw_fd_ostream os(analyzeOutput, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    llvm::errs() << tool << ": cannot write '" << analyzeOutput << "': " << ec.message() << "\n";
    return 1;
  }
  if (analyzeFormat == "json")
    qc::analysis::writeJson(report, os);
  else if (analyzeFormat == "html")
    qc::analysis::writeHtml(report, os);
  else
    qc::analysis::writeText(report, os);
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "quantc: a quantizing compiler for ONNX models\n\n"
                              "  quantc import model.onnx -o model.mlir\n");
  if (importCommand)
    return runImport();
  if (runCommand)
    return runRun();
  if (compileCommand)
    return runCompile(argv[0]);
  if (calibAmaxCommand)
    return runCalibAmax();
  if (calibrateCommand)
    return runCalibrate();
  if (quantizeCommand)
    return runQuantize();
  if (reportCommand)
    return runReport();
  if (analyzeCommand)
    return runAnalyze();
  llvm::errs() << "quantc: give a subcommand (see quantc --help)\n";
  return 1;
}

//===- Report.cpp - what runs in INT8, and how far it is from float -------===//
#include "Report.h"

#include "Import/OnnxOpTable.h"
#include "QC/QCOps.h"
#include "passes/QdqFolding/Folding.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <cmath>
#include <limits>
#include <map>

using namespace mlir;

namespace qc::report {
namespace {

// The ONNX op type of a qc op.
std::string onnxOpType(Operation *op) {
  static const llvm::StringMap<std::string> byQcName = [] {
    llvm::StringMap<std::string> map;
    for (const OnnxOpSpec &spec : getOnnxOpTable())
      map[spec.qcName] = spec.onnxType.str();
    return map;
  }();
  auto it = byQcName.find(op->getName().getStringRef());
  return it != byQcName.end() ? it->second : op->getName().getStringRef().str();
}

bool isBookkeeping(Operation *op) {
  return isa<ConstantOp, NoneOp, QuantizeLinearOp, DequantizeLinearOp, func::ReturnOp>(op);
}

// An op of integer code: 8-bit results, or the i32 accumulator ops.
bool runsInteger(Operation *op) {
  if (isa<ConvIntegerOp, MatMulIntegerOp, RequantizeOp>(op))
    return true;
  return llvm::any_of(op->getResultTypes(), [](Type t) {
    auto shaped = dyn_cast<ShapedType>(t);
    auto i = shaped ? dyn_cast<IntegerType>(shaped.getElementType()) : nullptr;
    return i && i.getWidth() == 8;
  });
}

func::FuncOp mainOf(ModuleOp module) { return module.lookupSymbol<func::FuncOp>("main"); }

// Appends `values` to @main's results with the given names.
void appendResults(func::FuncOp main, ArrayRef<Value> values, ArrayRef<std::string> names) {
  auto ret = cast<func::ReturnOp>(main.getBody().front().getTerminator());
  SmallVector<Value> operands(ret.getOperands());
  unsigned first = operands.size();
  llvm::append_range(operands, values);
  ret->setOperands(operands);
  SmallVector<Type> results(main.getFunctionType().getResults());
  for (Value v : values)
    results.push_back(v.getType());
  main.setType(FunctionType::get(main.getContext(), main.getFunctionType().getInputs(), results));
  for (auto [i, name] : llvm::enumerate(names))
    main.setResultAttr(first + i, "qc.name", StringAttr::get(main.getContext(), name));
}

std::string formatNumber(std::optional<double> v, const char *format) {
  if (!v)
    return "-";
  if (std::isinf(*v))
    return "inf";
  return llvm::formatv(format, *v).str();
}

} // namespace

std::vector<Layer> collectLayers(ModuleOp quantized) {
  std::vector<Layer> layers;
  std::map<std::string, size_t> seen;
  func::FuncOp main = mainOf(quantized);
  if (!main)
    return layers;
  main.walk([&](Operation *op) {
    if (op == main || isBookkeeping(op) || op->getNumResults() == 0)
      return;
    std::string node = onnxNodeName(op);
    if (node.empty() || seen.count(node))
      return;
    seen[node] = layers.size();
    layers.push_back({node, onnxOpType(op), "", onnxTensorName(op->getResult(0)), {}, {}});
  });
  return layers;
}

void classifyLayers(ModuleOp folded, std::vector<Layer> &layers, std::vector<Unfolded> &unfolded) {
  std::map<std::string, std::pair<int, int>> counts; // node -> (integer ops, float ops)
  func::FuncOp main = mainOf(folded);
  main.walk([&](Operation *op) {
    if (isa<QuantizeLinearOp, DequantizeLinearOp>(op)) {
      if (auto reason = op->getAttrOfType<StringAttr>(kUnfoldedAttr)) {
        Value floatSide = isa<QuantizeLinearOp>(op) ? op->getOperand(0) : op->getResult(0);
        std::string tensor =
            onnxTensorName(isa<QuantizeLinearOp>(op) ? floatSide : op->getOperand(0));
        if (tensor.empty())
          tensor = onnxTensorName(floatSide);
        unfolded.push_back({isa<QuantizeLinearOp>(op) ? "QuantizeLinear" : "DequantizeLinear",
                            tensor.empty() ? onnxNodeName(op) : tensor, reason.str()});
      }
      if (!op->hasAttr(kEpilogueAttr))
        return;
    }
    if (op == main || isa<ConstantOp, NoneOp, func::ReturnOp>(op))
      return;
    auto &[integer, fp] = counts[onnxNodeName(op)];
    ++(runsInteger(op) ? integer : fp);
  });
  for (Layer &layer : layers) {
    auto it = counts.find(layer.node);
    if (it == counts.end())
      layer.precision = "fused";
    else if (it->second.first > 0)
      layer.precision = "INT8";
    else
      layer.precision = "FP32";
  }
}

std::vector<std::string> addQuantizedProbes(ModuleOp quantized) {
  std::vector<std::string> tensors;
  func::FuncOp main = mainOf(quantized);
  if (!main)
    return tensors;
  SmallVector<Value> values;
  std::vector<std::string> names;
  std::map<std::string, bool> done;
  OpBuilder builder(quantized.getContext());
  main.walk([&](QuantizeLinearOp q) {
    auto type = q->getAttrOfType<TypeAttr>("qtype");
    std::string tensor = onnxTensorName(q.getX());
    if (!type || !isa<quant::UniformQuantizedType>(type.getValue()) || tensor.empty() ||
        done[tensor])
      return;
    done[tensor] = true;
    builder.setInsertionPointAfter(q);
    Value dq =
        DequantizeLinearOp::create(builder, q.getLoc(), TypeRange{q.getX().getType()},
                                   ValueRange{q.getY(), q.getYScale(), q.getYZeroPoint()},
                                   ArrayRef<NamedAttribute>{builder.getNamedAttr("qtype", type)})
            .getY();
    values.push_back(dq);
    names.push_back("probe:" + tensor);
    tensors.push_back(tensor);
  });
  appendResults(main, values, names);
  return tensors;
}

void addReferenceProbes(ModuleOp reference, const std::vector<std::string> &tensors,
                        std::vector<bool> &found) {
  func::FuncOp main = mainOf(reference);
  std::map<std::string, Value> byName;
  main.walk([&](Operation *op) {
    for (Value result : op->getResults())
      if (std::string name = onnxTensorName(result); !name.empty() && !byName.count(name))
        byName[name] = result;
  });
  for (BlockArgument arg : main.getArguments())
    if (std::string name = onnxTensorName(arg); !name.empty())
      byName[name] = arg;
  SmallVector<Value> values;
  std::vector<std::string> names;
  found.clear();
  for (const std::string &tensor : tensors) {
    auto it = byName.find(tensor);
    found.push_back(it != byName.end());
    if (it != byName.end()) {
      values.push_back(it->second);
      names.push_back("probe:" + tensor);
    }
  }
  appendResults(main, values, names);
}

std::pair<double, double> compare(const std::vector<float> &ref, const std::vector<float> &test) {
  double signal = 0, noise = 0, dot = 0, refNorm = 0, testNorm = 0;
  for (size_t i = 0; i < ref.size() && i < test.size(); ++i) {
    double r = ref[i], t = test[i];
    signal += r * r;
    noise += (r - t) * (r - t);
    dot += r * t;
    refNorm += r * r;
    testNorm += t * t;
  }
  double sqnr = noise == 0 ? std::numeric_limits<double>::infinity()
                           : 10.0 * std::log10(std::max(signal, 1e-30) / noise);
  double cosine = refNorm == 0 || testNorm == 0 ? (refNorm == testNorm ? 1.0 : 0.0)
                                                : dot / std::sqrt(refNorm * testNorm);
  return {sqnr, cosine};
}

void writeText(const Report &report, llvm::raw_ostream &os) {
  size_t int8 = 0, fp32 = 0, fused = 0;
  for (const Layer &l : report.layers)
    ++(l.precision == "INT8" ? int8 : l.precision == "FP32" ? fp32 : fused);
  os << "quantc report: " << report.model << "\n"
     << "layers: " << report.layers.size() << " (INT8 " << int8 << ", FP32 " << fp32 << ", fused "
     << fused << " into the kernel before them); unfolded Q/DQ: " << report.unfolded.size() << "\n"
     << "errors against " << report.reference << " on " << report.input << "\n\n";
  size_t width = 4;
  for (const Layer &l : report.layers)
    width = std::max(width, l.node.size());
  os << llvm::left_justify("node", width) << "  " << llvm::left_justify("op", 22) << " "
     << llvm::left_justify("precision", 9) << " " << llvm::right_justify("SQNR dB", 8) << " "
     << llvm::right_justify("cosine", 9) << "  output\n";
  for (const Layer &l : report.layers)
    os << llvm::left_justify(l.node, width) << "  " << llvm::left_justify(l.opType, 22) << " "
       << llvm::left_justify(l.precision, 9) << " "
       << llvm::right_justify(formatNumber(l.sqnr, "{0:F2}"), 8) << " "
       << llvm::right_justify(formatNumber(l.cosine, "{0:F6}"), 9) << "  " << l.output << "\n";
  os << "\nmodel outputs:\n";
  for (const Report::Output &o : report.outputs)
    os << "  " << o.name << ": SQNR " << formatNumber(o.sqnr, "{0:F2}") << " dB, cosine "
       << formatNumber(o.cosine, "{0:F6}") << "\n";
  os << "\nunfolded Q/DQ:" << (report.unfolded.empty() ? " none" : "") << "\n";
  for (const Unfolded &u : report.unfolded)
    os << "  " << u.op << " on " << u.tensor << ": " << u.reason << "\n";
}

void writeJson(const Report &report, llvm::raw_ostream &os) {
  auto number = [](std::optional<double> v) -> llvm::json::Value {
    if (!v || std::isinf(*v))
      return v ? llvm::json::Value("inf") : llvm::json::Value(nullptr);
    return *v;
  };
  llvm::json::Array layers, unfolded, outputs;
  for (const Layer &l : report.layers)
    layers.push_back(llvm::json::Object{{"node", l.node},
                                        {"op", l.opType},
                                        {"precision", l.precision},
                                        {"output", l.output},
                                        {"sqnr_db", number(l.sqnr)},
                                        {"cosine", number(l.cosine)}});
  for (const Unfolded &u : report.unfolded)
    unfolded.push_back(
        llvm::json::Object{{"op", u.op}, {"tensor", u.tensor}, {"reason", u.reason}});
  for (const Report::Output &o : report.outputs)
    outputs.push_back(llvm::json::Object{
        {"name", o.name}, {"sqnr_db", number(o.sqnr)}, {"cosine", number(o.cosine)}});
  llvm::json::Object root{{"model", report.model},         {"reference", report.reference},
                          {"input", report.input},         {"layers", std::move(layers)},
                          {"outputs", std::move(outputs)}, {"unfolded", std::move(unfolded)}};
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
}

namespace {
std::string escapeHtml(StringRef s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}
} // namespace

void writeHtml(const Report &report, llvm::raw_ostream &os) {
  os << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>quantc report: "
     << escapeHtml(report.model) << "</title>\n<style>body{font-family:sans-serif;margin:2em}"
     << "table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;"
     << "text-align:left}.INT8{color:#1a7f37}.FP32{color:#b35900}.fused{color:#777}</style>"
     << "</head><body>\n<h1>quantc report: " << escapeHtml(report.model) << "</h1>\n<p>Errors "
     << "against " << escapeHtml(report.reference) << " on " << escapeHtml(report.input)
     << ".</p>\n";
  // Per-layer SQNR as horizontal bars (40 dB fills the width); FP32 layers
  // orange, INT8 green.
  std::vector<const Layer *> measured;
  for (const Layer &l : report.layers)
    if (l.sqnr)
      measured.push_back(&l);
  const int rowHeight = 16, labelWidth = 260, barWidth = 420;
  os << "<h2>SQNR per layer (dB)</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
     << labelWidth + barWidth + 80 << "\" height=\"" << rowHeight * (measured.size() + 1)
     << "\" font-size=\"11\">\n";
  for (auto [i, l] : llvm::enumerate(measured)) {
    double sqnr = std::isinf(*l->sqnr) ? 60.0 : *l->sqnr;
    int length = static_cast<int>(std::clamp(sqnr / 40.0, 0.0, 1.0) * barWidth);
    int y = static_cast<int>(i) * rowHeight;
    os << "<text x=\"0\" y=\"" << y + 12 << "\">" << escapeHtml(l->node) << "</text>"
       << "<rect x=\"" << labelWidth << "\" y=\"" << y + 2 << "\" width=\"" << length
       << "\" height=\"" << rowHeight - 4 << "\" fill=\""
       << (l->precision == "FP32" ? "#e08a2e" : "#2da44e") << "\"/>"
       << "<text x=\"" << labelWidth + length + 4 << "\" y=\"" << y + 12 << "\">"
       << formatNumber(l->sqnr, "{0:F1}") << "</text>\n";
  }
  os << "</svg>\n<h2>Layers</h2>\n<table><tr><th>node</th><th>op</th><th>precision</th>"
     << "<th>SQNR dB</th><th>cosine</th><th>output</th></tr>\n";
  for (const Layer &l : report.layers)
    os << "<tr><td>" << escapeHtml(l.node) << "</td><td>" << escapeHtml(l.opType)
       << "</td><td class=\"" << l.precision << "\">" << l.precision << "</td><td>"
       << formatNumber(l.sqnr, "{0:F2}") << "</td><td>" << formatNumber(l.cosine, "{0:F6}")
       << "</td><td>" << escapeHtml(l.output) << "</td></tr>\n";
  os << "</table>\n<h2>Model outputs</h2>\n<ul>\n";
  for (const Report::Output &o : report.outputs)
    os << "<li>" << escapeHtml(o.name) << ": SQNR " << formatNumber(o.sqnr, "{0:F2}")
       << " dB, cosine " << formatNumber(o.cosine, "{0:F6}") << "</li>\n";
  os << "</ul>\n<h2>Unfolded Q/DQ</h2>\n";
  if (report.unfolded.empty())
    os << "<p>None: every quantized tensor is produced and consumed by integer code.</p>\n";
  else {
    os << "<table><tr><th>op</th><th>tensor</th><th>reason</th></tr>\n";
    for (const Unfolded &u : report.unfolded)
      os << "<tr><td>" << u.op << "</td><td>" << escapeHtml(u.tensor) << "</td><td>"
         << escapeHtml(u.reason) << "</td></tr>\n";
    os << "</table>\n";
  }
  os << "</body></html>\n";
}

} // namespace qc::report

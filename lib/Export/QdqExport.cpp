//===- QdqExport.cpp - a quantized model as QDQ ONNX ----------------------===//
#include "Export/QdqExport.h"
#include "passes/Quantization.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

using namespace mlir;

namespace qc {
namespace {

// One node input the quantization rewires: the node (by its first output)
// and the input's position.
struct Use {
  std::string node;
  unsigned input;
};

// A QuantizeLinear -> DequantizeLinear pair on a float tensor.
struct ActivationQdq {
  std::string tensor;
  quant::UniformQuantizedType type;
  std::vector<Use> uses;
};

// An int8 weight or int32 bias initializer behind a DequantizeLinear.
struct ConstantDq {
  int64_t axis;
  DenseElementsAttr values, scales;
  std::vector<Use> uses;
};

// The ONNX name of a value: an op result or graph input as the importer
// recorded it, or an initializer's name.
std::string tensorName(Value value) {
  std::string name = onnxTensorName(value);
  if (name.empty())
    if (auto constant = value.getDefiningOp<ConstantOp>())
      if (auto loc = dyn_cast<NameLoc>(constant->getLoc()))
        name = loc.getName().str();
  return name;
}

onnx::TensorProto tensorProto(const std::string &name, DenseElementsAttr values) {
  onnx::TensorProto t;
  t.set_name(name);
  auto type = cast<ShapedType>(values.getType());
  Type element = type.getElementType();
  for (int64_t d : type.getShape())
    t.add_dims(d);
  if (element.isF32())
    t.set_data_type(onnx::TensorProto::FLOAT);
  else if (element.isInteger(32))
    t.set_data_type(onnx::TensorProto::INT32);
  else if (element.isUnsignedInteger(8))
    t.set_data_type(onnx::TensorProto::UINT8);
  else
    t.set_data_type(onnx::TensorProto::INT8);
  size_t bytes = type.getNumElements() * (element.getIntOrFloatBitWidth() / 8);
  if (values.isSplat()) {
    ArrayRef<char> one = values.getRawData();
    std::string raw;
    for (int64_t i = 0; i < type.getNumElements(); ++i)
      raw.append(one.data(), one.size());
    t.set_raw_data(raw);
  } else {
    t.set_raw_data(std::string(values.getRawData().data(), bytes));
  }
  return t;
}

onnx::NodeProto qdqNode(const char *op, const std::string &name, std::vector<std::string> inputs,
                        const std::string &output) {
  onnx::NodeProto node;
  node.set_op_type(op);
  node.set_name(name);
  for (std::string &input : inputs)
    node.add_input(input);
  node.add_output(output);
  return node;
}

void setAxis(onnx::NodeProto &node, int64_t axis) {
  onnx::AttributeProto *attr = node.add_attribute();
  attr->set_name("axis");
  attr->set_type(onnx::AttributeProto::INT);
  attr->set_i(axis);
}

// The uses of a dequantized value as node inputs.
bool collectUses(Value dequantized, std::vector<Use> &uses, std::string &error) {
  for (OpOperand &use : dequantized.getUses()) {
    Operation *owner = use.getOwner();
    std::string node = owner->getNumResults() ? onnxTensorName(owner->getResult(0)) : "";
    if (node.empty()) {
      error = "a quantized value is read by an op that no ONNX node produced";
      return false;
    }
    uses.push_back({node, use.getOperandNumber()});
  }
  return true;
}

// The float values of a constant operand: an f32 constant, or the
// dequantized values of a DequantizeLinear of integer constants (zero
// points 0, per tensor or along `axis`).
std::optional<DenseElementsAttr> floatValues(Value value) {
  if (DenseElementsAttr values = constantAsDense(value))
    return values.getElementType().isF32() ? std::optional<DenseElementsAttr>(values)
                                           : std::nullopt;
  auto dq = value.getDefiningOp<DequantizeLinearOp>();
  if (!dq)
    return std::nullopt;
  DenseElementsAttr ints = constantAsDense(dq.getX()), scales = constantAsDense(dq.getXScale());
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!ints || !scales || !type || !isa<IntegerType>(ints.getElementType()))
    return std::nullopt;
  SmallVector<float> scaleValues(scales.getValues<float>());
  int64_t axis = dq.getAxis() < 0 ? dq.getAxis() + type.getRank() : dq.getAxis();
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  SmallVector<float> result;
  for (auto [i, v] : llvm::enumerate(ints.getValues<APInt>())) {
    size_t c = scaleValues.size() == 1 ? 0 : (i / inner) % scaleValues.size();
    result.push_back(static_cast<float>(v.getSExtValue()) * scaleValues[c]);
  }
  return DenseElementsAttr::get(type, ArrayRef<float>(result));
}

// Node index by the node's first output.
std::map<std::string, int> nodesByOutput(const onnx::GraphProto &graph) {
  std::map<std::string, int> nodes;
  for (int n = 0; n < graph.node_size(); ++n)
    if (graph.node(n).output_size() > 0)
      nodes[graph.node(n).output(0)] = n;
  return nodes;
}

// The Conv + BatchNormalization node pairs that qc-fold-batch-norm made one
// Conv become that Conv in the graph: it takes the BatchNormalization's
// output and the folded filter and bias (float initializers, which the
// weight and bias DequantizeLinear replace below); the
// BatchNormalization node goes.
bool applyFoldedBatchNorms(ModuleOp quantized, onnx::GraphProto *graph,
                           std::set<std::string> &referencedBefore, std::string &error) {
  std::map<std::string, int> nodeByOutput = nodesByOutput(*graph);
  std::set<int> removed;
  bool ok = true;
  quantized.walk([&](ConvOp conv) {
    if (!ok || !conv->hasAttr("qc.folded_batch_norm"))
      return;
    std::string bnOut = onnxTensorName(conv.getY());
    auto bnIt = nodeByOutput.find(bnOut);
    if (bnIt == nodeByOutput.end() || graph->node(bnIt->second).op_type() != "BatchNormalization") {
      error = "no BatchNormalization node produces '" + bnOut + "'";
      ok = false;
      return;
    }
    const onnx::NodeProto &bn = graph->node(bnIt->second);
    auto convIt = nodeByOutput.find(bn.input(0));
    if (convIt == nodeByOutput.end() || graph->node(convIt->second).op_type() != "Conv") {
      error = "the BatchNormalization producing '" + bnOut + "' does not read a Conv";
      ok = false;
      return;
    }
    std::optional<DenseElementsAttr> w = floatValues(conv.getW());
    std::optional<DenseElementsAttr> b = floatValues(conv.getB());
    if (!w || !b) {
      error = "the Conv folded into '" + bnOut + "' has no constant filter and bias";
      ok = false;
      return;
    }
    onnx::NodeProto *node = graph->mutable_node(convIt->second);
    node->set_output(0, bnOut);
    std::string wName = bnOut + "_folded_W", bName = bnOut + "_folded_B";
    *graph->add_initializer() = tensorProto(wName, *w);
    *graph->add_initializer() = tensorProto(bName, *b);
    // Dropped again below when a DequantizeLinear replaces them.
    referencedBefore.insert(wName);
    referencedBefore.insert(bName);
    node->set_input(1, wName);
    if (node->input_size() > 2)
      node->set_input(2, bName);
    else
      node->add_input(bName);
    removed.insert(bnIt->second);
  });
  if (!ok)
    return false;
  std::vector<onnx::NodeProto> kept;
  for (int n = 0; n < graph->node_size(); ++n)
    if (!removed.count(n))
      kept.push_back(graph->node(n));
  graph->clear_node();
  for (onnx::NodeProto &node : kept)
    *graph->add_node() = std::move(node);
  return true;
}

// Convs that qc-equalize-layers rescaled read their new float filter and
// bias (initializers, which a DequantizeLinear replaces below where the
// layer is quantized): a layer left in FP32 computes with them too.
bool applyEqualizedConvs(ModuleOp quantized, onnx::GraphProto *graph,
                         std::set<std::string> &referencedBefore, std::string &error) {
  std::map<std::string, int> nodeByOutput = nodesByOutput(*graph);
  bool ok = true;
  quantized.walk([&](ConvOp conv) {
    if (!ok || !conv->hasAttr("qc.equalized"))
      return;
    std::string out = onnxTensorName(conv.getY());
    auto it = nodeByOutput.find(out);
    std::optional<DenseElementsAttr> w = floatValues(conv.getW());
    std::optional<DenseElementsAttr> b;
    if (!isa<NoneType>(conv.getB().getType()))
      b = floatValues(conv.getB());
    if (it == nodeByOutput.end() || graph->node(it->second).op_type() != "Conv" || !w ||
        (!isa<NoneType>(conv.getB().getType()) && !b)) {
      error = "the equalized Conv producing '" + out + "' has no Conv node or constant filter";
      ok = false;
      return;
    }
    onnx::NodeProto *node = graph->mutable_node(it->second);
    std::string wName = out + "_equalized_W", bName = out + "_equalized_B";
    *graph->add_initializer() = tensorProto(wName, *w);
    referencedBefore.insert(wName);
    node->set_input(1, wName);
    if (b) {
      *graph->add_initializer() = tensorProto(bName, *b);
      referencedBefore.insert(bName);
      if (node->input_size() > 2)
        node->set_input(2, bName);
      else
        node->add_input(bName);
    }
  });
  return ok;
}

// A MatMul's bias Add whose constant bias quantization changed (bias
// correction) reads the new values, a float initializer of the constant's
// name.
bool applyCorrectedMatMulBiases(ModuleOp quantized, onnx::GraphProto *graph,
                                std::set<std::string> &referencedBefore, std::string &error) {
  std::map<std::string, int> nodeByOutput = nodesByOutput(*graph);
  bool ok = true;
  quantized.walk([&](MatMulOp matmul) {
    auto biasAdd = ok ? matmulBiasAdd(matmul) : std::nullopt;
    if (!biasAdd)
      return;
    auto [add, operand] = *biasAdd;
    Value bias = add->getOperand(operand);
    std::string name = tensorName(bias), out = onnxTensorName(add.getResult());
    auto it = nodeByOutput.find(out);
    if (it == nodeByOutput.end() || graph->node(it->second).op_type() != "Add" ||
        graph->node(it->second).input_size() != 2) {
      error = "no Add node produces '" + out + "'";
      ok = false;
      return;
    }
    onnx::NodeProto *node = graph->mutable_node(it->second);
    std::optional<DenseElementsAttr> values = floatValues(bias);
    if (name.empty() || node->input(operand) == name)
      return; // unchanged
    if (!values) {
      error = "the bias of '" + out + "' is not a constant";
      ok = false;
      return;
    }
    *graph->add_initializer() = tensorProto(name, *values);
    referencedBefore.insert(name);
    node->set_input(static_cast<int>(operand), name);
  });
  return ok;
}

// Ops whose opset-13 form reads an older node differently (attributes that
// became inputs, a changed axis meaning, subgraph rules); every other op of
// opset 11 or 12 means the same at 13 (the changes were new types).
bool changedMeaningAt13(const std::string &op) {
  static const char *const ops[] = {"Split",      "Squeeze", "Unsqueeze", "ReduceSum", "Softmax",
                                    "LogSoftmax", "Hardmax", "Loop",      "If",        "Scan"};
  return std::find(std::begin(ops), std::end(ops), op) != std::end(ops);
}

// Per-channel DequantizeLinear needs opset 13: an opset 11 or 12 model
// whose nodes mean the same at 13 is raised to it.
bool raiseToOpset13(onnx::ModelProto &model, std::string &error) {
  for (onnx::OperatorSetIdProto &opset : *model.mutable_opset_import()) {
    if (!(opset.domain().empty() || opset.domain() == "ai.onnx") || opset.version() >= 13)
      continue;
    std::string blocker;
    for (const onnx::NodeProto &node : model.graph().node())
      if ((node.domain().empty() || node.domain() == "ai.onnx") &&
          changedMeaningAt13(node.op_type()))
        blocker = node.op_type();
    if (opset.version() < 11 || !blocker.empty()) {
      error = "per-channel DequantizeLinear needs opset 13 or newer; the model imports opset " +
              std::to_string(opset.version()) +
              (blocker.empty() ? std::string(", too old to raise")
                               : ", and its " + blocker + " nodes change meaning at 13");
      return false;
    }
    opset.set_version(13);
  }
  return true;
}

// Constant nodes holding a tensor become initializers of the same name
// (models exported by some frameworks carry every weight that way), so
// that weights are replaced in one place whichever way they came.
void constantNodesToInitializers(onnx::GraphProto &graph) {
  std::vector<onnx::NodeProto> kept;
  for (const onnx::NodeProto &node : graph.node()) {
    bool isTensorConstant = node.op_type() == "Constant" &&
                            (node.domain().empty() || node.domain() == "ai.onnx") &&
                            node.output_size() == 1 && node.attribute_size() == 1 &&
                            node.attribute(0).name() == "value" && node.attribute(0).has_t();
    if (!isTensorConstant) {
      kept.push_back(node);
      continue;
    }
    onnx::TensorProto tensor = node.attribute(0).t();
    tensor.set_name(node.output(0));
    *graph.add_initializer() = std::move(tensor);
  }
  graph.clear_node();
  for (onnx::NodeProto &node : kept)
    *graph.add_node() = std::move(node);
}

} // namespace

bool writeQdqModel(const std::string &modelPath, ModuleOp quantized, const std::string &outputPath,
                   QdqExportStats &stats, std::string &error) {
  onnx::ModelProto model;
  {
    std::ifstream in(modelPath, std::ios::binary);
    if (!in || !model.ParseFromIstream(&in)) {
      error = "cannot read the ONNX model '" + modelPath + "'";
      return false;
    }
  }
  if (!raiseToOpset13(model, error))
    return false;
  constantNodesToInitializers(*model.mutable_graph());

  // What the compiler placed.
  std::vector<ActivationQdq> activations;
  std::vector<ConstantDq> constants;
  bool ok = true;
  quantized.walk([&](DequantizeLinearOp dq) {
    if (!ok)
      return;
    if (auto q = dq.getX().getDefiningOp<QuantizeLinearOp>()) {
      ActivationQdq a{tensorName(q.getX()), perTensorType(q), {}};
      if (a.tensor.empty() || !a.type) {
        error = "a quantized activation has no ONNX name or no per-tensor type";
        ok = false;
        return;
      }
      ok = collectUses(dq.getY(), a.uses, error);
      activations.push_back(std::move(a));
      return;
    }
    ConstantDq c{static_cast<int64_t>(dq.getAxis()),
                 constantAsDense(dq.getX()),
                 constantAsDense(dq.getXScale()),
                 {}};
    if (!c.values || !c.scales) {
      error = "a DequantizeLinear reads neither a QuantizeLinear nor constants";
      ok = false;
      return;
    }
    ok = collectUses(dq.getY(), c.uses, error);
    constants.push_back(std::move(c));
  });
  if (!ok)
    return false;

  onnx::GraphProto *graph = model.mutable_graph();
  std::set<std::string> initializers, referencedBefore;
  for (const onnx::NodeProto &node : graph->node())
    for (const std::string &input : node.input())
      referencedBefore.insert(input);
  if (!applyFoldedBatchNorms(quantized, graph, referencedBefore, error) ||
      !applyEqualizedConvs(quantized, graph, referencedBefore, error) ||
      !applyCorrectedMatMulBiases(quantized, graph, referencedBefore, error))
    return false;
  std::map<std::string, int> nodeByOutput = nodesByOutput(*graph);
  for (const onnx::TensorProto &t : graph->initializer())
    initializers.insert(t.name());

  auto rewire = [&](const Use &use, const std::string &expected, const std::string &name) {
    auto it = nodeByOutput.find(use.node);
    if (it == nodeByOutput.end()) {
      error = "no node produces '" + use.node + "'";
      return false;
    }
    onnx::NodeProto *node = graph->mutable_node(it->second);
    if (static_cast<int>(use.input) >= node->input_size() ||
        (!expected.empty() && node->input(use.input) != expected)) {
      error = "input " + std::to_string(use.input) + " of the node producing '" + use.node +
              "' is not '" + expected + "'";
      return false;
    }
    node->set_input(use.input, name);
    return true;
  };

  std::vector<onnx::NodeProto> before; // constant DQs and Q/DQ of graph inputs and initializers
  std::map<std::string, std::vector<onnx::NodeProto>> after; // Q/DQ after a tensor's producer
  std::map<std::string, int> pairsOnTensor;
  std::set<std::string> graphInputs;
  for (const onnx::ValueInfoProto &input : graph->input())
    graphInputs.insert(input.name());

  for (const ActivationQdq &a : activations) {
    int k = ++pairsOnTensor[a.tensor];
    std::string base = a.tensor + (k > 1 ? "_" + std::to_string(k) : "");
    auto scaleType = RankedTensorType::get({}, Float32Type::get(quantized.getContext()));
    auto storage =
        IntegerType::get(quantized.getContext(), 8,
                         a.type.isSigned() ? IntegerType::Signless : IntegerType::Unsigned);
    auto zeroPointType = RankedTensorType::get({}, storage);
    *graph->add_initializer() = tensorProto(
        base + "_scale", DenseElementsAttr::get(scaleType, static_cast<float>(a.type.getScale())));
    *graph->add_initializer() = tensorProto(
        base + "_zero_point",
        DenseElementsAttr::get(zeroPointType, APInt(8, static_cast<uint64_t>(a.type.getZeroPoint()),
                                                    a.type.isSigned())));
    std::string q = base + "_QuantizeLinear", dq = base + "_DequantizeLinear";
    bool atStart = graphInputs.count(a.tensor) || initializers.count(a.tensor);
    auto &list = atStart ? before : after[a.tensor];
    list.push_back(qdqNode("QuantizeLinear", q, {a.tensor, base + "_scale", base + "_zero_point"},
                           q + "_Output"));
    list.push_back(qdqNode("DequantizeLinear", dq,
                           {q + "_Output", base + "_scale", base + "_zero_point"}, dq + "_Output"));
    for (const Use &use : a.uses)
      if (!rewire(use, a.tensor, dq + "_Output"))
        return false;
    ++stats.activations;
  }

  for (const ConstantDq &c : constants) {
    const Use &first = c.uses.front();
    std::string base = first.node + "_input" + std::to_string(first.input);
    bool isBias = c.values.getElementType().isInteger(32);
    auto zeroType = RankedTensorType::get(cast<ShapedType>(c.scales.getType()).getShape(),
                                          c.values.getElementType());
    *graph->add_initializer() = tensorProto(base + "_quantized", c.values);
    *graph->add_initializer() = tensorProto(base + "_scale", c.scales);
    *graph->add_initializer() =
        tensorProto(base + "_zero_point",
                    DenseElementsAttr::get(
                        zeroType, APInt(c.values.getElementType().getIntOrFloatBitWidth(), 0)));
    onnx::NodeProto node = qdqNode("DequantizeLinear", base + "_DequantizeLinear",
                                   {base + "_quantized", base + "_scale", base + "_zero_point"},
                                   base + "_DequantizeLinear_Output");
    if (cast<ShapedType>(c.scales.getType()).getRank() == 1)
      setAxis(node, c.axis);
    before.push_back(node);
    for (const Use &use : c.uses) {
      // The float initializer this replaces.
      auto it = nodeByOutput.find(use.node);
      std::string replaced = it == nodeByOutput.end() || static_cast<int>(use.input) >=
                                                             graph->node(it->second).input_size()
                                 ? ""
                                 : graph->node(it->second).input(use.input);
      if (!initializers.count(replaced)) {
        error = "the node producing '" + use.node + "' does not read an initializer at input " +
                std::to_string(use.input);
        return false;
      }
      if (!rewire(use, replaced, base + "_DequantizeLinear_Output"))
        return false;
    }
    ++(isBias ? stats.biases : stats.weights);
  }

  // Nodes in topological order: constant DQs and graph-input Q/DQs first,
  // each activation's Q/DQ right after its producer.
  std::vector<onnx::NodeProto> nodes(graph->node().begin(), graph->node().end());
  graph->clear_node();
  for (const onnx::NodeProto &node : before)
    *graph->add_node() = node;
  for (const onnx::NodeProto &node : nodes) {
    *graph->add_node() = node;
    for (const std::string &output : node.output())
      if (auto it = after.find(output); it != after.end())
        for (const onnx::NodeProto &qdq : it->second)
          *graph->add_node() = qdq;
  }
  // Float initializers that nothing reads any more are dropped.
  std::set<std::string> referenced;
  for (const onnx::NodeProto &node : graph->node())
    for (const std::string &input : node.input())
      referenced.insert(input);
  for (const onnx::ValueInfoProto &output : graph->output())
    referenced.insert(output.name());
  std::vector<onnx::TensorProto> kept;
  for (onnx::TensorProto &t : *graph->mutable_initializer())
    if (referenced.count(t.name()) || !referencedBefore.count(t.name()))
      kept.push_back(std::move(t));
  graph->clear_initializer();
  for (onnx::TensorProto &t : kept)
    *graph->add_initializer() = std::move(t);

  std::ofstream out(outputPath, std::ios::binary);
  if (!out || !model.SerializeToOstream(&out)) {
    error = "cannot write '" + outputPath + "'";
    return false;
  }
  return true;
}

} // namespace qc

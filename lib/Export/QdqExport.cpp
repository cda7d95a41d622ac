//===- QdqExport.cpp - a calibrated model as QDQ ONNX ---------------------===//
#include "Export/QdqExport.h"
#include "Calibration/Histogram.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>

namespace qc {
namespace {

onnx::TensorProto scalarFloat(const std::string &name, float value) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::FLOAT);
  t.add_float_data(value);
  return t;
}

onnx::TensorProto int8Tensor(const std::string &name, const std::vector<int64_t> &dims,
                             const std::vector<int8_t> &values) {
  onnx::TensorProto t;
  t.set_name(name);
  t.set_data_type(onnx::TensorProto::INT8);
  for (int64_t d : dims)
    t.add_dims(d);
  t.set_raw_data(std::string(reinterpret_cast<const char *>(values.data()), values.size()));
  return t;
}

// The float values of an initializer, or false if it is not plain float.
bool readFloats(const onnx::TensorProto &t, std::vector<float> &values) {
  if (t.data_type() != onnx::TensorProto::FLOAT || t.data_location() == onnx::TensorProto::EXTERNAL)
    return false;
  int64_t count = 1;
  for (int64_t d : t.dims())
    count *= d;
  if (t.has_raw_data()) {
    if (t.raw_data().size() != static_cast<size_t>(count) * sizeof(float))
      return false;
    values.resize(count);
    std::memcpy(values.data(), t.raw_data().data(), t.raw_data().size());
    return true;
  }
  if (t.float_data_size() != count)
    return false;
  values.assign(t.float_data().begin(), t.float_data().end());
  return true;
}

// Which input of which op types gets a quantized weight, and its channel axis.
std::optional<int64_t> weightAxis(const onnx::NodeProto &node, int rank) {
  const std::string &op = node.op_type();
  if (op == "Conv")
    return 0;
  if (op == "ConvTranspose")
    return rank >= 2 ? std::optional<int64_t>(1) : std::nullopt;
  if (op == "MatMul")
    return rank == 2 ? std::optional<int64_t>(1) : std::nullopt;
  if (op == "Gemm") {
    for (const onnx::AttributeProto &a : node.attribute())
      if (a.name() == "transB" && a.i() != 0)
        return 0;
    return 1;
  }
  return std::nullopt;
}

// Activation inputs the placement covers, by op type.
bool quantizedActivationInput(const onnx::NodeProto &node, int input) {
  const std::string &op = node.op_type();
  if (op == "Conv" || op == "ConvTranspose")
    return input == 0;
  if (op == "MatMul" || op == "Gemm" || op == "Add")
    return input == 0 || input == 1;
  return false;
}

} // namespace

bool writeQdqModel(const std::string &modelPath, const calib::Table &table,
                   const std::string &outputPath, QdqExportStats &stats, std::string &error) {
  onnx::ModelProto model;
  {
    std::ifstream in(modelPath, std::ios::binary);
    if (!in || !model.ParseFromIstream(&in)) {
      error = "cannot read the ONNX model '" + modelPath + "'";
      return false;
    }
  }
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    if ((opset.domain().empty() || opset.domain() == "ai.onnx") && opset.version() < 13) {
      error = "per-channel DequantizeLinear needs opset 13 or newer; the model imports opset " +
              std::to_string(opset.version());
      return false;
    }
  onnx::GraphProto *graph = model.mutable_graph();
  std::map<std::string, double> amax;
  for (const calib::TableEntry &e : table.entries)
    amax[e.tensor] = e.amax;
  std::map<std::string, int> initializerIndex;
  for (int i = 0; i < graph->initializer_size(); ++i)
    initializerIndex[graph->initializer(i).name()] = i;

  std::vector<onnx::NodeProto> before; // Q/DQ of graph inputs
  std::map<std::string, std::vector<onnx::NodeProto>> after; // Q/DQ after a tensor's producer
  std::set<std::string> quantized;
  std::set<std::string> usedInitializers;

  auto quantizeActivation = [&](const std::string &tensor) -> std::string {
    std::string dequantized = tensor + "_DequantizeLinear_Output";
    if (quantized.count(tensor))
      return dequantized;
    quantized.insert(tensor);
    float scale = static_cast<float>(amax[tensor] / calib::kInt8Levels);
    *graph->add_initializer() = scalarFloat(tensor + "_scale", scale);
    *graph->add_initializer() = int8Tensor(tensor + "_zero_point", {}, {0});
    onnx::NodeProto q, dq;
    q.set_op_type("QuantizeLinear");
    q.set_name(tensor + "_QuantizeLinear");
    q.add_input(tensor);
    q.add_input(tensor + "_scale");
    q.add_input(tensor + "_zero_point");
    q.add_output(tensor + "_QuantizeLinear_Output");
    dq.set_op_type("DequantizeLinear");
    dq.set_name(tensor + "_DequantizeLinear");
    dq.add_input(tensor + "_QuantizeLinear_Output");
    dq.add_input(tensor + "_scale");
    dq.add_input(tensor + "_zero_point");
    dq.add_output(dequantized);
    bool graphInput = std::any_of(graph->input().begin(), graph->input().end(),
                                  [&](const onnx::ValueInfoProto &v) { return v.name() == tensor; });
    auto &list = graphInput ? before : after[tensor];
    list.push_back(q);
    list.push_back(dq);
    ++stats.activations;
    return dequantized;
  };

  auto quantizeWeight = [&](const onnx::NodeProto &node, const std::string &name,
                            int nodeIndex) -> std::string {
    auto it = initializerIndex.find(name);
    if (it == initializerIndex.end())
      return name;
    const onnx::TensorProto &w = graph->initializer(it->second);
    std::vector<float> values;
    auto axis = weightAxis(node, w.dims_size());
    if (!axis || !readFloats(w, values) || values.empty())
      return name;
    std::vector<int64_t> dims(w.dims().begin(), w.dims().end());
    int64_t channels = dims[*axis], inner = 1;
    for (size_t d = *axis + 1; d < dims.size(); ++d)
      inner *= dims[d];
    std::vector<float> scales(channels, 0.0f);
    auto channelOf = [&](size_t i) { return static_cast<int64_t>(i / inner % channels); };
    for (size_t i = 0; i < values.size(); ++i)
      scales[channelOf(i)] = std::max(scales[channelOf(i)], std::fabs(values[i]));
    for (float &s : scales)
      s = s > 0 ? s / calib::kInt8Levels : 1.0f;
    std::vector<int8_t> q(values.size());
    // nearbyint in the default rounding mode rounds half to even, as
    // QuantizeLinear does.
    for (size_t i = 0; i < values.size(); ++i)
      q[i] = static_cast<int8_t>(std::clamp<float>(std::nearbyint(values[i] / scales[channelOf(i)]),
                                                   -calib::kInt8Levels, calib::kInt8Levels));
    std::string base = name + "_" + std::to_string(nodeIndex);
    *graph->add_initializer() = int8Tensor(base + "_quantized", dims, q);
    onnx::TensorProto scaleTensor;
    scaleTensor.set_name(base + "_scale");
    scaleTensor.set_data_type(onnx::TensorProto::FLOAT);
    scaleTensor.add_dims(channels);
    for (float s : scales)
      scaleTensor.add_float_data(s);
    *graph->add_initializer() = scaleTensor;
    *graph->add_initializer() =
        int8Tensor(base + "_zero_point", {channels}, std::vector<int8_t>(channels, 0));
    onnx::NodeProto dq;
    dq.set_op_type("DequantizeLinear");
    dq.set_name(base + "_DequantizeLinear");
    dq.add_input(base + "_quantized");
    dq.add_input(base + "_scale");
    dq.add_input(base + "_zero_point");
    dq.add_output(base + "_DequantizeLinear_Output");
    onnx::AttributeProto *axisAttr = dq.add_attribute();
    axisAttr->set_name("axis");
    axisAttr->set_type(onnx::AttributeProto::INT);
    axisAttr->set_i(*axis);
    before.push_back(dq);
    ++stats.weights;
    return base + "_DequantizeLinear_Output";
  };

  // Rewire the covered inputs; remember which float weights stay in use.
  std::vector<onnx::NodeProto> nodes(graph->node().begin(), graph->node().end());
  for (size_t n = 0; n < nodes.size(); ++n) {
    onnx::NodeProto &node = nodes[n];
    for (int i = 0; i < node.input_size(); ++i) {
      const std::string input = node.input(i);
      if (input.empty())
        continue;
      bool isWeight = i == 1 && initializerIndex.count(input) &&
                      (node.op_type() == "Conv" || node.op_type() == "ConvTranspose" ||
                       node.op_type() == "MatMul" || node.op_type() == "Gemm");
      if (isWeight) {
        std::string replaced = quantizeWeight(node, input, static_cast<int>(n));
        node.set_input(i, replaced);
        if (replaced == input)
          usedInitializers.insert(input);
        continue;
      }
      if (initializerIndex.count(input))
        usedInitializers.insert(input);
      auto found = amax.find(input);
      if (quantizedActivationInput(node, i) && found != amax.end() && found->second > 0)
        node.set_input(i, quantizeActivation(input));
    }
  }

  // Nodes in topological order: weight DQs and graph-input Q/DQs first,
  // each activation's Q/DQ right after its producer.
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
  // Float weights replaced everywhere are dropped.
  std::vector<onnx::TensorProto> initializers;
  for (const onnx::TensorProto &t : graph->initializer())
    if (!initializerIndex.count(t.name()) || usedInitializers.count(t.name()))
      initializers.push_back(t);
  graph->clear_initializer();
  for (onnx::TensorProto &t : initializers)
    *graph->add_initializer() = std::move(t);

  std::ofstream out(outputPath, std::ios::binary);
  if (!out || !model.SerializeToOstream(&out)) {
    error = "cannot write '" + outputPath + "'";
    return false;
  }
  return true;
}

} // namespace qc

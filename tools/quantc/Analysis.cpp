//===- Analysis.cpp - measure how quantization choices move the output ----===//
#include "Analysis.h"
#include "CalibrationData.h"

#include "Import/OnnxOpTable.h"
#include "QCK/QCKOps.h"
#include "passes/Passes.h"
#include "passes/QCToLinalg/Windows.h"
#include "passes/Quantization.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numeric>

using namespace mlir;

namespace qc::analysis {

Plan planFromTable(const calib::Table &table) {
  Plan plan;
  for (const calib::TableEntry &e : table.entries) {
    plan.activations[e.tensor] = e.params;
    plan.type = e.type;
  }
  plan.floatLayers.insert(table.floatLayers.begin(), table.floatLayers.end());
  for (const calib::BiasCorrection &c : table.biasCorrections)
    plan.biasCorrections[c.layer] = c.delta;
  for (const calib::RoundedWeight &w : table.roundedWeights)
    plan.roundedWeights[w.layer] = w.values;
  return plan;
}

double Budget::value(const Accuracy &accuracy) const {
  if (metric == "agreement")
    return accuracy.agreement;
  if (metric == "sample-agreement")
    return accuracy.sampleAgreement;
  if (metric == "cosine")
    return accuracy.cosine;
  return accuracy.sqnr;
}

bool Budget::holds(const Accuracy &accuracy) const { return value(accuracy) >= least; }

bool parseBudget(const std::string &text, Budget &budget, std::string &error) {
  auto [metric, number] = llvm::StringRef(text).split('=');
  if (!llvm::is_contained({"agreement", "sample-agreement", "cosine", "sqnr"}, metric) ||
      number.empty() ||
      number.getAsDouble(budget.least)) {
    error = "--accuracy-budget takes agreement=PERCENT, sample-agreement=PERCENT, cosine=C or "
            "sqnr=DB, not '" +
            text + "'";
    return false;
  }
  if (((metric == "agreement" || metric == "sample-agreement") &&
       (budget.least < 0 || budget.least > 100)) ||
      (metric == "cosine" && (budget.least < -1 || budget.least > 1))) {
    error = "--accuracy-budget " + text + " is out of range (agreement 0..100, cosine -1..1)";
    return false;
  }
  budget.metric = metric.str();
  return true;
}

bool Objective::better(const Accuracy &a, const Accuracy &b) const {
  if (metric == "agreement" && a.agreement != b.agreement)
    return a.agreement > b.agreement;
  if (metric == "sample-agreement" && a.sampleAgreement != b.sampleAgreement)
    return a.sampleAgreement > b.sampleAgreement;
  if (metric == "cosine" && a.cosine != b.cosine)
    return a.cosine > b.cosine;
  return a.sqnr > b.sqnr;
}

// What a probe does in the current run.
struct Simulator::ProbeState {
  enum class Mode { Pass, FakeQuant, Weight, Output } mode = Mode::Pass;
  calib::QuantParams params;
  int64_t lowest = -128, highest = 127;
  // Weights: the scales and the values rounded to nearest, computed on
  // first use, and the plan's rounded values if it has them.
  std::vector<float> weightScales, quantizedWeight;
  const std::vector<int8_t> *rounded = nullptr;
  // Activations: the moments being recorded, if any.
  InputMoments *moments = nullptr;
  const LayerInput *layerInput = nullptr;
  // Outputs: the correction added per channel, and the channel sums kept
  // while recording.
  const std::vector<float> *correction = nullptr;
  // Outputs of a layer whose bias Q/DQ placement stores as int32 at scale
  // s_x * s_w[c] (qc-quantize-bias): that float bias, the probes of the
  // layer's input and weight, and the bias's rounding error at the plan's
  // scales, found on first use (the weight scales are known by then).
  std::vector<float> bias;
  int64_t inputProbe = -1, weightProbe = -1;
  bool quantizedLayer = false;
  std::optional<std::vector<float>> biasError;
  bool record = false;
  std::vector<double> sums;
  int64_t sumCount = 0;
  int64_t channels = 1, inner = 1;
};

// The ONNX op type of a qc op name.
static std::string onnxOpType(llvm::StringRef qcName) {
  for (const OnnxOpSpec &spec : getOnnxOpTable())
    if (spec.qcName == qcName)
      return spec.onnxType.str();
  return qcName.str();
}

// The simulator whose probes the compiled model calls.
static Simulator *activeSimulator = nullptr;

extern "C" void quantcProbe(int64_t id, int64_t input, int64_t output, int64_t elements,
                            int64_t /*samples*/) {
  if (activeSimulator)
    activeSimulator->probe(id, reinterpret_cast<const float *>(input),
                           reinterpret_cast<float *>(output), elements);
}

NearestWeights roundToNearest(const float *weight, int64_t elements, int64_t channels,
                              int64_t inner) {
  NearestWeights nearest;
  nearest.scales.assign(channels, 0.0f);
  for (int64_t i = 0; i < elements; ++i) {
    float &scale = nearest.scales[i / inner % channels];
    scale = std::max(scale, std::fabs(weight[i]));
  }
  for (float &s : nearest.scales)
    s = s > 0 ? s / 127.0f : 1.0f;
  nearest.values.resize(elements);
  for (int64_t i = 0; i < elements; ++i)
    nearest.values[i] = static_cast<int8_t>(std::clamp(
        std::nearbyint(weight[i] / nearest.scales[i / inner % channels]), -127.0f, 127.0f));
  return nearest;
}

// A Conv/MatMul/Gemm input as data-aware rounding reads it.
struct Simulator::LayerInput {
  std::string layer;
  int64_t probe = -1;
  bool conv = false;
  // Conv: [N, C, spatial...] input with 1 or 2 spatial dims, the group
  // count and the windows (1 or 2).
  std::vector<int64_t> shape;
  int64_t groups = 1;
  std::vector<Window> windows;
};

// Adds the outer products of `count` vectors of `n` values (rows of
// `vectors`) to the lower triangle of `sums`.
static void addOuterProducts(double *sums, const double *vectors, int64_t count, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    double *row = sums + i * n;
    for (int64_t v = 0; v < count; ++v) {
      double a = vectors[v * n + i];
      if (a == 0)
        continue;
      const double *x = vectors + v * n;
      for (int64_t j = 0; j <= i; ++j)
        row[j] += a * x[j];
    }
  }
}

void Simulator::accumulateMoments(const LayerInput &input, const float *values,
                                  InputMoments &moments) {
  int64_t n = moments.columns;
  constexpr int64_t kPanel = 8;
  std::vector<double> panel(kPanel * n);
  if (!input.conv) {
    int64_t rows = 1;
    for (int64_t d : input.shape)
      rows *= d;
    rows /= n;
    for (int64_t r = 0; r < rows; r += kPanel) {
      int64_t count = std::min(kPanel, rows - r);
      for (int64_t i = 0; i < count * n; ++i)
        panel[i] = values[r * n + i];
      addOuterProducts(moments.sums.data(), panel.data(), count, n);
    }
    moments.count += rows;
    return;
  }
  // Receptive fields, [channel of the group][kernel y][kernel x], zero
  // where they read padding.
  const std::vector<int64_t> &shape = input.shape;
  bool twoD = input.windows.size() == 2;
  Window wy = twoD ? input.windows[0] : Window{1, 1, 1, 1, 0, 0, 1};
  Window wx = input.windows.back();
  int64_t batch = shape[0], channels = shape[1], height = twoD ? shape[2] : 1;
  int64_t width = shape.back(), perGroup = channels / input.groups;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t g = 0; g < input.groups; ++g) {
      double *sums = moments.sums.data() + g * n * n;
      int64_t filled = 0;
      for (int64_t oy = 0; oy < wy.out; ++oy)
        for (int64_t ox = 0; ox < wx.out; ++ox) {
          double *x = panel.data() + filled * n;
          for (int64_t c = 0; c < perGroup; ++c) {
            const float *plane = values + ((b * channels) + g * perGroup + c) * height * width;
            for (int64_t ky = 0; ky < wy.kernel; ++ky) {
              int64_t iy = oy * wy.stride - wy.padBegin + ky * wy.dilation;
              for (int64_t kx = 0; kx < wx.kernel; ++kx) {
                int64_t ix = ox * wx.stride - wx.padBegin + kx * wx.dilation;
                *x++ =
                    iy >= 0 && iy < height && ix >= 0 && ix < width ? plane[iy * width + ix] : 0.0;
              }
            }
          }
          if (++filled == kPanel) {
            addOuterProducts(sums, panel.data(), filled, n);
            filled = 0;
          }
        }
      if (filled)
        addOuterProducts(sums, panel.data(), filled, n);
    }
  moments.count += batch * wy.out * wx.out;
}

std::vector<float> Simulator::biasRoundingError(const ProbeState &output) const {
  const ProbeState &input = state_[output.inputProbe], &weight = state_[output.weightProbe];
  int64_t channels = static_cast<int64_t>(output.bias.size());
  if (input.mode != ProbeState::Mode::FakeQuant || weight.mode != ProbeState::Mode::Weight ||
      static_cast<int64_t>(weight.weightScales.size()) != channels)
    return {};
  // As qc-quantize-bias rounds the bias (with any correction in it); a
  // channel it would store otherwise (int32 overflow) is left exact.
  auto inputScale = static_cast<float>(input.params.scale);
  std::vector<float> error(channels, 0.0f);
  for (int64_t c = 0; c < channels; ++c) {
    float value = output.bias[c] + (output.correction ? (*output.correction)[c] : 0.0f);
    float scale = inputScale * weight.weightScales[c];
    float q = std::nearbyint(value / scale);
    if (scale > 0 && std::fabs(q) <= kMaxBiasSteps)
      error[c] = q * scale - value;
  }
  return error;
}

void Simulator::probe(int64_t id, const float *input, float *output, int64_t elements) {
  if (id < 0 || id >= static_cast<int64_t>(state_.size()))
    return;
  ProbeState &p = state_[id];
  switch (p.mode) {
  case ProbeState::Mode::Pass:
  case ProbeState::Mode::Output:
    if (output != input)
      std::memcpy(output, input, elements * sizeof(float));
    break;
  case ProbeState::Mode::FakeQuant: {
    // QuantizeLinear then DequantizeLinear: round half to even, saturate.
    float scale = static_cast<float>(p.params.scale);
    float zero = static_cast<float>(p.params.zeroPoint);
    float lo = static_cast<float>(p.lowest), hi = static_cast<float>(p.highest);
    for (int64_t i = 0; i < elements; ++i)
      output[i] = (std::clamp(std::nearbyint(input[i] / scale) + zero, lo, hi) - zero) * scale;
    break;
  }
  case ProbeState::Mode::Weight:
    if (p.weightScales.empty()) {
      NearestWeights nearest = roundToNearest(input, elements, p.channels, p.inner);
      p.weightScales = std::move(nearest.scales);
      p.quantizedWeight.resize(elements);
      for (int64_t i = 0; i < elements; ++i)
        p.quantizedWeight[i] = nearest.values[i] * p.weightScales[i / p.inner % p.channels];
    }
    if (p.rounded)
      for (int64_t i = 0; i < elements; ++i)
        output[i] = (*p.rounded)[i] * p.weightScales[i / p.inner % p.channels];
    else
      std::memcpy(output, p.quantizedWeight.data(), elements * sizeof(float));
    break;
  }
  if (p.moments)
    accumulateMoments(*p.layerInput, output, *p.moments);
  if (p.mode != ProbeState::Mode::Output)
    return;
  int64_t period = p.channels * p.inner;
  if (p.correction)
    for (int64_t i = 0; i < elements; ++i)
      output[i] += (*p.correction)[i % period / p.inner];
  if (p.quantizedLayer && !p.bias.empty()) {
    if (!p.biasError)
      p.biasError = biasRoundingError(p);
    if (!p.biasError->empty())
      for (int64_t i = 0; i < elements; ++i)
        output[i] += (*p.biasError)[i % period / p.inner];
  }
  if (p.record) {
    p.sums.resize(p.channels, 0.0);
    for (int64_t i = 0; i < elements; ++i)
      p.sums[i % period / p.inner] += output[i];
    p.sumCount += elements / p.channels;
  }
}

int64_t Simulator::probeId(Operation *probe) const {
  auto op = dyn_cast_or_null<qck::ProbeOp>(probe);
  return op && op.getId() < probes_.size() ? static_cast<int64_t>(op.getId()) : -1;
}

void Simulator::findBiases(ModuleOp module) {
  module.walk([&](Operation *op) {
    auto operand = quantizedBiasOperand(op);
    if (!operand || op->getNumResults() != 1)
      return;
    int64_t input = probeId(op->getOperand(0).getDefiningOp());
    int64_t weight = probeId(op->getOperand(1).getDefiningOp()), output = -1;
    for (Operation *user : op->getResult(0).getUsers())
      if (int64_t id = probeId(user); id >= 0)
        output = id;
    DenseElementsAttr bias = constantAsDense(op->getOperand(operand->operand));
    if (input < 0 || weight < 0 || output < 0 || probes_[input].kind != "activation" ||
        probes_[weight].kind != "weight" || probes_[output].kind != "output" || !bias ||
        !bias.getElementType().isF32() || bias.getType().getRank() != 1 ||
        bias.getNumElements() != state_[output].channels ||
        probes_[weight].axis != operand->weightAxis)
      return;
    ProbeState &state = state_[output];
    state.bias.assign(bias.getValues<float>().begin(), bias.getValues<float>().end());
    state.inputProbe = input;
    state.weightProbe = weight;
  });
}

void Simulator::findWeightLayouts(ModuleOp module) {
  module.walk([&](Operation *op) {
    if (!isa<ConvOp, MatMulOp, GemmOp>(op))
      return;
    int64_t activation = probeId(op->getOperand(0).getDefiningOp());
    int64_t weight = probeId(op->getOperand(1).getDefiningOp());
    if (activation < 0 || weight < 0 || probes_[activation].kind != "activation" ||
        probes_[weight].kind != "weight" || probes_[weight].axis < 0)
      return;
    auto weightValue = op->getOperand(1).getDefiningOp<qck::ProbeOp>().getInput();
    DenseElementsAttr values = constantAsDense(weightValue);
    const std::vector<int64_t> &inShape = probes_[activation].shape;
    const std::vector<int64_t> &wShape = probes_[weight].shape;
    if (!values || wShape.size() < 2)
      return;
    LayerInput input;
    input.layer = probes_[weight].layer;
    input.probe = activation;
    input.shape = inShape;
    WeightLayout layout;
    if (auto conv = dyn_cast<ConvOp>(op)) {
      // [N, C, (H,) W] input, [M, C / group, (kH,) kW] weight.
      size_t spatial = inShape.size() - 2;
      if ((spatial != 1 && spatial != 2) || wShape.size() != inShape.size())
        return;
      auto windows = computeWindows(ArrayRef<int64_t>(inShape).drop_front(2),
                                    ArrayRef<int64_t>(wShape).drop_front(2), conv.getStrides(),
                                    conv.getDilations(), conv.getPads(), conv.getAutoPad(), false);
      int64_t groups = conv.getGroup();
      if (failed(windows) || groups < 1 || inShape[1] % groups || wShape[0] % groups ||
          wShape[1] * groups != inShape[1])
        return;
      input.conv = true;
      input.groups = groups;
      input.windows.assign(windows->begin(), windows->end());
      layout.rows = wShape[0];
      layout.groups = groups;
      layout.columns = 1;
      for (size_t d = 1; d < wShape.size(); ++d)
        layout.columns *= wShape[d];
    } else {
      // Rows of a [..., K] input times a [K, N] weight (Gemm: [N, K] with
      // transB); Gemm's A must not be transposed.
      auto gemm = dyn_cast<GemmOp>(op);
      if (wShape.size() != 2 || inShape.empty() || (gemm && gemm.getTransA() != 0))
        return;
      bool transposed = gemm && gemm.getTransB() != 0;
      layout.rows = transposed ? wShape[0] : wShape[1];
      layout.columns = transposed ? wShape[1] : wShape[0];
      layout.columnMajor = !transposed;
      if (inShape.back() != layout.columns)
        return;
    }
    auto floats = values.getValues<float>();
    layout.weight.assign(floats.begin(), floats.end());
    layerInputs_.push_back(std::move(input));
    layouts_[probes_[weight].layer] = std::move(layout);
  });
}

std::unique_ptr<Simulator> Simulator::create(ModuleOp module, const std::string &data,
                                             const std::string &preprocessing, int64_t maxSamples,
                                             std::string &error) {
  std::unique_ptr<Simulator> sim(new Simulator());
  module.walk([&](MatMulOp matmul) {
    if (matmulBiasAdd(matmul))
      sim->matmulsWithBias_.insert(onnxNodeName(matmul));
  });
  PassManager pm(module.getContext());
  pm.addPass(qc::createInsertProbes());
  if (failed(pm.run(module))) {
    error = "inserting the analysis probes failed";
    return nullptr;
  }
  for (Attribute attr : module->getAttrOfType<ArrayAttr>("qc.probes")) {
    auto fields = cast<DictionaryAttr>(attr);
    Probe p;
    p.layer = fields.getAs<StringAttr>("layer").str();
    p.opType = onnxOpType(fields.getAs<StringAttr>("op").getValue());
    p.kind = fields.getAs<StringAttr>("kind").str();
    p.tensor = fields.getAs<StringAttr>("tensor").str();
    p.axis = fields.getAs<IntegerAttr>("axis").getInt();
    sim->probes_.push_back(std::move(p));
  }
  module.walk([&](qck::ProbeOp op) {
    auto type = cast<ShapedType>(op.getInput().getType());
    if (op.getId() < sim->probes_.size())
      sim->probes_[op.getId()].shape.assign(type.getShape().begin(), type.getShape().end());
  });
  sim->state_.resize(sim->probes_.size());
  for (auto [probe, state] : llvm::zip(sim->probes_, sim->state_)) {
    if ((probe.kind != "output" && probe.kind != "weight") || probe.axis < 0 ||
        probe.axis >= static_cast<int64_t>(probe.shape.size()))
      continue;
    state.channels = probe.shape[probe.axis];
    for (size_t d = probe.axis + 1; d < probe.shape.size(); ++d)
      state.inner *= probe.shape[d];
  }

  sim->findWeightLayouts(module);
  sim->findBiases(module);

  auto model = JitModel::compile(module, {{"qc_rt_probe", reinterpret_cast<void *>(&quantcProbe)}});
  if (!model) {
    error = llvm::toString(model.takeError());
    return nullptr;
  }
  sim->model_ = std::move(*model);
  const Signature &sig = sim->model_->signature();
  auto source = CalibrationData::open(data, sig, preprocessing, error);
  if (!source)
    return nullptr;
  sim->batch_ = source->batchSize();
  std::vector<void *> pointers;
  while (maxSamples <= 0 || sim->samples_ < maxSamples) {
    if (!source->next(pointers, error)) {
      if (!error.empty())
        return nullptr;
      break;
    }
    std::vector<std::vector<char>> batch;
    for (auto [spec, pointer] : llvm::zip(sig.inputs, pointers)) {
      size_t bytes = spec.numElements() * spec.elementSize();
      const char *begin = static_cast<const char *>(pointer);
      batch.emplace_back(begin, begin + bytes);
    }
    sim->inputs_.push_back(std::move(batch));
    sim->samples_ += sim->batch_;
  }
  if (sim->inputs_.empty()) {
    error = "no samples in " + data;
    return nullptr;
  }
  sim->configure(nullptr);
  if (!sim->runAll(&sim->reference_, error))
    return nullptr;
  return sim;
}

Simulator::~Simulator() {
  if (activeSimulator == this)
    activeSimulator = nullptr;
}

// A probe's layer runs quantized when it is not kept in FP32 and one of its
// activations is quantized (Q/DQ placement's rule).
static std::set<std::string> quantizedLayerSet(const std::vector<Probe> &probes, const Plan &plan) {
  std::set<std::string> layers;
  for (const Probe &p : probes)
    if (p.kind == "activation" && plan.activations.count(p.tensor) &&
        !plan.floatLayers.count(p.layer))
      layers.insert(p.layer);
  return layers;
}

std::vector<std::string> Simulator::quantizedLayers(const Plan &plan) const {
  std::set<std::string> quantized = quantizedLayerSet(probes_, plan);
  std::vector<std::string> ordered;
  for (const Probe &p : probes_)
    if (quantized.count(p.layer) && !llvm::is_contained(ordered, p.layer))
      ordered.push_back(p.layer);
  return ordered;
}

std::string Simulator::opType(const std::string &layer) const {
  for (const Probe &p : probes_)
    if (p.layer == layer)
      return p.opType;
  return "";
}

void Simulator::configure(const Plan *plan) {
  std::set<std::string> quantized;
  if (plan)
    quantized = quantizedLayerSet(probes_, *plan);
  for (auto [probe, state] : llvm::zip(probes_, state_)) {
    state.correction = nullptr;
    state.record = false;
    state.rounded = nullptr;
    state.moments = nullptr;
    state.biasError.reset();
    state.quantizedLayer = plan && quantized.count(probe.layer);
    state.mode = probe.kind == "output" ? ProbeState::Mode::Output : ProbeState::Mode::Pass;
    if (!plan || !quantized.count(probe.layer))
      continue;
    if (probe.kind == "activation") {
      auto it = plan->activations.find(probe.tensor);
      if (it == plan->activations.end())
        continue;
      state.mode = ProbeState::Mode::FakeQuant;
      state.params = it->second;
      bool isSigned = plan->type == calib::ActivationType::Int8;
      state.lowest = isSigned ? -128 : 0;
      state.highest = isSigned ? 127 : 255;
    } else if (probe.kind == "weight") {
      state.mode = ProbeState::Mode::Weight;
      int64_t elements = std::accumulate(probe.shape.begin(), probe.shape.end(), int64_t{1},
                                         std::multiplies<int64_t>());
      if (auto it = plan->roundedWeights.find(probe.layer);
          it != plan->roundedWeights.end() && static_cast<int64_t>(it->second.size()) == elements)
        state.rounded = &it->second;
    } else if (auto it = plan->biasCorrections.find(probe.layer);
               it != plan->biasCorrections.end() &&
               static_cast<int64_t>(it->second.size()) == state.channels) {
      state.correction = &it->second;
    }
  }
}

bool Simulator::runAll(std::vector<std::vector<std::vector<char>>> *outputs, std::string &error,
                       size_t maxBatches) {
  const Signature &sig = model_->signature();
  activeSimulator = this;
  std::vector<std::vector<char>> buffers;
  for (const TensorSpec &spec : sig.outputs)
    buffers.emplace_back(std::max<size_t>(spec.numElements() * spec.elementSize(), 1));
  std::vector<void *> outputPointers;
  for (auto &b : buffers)
    outputPointers.push_back(b.data());
  if (outputs)
    outputs->clear();
  for (size_t b = 0; b < inputs_.size() && (maxBatches == 0 || b < maxBatches); ++b) {
    auto &batch = inputs_[b];
    std::vector<void *> inputPointers;
    for (auto &input : batch)
      inputPointers.push_back(input.data());
    if (llvm::Error runError = model_->run(inputPointers, outputPointers)) {
      error = llvm::toString(std::move(runError));
      activeSimulator = nullptr;
      return false;
    }
    if (outputs)
      outputs->push_back(buffers);
  }
  activeSimulator = nullptr;
  return true;
}

bool Simulator::evaluate(const Plan &plan, Accuracy &accuracy, std::string &error) {
  configure(&plan);
  std::vector<std::vector<std::vector<char>>> outputs;
  if (!runAll(&outputs, error))
    return false;
  const Signature &sig = model_->signature();
  double signal = 0, noise = 0, cosineSum = 0, cosineMin = 1;
  int64_t rows = 0, agreeing = 0, cosines = 0, whole = 0, wholeAgreeing = 0, rowsPerSample = 1;
  for (size_t b = 0; b < outputs.size(); ++b) {
    // Per sample of the batch: dot products over every float output.
    std::vector<double> dot(batch_, 0), refNorm(batch_, 0), testNorm(batch_, 0);
    bool firstFloat = true;
    for (size_t o = 0; o < sig.outputs.size(); ++o) {
      const TensorSpec &spec = sig.outputs[o];
      if (spec.dtype != "<f4")
        continue;
      auto *ref = reinterpret_cast<const float *>(reference_[b][o].data());
      auto *test = reinterpret_cast<const float *>(outputs[b][o].data());
      int64_t n = spec.numElements(), perSample = n / std::max<int64_t>(batch_, 1);
      for (int64_t i = 0; i < n; ++i) {
        double r = ref[i], t = test[i];
        signal += r * r;
        noise += (r - t) * (r - t);
        int64_t s = std::min<int64_t>(i / std::max<int64_t>(perSample, 1), batch_ - 1);
        dot[s] += r * t;
        refNorm[s] += r * r;
        testNorm[s] += t * t;
      }
      int64_t classes = spec.shape.empty() ? 1 : spec.shape.back();
      if (firstFloat && classes >= 2) {
        // A sample agrees as a whole when every one of its rows does (a
        // sequence model's output: one row per time step).
        rowsPerSample = std::max<int64_t>(n / classes / std::max<int64_t>(batch_, 1), 1);
        bool sampleAgrees = true;
        for (int64_t row = 0; row < n / classes; ++row) {
          const float *r = ref + row * classes, *t = test + row * classes;
          bool agrees =
              std::max_element(r, r + classes) - r == std::max_element(t, t + classes) - t;
          agreeing += agrees;
          sampleAgrees = sampleAgrees && agrees;
          ++rows;
          if ((row + 1) % rowsPerSample == 0) {
            wholeAgreeing += sampleAgrees;
            ++whole;
            sampleAgrees = true;
          }
        }
      }
      firstFloat = false;
    }
    for (int64_t s = 0; s < batch_; ++s) {
      double norm = std::sqrt(refNorm[s] * testNorm[s]);
      double cosine = norm > 0 ? dot[s] / norm : (refNorm[s] == testNorm[s] ? 1.0 : 0.0);
      cosineSum += cosine;
      cosineMin = std::min(cosineMin, cosine);
      ++cosines;
    }
  }
  accuracy.sqnr =
      noise > 0 ? 10 * std::log10(signal / noise) : std::numeric_limits<double>::infinity();
  accuracy.cosine = cosines ? cosineSum / cosines : 1;
  accuracy.cosineMin = cosineMin;
  accuracy.agreement = rows ? 100.0 * agreeing / rows : 100;
  accuracy.sampleAgreement = whole ? 100.0 * wholeAgreeing / whole : 100;
  accuracy.rowsPerSample = rowsPerSample;
  return true;
}

bool Simulator::outputMeans(const Plan *plan, std::map<std::string, std::vector<double>> &means,
                            std::string &error, int64_t maxSamples) {
  configure(plan);
  for (auto [probe, state] : llvm::zip(probes_, state_))
    if (probe.kind == "output") {
      state.record = true;
      state.sums.assign(state.channels, 0.0);
      state.sumCount = 0;
    }
  size_t batches = maxSamples > 0 ? static_cast<size_t>((maxSamples + batch_ - 1) / batch_) : 0;
  if (!runAll(nullptr, error, batches))
    return false;
  means.clear();
  for (auto [probe, state] : llvm::zip(probes_, state_)) {
    if (probe.kind != "output" || !state.record || state.sumCount == 0)
      continue;
    std::vector<double> &mean = means[probe.layer];
    for (double sum : state.sums)
      mean.push_back(sum / static_cast<double>(state.sumCount));
    state.record = false;
  }
  return true;
}

bool Simulator::inputMoments(const Plan &plan, const std::set<std::string> &layers,
                             std::map<std::string, InputMoments> &moments, std::string &error,
                             int64_t maxSamples) {
  configure(&plan);
  std::set<std::string> quantized = quantizedLayerSet(probes_, plan);
  moments.clear();
  for (const LayerInput &input : layerInputs_) {
    if (!layers.count(input.layer) || !quantized.count(input.layer))
      continue;
    const WeightLayout &layout = layouts_.at(input.layer);
    InputMoments &m = moments[input.layer];
    m.groups = layout.groups;
    m.columns = layout.columns;
    m.sums.assign(m.groups * m.columns * m.columns, 0.0);
    state_[input.probe].moments = &m;
    state_[input.probe].layerInput = &input;
  }
  size_t batches = maxSamples > 0 ? static_cast<size_t>((maxSamples + batch_ - 1) / batch_) : 0;
  bool ok = runAll(nullptr, error, batches);
  for (ProbeState &state : state_)
    state.moments = nullptr;
  return ok;
}

bool measureSensitivity(Simulator &simulator, const Plan &plan,
                        std::vector<LayerSensitivity> &layers, std::string &error) {
  std::vector<std::string> quantized = simulator.quantizedLayers(plan);
  layers.clear();
  for (const std::string &layer : quantized) {
    LayerSensitivity s;
    s.layer = layer;
    s.opType = simulator.opType(layer);
    Plan only = plan, allBut = plan;
    for (const std::string &other : quantized)
      if (other != layer)
        only.floatLayers.insert(other);
    allBut.floatLayers.insert(layer);
    if (!simulator.evaluate(only, s.only, error) || !simulator.evaluate(allBut, s.allBut, error))
      return false;
    layers.push_back(std::move(s));
  }
  return true;
}

bool chooseMethods(
    Simulator &simulator,
    const std::map<std::string, std::map<std::string, calib::QuantParams>> &candidates,
    const Objective &objective, Plan &plan, std::map<std::string, std::string> &chosen,
    std::string &error) {
  // The best single method first.
  std::set<std::string> methods;
  for (auto &[tensor, byMethod] : candidates)
    for (auto &[method, params] : byMethod)
      methods.insert(method);
  Accuracy best;
  bool first = true;
  std::string bestMethod;
  for (const std::string &method : methods) {
    Plan trial = plan;
    for (auto &[tensor, byMethod] : candidates)
      if (auto it = byMethod.find(method); it != byMethod.end())
        trial.activations[tensor] = it->second;
    Accuracy accuracy;
    if (!simulator.evaluate(trial, accuracy, error))
      return false;
    if (first || objective.better(accuracy, best)) {
      first = false;
      best = accuracy;
      bestMethod = method;
      plan = trial;
    }
  }
  for (auto &[tensor, byMethod] : candidates)
    chosen[tensor] = bestMethod;
  // Then tensor by tensor, in the order the model computes them.
  std::vector<std::string> order;
  for (const Probe &p : simulator.probes())
    if (p.kind == "activation" && candidates.count(p.tensor) &&
        !llvm::is_contained(order, p.tensor))
      order.push_back(p.tensor);
  for (const std::string &tensor : order) {
    const auto &byMethod = candidates.at(tensor);
    std::vector<double> tried{plan.activations[tensor].scale};
    for (auto &[method, params] : byMethod) {
      // Scales within 2% of one tried already give nearly the same result.
      double scale = params.scale;
      if (llvm::any_of(tried, [&](double s) { return std::fabs(scale - s) <= 2e-2 * s; }))
        continue;
      tried.push_back(scale);
      Plan trial = plan;
      trial.activations[tensor] = params;
      Accuracy accuracy;
      if (!simulator.evaluate(trial, accuracy, error))
        return false;
      if (objective.better(accuracy, best)) {
        best = accuracy;
        plan = std::move(trial);
        chosen[tensor] = method;
      }
    }
  }
  return true;
}

bool correctBiases(Simulator &simulator, const Objective &objective, Plan &plan, bool &kept,
                   Accuracy &before, Accuracy &after, std::string &error) {
  kept = false;
  if (!simulator.evaluate(plan, before, error))
    return false;
  // Channel means over at most 64 samples: on EfficientNet-Lite0, means
  // over 16 images were noisy enough that the corrections lowered the output
  // SQNR (13.3 -> 12.6 dB) where means over 64 raised it (-> 16.8 dB).
  constexpr int64_t kMeanSamples = 64;
  std::map<std::string, std::vector<double>> reference, measured;
  if (!simulator.outputMeans(nullptr, reference, error, kMeanSamples))
    return false;
  std::set<std::string> quantized;
  for (const std::string &layer : simulator.quantizedLayers(plan))
    quantized.insert(layer);
  // Layer by layer in program order, each measured with the corrections of
  // the layers before it: correcting all at once would count an upstream
  // shift again in every layer below it.
  std::vector<std::string> order;
  for (const Probe &p : simulator.probes())
    if (p.kind == "output" && quantized.count(p.layer) && reference.count(p.layer) &&
        (llvm::is_contained({"Conv", "ConvTranspose", "Gemm"}, llvm::StringRef(p.opType)) ||
         simulator.hasBiasAdd(p.layer)))
      order.push_back(p.layer);
  Plan corrected = plan;
  for (const std::string &layer : order) {
    if (!simulator.outputMeans(&corrected, measured, error, kMeanSamples))
      return false;
    const std::vector<double> &mean = measured[layer];
    std::vector<float> &delta = corrected.biasCorrections[layer];
    delta.resize(mean.size(), 0.0f);
    for (size_t c = 0; c < mean.size(); ++c)
      delta[c] += static_cast<float>(reference[layer][c] - mean[c]);
  }
  if (!simulator.evaluate(corrected, after, error))
    return false;
  if (objective.better(after, before)) {
    plan = std::move(corrected);
    kept = true;
  }
  return true;
}

bool fallBackToBudget(Simulator &simulator, const Budget &budget,
                      const std::map<std::string, std::pair<double, double>> &costs, Plan &plan,
                      std::vector<Fallback> &steps, bool &met, std::string &error) {
  Accuracy current;
  if (!simulator.evaluate(plan, current, error))
    return false;
  met = budget.holds(current);
  if (met)
    return true;
  // Rank by the error each layer adds on its own: the output with only that
  // layer INT8 (the rest as `plan` has them, other quantized layers FP32).
  // Quantization errors of layers add up roughly as independent noise, so
  // the noisiest layers go first. Keeping one layer alone in FP32 (all others
  // INT8) ranks worse: a single layer's share hides in the others' noise, and
  // the bias corrections below a layer were measured with its error.
  std::vector<std::string> quantized = simulator.quantizedLayers(plan);
  std::vector<std::pair<double, std::string>> ranked;
  for (const std::string &layer : quantized) {
    Plan only = plan;
    for (const std::string &other : quantized)
      if (other != layer)
        only.floatLayers.insert(other);
    Accuracy accuracy;
    if (!simulator.evaluate(only, accuracy, error))
      return false;
    ranked.push_back({accuracy.sqnr, layer});
  }
  // Lowest SQNR first; equal ones in program order.
  std::vector<size_t> order(ranked.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return ranked[a].first != ranked[b].first ? ranked[a].first < ranked[b].first : a < b;
  });
  for (size_t index : order) {
    const std::string &layer = ranked[index].second;
    plan.floatLayers.insert(layer);
    Fallback step;
    step.layer = layer;
    step.opType = simulator.opType(layer);
    step.aloneSqnr = ranked[index].first;
    if (!simulator.evaluate(plan, step.after, error))
      return false;
    auto cost = costs.find(layer);
    step.costMs = cost != costs.end() ? cost->second.first - cost->second.second
                                      : std::numeric_limits<double>::quiet_NaN();
    steps.push_back(step);
    if (budget.holds(step.after)) {
      met = true;
      break;
    }
  }
  return true;
}

std::map<std::string, double> layerTimes(const ProfileTable &table, int runs) {
  std::map<std::string, double> times;
  const char *name = table.names;
  for (int64_t i = 0; i < table.count; ++i) {
    double ms = table.layers[i * kProfileColumns + kNanosColumn] * 1e-6 / std::max(runs, 1);
    llvm::SmallVector<llvm::StringRef> nodes;
    llvm::StringRef(name).split(nodes, '+');
    for (llvm::StringRef node : nodes)
      times[node.str()] += ms;
    name += std::strlen(name) + 1;
  }
  return times;
}

void rankBySensitivity(std::vector<LayerSensitivity> &layers) {
  // Lowest first; equal ones in program order.
  std::vector<size_t> order(layers.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return layers[a].only.sqnr != layers[b].only.sqnr ? layers[a].only.sqnr < layers[b].only.sqnr
                                                      : a < b;
  });
  std::vector<LayerSensitivity> ranked;
  for (size_t index : order)
    ranked.push_back(std::move(layers[index]));
  layers = std::move(ranked);
}

static std::string fixed(double value, int decimals) {
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

static std::string milliseconds(double ms) { return ms < 0 ? "-" : fixed(ms, 3); }

void writeText(const AnalysisReport &r, llvm::raw_ostream &os) {
  os << "quantc analyze: " << r.model << ", " << r.samples << " samples of " << r.data
     << "; calibration: " << r.calibration << "\n"
     << "as calibrated: SQNR " << fixed(r.all.sqnr, 2) << " dB, cosine " << fixed(r.all.cosine, 5)
     << " (min " << fixed(r.all.cosineMin, 4) << "), top-1 agreement " << fixed(r.all.agreement, 2)
     << "%\n\n"
     << "Per-layer sensitivity, most sensitive first. only: this layer INT8, the rest FP32; "
     << "all-but: this layer FP32, the rest INT8.\n";
  os << llvm::formatv("{0,4}  {1,-32} {2,-16} {3,9} {4,9} {5,8} | {6,9} {7,9} {8,8} | {9,8} "
                      "{10,8}\n",
                      "rank", "layer", "op", "only dB", "only cos", "only t1%", "allbut dB",
                      "allbut cos", "allbut%", "fp32 ms", "int8 ms");
  for (auto [i, l] : llvm::enumerate(r.layers))
    os << llvm::formatv("{0,4}  {1,-32} {2,-16} {3,9} {4,9} {5,8} | {6,9} {7,9} {8,8} | {9,8} "
                        "{10,8}\n",
                        i + 1, l.layer, l.opType, fixed(l.only.sqnr, 2), fixed(l.only.cosine, 5),
                        fixed(l.only.agreement, 2), fixed(l.allBut.sqnr, 2),
                        fixed(l.allBut.cosine, 5), fixed(l.allBut.agreement, 2),
                        milliseconds(l.fp32Ms), milliseconds(l.int8Ms));
}

static std::string escape(const std::string &text) {
  std::string out;
  for (char c : text) {
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

static std::string jsonNumber(double value) {
  return std::isfinite(value) ? fixed(value, 6) : "null";
}

static void writeAccuracyJson(const Accuracy &a, llvm::raw_ostream &os) {
  os << "{\"sqnr\": " << jsonNumber(a.sqnr) << ", \"cosine\": " << jsonNumber(a.cosine)
     << ", \"cosine_min\": " << jsonNumber(a.cosineMin)
     << ", \"agreement\": " << jsonNumber(a.agreement) << "}";
}

void writeJson(const AnalysisReport &r, llvm::raw_ostream &os) {
  auto str = [](const std::string &s) {
    std::string out = "\"";
    for (char c : s)
      out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
  };
  os << "{\"model\": " << str(r.model) << ", \"data\": " << str(r.data)
     << ", \"calibration\": " << str(r.calibration) << ", \"samples\": " << r.samples
     << ", \"all_int8\": ";
  writeAccuracyJson(r.all, os);
  os << ",\n \"layers\": [";
  for (auto [i, l] : llvm::enumerate(r.layers)) {
    os << (i ? ",\n  " : "\n  ") << "{\"rank\": " << i + 1 << ", \"layer\": " << str(l.layer)
       << ", \"op\": " << str(l.opType) << ", \"only\": ";
    writeAccuracyJson(l.only, os);
    os << ", \"all_but\": ";
    writeAccuracyJson(l.allBut, os);
    os << ", \"fp32_ms\": " << (l.fp32Ms < 0 ? "null" : jsonNumber(l.fp32Ms))
       << ", \"int8_ms\": " << (l.int8Ms < 0 ? "null" : jsonNumber(l.int8Ms)) << "}";
  }
  os << "]}\n";
}

void writeHtml(const AnalysisReport &r, llvm::raw_ostream &os) {
  os << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>quantc analyze: "
     << escape(r.model) << "</title>\n<style>body{font-family:sans-serif;margin:2em}"
     << "table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;"
     << "text-align:right}td:nth-child(2),td:nth-child(3){text-align:left}</style></head>"
     << "<body>\n<h1>quantc analyze: " << escape(r.model) << "</h1>\n<p>" << r.samples
     << " samples of " << escape(r.data) << "; calibration: " << escape(r.calibration)
     << ". As calibrated: SQNR " << fixed(r.all.sqnr, 2) << " dB, cosine " << fixed(r.all.cosine, 5)
     << ", top-1 agreement " << fixed(r.all.agreement, 2) << "%.</p>\n";
  // Two bars per layer, most sensitive first: the output SQNR with only this
  // layer in INT8 (red, shorter is worse; 60 dB fills the width) and what
  // keeping it alone in FP32 gains over all-INT8 (blue).
  const int rowHeight = 18, labelWidth = 300, barWidth = 360, gainWidth = 240;
  double maxGain = 0.1;
  for (const LayerSensitivity &l : r.layers)
    if (std::isfinite(l.allBut.sqnr))
      maxGain = std::max(maxGain, l.allBut.sqnr - r.all.sqnr);
  os << "<h2>Sensitivity</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
     << labelWidth + barWidth + gainWidth + 120 << "\" height=\""
     << rowHeight * (r.layers.size() + 2) << "\" font-size=\"11\">\n"
     << "<text x=\"" << labelWidth << "\" y=\"12\">output SQNR, only this layer INT8 "
     << "(dB)</text><text x=\"" << labelWidth + barWidth + 60 << "\" y=\"12\">gain when "
     << "only this layer is FP32 (dB)</text>\n";
  for (auto [i, l] : llvm::enumerate(r.layers)) {
    int y = static_cast<int>(i + 1) * rowHeight;
    double only = std::isinf(l.only.sqnr) ? 60.0 : l.only.sqnr;
    int length = static_cast<int>(std::clamp(only / 60.0, 0.0, 1.0) * barWidth);
    double gain = std::isfinite(l.allBut.sqnr) ? l.allBut.sqnr - r.all.sqnr : maxGain;
    int gainLength = static_cast<int>(std::clamp(gain / maxGain, 0.0, 1.0) * gainWidth);
    int gainX = labelWidth + barWidth + 60;
    os << "<text x=\"0\" y=\"" << y + 13 << "\">" << i + 1 << ". " << escape(l.layer) << " ("
       << escape(l.opType) << ")</text><rect x=\"" << labelWidth << "\" y=\"" << y + 3
       << "\" width=\"" << length << "\" height=\"" << rowHeight - 6
       << "\" fill=\"#cf222e\"/><text x=\"" << labelWidth + length + 4 << "\" y=\"" << y + 13
       << "\">" << fixed(l.only.sqnr, 1) << "</text><rect x=\"" << gainX << "\" y=\"" << y + 3
       << "\" width=\"" << gainLength << "\" height=\"" << rowHeight - 6
       << "\" fill=\"#0969da\"/><text x=\"" << gainX + gainLength + 4 << "\" y=\"" << y + 13
       << "\">" << fixed(gain, 2) << "</text>\n";
  }
  os << "</svg>\n<h2>Layers</h2>\n<table><tr><th>rank</th><th>layer</th><th>op</th>"
     << "<th>only dB</th><th>only cosine</th><th>only top-1 %</th><th>all-but dB</th>"
     << "<th>all-but cosine</th><th>all-but top-1 %</th><th>FP32 ms</th><th>INT8 ms</th></tr>\n";
  for (auto [i, l] : llvm::enumerate(r.layers))
    os << "<tr><td>" << i + 1 << "</td><td>" << escape(l.layer) << "</td><td>" << escape(l.opType)
       << "</td><td>" << fixed(l.only.sqnr, 2) << "</td><td>" << fixed(l.only.cosine, 5)
       << "</td><td>" << fixed(l.only.agreement, 2) << "</td><td>" << fixed(l.allBut.sqnr, 2)
       << "</td><td>" << fixed(l.allBut.cosine, 5) << "</td><td>" << fixed(l.allBut.agreement, 2)
       << "</td><td>" << milliseconds(l.fp32Ms) << "</td><td>" << milliseconds(l.int8Ms)
       << "</td></tr>\n";
  os << "</table>\n</body></html>\n";
}

} // namespace qc::analysis

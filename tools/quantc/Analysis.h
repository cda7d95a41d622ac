//===- Analysis.h - measure how quantization choices move the output -*- C++ -*-===//
//
// The engine behind `quantc analyze` and the searches of `quantc
// calibrate` (--method auto, --accuracy-budget, bias correction). The float
// model is compiled once with a host probe on every quantized operand
// (pass qc-insert-probes); a Plan then says, run by run, which layers are
// quantized and with which parameters, and the probes fake-quantize
// exactly as Q/DQ placement would (activations per tensor, weights int8
// per output channel) while the rest of the model computes in float. Each
// run is scored against the float model's outputs on the same samples.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_TOOLS_ANALYSIS_H
#define QUANTC_TOOLS_ANALYSIS_H

#include "Calibration/Table.h"
#include "Codegen/Jit.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace qc::analysis {

// One probe of the compiled model (the qc.probes attribute).
struct Probe {
  std::string layer, opType, kind, tensor;
  int64_t axis = -1;
  std::vector<int64_t> shape;
};

// What a simulated run quantizes.
struct Plan {
  // Activation tensors (calibration names) and their quantization; others
  // stay float.
  std::map<std::string, calib::QuantParams> activations;
  calib::ActivationType type = calib::ActivationType::Int8;
  // Layers (ONNX nodes) kept in FP32.
  std::set<std::string> floatLayers;
  // Per output channel, added to a quantized layer's output.
  std::map<std::string, std::vector<float>> biasCorrections;
  // A quantized layer's int8 weight values, instead of rounding to nearest.
  std::map<std::string, std::vector<int8_t>> roundedWeights;
};

// The plan a calibration table describes.
Plan planFromTable(const calib::Table &table);

// Output error against the float model, over all samples: SQNR (dB) over
// every float output, mean and least per-sample cosine, and top-1
// agreement (%) of the first output's argmax over its last dimension.
struct Accuracy {
  double sqnr = 0, cosine = 1, cosineMin = 1, agreement = 100;
  // With several argmax rows per sample (a sequence): the % of samples
  // whose every row agrees.
  double sampleAgreement = 100;
  int64_t rowsPerSample = 1;
};

// "agreement=99", "sample-agreement=95", "cosine=0.99" or "sqnr=30": the
// least acceptable value.
struct Budget {
  std::string metric;
  double least = 0;
  bool holds(const Accuracy &accuracy) const;
  double value(const Accuracy &accuracy) const;
};
bool parseBudget(const std::string &text, Budget &budget, std::string &error);

// What the searches (method choice, bias correction, equalization) maximize:
// the budget's metric when there is one, else SQNR; equal agreement or
// cosine goes to the higher SQNR.
struct Objective {
  std::string metric = "sqnr";
  bool better(const Accuracy &a, const Accuracy &b) const;
};

// How a layer's weight meets its input, for data-aware rounding: each of
// `rows` output channels takes the dot product of `columns` weights with an
// input vector (a row of a MatMul/Gemm input, a Conv's receptive field);
// rows come in `groups` that each see their own inputs (grouped Conv).
struct WeightLayout {
  int64_t rows = 0, columns = 0, groups = 1;
  bool columnMajor = false; // stored as [columns, rows] (MatMul, Gemm B)
  std::vector<float> weight;
  int64_t index(int64_t row, int64_t column) const {
    return columnMajor ? column * rows + row : row * columns + column;
  }
};

// A weight as Q/DQ placement quantizes it: int8, scale max|w| / 127 per
// output channel (1 for a channel of zeros), rounded to nearest, half to
// even. Element i is in channel i / inner % channels.
struct NearestWeights {
  std::vector<float> scales;
  std::vector<int8_t> values;
};
NearestWeights roundToNearest(const float *weight, int64_t elements, int64_t channels,
                              int64_t inner);

// The second moments of a layer's input vectors: per group, the lower
// triangle of sum(x x^T) over `count` vectors, columns x columns each.
struct InputMoments {
  int64_t groups = 1, columns = 0, count = 0;
  std::vector<double> sums;
};

class Simulator {
public:
  // `module` is the imported float model (consumed). The first
  // `maxSamples` samples of `data` (0: all) are read once and kept; the
  // float outputs on them are the reference.
  static std::unique_ptr<Simulator> create(mlir::ModuleOp module, const std::string &data,
                                           const std::string &preprocessing, int64_t maxSamples,
                                           std::string &error);
  ~Simulator();

  const std::vector<Probe> &probes() const { return probes_; }
  int64_t samples() const { return samples_; }
  // The layers with an activation `plan` quantizes, in program order.
  std::vector<std::string> quantizedLayers(const Plan &plan) const;
  // The ONNX op type of a layer.
  std::string opType(const std::string &layer) const;
  // Whether a MatMul layer's result goes to the Add of a constant bias (a
  // bias correction's place).
  bool hasBiasAdd(const std::string &layer) const { return matmulsWithBias_.count(layer) > 0; }

  // Runs every kept sample as `plan` says and scores the outputs.
  bool evaluate(const Plan &plan, Accuracy &accuracy, std::string &error);
  // The mean of each output channel of every layer with a constant weight,
  // over the first `maxSamples` kept samples (0: all), as `plan` computes
  // it (null: float).
  bool outputMeans(const Plan *plan, std::map<std::string, std::vector<double>> &means,
                   std::string &error, int64_t maxSamples = 0);

  // The layers whose weight data-aware rounding handles (Conv, MatMul and
  // Gemm with a constant per-channel weight), by name.
  const std::map<std::string, WeightLayout> &weightLayouts() const { return layouts_; }
  // The input moments of those of `layers` quantized by `plan`, seen as
  // `plan` computes, over the first `maxSamples` samples (0: all).
  bool inputMoments(const Plan &plan, const std::set<std::string> &layers,
                    std::map<std::string, InputMoments> &moments, std::string &error,
                    int64_t maxSamples = 0);

  // The host side of qck.probe.
  void probe(int64_t id, const float *input, float *output, int64_t elements);

private:
  Simulator() = default;
  void configure(const Plan *plan);
  // Runs the first `maxBatches` batches (0: all), keeping the outputs if
  // asked.
  bool runAll(std::vector<std::vector<std::vector<char>>> *outputs, std::string &error,
              size_t maxBatches = 0);

  struct ProbeState;
  struct LayerInput;
  // The id of `probe` if it is one of this model's probes, else -1.
  int64_t probeId(mlir::Operation *probe) const;
  void findWeightLayouts(mlir::ModuleOp module);
  // The biases Q/DQ placement rounds to int32, by output probe.
  void findBiases(mlir::ModuleOp module);
  std::vector<float> biasRoundingError(const ProbeState &output) const;
  void accumulateMoments(const LayerInput &input, const float *values, InputMoments &moments);
  std::vector<Probe> probes_;
  std::map<std::string, WeightLayout> layouts_;
  std::set<std::string> matmulsWithBias_;
  std::vector<LayerInput> layerInputs_;
  std::vector<ProbeState> state_;
  std::unique_ptr<JitModel> model_;
  // Inputs and reference outputs per batch, each as the signature lays out.
  std::vector<std::vector<std::vector<char>>> inputs_, reference_;
  int64_t samples_ = 0, batch_ = 1;
};

// Per-layer sensitivity: the output error with only this layer quantized,
// and with every layer but this one.
struct LayerSensitivity {
  std::string layer, opType;
  Accuracy only, allBut;
  double fp32Ms = -1, int8Ms = -1; // measured per-layer time, when known
};
bool measureSensitivity(Simulator &simulator, const Plan &plan,
                        std::vector<LayerSensitivity> &layers, std::string &error);

// Per-tensor calibration method by output error: from the best single
// method, each tensor in turn takes the candidate amax (one per method)
// that gives the best output by `objective`, the others fixed. `candidates` maps
// tensor -> method -> quantization; `chosen` gets the method per tensor.
bool chooseMethods(
    Simulator &simulator,
    const std::map<std::string, std::map<std::string, calib::QuantParams>> &candidates,
    const Objective &objective, Plan &plan, std::map<std::string, std::string> &chosen,
    std::string &error);

// Empirical bias correction: the mean output error of each quantized Conv,
// ConvTranspose, Gemm and MatMul with a bias Add, per channel, moved into
// its bias, layer by layer
// in program order (each measured with the corrections before it). Kept in
// `plan` only if the output improves by `objective`; `kept` says whether it
// was.
bool correctBiases(Simulator &simulator, const Objective &objective, Plan &plan, bool &kept,
                   Accuracy &before, Accuracy &after, std::string &error);

// Data-aware weight rounding (GPTQ): each quantized layer's int8 weights
// are chosen column by column, each rounding error spread over the columns
// not yet rounded in proportion to the input's second moments, so that the
// layer's output on the calibration inputs moves least (the scales stay
// max|w| / 127). Kept in `plan` only if the output improves by `objective`;
// `layers` counts the rounded layers.
bool roundWeights(Simulator &simulator, const Objective &objective, Plan &plan, bool &kept,
                  int64_t &layers, Accuracy &before, Accuracy &after, std::string &error);

// One step of the accuracy budget's fallback.
struct Fallback {
  std::string layer, opType;
  double aloneSqnr = 0; // output SQNR with only this layer INT8: its rank
  Accuracy after;
  double costMs = 0; // FP32 minus INT8 time of the layer; NaN when unmeasured
};
// Falls back the noisiest layers (lowest output SQNR with only that layer
// INT8) one by one until `budget` holds. `costs`
// maps layer -> (fp32 ms, int8 ms). Returns false on an error; `met` says
// whether the budget holds at the end.
bool fallBackToBudget(Simulator &simulator, const Budget &budget,
                      const std::map<std::string, std::pair<double, double>> &costs, Plan &plan,
                      std::vector<Fallback> &steps, bool &met, std::string &error);

// Per-layer times from a compiled model's profile table: node -> ms per
// run; a fused row counts for each node it names.
std::map<std::string, double> layerTimes(const ProfileTable &table, int runs);

// What `quantc analyze` prints.
struct AnalysisReport {
  std::string model, data, calibration;
  int64_t samples = 0;
  Accuracy all;                         // as the calibration quantizes
  std::vector<LayerSensitivity> layers; // most sensitive first
};
// Orders layers by their only-this SQNR, lowest first.
void rankBySensitivity(std::vector<LayerSensitivity> &layers);
void writeText(const AnalysisReport &report, llvm::raw_ostream &os);
void writeJson(const AnalysisReport &report, llvm::raw_ostream &os);
void writeHtml(const AnalysisReport &report, llvm::raw_ostream &os);

} // namespace qc::analysis

#endif // QUANTC_TOOLS_ANALYSIS_H

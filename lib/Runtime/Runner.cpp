//===- Runner.cpp - run a compiled model on .npy files --------------------===//
#include "Runtime/Runner.h"

#include "Runtime/Npy.h"
#include "Runtime/Peaks.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <random>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace qc {
namespace {

std::string shapeText(const int64_t *shape, int rank) {
  std::string text = "(";
  for (int i = 0; i < rank; ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + ")";
}

int64_t elementCount(const qc_tensor_info &t) {
  int64_t n = 1;
  for (int i = 0; i < t.rank; ++i)
    n *= t.shape[i];
  return n;
}

void fillRandom(const qc_tensor_info &t, std::vector<char> &data, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  int64_t n = elementCount(t);
  switch (t.dtype) {
  case QC_FLOAT:
    for (int64_t i = 0; i < n; ++i)
      reinterpret_cast<float *>(data.data())[i] = uniform(rng);
    break;
  case QC_DOUBLE:
    for (int64_t i = 0; i < n; ++i)
      reinterpret_cast<double *>(data.data())[i] = uniform(rng);
    break;
  default: {
    size_t size = npy::elementSize(npy::dtypeForCode(t.dtype));
    for (int64_t i = 0; i < n; ++i)
      data[i * size] = static_cast<char>(rng() % (t.dtype == QC_BOOL ? 2 : 7));
  }
  }
}

std::string fileNameFor(const char *tensorName) {
  std::string name(tensorName);
  for (char &c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      c = '_';
  return name;
}

} // namespace

// The OpenMP runtime's function `name`, from the process or from the libomp
// a model library brought in privately; null if there is none.
static void *openmpSymbol(const char *name) {
  void *symbol = dlsym(RTLD_DEFAULT, name);
  for (const char *library : {"libomp.so.5", "libomp.so"}) {
    if (symbol)
      break;
    if (void *handle = dlopen(library, RTLD_NOW | RTLD_NOLOAD))
      symbol = dlsym(handle, name);
  }
  return symbol;
}

int setParallelThreads(int threads) {
  using MaxThreads = int (*)();
  using SetThreads = void (*)(int);
  void *get = openmpSymbol("omp_get_max_threads");
  void *set = openmpSymbol("omp_set_num_threads");
  if (!get || !set)
    return 0;
  int previous = reinterpret_cast<MaxThreads>(get)();
  reinterpret_cast<SetThreads>(set)(threads);
  return previous;
}

// The profile of `runs` runs: each layer's time per run, its share, its
// multiply-add rate and that rate against the measured peak of its kind
// on `threads` cores.
static bool isInt8(int64_t kind) {
  return kind == int64_t(LayerKind::ConvInt8) || kind == int64_t(LayerKind::MatmulInt8);
}

static void printProfile(const ProfileTable &table, int runs, int threads, double runMs) {
  Peaks peaks = measurePeaks();
  std::printf("profile: %d run%s on %d thread%s; peaks per core: int8 %.1f GMAC/s (%s), "
              "int16 %.1f GMAC/s (%s), fp32 %.1f GFMA/s (%s)\n",
              runs, runs == 1 ? "" : "s", threads, threads == 1 ? "" : "s", peaks.int8 * 1e-9,
              peaks.int8Instruction.c_str(), peaks.int16 * 1e-9, peaks.int16Instruction.c_str(),
              peaks.fp32 * 1e-9, peaks.fp32Instruction.c_str());
  double totalMs = 0;
  for (int64_t i = 0; i < table.count; ++i)
    totalMs += table.layers[i * kProfileColumns + kNanosColumn] * 1e-6 / runs;
  std::printf("  %-4s %-40s %-12s %9s %6s %8s %7s\n", "#", "layer", "kind", "ms/run", "%", "GMAC/s",
              "%peak");
  const char *name = table.names;
  double kindMs[kLayerKinds] = {}, kindMacs[kLayerKinds] = {};
  for (int64_t i = 0; i < table.count; ++i, name += std::strlen(name) + 1) {
    const int64_t *row = table.layers + i * kProfileColumns;
    double ms = row[kNanosColumn] * 1e-6 / runs;
    double macs = double(row[kMacsColumn]);
    int64_t kind = row[kKindColumn];
    if (kind >= 0 && kind < kLayerKinds) {
      kindMs[kind] += ms;
      kindMacs[kind] += macs;
    }
    std::string label = name;
    if (label.size() > 40)
      label = label.substr(0, 37) + "...";
    std::printf("  %-4lld %-40s %-12s %9.3f %6.1f", (long long)i, label.c_str(),
                layerKindName(kind), ms, totalMs > 0 ? 100 * ms / totalMs : 0.0);
    double peak = isInt8(kind) ? peaks.int8 : peaks.fp32;
    if (macs > 0 && ms > 0) {
      double rate = macs / (ms * 1e-3);
      std::printf(" %8.1f %6.1f%%", rate * 1e-9, peak > 0 ? 100 * rate / (peak * threads) : 0.0);
    }
    std::printf("\n");
  }
  std::printf("  by kind:\n");
  for (int kind = 0; kind < kLayerKinds; ++kind) {
    if (kindMs[kind] == 0)
      continue;
    std::printf("    %-12s %9.3f ms %6.1f%%", layerKindName(kind), kindMs[kind],
                100 * kindMs[kind] / totalMs);
    double peak = isInt8(kind) ? peaks.int8 : peaks.fp32;
    if (kindMacs[kind] > 0) {
      double rate = kindMacs[kind] / (kindMs[kind] * 1e-3);
      std::printf("  %8.1f GMAC/s %6.1f%% of peak", rate * 1e-9, 100 * rate / (peak * threads));
    }
    std::printf("\n");
  }
  std::printf("  layers total %.3f ms of %.3f ms per run\n", totalMs, runMs);
}

int runnerMain(int argc, char **argv, int first, const char *tool, const qc_model_info *info,
               qc_run_fn run, ProfileTable *profile) {
  auto fail = [&](const std::string &message) {
    std::fprintf(stderr, "%s: %s\n", tool, message.c_str());
    return 1;
  };
  if (!info || info->abi_version != QC_ABI_VERSION)
    return fail("the model's ABI version is not " + std::to_string(QC_ABI_VERSION));

  std::map<std::string, std::string> inputFiles;
  std::map<std::string, npy::Array> npzInputs;
  std::string outputDir, outputNpz;
  bool randomInputs = false, profileLayers = false;
  int bench = 0, threads = 0;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const std::string &flag) -> const char * {
      if (arg.rfind(flag + "=", 0) == 0)
        return argv[i] + flag.size() + 1;
      if (arg == flag && i + 1 < argc)
        return argv[++i];
      return nullptr;
    };
    if (const char *v = value("--input")) {
      std::string entry = v;
      size_t eq = entry.find('=');
      if (eq == std::string::npos || eq == 0)
        return fail("--input expects NAME=FILE.npy, got '" + entry + "'");
      inputFiles[entry.substr(0, eq)] = entry.substr(eq + 1);
    } else if (const char *v = value("--inputs")) {
      std::vector<std::pair<std::string, npy::Array>> arrays;
      std::string error;
      if (!npy::readNpz(v, arrays, error))
        return fail(error);
      for (auto &[name, array] : arrays)
        npzInputs[name] = std::move(array);
    } else if (const char *v = value("--output-dir")) {
      outputDir = v;
    } else if (const char *v = value("--output-npz")) {
      outputNpz = v;
    } else if (const char *v = value("--bench")) {
      bench = std::atoi(v);
      if (bench < 1)
        return fail("--bench expects a positive iteration count");
    } else if (const char *v = value("--threads")) {
      threads = std::atoi(v);
      if (threads < 1)
        return fail("--threads expects a positive count");
      // Compiled models run parallel loops on libomp; set its team size
      // without linking it here.
      setParallelThreads(threads);
    } else if (arg == "--profile") {
      if (!profile)
        return fail("--profile needs a model compiled with `quantc compile --profile`");
      profileLayers = true;
    } else if (arg == "--random-inputs") {
      randomInputs = true;
    } else {
      return fail("unknown argument '" + arg + "'");
    }
  }

  std::vector<std::vector<char>> inputData, outputData;
  for (int i = 0; i < info->num_inputs; ++i) {
    const qc_tensor_info &t = info->inputs[i];
    std::string dtype = npy::dtypeForCode(t.dtype);
    size_t bytes = elementCount(t) * npy::elementSize(dtype);
    auto it = inputFiles.find(t.name);
    auto packed = npzInputs.find(t.name);
    std::vector<char> data(bytes);
    if (it == inputFiles.end() && packed == npzInputs.end()) {
      if (!randomInputs)
        return fail(std::string("no data for input '") + t.name + "' (give --input " + t.name +
                    "=FILE.npy or --random-inputs)");
      fillRandom(t, data, 1234 + i);
    } else {
      // A separate --input wins over the same name in --inputs.
      npy::Array array;
      std::string source, error;
      if (it != inputFiles.end()) {
        source = it->second;
        if (!npy::read(it->second, array, error))
          return fail(error);
        inputFiles.erase(it);
      } else {
        source = "--inputs";
        array = std::move(packed->second);
      }
      if (packed != npzInputs.end())
        npzInputs.erase(packed);
      std::vector<int64_t> want(t.shape, t.shape + t.rank);
      if (!npy::acceptsDtype(dtype, array.dtype) || array.shape != want)
        return fail(std::string("input '") + t.name + "' expects dtype " + dtype + " shape " +
                    shapeText(t.shape, t.rank) + ", but '" + source + "' holds dtype " +
                    array.dtype + " shape " + shapeText(array.shape.data(), array.shape.size()));
      data = std::move(array.data);
      // Compiled code assumes the bits above a 4- or 2-bit element are zero.
      if (uint8_t mask = npy::subByteMask(dtype); mask != 0xff)
        for (char &c : data)
          c &= mask;
    }
    inputData.push_back(std::move(data));
  }
  if (!inputFiles.empty())
    return fail("the model has no input named '" + inputFiles.begin()->first + "'");
  if (!npzInputs.empty())
    return fail("--inputs holds '" + npzInputs.begin()->first +
                "', which is not an input of the model");
  for (int i = 0; i < info->num_outputs; ++i) {
    const qc_tensor_info &t = info->outputs[i];
    outputData.emplace_back(elementCount(t) * npy::elementSize(npy::dtypeForCode(t.dtype)));
  }

  static char emptyBuffer[64];
  std::vector<void *> inputs, outputs;
  for (auto &d : inputData)
    inputs.push_back(d.empty() ? emptyBuffer : d.data());
  for (auto &d : outputData)
    outputs.push_back(d.empty() ? emptyBuffer : d.data());

  std::vector<double> times;
  int iterations = bench > 0 ? bench + 1 : 1; // one warm-up run when benchmarking
  for (int i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    int32_t status = run(inputs.data(), outputs.data());
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (status != QC_OK)
      return fail("the model returned status " + std::to_string(status));
    if (bench == 0 || i > 0)
      times.push_back(ms);
    // The profile counts the timed runs only.
    if (profileLayers && bench > 0 && i == 0)
      for (int64_t l = 0; l < profile->count; ++l)
        profile->layers[l * kProfileColumns + kNanosColumn] =
            profile->layers[l * kProfileColumns + kCallsColumn] = 0;
  }
  std::sort(times.begin(), times.end());
  if (bench > 0)
    std::printf("latency over %d runs: median %.3f ms, min %.3f ms\n", bench,
                times[times.size() / 2], times.front());
  else
    std::printf("ran in %.3f ms\n", times.front());
  if (profileLayers) {
    if (threads == 0) {
      using MaxThreads = int (*)();
      void *symbol = openmpSymbol("omp_get_max_threads");
      threads = symbol ? reinterpret_cast<MaxThreads>(symbol)() : 1;
    }
    double meanMs = 0;
    for (double t : times)
      meanMs += t / times.size();
    printProfile(*profile, static_cast<int>(times.size()), threads, meanMs);
  }

  std::vector<std::pair<std::string, npy::Array>> npzOutputs;
  for (int i = 0; i < info->num_outputs; ++i) {
    const qc_tensor_info &t = info->outputs[i];
    std::string dtype = npy::dtypeForCode(t.dtype);
    std::printf("  output '%s' %s %s\n", t.name, dtype.c_str(), shapeText(t.shape, t.rank).c_str());
    if (!outputNpz.empty())
      npzOutputs.emplace_back(
          t.name,
          npy::Array{dtype, std::vector<int64_t>(t.shape, t.shape + t.rank), outputData[i]});
    if (outputDir.empty())
      continue;
    // mkdir -p: each prefix ending before a '/', then the whole path.
    for (size_t slash = outputDir.find('/', 1); slash != std::string::npos;
         slash = outputDir.find('/', slash + 1))
      mkdir(outputDir.substr(0, slash).c_str(), 0755);
    mkdir(outputDir.c_str(), 0755);
    npy::Array array{dtype, std::vector<int64_t>(t.shape, t.shape + t.rank),
                     std::move(outputData[i])};
    std::string error;
    if (!npy::write(outputDir + "/" + fileNameFor(t.name) + ".npy", array, error))
      return fail(error);
  }
  std::string error;
  if (!outputNpz.empty() && !npy::writeNpz(outputNpz, npzOutputs, error))
    return fail(error);
  return 0;
}

} // namespace qc

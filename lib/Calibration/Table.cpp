//===- Table.cpp - the calibration table file -----------------------------===//
#include "Calibration/Table.h"
#include "Calibration/Histogram.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace qc::calib {

static constexpr char kWeightsMagic[] = "QCWEIGHTS1\n";

static void putLittleEndian(std::ostream &out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out.put(static_cast<char>((value >> (8 * i)) & 0xff));
}

static bool getLittleEndian(std::istream &in, uint64_t &value, int bytes) {
  value = 0;
  for (int i = 0; i < bytes; ++i) {
    int c = in.get();
    if (c == EOF)
      return false;
    value |= static_cast<uint64_t>(c & 0xff) << (8 * i);
  }
  return true;
}

static bool writeWeights(const std::vector<RoundedWeight> &weights, const std::string &path,
                         std::string &error) {
  std::ofstream out(path, std::ios::binary);
  out.write(kWeightsMagic, sizeof kWeightsMagic - 1);
  for (const RoundedWeight &w : weights) {
    putLittleEndian(out, w.layer.size(), 4);
    out.write(w.layer.data(), static_cast<std::streamsize>(w.layer.size()));
    putLittleEndian(out, w.values.size(), 8);
    out.write(reinterpret_cast<const char *>(w.values.data()),
              static_cast<std::streamsize>(w.values.size()));
  }
  if (!out) {
    error = "writing '" + path + "' failed";
    return false;
  }
  return true;
}

static bool readWeights(const std::string &path, std::vector<RoundedWeight> &weights,
                        std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read the weights file '" + path + "'";
    return false;
  }
  char magic[sizeof kWeightsMagic - 1];
  if (!in.read(magic, sizeof magic) || std::memcmp(magic, kWeightsMagic, sizeof magic) != 0) {
    error = "'" + path + "' is not a quantc weights file";
    return false;
  }
  in.seekg(0, std::ios::end);
  uint64_t size = static_cast<uint64_t>(in.tellg());
  in.seekg(sizeof magic);
  weights.clear();
  for (uint64_t nameLength; getLittleEndian(in, nameLength, 4);) {
    RoundedWeight w;
    uint64_t count = 0;
    uint64_t at = static_cast<uint64_t>(in.tellg());
    if (nameLength == 0 || nameLength > size - at) {
      error = "'" + path + "' is truncated or corrupt";
      return false;
    }
    w.layer.resize(nameLength);
    in.read(w.layer.data(), static_cast<std::streamsize>(nameLength));
    at = static_cast<uint64_t>(in.tellg());
    if (!in || size - at < 8 || !getLittleEndian(in, count, 8) || count == 0 ||
        count > size - at - 8) {
      error = "'" + path + "' is truncated or corrupt";
      return false;
    }
    for (const RoundedWeight &seen : weights)
      if (seen.layer == w.layer) {
        error = "'" + path + "' holds the weights of '" + w.layer + "' twice";
        return false;
      }
    w.values.resize(count);
    if (!in.read(reinterpret_cast<char *>(w.values.data()), static_cast<std::streamsize>(count))) {
      error = "'" + path + "' is truncated or corrupt";
      return false;
    }
    weights.push_back(std::move(w));
  }
  return true;
}

// The file name part of a path.
static std::string baseName(const std::string &path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::optional<ActivationType> parseActivationType(const std::string &name) {
  if (name == "int8")
    return ActivationType::Int8;
  if (name == "uint8")
    return ActivationType::Uint8;
  return std::nullopt;
}

const char *activationTypeName(ActivationType type) {
  return type == ActivationType::Int8 ? "int8" : "uint8";
}

QuantParams int8Symmetric(double amax) {
  if (!(amax > 0) || !std::isfinite(amax))
    return {1.0, 0};
  return {static_cast<float>(amax / kInt8Levels), 0};
}

QuantParams uint8Asymmetric(double lo, double hi) {
  lo = std::min(lo, 0.0);
  hi = std::max(hi, 0.0);
  if (!(hi > lo) || !std::isfinite(hi - lo))
    return {1.0, 0};
  double scale = static_cast<float>((hi - lo) / 255.0);
  auto zeroPoint = static_cast<int64_t>(std::clamp(std::nearbyint(-lo / scale), 0.0, 255.0));
  return {scale, zeroPoint};
}

QuantParams activationParams(ActivationType type, double amax, double min, double max) {
  if (type == ActivationType::Int8)
    return int8Symmetric(amax);
  return uint8Asymmetric(std::max(min, -amax), std::min(max, amax));
}

bool writeTable(const Table &table, const std::string &path, std::string &error) {
  std::ofstream out(path);
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  out << "# quantc calibration table 2\n"
      << "# model: " << table.model << "\n"
      << "# method: " << table.method;
  if (table.method == "percentile")
    out << " " << table.percentile;
  out << "; int8: scale = amax / " << kInt8Levels
      << ", zero point 0; uint8: [max(min, -amax), min(max, amax)] over 255 levels\n"
      << "# data: " << table.samples << " samples in " << table.batches << " batches";
  if (!table.preprocessing.empty())
    out << ", images preprocessed by '" << table.preprocessing << "'";
  out << "\n"
      << "# type, scale and zero_point are used; the rest tells how they were found\n"
      << "# tensor\ttype\tscale\tzero_point\tamax\tmin\tmax\tcount\tbins\tbin_width"
      << (table.method == "auto" ? "\tmethod" : "") << "\n";
  char line[512];
  for (const TableEntry &e : table.entries) {
    std::snprintf(line, sizeof line, "\t%s\t%.9g\t%lld\t%.9g\t%.9g\t%.9g\t%lld\t%lld\t%.9g\n",
                  activationTypeName(e.type), e.params.scale,
                  static_cast<long long>(e.params.zeroPoint), e.amax, e.min, e.max,
                  static_cast<long long>(e.count), static_cast<long long>(e.bins), e.binWidth);
    out << e.tensor << (e.method.empty() ? line : std::string(line, std::strlen(line) - 1))
        << (e.method.empty() ? "" : "\t" + e.method + "\n");
  }
  if (table.equalized)
    out << "# the model is quantized after cross-layer equalization\n@equalize\n";
  if (!table.floatLayers.empty())
    out << "# layers kept in FP32\n";
  for (const std::string &layer : table.floatLayers)
    out << "@float\t" << layer << "\n";
  if (!table.biasCorrections.empty())
    out << "# bias corrections: added to the layer's bias per output channel\n";
  for (const BiasCorrection &correction : table.biasCorrections) {
    out << "@bias\t" << correction.layer << "\t";
    for (size_t i = 0; i < correction.delta.size(); ++i) {
      std::snprintf(line, sizeof line, i ? " %.9g" : "%.9g", correction.delta[i]);
      out << line;
    }
    out << "\n";
  }
  if (!table.roundedWeights.empty()) {
    out << "# int8 weights of " << table.roundedWeights.size()
        << " layers by data-aware rounding, in the file beside the table\n"
        << "@weights\t" << baseName(path) << ".weights\n";
    if (!writeWeights(table.roundedWeights, path + ".weights", error))
      return false;
  }
  if (!out) {
    error = "writing '" + path + "' failed";
    return false;
  }
  return true;
}

bool readTable(const std::string &path, Table &table, std::string &error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read '" + path + "'";
    return false;
  }
  table.entries.clear();
  table.equalized = false;
  table.floatLayers.clear();
  table.biasCorrections.clear();
  table.roundedWeights.clear();
  bool weightsSeen = false;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream fields(line);
    TableEntry e;
    std::string typeName;
    auto fail = [&](const std::string &what) {
      error = path + ":" + std::to_string(number) + ": " + what;
      return false;
    };
    if (line == "@equalize") {
      table.equalized = true;
      continue;
    }
    if (line[0] == '@') {
      std::string directive, layer;
      std::getline(fields, directive, '\t');
      if (!std::getline(fields, layer, '\t') || layer.empty())
        return fail("expected '" + directive +
                    (directive == "@weights" ? "<TAB>file'" : "<TAB>node'"));
      if (directive == "@float") {
        table.floatLayers.push_back(layer);
      } else if (directive == "@weights") {
        if (weightsSeen)
          return fail("a second @weights line");
        weightsSeen = true;
        size_t slash = path.find_last_of('/');
        std::string file = layer[0] == '/' || slash == std::string::npos
                               ? layer
                               : path.substr(0, slash + 1) + layer;
        std::string why;
        if (!readWeights(file, table.roundedWeights, why))
          return fail(why);
      } else if (directive == "@bias") {
        for (const BiasCorrection &seen : table.biasCorrections)
          if (seen.layer == layer)
            return fail("a second @bias line for '" + layer + "'");
        BiasCorrection correction{layer, {}};
        for (float d; fields >> d;)
          correction.delta.push_back(d);
        if (!fields.eof() || correction.delta.empty())
          return fail("expected '@bias<TAB>node<TAB>d0 d1 ...' with one number per channel");
        table.biasCorrections.push_back(std::move(correction));
      } else {
        return fail("unknown directive '" + directive + "' (@equalize, @float, @bias, @weights)");
      }
      continue;
    }
    if (!std::getline(fields, e.tensor, '\t') || e.tensor.empty() ||
        !std::getline(fields, typeName, '\t'))
      return fail("expected 'tensor<TAB>type<TAB>scale<TAB>zero_point ...'");
    auto type = parseActivationType(typeName);
    if (!type)
      return fail("type '" + typeName + "' is not int8 or uint8");
    e.type = *type;
    if (!(fields >> e.params.scale) || !(e.params.scale > 0) || !std::isfinite(e.params.scale))
      return fail("expected a positive finite scale");
    int64_t lowest = e.type == ActivationType::Int8 ? -128 : 0;
    int64_t highest = e.type == ActivationType::Int8 ? 127 : 255;
    if (!(fields >> e.params.zeroPoint) || e.params.zeroPoint < lowest ||
        e.params.zeroPoint > highest)
      return fail("expected a zero point in [" + std::to_string(lowest) + ", " +
                  std::to_string(highest) + "]");
    // The rest only documents how the scale was found; an edited line may drop it.
    fields >> e.amax >> e.min >> e.max >> e.count >> e.bins >> e.binWidth >> e.method;
    table.entries.push_back(std::move(e));
  }
  return true;
}

} // namespace qc::calib

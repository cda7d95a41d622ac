//===- Table.cpp - the calibration table file -----------------------------===//
#include "Calibration/Table.h"
#include "Calibration/Histogram.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace qc::calib {

bool writeTable(const Table &table, const std::string &path, std::string &error) {
  std::ofstream out(path);
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  out << "# quantc calibration table 1\n"
      << "# model: " << table.model << "\n"
      << "# method: " << table.method;
  if (table.method == "percentile")
    out << " " << table.percentile;
  out << "; int8 symmetric: scale = amax / " << kInt8Levels << ", zero point 0\n"
      << "# data: " << table.samples << " samples in " << table.batches << " batches\n"
      << "# tensor\tamax\tscale\tzero_point\tmax\tcount\tbins\tbin_width\n";
  char line[512];
  for (const TableEntry &e : table.entries) {
    std::snprintf(line, sizeof line, "\t%.9g\t%.9g\t0\t%.9g\t%lld\t%lld\t%.9g\n", e.amax,
                  e.amax / kInt8Levels, e.max, static_cast<long long>(e.count),
                  static_cast<long long>(e.bins), e.binWidth);
    out << e.tensor << line;
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
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream fields(line);
    TableEntry e;
    if (!std::getline(fields, e.tensor, '\t') || e.tensor.empty() || !(fields >> e.amax) ||
        !(e.amax >= 0)) {
      error = path + ":" + std::to_string(number) +
              ": expected 'tensor<TAB>amax ...' with amax >= 0";
      return false;
    }
    // The rest only documents how amax was found; an edited line may drop it.
    double scale;
    int zeroPoint;
    fields >> scale >> zeroPoint >> e.max >> e.count >> e.bins >> e.binWidth;
    table.entries.push_back(std::move(e));
  }
  return true;
}

} // namespace qc::calib

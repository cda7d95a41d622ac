//===- Table.h - the calibration table file -----------------------*- C++ -*-===//
//
// A readable, editable text file: comment lines start with '#', then one
// line per tensor with tab-separated fields
//   tensor  amax  scale  zero_point  max  count  bins  bin_width
// (int8 symmetric: scale = amax / 127, zero point 0). Later runs read amax
// by tensor name; the other fields document how it was found.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_CALIBRATION_TABLE_H
#define QUANTC_CALIBRATION_TABLE_H

#include <cstdint>
#include <string>
#include <vector>

namespace qc::calib {

struct TableEntry {
  std::string tensor;
  double amax = 0, max = 0, binWidth = 0;
  int64_t count = 0, bins = 0;
};

struct Table {
  std::string model, method;
  double percentile = 0;
  int64_t samples = 0, batches = 0;
  std::vector<TableEntry> entries;
};

// Returns false and sets `error` on failure.
bool writeTable(const Table &table, const std::string &path, std::string &error);
bool readTable(const std::string &path, Table &table, std::string &error);

} // namespace qc::calib

#endif

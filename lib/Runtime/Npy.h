//===- Npy.h - reading and writing NumPy .npy files -------------*- C++ -*-===//
//
// Version 1.0-3.0 .npy files, C order, little-endian numeric dtypes. Bad
// files produce an error message, never undefined behaviour.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_NPY_H
#define QUANTC_RUNTIME_NPY_H

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace qc::npy {

struct Array {
  std::string dtype;          // NumPy descr, normalized: "<f4", "|u1", "|b1", ...
  std::vector<int64_t> shape; // empty for a 0-d array
  std::vector<char> data;     // C-order element bytes

  int64_t numElements() const;
};

// Bytes per element of a normalized descr, 0 if unsupported.
size_t elementSize(const std::string &dtype);

// NumPy descr <-> quantc_model.h dtype codes (ONNX's); "" / 0 if none.
std::string dtypeForCode(int32_t code);
int32_t codeForDtype(const std::string &dtype);

// Returns false and sets `error` on failure.
bool read(const std::string &path, Array &out, std::string &error);
bool write(const std::string &path, const Array &array, std::string &error);
// The contents of an .npy file already in memory; `path` names it in errors.
bool parse(const std::string &bytes, const std::string &path, Array &out, std::string &error);

// .npz archives as np.savez writes them (members NAME.npy, uncompressed).
bool readNpz(const std::string &path, std::vector<std::pair<std::string, Array>> &out,
             std::string &error);
bool writeNpz(const std::string &path, const std::vector<std::pair<std::string, Array>> &arrays,
              std::string &error);

} // namespace qc::npy

#endif // QUANTC_RUNTIME_NPY_H

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

// ONNX element types NumPy lacks (bfloat16, float8_e4m3fn, float8_e4m3fnuz,
// float8_e5m2, float8_e5m2fnuz, float4_e2m1fn, int4, uint4) have dtypes named
// as in the ml_dtypes package. Their .npy files hold the raw bits under the
// void descr of the element size ("|V2", "|V1"), which is what np.save
// writes for ml_dtypes arrays; read them back with
// np.load(path).view(ml_dtypes.bfloat16) and the like. The 4-bit types take
// one byte per element, the value in the low nibble (two's complement for
// int4) and the high nibble zero.
struct Array {
  std::string dtype;          // NumPy descr, normalized: "<f4", "|u1", "|b1", ...,
                              // or an ml_dtypes name; "|V2" / "|V1" as read
                              // from a file of raw bits
  std::vector<int64_t> shape; // empty for a 0-d array
  std::vector<char> data;     // C-order element bytes

  int64_t numElements() const;
};

// Bytes per element of a normalized descr, 0 if unsupported.
size_t elementSize(const std::string &dtype);

// Whether `dtype` is one of the ml_dtypes names above.
bool isRawBitsDtype(const std::string &dtype);
// 4-bit types, whose high nibble must be zero in memory.
bool isNibbleDtype(const std::string &dtype);
// The bits an element of a sub-byte dtype uses in its byte (0x0f for 4-bit,
// 0x03 for 2-bit types); 0xff for the others.
uint8_t subByteMask(const std::string &dtype);
// Whether a file's (normalized) dtype can feed a model input of `dtype`:
// the same, or the raw-bits descr of an ml_dtypes type's size.
bool acceptsDtype(const std::string &dtype, const std::string &fileDtype);

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

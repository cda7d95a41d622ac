//===- Npy.cpp - reading and writing NumPy .npy files ---------------------===//
#include "Runtime/Npy.h"

#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

namespace qc::npy {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

// Accepts "<f4", "=f4" (little-endian host), "|u1", "|b1", "<i8", ... and
// returns the normalized form; empty if unsupported.
std::string normalizeDescr(std::string descr) {
  if (descr.size() < 3)
    return "";
  char order = descr[0], kind = descr[1];
  std::string width = descr.substr(2);
  if (order == '=')
    order = '<';
  if (width == "1") {
    if (kind == 'b' || kind == 'i' || kind == 'u')
      return std::string("|") + kind + "1";
    return "";
  }
  if (order != '<')
    return ""; // big-endian data is not supported
  if ((kind == 'f' && (width == "2" || width == "4" || width == "8")) ||
      ((kind == 'i' || kind == 'u') && (width == "2" || width == "4" || width == "8")))
    return std::string("<") + kind + width;
  return "";
}

// Finds `'key': value` in the header dict and returns the raw value text.
bool findValue(const std::string &header, const std::string &key, std::string &value) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos)
    return false;
  size_t colon = header.find(':', k);
  if (colon == std::string::npos)
    return false;
  size_t start = colon + 1;
  while (start < header.size() && std::isspace(static_cast<unsigned char>(header[start])))
    ++start;
  if (start >= header.size())
    return false;
  size_t end;
  if (header[start] == '\'') {
    end = header.find('\'', start + 1);
    if (end == std::string::npos)
      return false;
    value = header.substr(start + 1, end - start - 1);
  } else if (header[start] == '(') {
    end = header.find(')', start);
    if (end == std::string::npos)
      return false;
    value = header.substr(start + 1, end - start - 1);
  } else {
    end = header.find_first_of(",}", start);
    if (end == std::string::npos)
      return false;
    value = header.substr(start, end - start);
  }
  return true;
}

} // namespace

static const struct {
  const char *descr;
  int32_t code;
} kDtypeCodes[] = {{"<f4", 1}, {"|u1", 2},  {"|i1", 3},  {"<u2", 4},  {"<i2", 5},
                   {"<i4", 6}, {"<i8", 7},  {"|b1", 9},  {"<f2", 10}, {"<f8", 11},
                   {"<u4", 12}, {"<u8", 13}};

std::string dtypeForCode(int32_t code) {
  for (const auto &entry : kDtypeCodes)
    if (entry.code == code)
      return entry.descr;
  return "";
}

int32_t codeForDtype(const std::string &dtype) {
  for (const auto &entry : kDtypeCodes)
    if (dtype == entry.descr)
      return entry.code;
  return 0;
}

int64_t Array::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

size_t elementSize(const std::string &dtype) {
  if (normalizeDescr(dtype) != dtype)
    return 0;
  return static_cast<size_t>(std::stoi(dtype.substr(2)));
}

bool read(const std::string &path, Array &out, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'";
    return false;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto fail = [&](const std::string &why) {
    error = "'" + path + "' is not a valid .npy file: " + why;
    return false;
  };
  if (bytes.size() < 10 || bytes.compare(0, 6, kMagic, 6) != 0)
    return fail("bad magic");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) |
                (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail("truncated header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    offset = 12;
  } else {
    return fail("unknown version " + std::to_string(major));
  }
  if (headerLen > bytes.size() - offset)
    return fail("truncated header");
  std::string header = bytes.substr(offset, headerLen);
  std::string descr, fortran, shapeText;
  if (!findValue(header, "descr", descr) || !findValue(header, "fortran_order", fortran) ||
      !findValue(header, "shape", shapeText))
    return fail("header lacks descr, fortran_order or shape");
  if (fortran.find("True") != std::string::npos)
    return fail("Fortran-order arrays are not supported");
  out.dtype = normalizeDescr(descr);
  if (out.dtype.empty())
    return fail("unsupported dtype '" + descr + "'");
  out.shape.clear();
  std::stringstream dims(shapeText);
  std::string dim;
  while (std::getline(dims, dim, ',')) {
    size_t first = dim.find_first_not_of(" \t");
    if (first == std::string::npos)
      continue;
    char *end = nullptr;
    long long value = std::strtoll(dim.c_str() + first, &end, 10);
    if (value < 0 || end == dim.c_str() + first)
      return fail("bad shape '" + shapeText + "'");
    out.shape.push_back(value);
  }
  size_t size = elementSize(out.dtype);
  int64_t count = 1;
  for (int64_t d : out.shape) {
    if (d != 0 && count > (int64_t(1) << 40) / d)
      return fail("shape too large");
    count *= d;
  }
  size_t dataBytes = static_cast<size_t>(count) * size;
  size_t dataOffset = offset + headerLen;
  if (bytes.size() - dataOffset != dataBytes)
    return fail("holds " + std::to_string(bytes.size() - dataOffset) + " data bytes, expected " +
                std::to_string(dataBytes));
  out.data.assign(bytes.begin() + dataOffset, bytes.end());
  return true;
}

bool write(const std::string &path, const Array &array, std::string &error) {
  std::string shape = "(";
  for (size_t i = 0; i < array.shape.size(); ++i)
    shape += std::to_string(array.shape[i]) + (array.shape.size() == 1 ? "," : (i + 1 < array.shape.size() ? ", " : ""));
  shape += ")";
  std::string header = "{'descr': '" + array.dtype + "', 'fortran_order': False, 'shape': " +
                       shape + ", }";
  // Pad so that the data starts at a multiple of 64 bytes, ending in '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  out.write(kMagic, 6);
  out.put(1);
  out.put(0);
  out.put(static_cast<char>(header.size() & 0xff));
  out.put(static_cast<char>(header.size() >> 8));
  out.write(header.data(), header.size());
  out.write(array.data.data(), array.data.size());
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}

} // namespace qc::npy

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
  if (kind == 'V') {
    // Raw bytes (ml_dtypes arrays): no byte order.
    if (width == "1" || width == "2")
      return "|V" + width;
    return "";
  }
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

// ml_dtypes names, their element sizes and ONNX codes.
const struct {
  const char *name;
  size_t size;
  int32_t code;
} kRawBitsDtypes[] = {{"bfloat16", 2, 16},      {"float8_e4m3fn", 1, 17},
                      {"float8_e4m3fnuz", 1, 18}, {"float8_e5m2", 1, 19},
                      {"float8_e5m2fnuz", 1, 20}, {"uint4", 1, 21},
                      {"int4", 1, 22},           {"float4_e2m1fn", 1, 23},
                      {"uint2", 1, 25},          {"int2", 1, 26}};

size_t rawBitsSize(const std::string &dtype) {
  for (const auto &entry : kRawBitsDtypes)
    if (dtype == entry.name)
      return entry.size;
  return 0;
}

// The descr an .npy file of `dtype` carries.
std::string fileDescr(const std::string &dtype) {
  if (size_t size = rawBitsSize(dtype))
    return "|V" + std::to_string(size);
  return dtype;
}

} // namespace

static const struct {
  const char *descr;
  int32_t code;
} kDtypeCodes[] = {{"<f4", 1}, {"|u1", 2},  {"|i1", 3},  {"<u2", 4},  {"<i2", 5},
                   {"<i4", 6}, {"<i8", 7},  {"|b1", 9},  {"<f2", 10}, {"<f8", 11},
                   {"<u4", 12}, {"<u8", 13}};

bool isRawBitsDtype(const std::string &dtype) { return rawBitsSize(dtype) != 0; }

bool isNibbleDtype(const std::string &dtype) {
  return dtype == "int4" || dtype == "uint4" || dtype == "float4_e2m1fn";
}

uint8_t subByteMask(const std::string &dtype) {
  if (isNibbleDtype(dtype))
    return 0x0f;
  if (dtype == "int2" || dtype == "uint2")
    return 0x03;
  return 0xff;
}

bool acceptsDtype(const std::string &dtype, const std::string &fileDtype) {
  return dtype == fileDtype || (isRawBitsDtype(dtype) && fileDescr(dtype) == fileDtype);
}

std::string dtypeForCode(int32_t code) {
  for (const auto &entry : kDtypeCodes)
    if (entry.code == code)
      return entry.descr;
  for (const auto &entry : kRawBitsDtypes)
    if (entry.code == code)
      return entry.name;
  return "";
}

int32_t codeForDtype(const std::string &dtype) {
  for (const auto &entry : kDtypeCodes)
    if (dtype == entry.descr)
      return entry.code;
  for (const auto &entry : kRawBitsDtypes)
    if (dtype == entry.name)
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
  if (size_t size = rawBitsSize(dtype))
    return size;
  if (normalizeDescr(dtype) != dtype)
    return 0;
  return static_cast<size_t>(std::stoi(dtype.substr(2)));
}

static bool readFile(const std::string &path, std::string &bytes, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'";
    return false;
  }
  bytes.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return true;
}

bool read(const std::string &path, Array &out, std::string &error) {
  std::string bytes;
  return readFile(path, bytes, error) && parse(bytes, path, out, error);
}

bool parse(const std::string &bytes, const std::string &path, Array &out, std::string &error) {
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

static std::string serialize(const Array &array);

bool write(const std::string &path, const Array &array, std::string &error) {
  std::string bytes = serialize(array);
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), bytes.size());
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}

static std::string serialize(const Array &array) {
  std::string shape = "(";
  for (size_t i = 0; i < array.shape.size(); ++i)
    shape += std::to_string(array.shape[i]) + (array.shape.size() == 1 ? "," : (i + 1 < array.shape.size() ? ", " : ""));
  shape += ")";
  std::string header = "{'descr': '" + fileDescr(array.dtype) + "', 'fortran_order': False, 'shape': " +
                       shape + ", }";
  // Pad so that the data starts at a multiple of 64 bytes, ending in '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out(kMagic, 6);
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<char>(header.size() & 0xff));
  out.push_back(static_cast<char>(header.size() >> 8));
  out += header;
  out.append(array.data.data(), array.data.size());
  return out;
}

//===----------------------------------------------------------------------===//
// .npz: a zip archive of NAME.npy members, stored uncompressed (np.savez).
//===----------------------------------------------------------------------===//

namespace {

uint32_t crc32(const std::string &data) {
  static uint32_t table[256] = {};
  if (table[1] == 0)
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data)
    crc = table[(crc ^ byte) & 0xff] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

uint64_t le(const std::string &b, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}

void putLE(std::string &b, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    b.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

} // namespace

bool readNpz(const std::string &path, std::vector<std::pair<std::string, Array>> &out,
             std::string &error) {
  std::string bytes;
  if (!readFile(path, bytes, error))
    return false;
  auto fail = [&](const std::string &why) {
    error = "'" + path + "' is not a valid .npz file: " + why;
    return false;
  };
  // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
  if (bytes.size() < 22)
    return fail("too short");
  size_t eocd = std::string::npos;
  for (size_t at = bytes.size() - 22;; --at) {
    if (le(bytes, at, 4) == 0x06054b50) {
      eocd = at;
      break;
    }
    if (at == 0 || bytes.size() - at > 65536 + 22)
      break;
  }
  if (eocd == std::string::npos)
    return fail("no zip end record");
  uint64_t entries = le(bytes, eocd + 10, 2), dirOffset = le(bytes, eocd + 16, 4);
  size_t at = dirOffset;
  for (uint64_t e = 0; e < entries; ++e) {
    if (at + 46 > bytes.size() || le(bytes, at, 4) != 0x02014b50)
      return fail("bad central directory");
    uint64_t method = le(bytes, at + 10, 2);
    uint64_t compressed = le(bytes, at + 20, 4), size = le(bytes, at + 24, 4);
    uint64_t nameLen = le(bytes, at + 28, 2), extraLen = le(bytes, at + 30, 2);
    uint64_t commentLen = le(bytes, at + 32, 2), local = le(bytes, at + 42, 4);
    if (at + 46 + nameLen + extraLen > bytes.size())
      return fail("bad central directory");
    std::string name = bytes.substr(at + 46, nameLen);
    // ZIP64 extra field: the 0xFFFFFFFF fields follow in order.
    for (size_t x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen;) {
      uint64_t id = le(bytes, x, 2), len = le(bytes, x + 2, 2);
      if (id == 1) {
        size_t field = x + 4;
        if (size == 0xFFFFFFFF && field + 8 <= x + 4 + len)
          size = le(bytes, field, 8), field += 8;
        if (compressed == 0xFFFFFFFF && field + 8 <= x + 4 + len)
          compressed = le(bytes, field, 8), field += 8;
        if (local == 0xFFFFFFFF && field + 8 <= x + 4 + len)
          local = le(bytes, field, 8);
      }
      x += 4 + len;
    }
    at += 46 + nameLen + extraLen + commentLen;
    if (method != 0)
      return fail("member '" + name + "' is compressed; write it with np.savez, not "
                  "np.savez_compressed");
    if (local + 30 > bytes.size() || le(bytes, local, 4) != 0x04034b50)
      return fail("bad local header of '" + name + "'");
    size_t data = local + 30 + le(bytes, local + 26, 2) + le(bytes, local + 28, 2);
    if (data + size > bytes.size() || compressed != size)
      return fail("member '" + name + "' lies outside the file");
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0)
      return fail("member '" + name + "' is not an .npy file");
    Array array;
    if (!parse(bytes.substr(data, size), path + ":" + name, array, error))
      return false;
    out.emplace_back(name.substr(0, name.size() - 4), std::move(array));
  }
  return true;
}

bool writeNpz(const std::string &path, const std::vector<std::pair<std::string, Array>> &arrays,
              std::string &error) {
  std::string zip, directory;
  for (const auto &[name, array] : arrays) {
    std::string member = name + ".npy", data = serialize(array);
    uint32_t crc = crc32(data);
    uint64_t offset = zip.size();
    if (data.size() >= 0xFFFFFFFFu || offset >= 0xFFFFFFFFu) {
      error = "'" + path + "': arrays of 4 GiB and more are not supported in .npz";
      return false;
    }
    auto header = [&](std::string &b, bool central) {
      putLE(b, central ? 0x02014b50 : 0x04034b50, 4);
      if (central)
        putLE(b, 20, 2); // version made by
      putLE(b, 20, 2);   // version needed
      putLE(b, 0, 2);    // flags
      putLE(b, 0, 2);    // stored
      putLE(b, 0, 4);    // time and date
      putLE(b, crc, 4);
      putLE(b, data.size(), 4);
      putLE(b, data.size(), 4);
      putLE(b, member.size(), 2);
      putLE(b, 0, 2); // extra
      if (central) {
        putLE(b, 0, 2); // comment
        putLE(b, 0, 2); // disk
        putLE(b, 0, 2); // internal attributes
        putLE(b, 0, 4); // external attributes
        putLE(b, offset, 4);
      }
      b += member;
    };
    header(zip, false);
    zip += data;
    header(directory, true);
  }
  uint64_t dirOffset = zip.size();
  zip += directory;
  putLE(zip, 0x06054b50, 4);
  putLE(zip, 0, 4);
  putLE(zip, arrays.size(), 2);
  putLE(zip, arrays.size(), 2);
  putLE(zip, directory.size(), 4);
  putLE(zip, dirOffset, 4);
  putLE(zip, 0, 2);
  std::ofstream file(path, std::ios::binary);
  file.write(zip.data(), zip.size());
  if (!file) {
    error = "cannot write '" + path + "'";
    return false;
  }
  return true;
}

} // namespace qc::npy

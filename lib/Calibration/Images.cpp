//===- Images.cpp - images as calibration samples -------------------------===//
#include "Calibration/Images.h"

#include <jpeglib.h>
#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <sstream>

namespace qc::calib {
namespace {

struct Image {
  int64_t height = 0, width = 0, channels = 0; // 1 (gray) or 3 (RGB)
  std::vector<uint8_t> pixels;                 // height x width x channels
};

bool endsWith(std::string s, const std::string &suffix) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool readPng(const std::string &path, bool gray, Image &image, std::string &error) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&png, path.c_str())) {
    error = path + ": " + png.message;
    return false;
  }
  png.format = gray ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  image.height = png.height;
  image.width = png.width;
  image.channels = gray ? 1 : 3;
  image.pixels.resize(PNG_IMAGE_SIZE(png));
  // Transparent pixels are composed over black.
  if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr)) {
    error = path + ": " + png.message;
    png_image_free(&png);
    return false;
  }
  return true;
}

struct JpegErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpegErrorExit(j_common_ptr info) {
  auto *manager = reinterpret_cast<JpegErrorManager *>(info->err);
  (*info->err->format_message)(info, manager->message);
  std::longjmp(manager->jump, 1);
}

bool readJpeg(const std::string &path, bool gray, Image &image, std::string &error) {
  FILE *file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = "cannot read '" + path + "'";
    return false;
  }
  jpeg_decompress_struct info;
  JpegErrorManager manager;
  info.err = jpeg_std_error(&manager.base);
  manager.base.error_exit = jpegErrorExit;
  if (setjmp(manager.jump)) {
    error = path + ": " + manager.message;
    jpeg_destroy_decompress(&info);
    std::fclose(file);
    return false;
  }
  jpeg_create_decompress(&info);
  jpeg_stdio_src(&info, file);
  jpeg_read_header(&info, TRUE);
  info.out_color_space = gray ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress(&info);
  image.height = info.output_height;
  image.width = info.output_width;
  image.channels = info.output_components;
  image.pixels.resize(image.height * image.width * image.channels);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = image.pixels.data() + info.output_scanline * image.width * image.channels;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  std::fclose(file);
  return true;
}

bool parseNumbers(const std::string &text, std::vector<double> &out) {
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    char *end = nullptr;
    double v = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0')
      return false;
    out.push_back(v);
  }
  return !out.empty();
}

// Bilinear sample of channel c at (y, x) in source pixel coordinates, with
// pixel centers at half-integers (as most image libraries resize).
float sample(const Image &image, double y, double x, int64_t c) {
  y = std::clamp(y - 0.5, 0.0, double(image.height - 1));
  x = std::clamp(x - 0.5, 0.0, double(image.width - 1));
  auto y0 = static_cast<int64_t>(y), x0 = static_cast<int64_t>(x);
  int64_t y1 = std::min(y0 + 1, image.height - 1), x1 = std::min(x0 + 1, image.width - 1);
  double fy = y - y0, fx = x - x0;
  auto at = [&](int64_t yy, int64_t xx) {
    return double(image.pixels[(yy * image.width + xx) * image.channels + c]);
  };
  double top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
  double bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
  return static_cast<float>(top * (1 - fy) + bottom * fy);
}

} // namespace

bool isImageFile(const std::string &path) {
  return endsWith(path, ".png") || endsWith(path, ".jpg") || endsWith(path, ".jpeg");
}

bool parsePreprocessing(const std::string &spec, Preprocessing &out, std::string &error) {
  std::stringstream in(spec);
  std::string item;
  while (std::getline(in, item, ';')) {
    if (item.empty())
      continue;
    size_t eq = item.find('=');
    std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
    std::vector<double> numbers;
    bool ok = true;
    if (key == "resize") {
      ok = parseNumbers(value, numbers) && numbers.size() == 1 && numbers[0] >= 1;
      if (ok)
        out.resize = static_cast<int64_t>(numbers[0]);
    } else if (key == "scale") {
      ok = parseNumbers(value, numbers) && numbers.size() == 1 && numbers[0] != 0;
      if (ok)
        out.scale = numbers[0];
    } else if (key == "mean") {
      ok = parseNumbers(value, out.mean);
    } else if (key == "std") {
      ok = parseNumbers(value, out.std) &&
           std::none_of(out.std.begin(), out.std.end(), [](double s) { return s == 0; });
    } else if (key == "layout") {
      ok = value == "nchw" || value == "nhwc";
      out.layout = value == "nchw" ? Preprocessing::Layout::NCHW : Preprocessing::Layout::NHWC;
    } else if (key == "color") {
      ok = value == "rgb" || value == "bgr" || value == "gray";
      out.color = value == "rgb"   ? Preprocessing::Color::RGB
                  : value == "bgr" ? Preprocessing::Color::BGR
                                   : Preprocessing::Color::Gray;
    } else {
      error = "unknown preprocessing key '" + key +
              "' (resize, scale, mean, std, layout, color)";
      return false;
    }
    if (!ok) {
      error = "bad preprocessing value '" + item + "'";
      return false;
    }
  }
  return true;
}

bool loadImageSample(const std::string &path, const Preprocessing &spec,
                     const std::vector<int64_t> &shape, float *out, std::string &error) {
  if (shape.size() != 4) {
    error = "images need a 4-D model input, not rank " + std::to_string(shape.size());
    return false;
  }
  bool nchw = spec.layout == Preprocessing::Layout::NCHW ||
              (spec.layout == Preprocessing::Layout::Auto && (shape[1] == 1 || shape[1] == 3));
  int64_t channels = nchw ? shape[1] : shape[3];
  int64_t height = nchw ? shape[2] : shape[1], width = nchw ? shape[3] : shape[2];
  auto color = spec.color;
  if (color == Preprocessing::Color::Auto)
    color = channels == 1 ? Preprocessing::Color::Gray : Preprocessing::Color::RGB;
  bool gray = color == Preprocessing::Color::Gray;
  if (channels != (gray ? 1 : 3)) {
    error = "the model input has " + std::to_string(channels) + " channels; color " +
            (gray ? "gray" : "rgb/bgr") + " gives " + (gray ? "1" : "3");
    return false;
  }
  for (const std::vector<double> *v : {&spec.mean, &spec.std})
    if (!v->empty() && v->size() != 1 && static_cast<int64_t>(v->size()) != channels) {
      error = "mean and std need 1 or " + std::to_string(channels) + " values";
      return false;
    }
  Image image;
  bool decoded = endsWith(path, ".png") ? readPng(path, gray, image, error)
                                        : readJpeg(path, gray, image, error);
  if (!decoded)
    return false;
  if (image.height <= 0 || image.width <= 0) {
    error = path + ": empty image";
    return false;
  }
  // The region of the source the output covers, in source pixels.
  double top = 0, left = 0, spanY = double(image.height), spanX = double(image.width);
  if (spec.resize > 0) {
    double factor = double(spec.resize) / double(std::min(image.height, image.width));
    spanY = height / factor;
    spanX = width / factor;
    top = (image.height - spanY) / 2;
    left = (image.width - spanX) / 2;
  }
  auto channelValue = [](const std::vector<double> &v, int64_t c, double fallback) {
    return v.empty() ? fallback : v[v.size() == 1 ? 0 : c];
  };
  for (int64_t c = 0; c < channels; ++c) {
    int64_t source = color == Preprocessing::Color::BGR ? 2 - c : c;
    double mean = channelValue(spec.mean, c, 0), std = channelValue(spec.std, c, 1);
    for (int64_t y = 0; y < height; ++y)
      for (int64_t x = 0; x < width; ++x) {
        double sy = top + (y + 0.5) * spanY / height, sx = left + (x + 0.5) * spanX / width;
        double v = (sample(image, sy, sx, source) / spec.scale - mean) / std;
        int64_t index = nchw ? (c * height + y) * width + x : (y * width + x) * channels + c;
        out[index] = static_cast<float>(v);
      }
  }
  return true;
}

} // namespace qc::calib

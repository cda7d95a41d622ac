//===- Images.h - images as calibration samples --------------------*- C++ -*-===//
//
// Decodes PNG and JPEG files and turns them into a model's float input by
// a preprocessing spec, written as `key=value` pairs separated by ';':
//
//   resize=N        scale the shorter side to N (bilinear), then crop the
//                   center to the model's height x width; without it the
//                   image is scaled straight to height x width
//   scale=S         divide pixel values (0..255) by S first (default 255)
//   mean=a,b,c      subtract per channel (default 0)
//   std=a,b,c       then divide per channel (default 1)
//   layout=nchw|nhwc  (default: nchw if dimension 1 is the channel count)
//   color=rgb|bgr|gray  (default: gray for one channel, else rgb)
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_CALIBRATION_IMAGES_H
#define QUANTC_CALIBRATION_IMAGES_H

#include <cstdint>
#include <string>
#include <vector>

namespace qc::calib {

struct Preprocessing {
  int64_t resize = 0; // shorter side; 0: straight to the model's size
  double scale = 255;
  std::vector<double> mean, std;
  enum class Layout { Auto, NCHW, NHWC } layout = Layout::Auto;
  enum class Color { Auto, RGB, BGR, Gray } color = Color::Auto;
};

bool parsePreprocessing(const std::string &spec, Preprocessing &out, std::string &error);

// True for the file names readImage takes.
bool isImageFile(const std::string &path);

// Decodes the image at `path` and writes it as one sample of a float input
// of `shape` ([N, C, H, W] or [N, H, W, C]; one of the N) to `out`.
bool loadImageSample(const std::string &path, const Preprocessing &spec,
                     const std::vector<int64_t> &shape, float *out, std::string &error);

} // namespace qc::calib

#endif

//===- CalibrationData.h - calibration batches from files ---------*- C++ -*-===//
//
// `quantc calibrate --data PATH` reads its samples from an .npz of the
// model's inputs, an .npy (models with one input), a directory of either,
// or a directory of PNG/JPEG images turned into the model's input by a
// preprocessing spec (Calibration/Images.h). Samples go along dimension 0
// and are cut into batches of the model's batch size; files are read one
// at a time, so memory does not grow with the amount of data.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_TOOLS_CALIBRATIONDATA_H
#define QUANTC_TOOLS_CALIBRATIONDATA_H

#include "Calibration/Images.h"
#include "Codegen/Signature.h"
#include "Runtime/Npy.h"

#include <memory>
#include <string>
#include <vector>

namespace qc {

class CalibrationData {
public:
  // Returns null and sets `error` if PATH holds no usable data.
  static std::unique_ptr<CalibrationData> open(const std::string &path, const Signature &signature,
                                               const std::string &preprocessing,
                                               std::string &error);

  // Points `inputs` at the next batch; false at the end or on an error
  // (then `error` is set).
  bool next(std::vector<void *> &inputs, std::string &error);

  int64_t batchSize() const { return batch_; }
  bool fromImages() const { return images_; }

private:
  bool loadFile(const std::string &file, std::string &error);

  Signature signature_;
  std::vector<std::string> files_;
  size_t nextFile_ = 0;
  bool images_ = false;
  calib::Preprocessing preprocessing_;
  int64_t batch_ = 1;
  // The arrays of the current .npz/.npy file, by input, and its batches.
  std::vector<npy::Array> arrays_;
  int64_t fileBatches_ = 0, nextBatch_ = 0;
  std::vector<float> imageBatch_;
};

} // namespace qc

#endif

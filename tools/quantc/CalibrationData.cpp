//===- CalibrationData.cpp - calibration batches from files ---------------===//
#include "CalibrationData.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"

namespace qc {

static bool isNpz(llvm::StringRef path) { return path.ends_with(".npz"); }
static bool isNpy(llvm::StringRef path) { return path.ends_with(".npy"); }

std::unique_ptr<CalibrationData> CalibrationData::open(const std::string &path,
                                                       const Signature &signature,
                                                       const std::string &preprocessing,
                                                       std::string &error) {
  auto data = std::unique_ptr<CalibrationData>(new CalibrationData());
  data->signature_ = signature;
  if (signature.inputs.empty()) {
    error = "the model has no inputs to calibrate with";
    return nullptr;
  }
  const TensorSpec &first = signature.inputs.front();
  data->batch_ = first.shape.empty() ? 1 : first.shape[0];
  if (!llvm::sys::fs::is_directory(path)) {
    data->files_.push_back(path);
  } else {
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec; it.increment(ec))
      if (isNpz(it->path()) || isNpy(it->path()) || calib::isImageFile(it->path()))
        data->files_.push_back(it->path());
    llvm::sort(data->files_);
  }
  if (data->files_.empty()) {
    error = "no .npz, .npy or image files in " + path;
    return nullptr;
  }
  auto kind = [](const std::string &f) { return isNpz(f) ? 0 : isNpy(f) ? 1 : 2; };
  if (llvm::any_of(data->files_, [&](const std::string &f) {
        return kind(f) != kind(data->files_.front());
      })) {
    error = path + " mixes .npz, .npy and image files";
    return nullptr;
  }
  data->images_ = calib::isImageFile(data->files_.front());
  if ((data->images_ || isNpy(data->files_.front())) && signature.inputs.size() != 1) {
    error = "the model has " + std::to_string(signature.inputs.size()) +
            " inputs: give them as arrays of an .npz";
    return nullptr;
  }
  if (data->images_) {
    if (first.dtype != "<f4") {
      error = "images need a float32 model input; '" + first.name + "' is " + first.dtype;
      return nullptr;
    }
    if (!calib::parsePreprocessing(preprocessing, data->preprocessing_, error))
      return nullptr;
    data->imageBatch_.resize(first.numElements());
  } else if (!preprocessing.empty()) {
    error = "--preprocess applies to images only";
    return nullptr;
  }
  return data;
}

bool CalibrationData::loadFile(const std::string &file, std::string &error) {
  arrays_.clear();
  std::vector<std::pair<std::string, npy::Array>> named;
  if (isNpz(file)) {
    if (!npy::readNpz(file, named, error))
      return false;
  } else {
    named.emplace_back(signature_.inputs.front().name, npy::Array());
    if (!npy::read(file, named.back().second, error))
      return false;
  }
  // Every input's array, checked against the signature.
  fileBatches_ = -1;
  for (const TensorSpec &spec : signature_.inputs) {
    auto it = llvm::find_if(named, [&](auto &entry) { return entry.first == spec.name; });
    if (it == named.end()) {
      error = file + " has no array for input '" + spec.name + "'";
      return false;
    }
    npy::Array &array = it->second;
    int64_t batch = spec.shape.empty() ? 1 : spec.shape[0];
    bool shapeOk = array.dtype == spec.dtype && array.shape.size() == spec.shape.size() &&
                   (spec.shape.empty() ||
                    (batch > 0 && array.shape[0] % batch == 0 &&
                     std::equal(spec.shape.begin() + 1, spec.shape.end(), array.shape.begin() + 1)));
    if (!shapeOk) {
      std::string want;
      for (int64_t d : spec.shape)
        want += (want.empty() ? "" : ",") + std::to_string(d);
      error = file + ": input '" + spec.name + "' must be " + spec.dtype + " of shape (k*" + want +
              ") with the model's other dimensions";
      return false;
    }
    int64_t count = spec.shape.empty() ? 1 : array.shape[0] / batch;
    if (fileBatches_ >= 0 && count != fileBatches_) {
      error = file + ": inputs hold different numbers of samples";
      return false;
    }
    fileBatches_ = count;
    arrays_.push_back(std::move(array));
  }
  nextBatch_ = 0;
  return true;
}

bool CalibrationData::next(std::vector<void *> &inputs, std::string &error) {
  error.clear();
  inputs.clear();
  if (images_) {
    // A last, partial batch of images is left out.
    if (nextFile_ + batch_ > files_.size())
      return false;
    const TensorSpec &spec = signature_.inputs.front();
    int64_t perSample = spec.numElements() / batch_;
    for (int64_t s = 0; s < batch_; ++s)
      if (!calib::loadImageSample(files_[nextFile_++], preprocessing_, spec.shape,
                                  imageBatch_.data() + s * perSample, error))
        return false;
    inputs.push_back(imageBatch_.data());
    return true;
  }
  while (nextBatch_ >= fileBatches_) {
    if (nextFile_ >= files_.size())
      return false;
    if (!loadFile(files_[nextFile_++], error))
      return false;
  }
  for (npy::Array &array : arrays_) {
    size_t batchBytes = array.data.size() / std::max<int64_t>(fileBatches_, 1);
    inputs.push_back(array.data.data() + nextBatch_ * batchBytes);
  }
  ++nextBatch_;
  return true;
}

} // namespace qc

//===- Windows.h - window geometry of conv and pooling ops -----*- C++ -*-===//
#ifndef QUANTC_PASSES_QCTOLINALG_WINDOWS_H
#define QUANTC_PASSES_QCTOLINALG_WINDOWS_H

#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

#include <optional>

namespace qc {

// One spatial dim of a windowed op.
struct Window {
  int64_t in, kernel, stride, dilation, padBegin, padEnd, out;
  int64_t extent() const { return (kernel - 1) * dilation + 1; }
  // Padded input length the windows actually read.
  int64_t readLength() const { return (out - 1) * stride + extent(); }
  // Padding after the input that the windows read (the input may also be
  // longer than what they read: then 0).
  int64_t readPadEnd() const { return std::max<int64_t>(0, readLength() - in - padBegin); }
};

// ONNX output sizes and pads of a windowed op (Conv, MaxPool, AveragePool).
mlir::FailureOr<llvm::SmallVector<Window>>
computeWindows(llvm::ArrayRef<int64_t> inSpatial, llvm::ArrayRef<int64_t> kernel,
               std::optional<llvm::ArrayRef<int64_t>> strides,
               std::optional<llvm::ArrayRef<int64_t>> dilations,
               std::optional<llvm::ArrayRef<int64_t>> pads, llvm::StringRef autoPad, bool ceilMode);

// Pads the spatial dims of an [N, C, spatial...] tensor with `padValue` so
// that every window reads inside it.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       llvm::ArrayRef<Window> windows, mlir::Value padValue);

llvm::SmallVector<int64_t> windowOut(llvm::ArrayRef<Window> windows);
llvm::SmallVector<int64_t> windowStrides(llvm::ArrayRef<Window> windows);
llvm::SmallVector<int64_t> windowDilations(llvm::ArrayRef<Window> windows);

} // namespace qc

#endif // QUANTC_PASSES_QCTOLINALG_WINDOWS_H

//===- ProfileTable.h - per-layer timings of a profiled model ----*- C++ -*-===//
//
// A model compiled with `quantc compile --profile` (pass qc-profile-layers)
// times each layer it runs and exports the totals as three globals, named
// with the model's symbol prefix P:
//
//   int64_t P_profile_count[1];        the number of layers N
//   int64_t P_profile_layers[N][4];    per layer: kind, multiply-adds per
//                                      run, total nanoseconds, calls
//   char    P_profile_names[];         N NUL-terminated layer names
//
// Layers are in program order; their names are the ONNX nodes they come
// from. No LLVM dependency: shared by the pass and the runtime.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_PROFILETABLE_H
#define QUANTC_RUNTIME_PROFILETABLE_H

#include <cstdint>

namespace qc {

enum class LayerKind : int64_t {
  Loops = 0,       // compiled loops (elementwise, pooling, data movement, ...)
  ConvInt8 = 1,    // the INT8 convolution microkernel
  ConvFloat = 2,   // the FP32 convolution microkernel
  MatmulFloat = 3, // the FP32 matmul microkernels
  Copy = 4,        // a buffer copy
  MatmulInt8 = 5,  // the INT8 matmul microkernel
};
constexpr int kLayerKinds = 6;

// The columns of P_profile_layers.
enum ProfileColumn { kKindColumn = 0, kMacsColumn = 1, kNanosColumn = 2, kCallsColumn = 3 };
constexpr int kProfileColumns = 4;

inline const char *layerKindName(int64_t kind) {
  switch (static_cast<LayerKind>(kind)) {
  case LayerKind::ConvInt8:
    return "conv int8";
  case LayerKind::ConvFloat:
    return "conv fp32";
  case LayerKind::MatmulFloat:
    return "matmul fp32";
  case LayerKind::Copy:
    return "copy";
  case LayerKind::MatmulInt8:
    return "matmul int8";
  case LayerKind::Loops:
    break;
  }
  return "loops";
}

// A profiled model's table, as found in the loaded model.
struct ProfileTable {
  int64_t count = 0;
  int64_t *layers = nullptr;
  const char *names = nullptr;
};

} // namespace qc

#endif // QUANTC_RUNTIME_PROFILETABLE_H

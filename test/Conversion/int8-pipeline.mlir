// RUN: %quantc-opt %s --quantc-int8-pipeline | FileCheck %s

// The whole INT8 pipeline as quantc runs it: Q/DQ folding, then the compile
// pipeline, down to the LLVM dialect. The convolution, its bias and its
// requantize are one call of the INT8 microkernel, with the filter's
// packing slot; no qc op is left.
// CHECK-DAG: llvm.mlir.global private @__qc_packed_weights
// CHECK-DAG: llvm.func @qc_uk_conv2d_i8(
// CHECK: llvm.func @main
// CHECK: llvm.call @qc_uk_conv2d_i8(
// CHECK-NOT: {{^ *(%.* = )?"?qc\.}}
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = qc.constant dense<0.05> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x2x4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xf32>
  %wi = qc.constant dense<3> : tensor<2x2x3x3xi8>
  %ws = qc.constant dense<[0.01, 0.02]> : tensor<2xf32>
  %wz = qc.constant dense<0> : tensor<2xi8>
  %w = qc.dequantize_linear %wi, %ws, %wz {axis = 0 : i64, qtype = !quant.uniform<i8:f32:0, {0.01, 0.02}>} : (tensor<2x2x3x3xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x2x3x3xf32>
  %n = qc.none
  %c = qc.conv %dq, %w, %n {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>, none) -> tensor<1x2x4x4xf32>
  %r = qc.relu %c : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %os = qc.constant dense<0.1> : tensor<f32>
  %q2 = qc.quantize_linear %r, %os, %z {qtype = !quant.uniform<i8:f32, 0.1>} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
  %dq2 = qc.dequantize_linear %q2, %os, %z {qtype = !quant.uniform<i8:f32, 0.1>} : (tensor<1x2x4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xf32>
  return %dq2 : tensor<1x2x4x4xf32>
}

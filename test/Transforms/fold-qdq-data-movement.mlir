// RUN: %quantc-opt %s --split-input-file --qc-fold-qdq | FileCheck %s

// MaxPool, Transpose and Reshape between DQ and Q of one quantization run
// on the int8 values.
// CHECK-LABEL: func.func @maxpool_transpose_reshape
// CHECK: %[[Q:.*]] = qc.quantize_linear %arg0
// CHECK: %[[P:.*]], %{{.*}} = qc.max_pool %[[Q]] {{.*}} : (tensor<1x2x4x4xi8>) -> (tensor<1x2x2x2xi8>, none)
// CHECK: %[[T:.*]] = qc.transpose %[[P]] {{.*}} -> tensor<1x2x2x2xi8>
// CHECK: %[[R:.*]] = qc.reshape %[[T]], %{{.*}} -> tensor<1x8xi8>
// CHECK: qc.dequantize_linear %[[R]]
func.func @maxpool_transpose_reshape(%x: tensor<1x2x4x4xf32>) -> tensor<1x8xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x2x4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xf32>
  %p, %i = qc.max_pool %dq {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, none)
  %q1 = qc.quantize_linear %p, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x2x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x2x2xi8>
  %d1 = qc.dequantize_linear %q1, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x2x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x2x2xf32>
  %t = qc.transpose %d1 {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %q2 = qc.quantize_linear %t, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x2x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x2x2xi8>
  %d2 = qc.dequantize_linear %q2, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x2x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x2x2xf32>
  %shape = qc.constant dense<[1, 8]> : tensor<2xi64>
  %r = qc.reshape %d2, %shape : (tensor<1x2x2x2xf32>, tensor<2xi64>) -> tensor<1x8xf32>
  %q3 = qc.quantize_linear %r, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x8xf32>, tensor<f32>, tensor<i8>) -> tensor<1x8xi8>
  %d3 = qc.dequantize_linear %q3, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x8xi8>, tensor<f32>, tensor<i8>) -> tensor<1x8xf32>
  return %d3 : tensor<1x8xf32>
}

// -----

// Concat of inputs with one quantization, and a zero Pad that pads uint8
// values with their zero point (128 stands for 0.0).
// CHECK-LABEL: func.func @concat_pad
// CHECK-DAG: %[[ZP:.*]] = qc.constant dense<128> : tensor<ui8>
// CHECK: %[[C:.*]] = qc.concat {{.*}} -> tensor<1x4xui8>
// CHECK: qc.pad %[[C]], %{{.*}}, %[[ZP]], %{{.*}} : (tensor<1x4xui8>, tensor<4xi64>, tensor<ui8>, none) -> tensor<1x6xui8>
func.func @concat_pad(%a: tensor<1x2xf32>, %b: tensor<1x2xf32>) -> tensor<1x6xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %z = qc.constant dense<128> : tensor<ui8>
  %qa = qc.quantize_linear %a, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2xui8>
  %da = qc.dequantize_linear %qa, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2xf32>
  %qb = qc.quantize_linear %b, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2xui8>
  %db = qc.dequantize_linear %qb, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2xf32>
  %c = qc.concat %da, %db {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %q1 = qc.quantize_linear %c, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4xui8>
  %d1 = qc.dequantize_linear %q1, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4xf32>
  %pads = qc.constant dense<[0, 1, 0, 1]> : tensor<4xi64>
  %n = qc.none
  %p = qc.pad %d1, %pads, %n, %n : (tensor<1x4xf32>, tensor<4xi64>, none, none) -> tensor<1x6xf32>
  %q2 = qc.quantize_linear %p, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x6xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x6xui8>
  %d2 = qc.dequantize_linear %q2, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x6xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x6xf32>
  return %d2 : tensor<1x6xf32>
}

// -----

// Negative case: a scale mismatch across the MaxPool (0.5 in, 0.25 out)
// needs a requantize, so nothing folds and the Q/DQ say why.
// CHECK-LABEL: func.func @scale_mismatch
// CHECK: qc.dequantize_linear {{.*}}qc.unfolded = "'max_pool' keeps the scale, but its output is not requantized to the same quantization"
// CHECK: qc.max_pool {{.*}}tensor<1x1x2x2xf32>
func.func @scale_mismatch(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %s2 = qc.constant dense<0.25> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  %p, %i = qc.max_pool %dq {kernel_shape = array<i64: 2, 2>} : (tensor<1x1x2x2xf32>) -> (tensor<1x1x1x1xf32>, none)
  %q1 = qc.quantize_linear %p, %s2, %z {qtype = !quant.uniform<i8:f32, 0.25>} : (tensor<1x1x1x1xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x1x1xi8>
  %d1 = qc.dequantize_linear %q1, %s2, %z {qtype = !quant.uniform<i8:f32, 0.25>} : (tensor<1x1x1x1xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x1x1xf32>
  return %d1 : tensor<1x1x1x1xf32>
}

// -----

// A Concat whose inputs are quantized differently (as other quantizers
// leave them): the input at another scale is requantized to the output's
// (0.25 / 0.5 = 2^30 at 2^-31, zero point 4 -> 0), the other joins as it is.
// CHECK-LABEL: func.func @concat_requantize
// CHECK: %[[QA:.*]] = qc.quantize_linear %arg0
// CHECK: %[[QB:.*]] = qc.quantize_linear %arg1
// CHECK: %[[RB:.*]] = qc.requantize %[[QB]] {clamp_max = 127 : i64, clamp_min = -128 : i64, input_zero_point = 4 : i64, multiplier = array<i64: 1073741824>, shift = array<i64: 31>}
// CHECK: qc.concat %[[QA]], %[[RB]] {axis = 1 : i64} : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x4xi8>
func.func @concat_requantize(%a: tensor<1x2xf32>, %b: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %sb = qc.constant dense<0.25> : tensor<f32>
  %zb = qc.constant dense<4> : tensor<i8>
  %qa = qc.quantize_linear %a, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2xi8>
  %da = qc.dequantize_linear %qa, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2xf32>
  %qb = qc.quantize_linear %b, %sb, %zb {qtype = !quant.uniform<i8:f32, 0.25:4>} : (tensor<1x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2xi8>
  %db = qc.dequantize_linear %qb, %sb, %zb {qtype = !quant.uniform<i8:f32, 0.25:4>} : (tensor<1x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2xf32>
  %c = qc.concat %da, %db {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %q = qc.quantize_linear %c, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x4xi8>
  %d = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<1x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x4xf32>
  return %d : tensor<1x4xf32>
}

// RUN: %quantc-opt %s --split-input-file --qc-fuse-integer-conv | FileCheck %s

// conv_integer + int32 bias + requantize (per-filter multipliers, a Relu
// clamp): one qck.qconv2d whose params rows are bias, multiplier, shift,
// filter zero point and residual multiplier (none: zeros).
// CHECK-LABEL: func.func @bias_requantize
// CHECK: %[[P:.*]] = arith.constant dense<{{\[\[}}100, -200], [1374389535, 1374389535], [38, 37], [0, 0], [0, 0]]> : tensor<5x2xi32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x2x4x4xi8>
// CHECK: qck.qconv2d ins(%arg0, %{{.*}}, %[[P]] : tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<5x2xi32>) outs(%[[E]] : tensor<1x2x4x4xi8>) {clamp_max = 127 : i64, clamp_min = 0 : i64, dilations = array<i64: 1, 1>, input_max = 127 : i64, input_min = -128 : i64, input_zero_point = 0 : i64, output_zero_point = 0 : i64, pads = array<i64: 1, 1, 1, 1>, residual_zero_point = 0 : i64, rounding = "half_to_even", strides = array<i64: 1, 1>}
// CHECK-NOT: qc.conv_integer
// CHECK-NOT: qc.requantize
func.func @bias_requantize(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x4x4xi8> {
  %w = qc.constant dense<3> : tensor<2x2x3x3xi8>
  %z = qc.constant dense<0> : tensor<i8>
  %wz = qc.constant dense<0> : tensor<2xi8>
  %acc = qc.conv_integer %x, %w, %z, %wz {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<i8>, tensor<2xi8>) -> tensor<1x2x4x4xi32>
  %b = qc.constant dense<[[[100]], [[-200]]]> : tensor<2x1x1xi32>
  %sum = qc.add %acc, %b : (tensor<1x2x4x4xi32>, tensor<2x1x1xi32>) -> tensor<1x2x4x4xi32>
  %y = qc.requantize %sum {clamp_max = 127 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1374389535, 1374389535>, shift = array<i64: 38, 37>} : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
  return %y : tensor<1x2x4x4xi8>
}

// -----

// uint8 input and filter with zero points (the filter's per filter), a
// stride, no bias, and a residual with its multipliers and zero points.
// CHECK-LABEL: func.func @uint8_residual
// CHECK: %[[P:.*]] = arith.constant dense<{{\[\[}}0, 0], [1000, 2000], [20, 20], [128, 130], [300, 400]]> : tensor<5x2xi32>
// CHECK: qck.qconv2d ins(%arg0, %{{.*}}, %[[P]], residual %arg1 : tensor<1x3x8x8xui8>, tensor<2x3x1x1xui8>, tensor<5x2xi32>, tensor<1x2x4x4xui8>) outs(%{{.*}} : tensor<1x2x4x4xui8>) {clamp_max = 255 : i64, clamp_min = 0 : i64, dilations = array<i64: 1, 1>, input_max = 255 : i64, input_min = 0 : i64, input_zero_point = 120 : i64, output_zero_point = 5 : i64, pads = array<i64: 0, 0, 0, 0>, residual_zero_point = 7 : i64, rounding = "half_away_from_zero", strides = array<i64: 2, 2>}
func.func @uint8_residual(%x: tensor<1x3x8x8xui8>, %r: tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xui8> {
  %w = qc.constant dense<200> : tensor<2x3x1x1xui8>
  %z = qc.constant dense<120> : tensor<ui8>
  %wz = qc.constant dense<[128, 130]> : tensor<2xui8>
  %acc = qc.conv_integer %x, %w, %z, %wz {strides = array<i64: 2, 2>} : (tensor<1x3x8x8xui8>, tensor<2x3x1x1xui8>, tensor<ui8>, tensor<2xui8>) -> tensor<1x2x4x4xi32>
  %y = qc.requantize %acc, %r {clamp_max = 255 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1000, 2000>, shift = array<i64: 20, 20>, residual_multiplier = array<i64: 300, 400>, residual_zero_point = 7 : i64, output_zero_point = 5 : i64, rounding = "half_away_from_zero"} : (tensor<1x2x4x4xi32>, tensor<1x2x4x4xui8>) -> tensor<1x2x4x4xui8>
  return %y : tensor<1x2x4x4xui8>
}

// -----

// The input's known range: the clamp of the requantize that made it (a
// Relu: 0..127), carried through a max pool; the second convolution's
// input is the first's output, clamped to -20..90.
// CHECK-LABEL: func.func @input_range
// CHECK: %[[FIRST:.*]] = qck.qconv2d ins(%{{.*}}) outs(%{{.*}}) {{{.*}}input_max = 127 : i64, input_min = 0 : i64,
// CHECK: qck.qconv2d ins(%[[FIRST]], {{.*}}) {{{.*}}input_max = 90 : i64, input_min = -20 : i64,
func.func @input_range(%acc: tensor<1x2x8x8xi32>) -> tensor<1x2x4x4xi8> {
  %r = qc.requantize %acc {clamp_max = 127 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1000>, shift = array<i64: 20>} : (tensor<1x2x8x8xi32>) -> tensor<1x2x8x8xi8>
  %p, %i = qc.max_pool %r {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x8x8xi8>) -> (tensor<1x2x4x4xi8>, none)
  %w = qc.constant dense<3> : tensor<2x2x3x3xi8>
  %z = qc.constant dense<0> : tensor<i8>
  %c1 = qc.conv_integer %p, %w, %z, %z {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<i8>, tensor<i8>) -> tensor<1x2x4x4xi32>
  %y1 = qc.requantize %c1 {clamp_max = 90 : i64, clamp_min = -20 : i64, multiplier = array<i64: 1000>, shift = array<i64: 20>} : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
  %c2 = qc.conv_integer %y1, %w, %z, %z {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<i8>, tensor<i8>) -> tensor<1x2x4x4xi32>
  %y2 = qc.requantize %c2 {clamp_max = 127 : i64, clamp_min = -128 : i64, multiplier = array<i64: 1000>, shift = array<i64: 20>} : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
  return %y2 : tensor<1x2x4x4xi8>
}

// -----

// A run-time filter stays a conv_integer (the kernel packs constant
// weights). Sums with a second user, and sums whose requantize has an
// input zero point, take the kernel's int32 mode (acc + bias as they are,
// requantize rows unused) and keep their own requantize.
// CHECK-LABEL: func.func @not_fused
// CHECK: %[[RUNTIME:.*]] = qc.conv_integer %arg0, %arg1
// CHECK: qc.requantize %[[RUNTIME]]
// CHECK: %[[SUMS:.*]] = qck.qconv2d ins(%arg0, %{{.*}}, %{{.*}} : tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<5x2xi32>) outs(%{{.*}} : tensor<1x2x4x4xi32>)
// CHECK: qc.requantize %[[SUMS]]
// CHECK: %[[SUMS3:.*]] = qck.qconv2d {{.*}} -> tensor<1x2x4x4xi32>
// CHECK: qc.requantize %[[SUMS3]] {{.*}}input_zero_point = 3
// CHECK: return {{.*}}, %[[SUMS]],
func.func @not_fused(%x: tensor<1x2x4x4xi8>, %w: tensor<2x2x3x3xi8>) -> (tensor<1x2x4x4xi8>, tensor<1x2x4x4xi8>, tensor<1x2x4x4xi32>, tensor<1x2x4x4xi8>) {
  %z = qc.constant dense<0> : tensor<i8>
  %acc = qc.conv_integer %x, %w, %z, %z {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<i8>, tensor<i8>) -> tensor<1x2x4x4xi32>
  %y = qc.requantize %acc {clamp_max = 127 : i64, clamp_min = -128 : i64, multiplier = array<i64: 1000>, shift = array<i64: 20>} : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
  %wc = qc.constant dense<1> : tensor<2x2x3x3xi8>
  %acc2 = qc.conv_integer %x, %wc, %z, %z {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<i8>, tensor<i8>) -> tensor<1x2x4x4xi32>
  %y2 = qc.requantize %acc2 {clamp_max = 127 : i64, clamp_min = -128 : i64, multiplier = array<i64: 1000>, shift = array<i64: 20>} : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
  %acc3 = qc.conv_integer %x, %wc, %z, %z {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<i8>, tensor<i8>) -> tensor<1x2x4x4xi32>
  %y3 = qc.requantize %acc3 {clamp_max = 127 : i64, clamp_min = -128 : i64, multiplier = array<i64: 1000>, shift = array<i64: 20>, input_zero_point = 3 : i64} : (tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
  return %y, %y2, %acc2, %y3 : tensor<1x2x4x4xi8>, tensor<1x2x4x4xi8>, tensor<1x2x4x4xi32>, tensor<1x2x4x4xi8>
}

// -----

// A convolution whose result stays float (a dequantize of its sums plus
// bias): the int32 mode with the bias in its row; the dequantize reads the
// kernel's sums.
// CHECK-LABEL: func.func @float_output
// CHECK: %[[P:.*]] = arith.constant dense<{{\[\[}}7, -7], [0, 0], [1, 1], [0, 0], [0, 0]]> : tensor<5x2xi32>
// CHECK: %[[S:.*]] = qck.qconv2d ins(%arg0, %{{.*}}, %[[P]] : {{.*}}) outs(%{{.*}} : tensor<1x2x4x4xi32>)
// CHECK: qc.dequantize_linear %[[S]]
// CHECK-NOT: qc.conv_integer
func.func @float_output(%x: tensor<1x2x4x4xi8>) -> tensor<1x2x4x4xf32> {
  %w = qc.constant dense<3> : tensor<2x2x3x3xi8>
  %z = qc.constant dense<0> : tensor<i8>
  %acc = qc.conv_integer %x, %w, %z, %z {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<i8>, tensor<i8>) -> tensor<1x2x4x4xi32>
  %b = qc.constant dense<[[[7]], [[-7]]]> : tensor<2x1x1xi32>
  %sum = qc.add %acc, %b : (tensor<1x2x4x4xi32>, tensor<2x1x1xi32>) -> tensor<1x2x4x4xi32>
  %s = qc.constant dense<0.01> : tensor<f32>
  %zi = qc.constant dense<0> : tensor<i32>
  %y = qc.dequantize_linear %sum, %s, %zi {qtype = !quant.uniform<i32:f32, 0.01>} : (tensor<1x2x4x4xi32>, tensor<f32>, tensor<i32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

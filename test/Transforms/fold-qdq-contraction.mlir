// RUN: %quantc-opt %s --split-input-file --qc-fold-qdq | FileCheck %s

// DQ -> Conv(+ int32 bias) -> Relu -> Q: an integer convolution on the
// int8 values, the bias added in i32 along the channels, one requantize
// with per-channel fixed-point multipliers (s_x * s_w[c] / s_y =
// 0.05 * {0.01, 0.02} / 0.1 = {0.005, 0.01}) whose clamp starts at the
// zero point (the Relu). The Q of the input stays as the boundary; the
// output's DQ reads the requantize.
// CHECK-LABEL: func.func @conv_bias_relu
// CHECK-DAG: %[[BIAS:.*]] = qc.constant dense<{{\[\[\[}}100]], {{\[\[}}-200]]]> : tensor<2x1x1xi32>
// CHECK: %[[XQ:.*]] = qc.quantize_linear %arg0, {{.*}}qc.boundary
// CHECK: %[[ACC:.*]] = qc.conv_integer %[[XQ]], %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xi8>, tensor<2x2x3x3xi8>, tensor<i8>, tensor<2xi8>) -> tensor<1x2x4x4xi32>
// CHECK: %[[SUM:.*]] = qc.add %[[ACC]], %[[BIAS]]
// CHECK: %[[Y:.*]] = qc.requantize %[[SUM]] {clamp_max = 127 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1374389535, 1374389535>, shift = array<i64: 38, 37>}
// CHECK: qc.dequantize_linear %[[Y]], {{.*}}qc.boundary
// CHECK-NOT: qc.conv {{.*}}f32
// CHECK-NOT: qc.relu
func.func @conv_bias_relu(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = qc.constant dense<0.05> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x2x4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xf32>
  %wi = qc.constant dense<3> : tensor<2x2x3x3xi8>
  %ws = qc.constant dense<[0.01, 0.02]> : tensor<2xf32>
  %wz = qc.constant dense<0> : tensor<2xi8>
  %w = qc.dequantize_linear %wi, %ws, %wz {axis = 0 : i64, qtype = !quant.uniform<i8:f32:0, {0.01, 0.02}>} : (tensor<2x2x3x3xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x2x3x3xf32>
  %bi = qc.constant dense<[100, -200]> : tensor<2xi32>
  %bs = qc.constant dense<[0.0005, 0.001]> : tensor<2xf32>
  %bz = qc.constant dense<0> : tensor<2xi32>
  %b = qc.dequantize_linear %bi, %bs, %bz {axis = 0 : i64, qtype = !quant.uniform<i32:f32:0, {0.0005, 0.001}>} : (tensor<2xi32>, tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  %c = qc.conv %dq, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = qc.relu %c : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %os = qc.constant dense<0.1> : tensor<f32>
  %q2 = qc.quantize_linear %r, %os, %z {qtype = !quant.uniform<i8:f32, 0.1>} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
  %dq2 = qc.dequantize_linear %q2, %os, %z {qtype = !quant.uniform<i8:f32, 0.1>} : (tensor<1x2x4x4xi8>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xf32>
  return %dq2 : tensor<1x2x4x4xf32>
}

// -----

// A bias whose int32 scale is not s_x * s_w[c] is re-rounded to it
// (0.0005 vs 0.05 * 0.02 = 0.001: 100 * 0.0005 / 0.001 = 50); a float
// bias is rounded half to even at that scale (0.0025 / 0.001 = 2.5 -> 2).
// A residual Add of another quantized tensor and a Clip(0, 6) join the
// requantize: the residual term at 0.2 / 0.1 and the clamp at
// [zp, 6 / 0.1 + zp] = [-10, 50]. Both terms share one shift: 0.01 and 2
// are 5368709 and 2^30 at 2^-29.
// CHECK-LABEL: func.func @conv_residual_clip
// CHECK-DAG: %[[BIAS:.*]] = qc.constant dense<50> : tensor<1x1x1xi32>
// CHECK: %[[RQ:.*]] = qc.quantize_linear %arg1
// CHECK: %[[ACC:.*]] = qc.add %{{.*}}, %[[BIAS]]
// CHECK: qc.requantize %[[ACC]], %[[RQ]] {clamp_max = 50 : i64, clamp_min = -10 : i64, multiplier = array<i64: 5368709>, output_zero_point = -10 : i64, residual_multiplier = array<i64: 1073741824>, residual_zero_point = 3 : i64, shift = array<i64: 29>}
// CHECK-NOT: qc.clip
func.func @conv_residual_clip(%x: tensor<1x1x2x2xf32>, %res: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %s = qc.constant dense<0.05> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  %wi = qc.constant dense<7> : tensor<1x1x1x1xi8>
  %ws = qc.constant dense<0.02> : tensor<f32>
  %w = qc.dequantize_linear %wi, %ws, %z {qtype = !quant.uniform<i8:f32, 0.02>} : (tensor<1x1x1x1xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x1x1xf32>
  %bi = qc.constant dense<100> : tensor<1xi32>
  %bs = qc.constant dense<0.0005> : tensor<f32>
  %bz = qc.constant dense<0> : tensor<i32>
  %b = qc.dequantize_linear %bi, %bs, %bz {qtype = !quant.uniform<i32:f32, 0.0005>} : (tensor<1xi32>, tensor<f32>, tensor<i32>) -> tensor<1xf32>
  %c = qc.conv %dq, %w, %b : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %rs = qc.constant dense<0.2> : tensor<f32>
  %rz = qc.constant dense<3> : tensor<i8>
  %rq = qc.quantize_linear %res, %rs, %rz {qtype = !quant.uniform<i8:f32, 0.2:3>} : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xi8>
  %rdq = qc.dequantize_linear %rq, %rs, %rz {qtype = !quant.uniform<i8:f32, 0.2:3>} : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  %a = qc.add %c, %rdq : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %lo = qc.constant dense<0.0> : tensor<f32>
  %hi = qc.constant dense<6.0> : tensor<f32>
  %cl = qc.clip %a, %lo, %hi : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x1x2x2xf32>
  %os = qc.constant dense<0.1> : tensor<f32>
  %oz = qc.constant dense<-10> : tensor<i8>
  %q2 = qc.quantize_linear %cl, %os, %oz {qtype = !quant.uniform<i8:f32, 0.1:-10>} : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xi8>
  %dq2 = qc.dequantize_linear %q2, %os, %oz {qtype = !quant.uniform<i8:f32, 0.1:-10>} : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  return %dq2 : tensor<1x1x2x2xf32>
}

// -----

// Gemm (transB) with a float bias, output requantized: B's constant int8
// values are transposed to [K, N] at compile time for the integer matmul,
// per-column scales.
// CHECK-LABEL: func.func @gemm_trans_b
// CHECK-DAG: %[[BIAS:.*]] = qc.constant dense<[10, 20, -30]> : tensor<3xi32>
// CHECK-DAG: %[[BT:.*]] = qc.constant dense<{{\[\[}}1, 5, 9], [2, 6, 10], [3, 7, 11], [4, 8, 12]]> : tensor<4x3xi8>
// CHECK-NOT: qc.transpose
// CHECK: %[[ACC:.*]] = qc.matmul_integer %{{.*}}, %[[BT]], %{{.*}}, %{{.*}} : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>, tensor<3xi8>) -> tensor<2x3xi32>
// CHECK: %[[SUM:.*]] = qc.add %[[ACC]], %[[BIAS]]
// CHECK: qc.requantize %[[SUM]] {{.*}}output_zero_point = 128 : i64
// CHECK-SAME: -> tensor<2x3xui8>
func.func @gemm_trans_b(%a: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %z = qc.constant dense<128> : tensor<ui8>
  %q = qc.quantize_linear %a, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<2x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x4xui8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x4xf32>
  %bi = qc.constant dense<[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]> : tensor<3x4xi8>
  %bs = qc.constant dense<[0.1, 0.2, 0.4]> : tensor<3xf32>
  %bz = qc.constant dense<0> : tensor<3xi8>
  %b = qc.dequantize_linear %bi, %bs, %bz {axis = 0 : i64, qtype = !quant.uniform<i8:f32:0, {0.1, 0.2, 0.4}>} : (tensor<3x4xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<3x4xf32>
  %c = qc.constant dense<[0.5, 2.0, -6.0]> : tensor<3xf32>
  %g = qc.gemm %dq, %b, %c {transB = 1 : i64} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %os = qc.constant dense<0.25> : tensor<f32>
  %q2 = qc.quantize_linear %g, %os, %z {qtype = !quant.uniform<u8:f32, 0.25:128>} : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  %dq2 = qc.dequantize_linear %q2, %os, %z {qtype = !quant.uniform<u8:f32, 0.25:128>} : (tensor<2x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xf32>
  return %dq2 : tensor<2x3xf32>
}

// -----

// A MatMul of two activations (attention scores) whose result stays float:
// the i32 accumulator is dequantized once at s_a * s_b (a DequantizeLinear
// marked as the kernel's epilogue); the float Add after it stays.
// CHECK-LABEL: func.func @matmul_float_output
// CHECK: %[[ACC:.*]] = qc.matmul_integer {{.*}} -> tensor<2x2xi32>
// CHECK: qc.dequantize_linear %[[ACC]], {{.*}}qc.epilogue, qtype = !quant.uniform<i32:f32, 1.250000e-01>
// CHECK: qc.add
func.func @matmul_float_output(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %s2 = qc.constant dense<0.25> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %qa = qc.quantize_linear %a, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  %da = qc.dequantize_linear %qa, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<2x3xi8>, tensor<f32>, tensor<i8>) -> tensor<2x3xf32>
  %qb = qc.quantize_linear %b, %s2, %z {qtype = !quant.uniform<i8:f32, 0.25>} : (tensor<3x2xf32>, tensor<f32>, tensor<i8>) -> tensor<3x2xi8>
  %db = qc.dequantize_linear %qb, %s2, %z {qtype = !quant.uniform<i8:f32, 0.25>} : (tensor<3x2xi8>, tensor<f32>, tensor<i8>) -> tensor<3x2xf32>
  %m = qc.matmul %da, %db : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %bias = qc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %y = qc.add %m, %bias : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Negative case: a run-time float weight (no DequantizeLinear) leaves the
// Conv in float, and its Q/DQ say why.
// CHECK-LABEL: func.func @conv_runtime_weight
// CHECK: qc.dequantize_linear {{.*}}qc.unfolded = "'conv' has no int8 kernel here
// CHECK: qc.conv {{.*}} -> tensor<1x1x2x2xf32>
// CHECK: qc.quantize_linear {{.*}}qc.unfolded = "producer 'conv' has no int8 form
// CHECK-NOT: qc.requantize
func.func @conv_runtime_weight(%x: tensor<1x1x2x2xf32>, %w: tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32> {
  %s = qc.constant dense<0.05> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  %n = qc.none
  %c = qc.conv %dq, %w, %n : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>, none) -> tensor<1x1x2x2xf32>
  %q2 = qc.quantize_linear %c, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xi8>
  %dq2 = qc.dequantize_linear %q2, %s, %z {qtype = !quant.uniform<i8:f32, 0.05>} : (tensor<1x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x2x2xf32>
  return %dq2 : tensor<1x1x2x2xf32>
}

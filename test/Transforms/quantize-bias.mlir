// RUN: %quantc-opt %s --split-input-file --qc-place-qdq --qc-quantize-bias | FileCheck %s

// Conv: input scale 0.5, filter scales 2/127 and 0.5/127 per channel, so
// the bias [1.0, -0.3] is stored at 0.5 * s_w[c] as int32:
// 1.0 / (0.5 * 0.0157480314) = 127, -0.3 / (0.5 * 0.00393700786) = -152.4 -> -152.
// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[BQ:.*]] = qc.constant dense<[127, -152]> : tensor<2xi32>
// CHECK-DAG: %[[BS:.*]] = qc.constant dense<[0.00787401571, 0.00196850393]> : tensor<2xf32>
// CHECK-DAG: %[[BZ:.*]] = qc.constant dense<0> : tensor<2xi32>
// CHECK: %[[B:.*]] = qc.dequantize_linear %[[BQ]], %[[BS]], %[[BZ]] {axis = 0 : i64, qtype = !quant.uniform<i32:f32:0, {0.0078740157186985015,0.0019685039296746254}>}
// CHECK: qc.conv %{{.*}}, %{{.*}}, %[[B]]
// CHECK-NOT: tensor<2xf32> = qc.constant dense<[1.000000e+00
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.5>}} {
func.func @conv(%x: tensor<1x2x4x4xf32> {qc.name = "x"}) -> tensor<1x2x4x4xf32> {
  %w = qc.constant dense<[[[[1.0]], [[-2.0]]], [[[0.5]], [[0.25]]]]> : tensor<2x2x1x1xf32>
  %b = qc.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %c = qc.conv %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %c : tensor<1x2x4x4xf32>
}
}

// -----

// Gemm (transB, filter rows 0.5 and 1.0 -> scales 0.5/127, 1/127) with
// input scale 0.1: bias 0.25 -> 0.25 / (0.1 * 0.5 / 127) = 635.
// A Gemm with beta != 1, one with a float input and a bias that would not
// fit int32 all keep their float bias.
// CHECK-LABEL: func.func @gemm
// CHECK: %[[HUGE:.*]] = qc.constant dense<[1.000000e+10, 0.000000e+00]> : tensor<2xf32>
// CHECK: qc.constant dense<[635, 0]> : tensor<2xi32>
// CHECK: %[[B:.*]] = qc.dequantize_linear {{.*}} {axis = 0 : i64, qtype = !quant.uniform<i32:f32:0, {{.*}}>} : (tensor<2xi32>, tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
// CHECK: qc.gemm %{{.*}}, %{{.*}}, %[[B]] {transB = 1 : i64}
// CHECK: qc.gemm %{{.*}}, %{{.*}}, %[[F:.*]] {beta = 2.000000e+00 : f32, transB = 1 : i64}
// CHECK: qc.gemm %arg1, %{{.*}}, %[[F]] {transB = 1 : i64}
// CHECK: qc.gemm %{{.*}}, %{{.*}}, %[[HUGE]] {transB = 1 : i64}
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.1>, tiny = !quant.uniform<i8:f32, 1.0e-30>}} {
func.func @gemm(%x: tensor<1x4xf32> {qc.name = "x"}, %f: tensor<1x4xf32> {qc.name = "f"}, %t: tensor<1x4xf32> {qc.name = "tiny"}) -> (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = qc.constant dense<[[0.5, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]> : tensor<2x4xf32>
  %b = qc.constant dense<[0.25, 0.0]> : tensor<2xf32>
  %huge = qc.constant dense<[1.0e10, 0.0]> : tensor<2xf32>
  %g = qc.gemm %x, %w, %b {transB = 1 : i64} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %g2 = qc.gemm %x, %w, %b {transB = 1 : i64, beta = 2.0 : f32} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %g3 = qc.gemm %f, %w, %b {transB = 1 : i64} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %g4 = qc.gemm %t, %w, %huge {transB = 1 : i64} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %g, %g2, %g3, %g4 : tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>
}
}

// -----

// A dead channel (BatchNormalization folded into weights of 1e-9, bias
// 0.5): at the weight's own scale (1e-9 / 127) the bias would be 1.3e11,
// over int32. The channel's weight scale is raised to
// |b| / (s_x * 2^30) = 0.5 / (0.5 * 2^30) = 9.31e-10 (its weights round to
// 1), and the bias fits: 0.5 / (0.5 * 9.31e-10) = 2^30. The live channel
// keeps its scale (1/127) and bias 127.
// CHECK-LABEL: func.func @dead_channel
// CHECK-DAG: %[[WQ:.*]] = qc.constant dense<{{\[\[\[\[}}127]]], {{\[\[\[}}1]]]]> : tensor<2x1x1x1xi8>
// CHECK-DAG: %[[W:.*]] = qc.dequantize_linear %[[WQ]], {{.*}}qtype = !quant.uniform<i8<-127:127>:f32:0, {0.0078740157186985015,9.3132257461547852E-10}>
// CHECK-DAG: %[[BQ:.*]] = qc.constant dense<[127, 1073741824]> : tensor<2xi32>
// CHECK: qc.conv %{{.*}}, %[[W]], %{{.*}}
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.5>}} {
func.func @dead_channel(%x: tensor<1x1x4x4xf32> {qc.name = "x"}) -> tensor<1x2x4x4xf32> {
  %w = qc.constant dense<[[[[1.0]]], [[[1.0e-9]]]]> : tensor<2x1x1x1xf32>
  %b = qc.constant dense<[0.5, 0.5]> : tensor<2xf32>
  %c = qc.conv %x, %w, %b : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %c : tensor<1x2x4x4xf32>
}
}

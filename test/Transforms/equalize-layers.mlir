// RUN: %quantc-opt %s --split-input-file --qc-equalize-layers | FileCheck %s

// Conv -> Relu -> Conv: output channel 0 of the first has range 4, input
// channel 0 of the second 1: s = sqrt(4 / 1) = 2, both become 2. Channel
// 1: ranges 1 and 4, s = 1/2. The first bias is scaled with its channel.
// CHECK-LABEL: func.func @conv_relu_conv
// CHECK-DAG: %[[W1:.*]] = qc.constant dense<2.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B1:.*]] = qc.constant dense<[5.000000e-01, 4.000000e+00]> : tensor<2xf32>
// CHECK: %[[C1:.*]] = qc.conv %arg0, %[[W1]], %[[B1]] {qc.equalized}
// CHECK: %[[R:.*]] = qc.relu %[[C1]]
// CHECK: %[[W2:.*]] = qc.constant dense<2.000000e+00> : tensor<1x2x1x1xf32>
// CHECK: qc.conv %[[R]], %[[W2]], %{{.*}} {qc.equalized}
func.func @conv_relu_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %none = qc.none
  %w1 = qc.constant dense<[[[[4.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>
  %b1 = qc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %w2 = qc.constant dense<[[[[1.0]], [[4.0]]]]> : tensor<1x2x1x1xf32>
  %c1 = qc.conv %x, %w1, %b1 : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = qc.relu %c1 : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c2 = qc.conv %r, %w2, %none : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>, none) -> tensor<1x1x4x4xf32>
  return %c2 : tensor<1x1x4x4xf32>
}

// -----

// Into a depthwise Conv (group = channels): input channel c is its filter c.
// CHECK-LABEL: func.func @conv_depthwise
// CHECK-DAG: qc.constant dense<{{\[\[\[\[}}2.000000e+00]]], {{\[\[\[}}3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: qc.constant dense<{{\[\[\[\[}}2.000000e+00, 2.000000e+00]]], {{\[\[\[}}3.000000e+00, 3.000000e+00]]]]> : tensor<2x1x1x2xf32>
func.func @conv_depthwise(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x3xf32> {
  %none = qc.none
  %w1 = qc.constant dense<[[[[4.0]]], [[[9.0]]]]> : tensor<2x1x1x1xf32>
  %w2 = qc.constant dense<[[[[1.0, 1.0]]], [[[1.0, 1.0]]]]> : tensor<2x1x1x2xf32>
  %c1 = qc.conv %x, %w1, %none : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %c2 = qc.conv %c1, %w2, %none {group = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<2x1x1x2xf32>, none) -> tensor<1x2x4x3xf32>
  return %c2 : tensor<1x2x4x3xf32>
}

// -----

// Clip (ReLU6) is not scale-equivariant, and a second reader of the first
// output would see the scaled channels: neither pair changes.
// CHECK-LABEL: func.func @not_equalized
// CHECK-NOT: qc.equalized
func.func @not_equalized(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x2x4x4xf32>) {
  %none = qc.none
  %lo = qc.constant dense<0.0> : tensor<f32>
  %hi = qc.constant dense<6.0> : tensor<f32>
  %w1 = qc.constant dense<[[[[4.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>
  %w2 = qc.constant dense<[[[[1.0]], [[4.0]]]]> : tensor<1x2x1x1xf32>
  %w3 = qc.constant dense<[[[[4.0]]], [[[1.0]]]]> : tensor<2x1x1x1xf32>
  %w4 = qc.constant dense<[[[[1.0]], [[4.0]]]]> : tensor<1x2x1x1xf32>
  %c1 = qc.conv %x, %w1, %none : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %k = qc.clip %c1, %lo, %hi : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %c2 = qc.conv %k, %w2, %none : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>, none) -> tensor<1x1x4x4xf32>
  %c3 = qc.conv %x, %w3, %none : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %c4 = qc.conv %c3, %w4, %none : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>, none) -> tensor<1x1x4x4xf32>
  return %c2, %c4, %c3 : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x2x4x4xf32>
}

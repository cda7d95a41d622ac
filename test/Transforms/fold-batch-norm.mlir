// RUN: %quantc-opt %s --split-input-file --qc-fold-batch-norm --mlir-print-debuginfo | FileCheck %s

// k = scale / sqrt(var + eps) = {2 / 2, 3 / 1} = {1, 3};
// W' = W * k[m], b' = (b - mean) * k + beta = {(1 - 1) * 1 + 0.5, (2 - 4) * 3 + 1}.
// The new Conv is named by both nodes, Conv first, keeps the
// BatchNormalization's output name and is marked.
// CHECK-LABEL: func.func @conv_bn
// CHECK-DAG: %[[W:.*]] = qc.constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}6.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = qc.constant dense<[5.000000e-01, -5.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = qc.conv %arg0, %[[W]], %[[B]] {qc.folded_batch_norm} : {{.*}} loc(#[[BN:loc[0-9]+]])
// CHECK-NOT: qc.batch_normalization
// CHECK: return %[[Y]]
// CHECK: #[[BN]] = loc(fused<["bn_out"]>[#{{loc[0-9]*}}, #{{loc[0-9]*}}])
func.func @conv_bn(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = qc.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %b = qc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %c = qc.conv %x, %w, %b : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32> loc(fused<["conv_out"]>["conv_node"])
  %s = qc.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %beta = qc.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %mean = qc.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %var = qc.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %y, %rm, %rv = qc.batch_normalization %c, %s, %beta, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x2x2xf32>, none, none) loc(fused<["bn_out"]>["bn_node"])
  return %y : tensor<1x2x2x2xf32>
}

// -----

// A Conv whose result has another user keeps its BatchNormalization.
// CHECK-LABEL: func.func @conv_used_twice
// CHECK: qc.batch_normalization
func.func @conv_used_twice(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = qc.constant dense<1.0> : tensor<1x1x1x1xf32>
  %n = qc.none
  %c = qc.conv %x, %w, %n : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>, none) -> tensor<1x1x2x2xf32>
  %s = qc.constant dense<2.0> : tensor<1xf32>
  %y, %rm, %rv = qc.batch_normalization %c, %s, %s, %s, %s : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> (tensor<1x1x2x2xf32>, none, none)
  return %y, %c : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

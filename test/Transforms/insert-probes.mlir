// RUN: %quantc-opt %s --qc-insert-probes | FileCheck %s

// Every quantized operand gets its own probe, per use: the Conv's input
// and constant filter, both inputs of the Add of two activations, both of
// the MatMul of activations. The output of each layer with a constant
// weight is probed too (its bias correction), and its users read the
// probe. x feeds the Conv and the Add: two probes. Constants, the Add of a
// constant (a bias) and integer tensors are not probed. conv2 reads conv's
// result directly (a Conv -> Conv pair once BatchNormalization is folded):
// its input is still probed as conv_out, after conv's output probe.
// Activation probes come first, then each layer's weight and output.
// CHECK: module attributes {qc.probes = [
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "conv", op = "qc.conv", tensor = "x"},
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "add", op = "qc.add", tensor = "bias_out"},
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "add", op = "qc.add", tensor = "x"},
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "mm", op = "qc.matmul", tensor = "add_out"},
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "mm", op = "qc.matmul", tensor = "add_out"},
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "conv2", op = "qc.conv", tensor = "conv_out"},
// CHECK-SAME: {axis = 0 : i64, kind = "weight", layer = "conv", op = "qc.conv", tensor = ""},
// CHECK-SAME: {axis = 1 : i64, kind = "output", layer = "conv", op = "qc.conv", tensor = "conv_out"},
// CHECK-SAME: {axis = 0 : i64, kind = "weight", layer = "conv2", op = "qc.conv", tensor = ""},
// CHECK-SAME: {axis = 1 : i64, kind = "output", layer = "conv2", op = "qc.conv", tensor = "conv2_out"}]}
// CHECK-LABEL: func.func @main
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<1x3x8x8xf32>
// CHECK: %[[P0:.*]] = qck.probe ins(%arg0 : tensor<1x3x8x8xf32>) outs(%[[E0]] : tensor<1x3x8x8xf32>) {id = 0 : i64}
// CHECK: %[[W:.*]] = qck.probe ins(%{{.*}} : tensor<3x3x1x1xf32>) {{.*}} {id = 6 : i64}
// CHECK: %[[C:.*]] = qc.conv %[[P0]], %[[W]], %{{.*}}
// CHECK: %[[OUT:.*]] = qck.probe ins(%[[C]] : tensor<1x3x8x8xf32>) {{.*}} {id = 7 : i64}
// CHECK: %[[B:.*]] = qc.add %[[OUT]], %{{.*}} : (tensor<1x3x8x8xf32>, tensor<1x1x1x1xf32>)
// CHECK: %[[P1:.*]] = qck.probe ins(%[[B]] : {{.*}} {id = 1 : i64}
// CHECK: %[[P2:.*]] = qck.probe ins(%arg0 : {{.*}} {id = 2 : i64}
// CHECK: %[[A:.*]] = qc.add %[[P1]], %[[P2]]
// CHECK: %[[P3:.*]] = qck.probe ins(%[[A]] : {{.*}} {id = 3 : i64}
// CHECK: %[[P4:.*]] = qck.probe ins(%[[A]] : {{.*}} {id = 4 : i64}
// CHECK: qc.matmul %[[P3]], %[[P4]]
// CHECK: %[[P5:.*]] = qck.probe ins(%[[OUT]] : {{.*}} {id = 5 : i64}
// CHECK: %[[W2:.*]] = qck.probe ins(%{{.*}} : tensor<3x3x1x1xf32>) {{.*}} {id = 8 : i64}
// CHECK: %[[C2:.*]] = qc.conv %[[P5]], %[[W2]], %{{.*}}
// CHECK: %[[OUT2:.*]] = qck.probe ins(%[[C2]] : {{.*}} {id = 9 : i64}
// CHECK-NOT: qck.probe
// CHECK: return %{{.*}}, %{{.*}}, %[[OUT2]]
func.func @main(%x: tensor<1x3x8x8xf32> {qc.name = "x"}, %i: tensor<4xi64>) -> (tensor<1x3x8x8xf32>, tensor<4xi64>, tensor<1x3x8x8xf32>) {
  %none = qc.none
  %w = qc.constant dense<1.0> : tensor<3x3x1x1xf32>
  %k = qc.constant dense<0.5> : tensor<1x1x1x1xf32>
  %c = qc.conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<3x3x1x1xf32>, none) -> tensor<1x3x8x8xf32> loc(fused<["conv_out"]>["conv"])
  %b = qc.add %c, %k : (tensor<1x3x8x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x3x8x8xf32> loc(fused<["bias_out"]>["bias"])
  %a = qc.add %b, %x : (tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> loc(fused<["add_out"]>["add"])
  %m = qc.matmul %a, %a : (tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> loc(fused<["mm_out"]>["mm"])
  %ii = qc.add %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %c2 = qc.conv %c, %w, %none : (tensor<1x3x8x8xf32>, tensor<3x3x1x1xf32>, none) -> tensor<1x3x8x8xf32> loc(fused<["conv2_out"]>["conv2"])
  return %m, %ii, %c2 : tensor<1x3x8x8xf32>, tensor<4xi64>, tensor<1x3x8x8xf32>
}

// RUN: %quantc-opt %s --qc-insert-probes | FileCheck %s

// Every quantized operand gets its own probe, per use: the Conv's input
// and constant filter, both inputs of the Add of two activations, both of
// the MatMul of activations. The output of each layer with a constant
// weight is probed too (its bias correction), and its users read the
// probe. x feeds the Conv and the Add: two probes. Constants, the Add of a
// constant (a bias) and integer tensors are not probed.
// CHECK: module attributes {qc.probes = [
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "conv", op = "qc.conv", tensor = "x"},
// CHECK-SAME: {axis = 0 : i64, kind = "weight", layer = "conv", op = "qc.conv", tensor = ""},
// CHECK-SAME: {axis = 1 : i64, kind = "output", layer = "conv", op = "qc.conv", tensor = "conv_out"},
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "add", op = "qc.add", tensor = "bias_out"},
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "add", op = "qc.add", tensor = "x"},
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "mm", op = "qc.matmul", tensor = "add_out"},
// CHECK-SAME: {axis = -1 : i64, kind = "activation", layer = "mm", op = "qc.matmul", tensor = "add_out"}]}
// CHECK-LABEL: func.func @main
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<1x3x8x8xf32>
// CHECK: %[[P0:.*]] = qck.probe ins(%arg0 : tensor<1x3x8x8xf32>) outs(%[[E0]] : tensor<1x3x8x8xf32>) {id = 0 : i64}
// CHECK: %[[P1:.*]] = qck.probe ins(%{{.*}} : tensor<3x3x1x1xf32>) {{.*}} {id = 1 : i64}
// CHECK: %[[C:.*]] = qc.conv %[[P0]], %[[P1]], %{{.*}}
// CHECK: %[[P2:.*]] = qck.probe ins(%[[C]] : tensor<1x3x8x8xf32>) {{.*}} {id = 2 : i64}
// CHECK: %[[B:.*]] = qc.add %[[P2]], %{{.*}} : (tensor<1x3x8x8xf32>, tensor<1x1x1x1xf32>)
// CHECK: %[[P3:.*]] = qck.probe ins(%[[B]] : {{.*}} {id = 3 : i64}
// CHECK: %[[P4:.*]] = qck.probe ins(%arg0 : {{.*}} {id = 4 : i64}
// CHECK: %[[A:.*]] = qc.add %[[P3]], %[[P4]]
// CHECK: %[[P5:.*]] = qck.probe ins(%[[A]] : {{.*}} {id = 5 : i64}
// CHECK: %[[P6:.*]] = qck.probe ins(%[[A]] : {{.*}} {id = 6 : i64}
// CHECK: qc.matmul %[[P5]], %[[P6]]
// CHECK-NOT: qck.probe
// CHECK: return
func.func @main(%x: tensor<1x3x8x8xf32> {qc.name = "x"}, %i: tensor<4xi64>) -> (tensor<1x3x8x8xf32>, tensor<4xi64>) {
  %none = qc.none
  %w = qc.constant dense<1.0> : tensor<3x3x1x1xf32>
  %k = qc.constant dense<0.5> : tensor<1x1x1x1xf32>
  %c = qc.conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<3x3x1x1xf32>, none) -> tensor<1x3x8x8xf32> loc(fused<["conv_out"]>["conv"])
  %b = qc.add %c, %k : (tensor<1x3x8x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x3x8x8xf32> loc(fused<["bias_out"]>["bias"])
  %a = qc.add %b, %x : (tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> loc(fused<["add_out"]>["add"])
  %m = qc.matmul %a, %a : (tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> loc(fused<["mm_out"]>["mm"])
  %ii = qc.add %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %m, %ii : tensor<1x3x8x8xf32>, tensor<4xi64>
}

// RUN: %quantc-opt %s --qc-insert-observers | FileCheck %s

// Observed once each, right after their definition, numbered in the order
// of the ops that use them: the input of Conv, both inputs of Add and of
// MatMul; not constants, not other element types.
// CHECK: module attributes {qc.observed = ["relu_out", "tensor_1", "x", "tensor_3"]}
// CHECK-LABEL: func.func @main
// CHECK-NEXT: qck.observe %arg0 {id = 2 : i64} : tensor<1x3x8x8xf32>
// CHECK: %[[R:.*]] = qc.relu
// CHECK-NEXT: qck.observe %[[R]] {id = 0 : i64}
// CHECK: %[[C:.*]] = qc.conv %[[R]]
// CHECK-NEXT: qck.observe %[[C]] {id = 1 : i64}
// CHECK: %[[A:.*]] = qc.add %[[C]], %arg0
// CHECK-NEXT: qck.observe %[[A]] {id = 3 : i64}
// CHECK-NOT: qck.observe
// CHECK: return
func.func @main(%x: tensor<1x3x8x8xf32> {qc.name = "x"}, %i: tensor<4xi64>) -> (tensor<1x3x8x8xf32>, tensor<4xi64>) {
  %none = qc.none
  %w = qc.constant dense<1.0> : tensor<3x3x1x1xf32>
  %r = qc.relu %x : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> loc(fused<["relu_out"]>["relu"])
  %c = qc.conv %r, %w, %none : (tensor<1x3x8x8xf32>, tensor<3x3x1x1xf32>, none) -> tensor<1x3x8x8xf32>
  %a = qc.add %c, %x : (tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32>
  %w2 = qc.constant dense<1.0> : tensor<8x8xf32>
  %m = qc.matmul %a, %w2 : (tensor<1x3x8x8xf32>, tensor<8x8xf32>) -> tensor<1x3x8x8xf32>
  %ii = qc.add %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %m, %ii : tensor<1x3x8x8xf32>, tensor<4xi64>
}

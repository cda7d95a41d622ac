// RUN: %quantc-opt %s --qc-fuse-elementwise | FileCheck %s

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>

// An elementwise chain fuses into one generic; the requantize-like producer
// of a matmul's A stays its own loop: fused, it would run once per output
// column (the consumer reads it through (m, n, k) -> (m, k)).
// CHECK-LABEL: func.func @chain_and_matmul
// CHECK: %[[SCALED:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: arith.trunci
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} ins(%[[SCALED]], %arg1
// CHECK-NOT: arith.muli %{{.*}}, %c3
// CHECK: return
func.func @chain_and_matmul(%x: tensor<2x4xi32>, %w: tensor<4x3xi8>) -> tensor<2x3xi32> {
  %c3 = arith.constant 3 : i32
  %c1 = arith.constant 1 : i32
  %e0 = tensor.empty() : tensor<2x4xi32>
  %mul = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x4xi32>) outs(%e0 : tensor<2x4xi32>) {
  ^bb0(%in: i32, %out: i32):
    %m = arith.muli %in, %c3 : i32
    linalg.yield %m : i32
  } -> tensor<2x4xi32>
  %e1 = tensor.empty() : tensor<2x4xi8>
  %narrow = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mul : tensor<2x4xi32>) outs(%e1 : tensor<2x4xi8>) {
  ^bb0(%in: i32, %out: i8):
    %s = arith.addi %in, %c1 : i32
    %t = arith.trunci %s : i32 to i8
    linalg.yield %t : i8
  } -> tensor<2x4xi8>
  %zero = arith.constant 0 : i32
  %e2 = tensor.empty() : tensor<2x3xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e2 : tensor<2x3xi32>) -> tensor<2x3xi32>
  %acc = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%narrow, %w : tensor<2x4xi8>, tensor<4x3xi8>) outs(%init : tensor<2x3xi32>) {
  ^bb0(%in: i8, %in_0: i8, %out: i32):
    %0 = arith.extsi %in : i8 to i32
    %1 = arith.extsi %in_0 : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %out, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<2x3xi32>
  return %acc : tensor<2x3xi32>
}

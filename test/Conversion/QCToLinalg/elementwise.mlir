// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// Broadcasting binary op: the 1-D operand is right-aligned.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
// CHECK-NOT: qc.add
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = qc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A size-1 dim against a larger result dim reads index 0; integer division
// truncates toward zero (divsi).
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @div_int_size1
// CHECK: linalg.generic {indexing_maps = [#[[COL]], #{{.*}}, #{{.*}}]
// CHECK: arith.divsi
func.func @div_int_size1(%c: tensor<2x1xi32>, %d: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = qc.div %c, %d : (tensor<2x1xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[ALPHA:.*]] = arith.constant 2.000000e-01 : f32
// CHECK-DAG: %[[BETA:.*]] = arith.constant 5.000000e-01 : f32
// Relu
// CHECK: linalg.generic
// CHECK: arith.maximumf %{{.*}}, %[[ZERO]] : f32
// HardSigmoid: clamp(alpha * x + beta, 0, 1)
// CHECK: linalg.generic
// CHECK: %[[M:.*]] = arith.mulf %{{.*}}, %[[ALPHA]] : f32
// CHECK: %[[L:.*]] = arith.addf %[[M]], %[[BETA]] : f32
// CHECK: %[[LO:.*]] = arith.maximumf %[[L]], %[[ZERO]] : f32
// CHECK: arith.minimumf %[[LO]], %[[ONE]] : f32
// Sigmoid: 1 / (1 + exp(-x))
// CHECK: linalg.generic
// CHECK: %[[N:.*]] = arith.negf
// CHECK: %[[E:.*]] = math.exp %[[N]]
// CHECK: %[[D:.*]] = arith.addf %[[E]], %[[ONE]]
// CHECK: arith.divf %[[ONE]], %[[D]]
// CHECK-NOT: qc.
func.func @activations(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = qc.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qc.hard_sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  %2 = qc.sigmoid %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Gelu (exact): 0.5 * x * (1 + erf(x / sqrt(2))); tanh form when asked.
// CHECK-LABEL: func.func @gelu
// CHECK: math.erf
// CHECK: math.tanh
func.func @gelu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = qc.gelu %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qc.gelu %x {approximate = "tanh"} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Pow with an integer exponent converts it to the base's float type.
// CHECK-LABEL: func.func @pow_int_exponent
// CHECK: ^bb0(%[[BASE:.*]]: f32, %[[EXP:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[F:.*]] = arith.sitofp %[[EXP]] : i64 to f32
// CHECK: math.powf %[[BASE]], %[[F]] : f32
func.func @pow_int_exponent(%x: tensor<4xf32>, %e: tensor<i64>) -> tensor<4xf32> {
  %0 = qc.pow %x, %e : (tensor<4xf32>, tensor<i64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Not lowered (yet): dynamic shapes, Sign on unsigned integers, math on
// integers.
// CHECK-LABEL: func.func @left_alone
// CHECK: qc.relu %{{.*}} : (tensor<?x3xf32>) -> tensor<?x3xf32>
// CHECK: qc.sign %{{.*}} : (tensor<4xui8>) -> tensor<4xui8>
// CHECK: qc.sqrt %{{.*}} : (tensor<4xi32>) -> tensor<4xi32>
func.func @left_alone(%d: tensor<?x3xf32>, %u: tensor<4xui8>, %i: tensor<4xi32>)
    -> (tensor<?x3xf32>, tensor<4xui8>, tensor<4xi32>) {
  %0 = qc.relu %d : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %1 = qc.sign %u : (tensor<4xui8>) -> tensor<4xui8>
  %2 = qc.sqrt %i : (tensor<4xi32>) -> tensor<4xi32>
  return %0, %1, %2 : tensor<?x3xf32>, tensor<4xui8>, tensor<4xi32>
}

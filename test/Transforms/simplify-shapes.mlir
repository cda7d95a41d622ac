// RUN: %quantc-opt %s --qc-simplify-shapes --split-input-file | FileCheck %s

// Shape -> Gather -> Unsqueeze -> Concat -> Reshape of a static tensor: the
// whole chain folds to one constant shape, the reshape's result becomes
// static and the function returns the static type.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: -> (tensor<2x16x12xf32> {qc.name = "y"})
// CHECK-DAG: %[[S:.*]] = qc.constant dense<[2, 16, -1]> : tensor<3xi64>
// CHECK-NOT: qc.shape
// CHECK-NOT: qc.gather
// CHECK-NOT: qc.unsqueeze
// CHECK-NOT: qc.concat
// CHECK: %[[R:.*]] = qc.reshape %{{.*}}, %[[S]] : (tensor<2x3x8x8xf32>, tensor<3xi64>) -> tensor<2x16x12xf32>
// CHECK: return %[[R]] : tensor<2x16x12xf32>
func.func @chain(%x: tensor<2x3x8x8xf32>) -> (tensor<?x?x?xf32> {qc.name = "y"}) {
  %s = qc.shape %x : (tensor<2x3x8x8xf32>) -> tensor<4xi64>
  %i0 = qc.constant dense<0> : tensor<i64>
  %n = qc.gather %s, %i0 {axis = 0 : i64} : (tensor<4xi64>, tensor<i64>) -> tensor<i64>
  %a0 = qc.constant dense<0> : tensor<1xi64>
  %n1 = qc.unsqueeze %n, %a0 : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %hw = qc.constant dense<[16, -1]> : tensor<2xi64>
  %target = qc.concat %n1, %hw {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<?xi64>
  %y = qc.reshape %x, %target : (tensor<2x3x8x8xf32>, tensor<?xi64>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}

// -----

// Shape -> Slice -> Cast -> ReduceProd -> Concat: a flatten written with
// shape arithmetic; the refined reshape type propagates to its user (relu).
// CHECK-LABEL: func.func @propagate
// CHECK-SAME: -> (tensor<4x60xf32> {qc.name = "z"})
// CHECK: %[[S:.*]] = qc.constant dense<[4, 60]> : tensor<2xi64>
// CHECK: %[[R:.*]] = qc.reshape %{{.*}}, %[[S]] : (tensor<4x3x4x5xf32>, tensor<2xi64>) -> tensor<4x60xf32>
// CHECK: %[[Z:.*]] = qc.relu %[[R]] : (tensor<4x60xf32>) -> tensor<4x60xf32>
// CHECK: return %[[Z]] : tensor<4x60xf32>
func.func @propagate(%x: tensor<4x3x4x5xf32>) -> (tensor<*xf32> {qc.name = "z"}) {
  %s = qc.shape %x : (tensor<4x3x4x5xf32>) -> tensor<4xi64>
  %st = qc.constant dense<[1]> : tensor<1xi64>
  %en = qc.constant dense<[4]> : tensor<1xi64>
  %none = qc.none
  %tail = qc.slice %s, %st, %en, %none, %none : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<?xi64>
  %f = qc.cast %tail {to = 1 : i64} : (tensor<?xi64>) -> tensor<?xf32>
  %fi = qc.cast %f {to = 7 : i64} : (tensor<?xf32>) -> tensor<?xi64>
  %p = qc.reduce_prod %fi, %none {keepdims = 1 : i64} : (tensor<?xi64>, none) -> tensor<?xi64>
  %b = qc.shape %x {end = 1 : i64} : (tensor<4x3x4x5xf32>) -> tensor<1xi64>
  %target = qc.concat %b, %p {axis = 0 : i64} : (tensor<1xi64>, tensor<?xi64>) -> tensor<?xi64>
  %r = qc.reshape %x, %target : (tensor<4x3x4x5xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  %z = qc.relu %r : (tensor<?x?xf32>) -> tensor<*xf32>
  return %z : tensor<*xf32>
}

// -----

// A dynamic input dim: qc.shape cannot fold, nothing after it folds and the
// reshape's result stays dynamic.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME: -> (tensor<?x?xf32> {qc.name = "y"})
// CHECK: qc.shape
// CHECK: qc.gather
// CHECK: qc.concat
// CHECK: %[[R:.*]] = qc.reshape {{.*}} -> tensor<?x?xf32>
// CHECK: return %[[R]] : tensor<?x?xf32>
func.func @dynamic(%x: tensor<?x3x16xf32>) -> (tensor<?x?xf32> {qc.name = "y"}) {
  %s = qc.shape %x : (tensor<?x3x16xf32>) -> tensor<3xi64>
  %i0 = qc.constant dense<[0]> : tensor<1xi64>
  %n = qc.gather %s, %i0 {axis = 0 : i64} : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  %c = qc.constant dense<[48]> : tensor<1xi64>
  %target = qc.concat %n, %c {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %y = qc.reshape %x, %target : (tensor<?x3x16xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Comparisons, logic and Mod on shape values fold (the masks of expanded
// Attention); the Expand whose target shape they select becomes static.
// CHECK-LABEL: func.func @mask_logic
// CHECK-SAME: -> (tensor<2x3x6xf32> {qc.name = "y"})
// CHECK-NOT: qc.not
// CHECK-NOT: qc.mod
// CHECK-NOT: qc.where
// CHECK: %[[S:.*]] = qc.constant dense<[2, 3, 6]> : tensor<3xi64>
// CHECK: qc.expand %{{.*}}, %[[S]] : (tensor<2x1x6xf32>, tensor<3xi64>) -> tensor<2x3x6xf32>
func.func @mask_logic(%x: tensor<2x1x6xf32>) -> (tensor<?x?x?xf32> {qc.name = "y"}) {
  %t = qc.constant dense<true> : tensor<1xi1>
  %f = qc.not %t : (tensor<1xi1>) -> tensor<1xi1>
  %three = qc.constant dense<3> : tensor<1xi64>
  %seven = qc.constant dense<-7> : tensor<1xi64>
  %m = qc.mod %seven, %three : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %two = qc.constant dense<2> : tensor<1xi64>
  %is2 = qc.equal %m, %two : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %lt = qc.less %m, %three : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %both = qc.and %is2, %lt : (tensor<1xi1>, tensor<1xi1>) -> tensor<1xi1>
  %either = qc.or %f, %both : (tensor<1xi1>, tensor<1xi1>) -> tensor<1xi1>
  %one = qc.constant dense<1> : tensor<1xi64>
  %mid = qc.where %either, %three, %one : (tensor<1xi1>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %six = qc.constant dense<6> : tensor<1xi64>
  %shape = qc.concat %two, %mid, %six {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xi64>
  %y = qc.expand %x, %shape : (tensor<2x1x6xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}

// -----

// Range, Pad, Tile and Split with constant parameters get static results; a
// reduction whose run-time axes input has length 0 reduces every axis. (The
// range is longer than what folds to a constant.)
// CHECK-LABEL: func.func @constant_parameters
// CHECK: qc.range {{.*}} -> tensor<101xf32>
// CHECK: qc.pad {{.*}} -> tensor<5x6xf32>
// CHECK: qc.tile {{.*}} -> tensor<4x12xf32>
// CHECK: qc.split {{.*}} -> (tensor<2x1xf32>, tensor<2x3xf32>)
// CHECK: qc.reduce_sum {{.*}} -> tensor<1x1xf32>
func.func @constant_parameters(%x: tensor<2x4xf32>, %axes: tensor<0xi64>)
    -> (tensor<?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  %start = qc.constant dense<0.0> : tensor<f32>
  %limit = qc.constant dense<100.5> : tensor<f32>
  %delta = qc.constant dense<1.0> : tensor<f32>
  %r = qc.range %start, %limit, %delta : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  %pads = qc.constant dense<[1, 0, 2, 2]> : tensor<4xi64>
  %none = qc.none
  %p = qc.pad %x, %pads, %none, %none : (tensor<2x4xf32>, tensor<4xi64>, none, none) -> tensor<?x?xf32>
  %reps = qc.constant dense<[2, 3]> : tensor<2xi64>
  %t = qc.tile %x, %reps : (tensor<2x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %sizes = qc.constant dense<[1, 3]> : tensor<2xi64>
  %s:2 = qc.split %x, %sizes {axis = 1 : i64} : (tensor<2x4xf32>, tensor<2xi64>) -> (tensor<?x?xf32>, tensor<?x?xf32>)
  %sum = qc.reduce_sum %x, %axes : (tensor<2x4xf32>, tensor<0xi64>) -> tensor<?x?xf32>
  return %r, %p, %t, %s#1, %sum : tensor<?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

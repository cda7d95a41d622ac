// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// Split sizes known only at run time follow from the static result types.
// CHECK-LABEL: func.func @split_runtime_sizes
// CHECK: tensor.extract_slice %{{.*}}[0] [2] [1] : tensor<6xf32> to tensor<2xf32>
// CHECK: tensor.extract_slice %{{.*}}[2] [4] [1] : tensor<6xf32> to tensor<4xf32>
// CHECK-NOT: qc.split
func.func @split_runtime_sizes(%x: tensor<6xf32>, %sizes: tensor<2xi64>) -> (tensor<2xf32>, tensor<4xf32>) {
  %0:2 = qc.split %x, %sizes {axis = 0 : i64} : (tensor<6xf32>, tensor<2xi64>) -> (tensor<2xf32>, tensor<4xf32>)
  return %0#0, %0#1 : tensor<2xf32>, tensor<4xf32>
}

// -----

// Run-time pads: the leading pad of each dim is read with tensor.extract and
// every output element reads the input at (index - pad) or takes the
// constant outside it.
// CHECK-LABEL: func.func @pad_runtime
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3xf32>, %[[P:[^:]*]]: tensor<4xi64>, %[[V:[^:]*]]: tensor<f32>)
// CHECK-DAG: tensor.extract %[[P]][%{{.*}}] : tensor<4xi64>
// CHECK-DAG: %[[FILL:.*]] = tensor.extract %[[V]][] : tensor<f32>
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: arith.subi
// CHECK: %[[E:.*]] = tensor.extract %[[X]]
// CHECK: %[[S:.*]] = arith.select %{{.*}}, %[[E]], %[[FILL]] : f32
// CHECK: linalg.yield %[[S]]
// CHECK-NOT: qc.pad
func.func @pad_runtime(%x: tensor<2x3xf32>, %pads: tensor<4xi64>, %v: tensor<f32>) -> tensor<4x6xf32> {
  %none = qc.none
  %0 = qc.pad %x, %pads, %v, %none : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>, none) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// Run-time slice starts and steps: output index o reads start + step * o.
// CHECK-LABEL: func.func @slice_runtime
// CHECK-SAME: (%[[X:[^:]*]]: tensor<20x10xf32>, %[[ST:[^:]*]]: tensor<1xi64>
// CHECK: tensor.extract %[[ST]]
// CHECK: linalg.generic
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: tensor.extract %[[X]]
// CHECK-NOT: qc.slice
func.func @slice_runtime(%x: tensor<20x10xf32>, %starts: tensor<1xi64>, %ends: tensor<1xi64>, %axes: tensor<1xi64>, %steps: tensor<1xi64>) -> tensor<3x10xf32> {
  %0 = qc.slice %x, %starts, %ends, %axes, %steps : (tensor<20x10xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3x10xf32>
  return %0 : tensor<3x10xf32>
}

// -----

// A run-time CumSum axis: one sum per possible axis, selected at run time.
// CHECK-LABEL: func.func @cumsum_runtime_axis
// CHECK: %[[A:.*]] = linalg.generic
// CHECK: %[[B:.*]] = linalg.generic
// CHECK: arith.select %{{.*}}, %[[B]], %[[A]] : tensor<2x3xf32>
// CHECK-NOT: qc.cum_sum
func.func @cumsum_runtime_axis(%x: tensor<2x3xf32>, %axis: tensor<i32>) -> tensor<2x3xf32> {
  %0 = qc.cum_sum %x, %axis : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Run-time reduction axes that the shapes leave ambiguous (3x2x2 -> 3x2 drops
// dim 1 or dim 2): both reductions, selected by the axes value.
// CHECK-DAG: #[[KEEP01:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[KEEP02:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_ambiguous_axes
// CHECK: tensor.extract %{{.*}} : tensor<1xi64>
// CHECK: %[[DROP2:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[KEEP01]]]
// CHECK: %[[DROP1:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[KEEP02]]]
// CHECK: arith.select %{{.*}}, %[[DROP1]], %[[DROP2]] : tensor<3x2xf32>
// CHECK-NOT: qc.reduce_sum
func.func @reduce_ambiguous_axes(%x: tensor<3x2x2xf32>, %axes: tensor<1xi64>) -> tensor<3x2xf32> {
  %0 = qc.reduce_sum %x, %axes {keepdims = 0 : i64} : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

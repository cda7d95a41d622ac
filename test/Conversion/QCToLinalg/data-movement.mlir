// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// Constants become arith.constant; dense_resource weights are kept by
// reference (not copied into a dense attribute).
// CHECK-LABEL: func.func @constants
// CHECK-DAG: arith.constant dense<[1, 2]> : tensor<2xi64>
// CHECK-DAG: arith.constant dense_resource<w> : tensor<4xf32>
// CHECK-NOT: qc.constant
func.func @constants() -> (tensor<2xi64>, tensor<4xf32>) {
  %0 = qc.constant dense<[1, 2]> : tensor<2xi64>
  %1 = qc.constant dense_resource<w> : tensor<4xf32>
  return %0, %1 : tensor<2xi64>, tensor<4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000000000000000803F0000004000004040"
    }
  }
#-}

// -----

// Reshape: 0 copies the input dim, -1 is inferred; no direct reassociation
// from 2x3x4 to 2x2x6, so it goes through 1-D.
// CHECK-LABEL: func.func @reshape_zero_and_infer
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[C]] {{\[}}[0, 1, 2]] output_shape [2, 2, 6] : tensor<24xf32> into tensor<2x2x6xf32>
// CHECK: return %[[E]]
func.func @reshape_zero_and_infer(%x: tensor<2x3x4xf32>) -> tensor<2x2x6xf32> {
  %s = qc.constant dense<[0, 2, -1]> : tensor<3xi64>
  %0 = qc.reshape %x, %s : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<2x2x6xf32>
  return %0 : tensor<2x2x6xf32>
}

// -----

// A constant shape makes a dynamic result type static (then cast back).
// CHECK-LABEL: func.func @reshape_dynamic_result
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK: tensor.cast %[[C]] : tensor<2x12xf32> to tensor<?x12xf32>
func.func @reshape_dynamic_result(%x: tensor<2x3x4xf32>) -> tensor<?x12xf32> {
  %s = qc.constant dense<[-1, 12]> : tensor<2xi64>
  %0 = qc.reshape %x, %s : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x12xf32>
  return %0 : tensor<?x12xf32>
}

// -----

// allowzero = 1: a 0 in the shape is a real zero-size dim.
// CHECK-LABEL: func.func @reshape_allowzero
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x4x0xf32>
// CHECK: return %[[E]]
func.func @reshape_allowzero(%x: tensor<0x3x4xf32>) -> tensor<3x4x0xf32> {
  %s = qc.constant dense<[3, 4, 0]> : tensor<3xi64>
  %0 = qc.reshape %x, %s {allowzero = 1 : i64} : (tensor<0x3x4xf32>, tensor<3xi64>) -> tensor<3x4x0xf32>
  return %0 : tensor<3x4x0xf32>
}

// -----

// Squeeze (no axes: every size-1 dim), Unsqueeze (negative axis counts in
// the output rank), Flatten.
// CHECK-LABEL: func.func @squeeze_unsqueeze_flatten
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3]] : tensor<1x3x1x4xf32> into tensor<3x4xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 3, 1, 1, 4] : tensor<1x3x1x4xf32> into tensor<1x3x1x1x4xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3]] : tensor<1x3x1x4xf32> into tensor<3x4xf32>
// CHECK-NOT: qc.
func.func @squeeze_unsqueeze_flatten(%x: tensor<1x3x1x4xf32>)
    -> (tensor<3x4xf32>, tensor<1x3x1x1x4xf32>, tensor<3x4xf32>) {
  %n = qc.none
  %0 = qc.squeeze %x, %n : (tensor<1x3x1x4xf32>, none) -> tensor<3x4xf32>
  %a = qc.constant dense<[-2]> : tensor<1xi64>
  %1 = qc.unsqueeze %x, %a : (tensor<1x3x1x4xf32>, tensor<1xi64>) -> tensor<1x3x1x1x4xf32>
  %2 = qc.flatten %x {axis = 3 : i64} : (tensor<1x3x1x4xf32>) -> tensor<3x4xf32>
  return %0, %1, %2 : tensor<3x4xf32>, tensor<1x3x1x1x4xf32>, tensor<3x4xf32>
}

// -----

// Transpose: default perm reverses the dims.
// CHECK-LABEL: func.func @transpose
// CHECK: %[[I0:.*]] = tensor.empty() : tensor<4x3x2xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%[[I0]] : tensor<4x3x2xf32>) permutation = [2, 1, 0]
// CHECK: %[[I1:.*]] = tensor.empty() : tensor<3x2x4xi8>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xi8>) outs(%[[I1]] : tensor<3x2x4xi8>) permutation = [1, 0, 2]
func.func @transpose(%x: tensor<2x3x4xf32>, %y: tensor<2x3x4xi8>) -> (tensor<4x3x2xf32>, tensor<3x2x4xi8>) {
  %0 = qc.transpose %x : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %1 = qc.transpose %y {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xi8>) -> tensor<3x2x4xi8>
  return %0, %1 : tensor<4x3x2xf32>, tensor<3x2x4xi8>
}

// -----

// Concat along a negative axis; empty inputs are skipped.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x0xf32>, %[[C:.*]]: tensor<2x5xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK-NOT: %[[B]]
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[C]] into %[[I0]][0, 3] [2, 5] [1, 1]
// CHECK: return %[[I1]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x0xf32>, %c: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = qc.concat %a, %b, %c {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x0xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Split with constant sizes, and with num_outputs (ceil-sized chunks, the
// last one smaller).
// CHECK-LABEL: func.func @split
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [2, 1] [1, 1] : tensor<2x5xf32> to tensor<2x1xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 1] [2, 4] [1, 1] : tensor<2x5xf32> to tensor<2x4xf32>
// CHECK: tensor.extract_slice %{{.*}}[0] [3] [1] : tensor<7xf32> to tensor<3xf32>
// CHECK: tensor.extract_slice %{{.*}}[3] [3] [1] : tensor<7xf32> to tensor<3xf32>
// CHECK: tensor.extract_slice %{{.*}}[6] [1] [1] : tensor<7xf32> to tensor<1xf32>
func.func @split(%c: tensor<2x5xf32>, %d: tensor<7xf32>)
    -> (tensor<2x1xf32>, tensor<2x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<1xf32>) {
  %s = qc.constant dense<[1, 4]> : tensor<2xi64>
  %0:2 = qc.split %c, %s {axis = 1 : i64} : (tensor<2x5xf32>, tensor<2xi64>) -> (tensor<2x1xf32>, tensor<2x4xf32>)
  %n = qc.none
  %1:3 = qc.split %d, %n {num_outputs = 3 : i64} : (tensor<7xf32>, none) -> (tensor<3xf32>, tensor<3xf32>, tensor<1xf32>)
  return %0#0, %0#1, %1#0, %1#1, %1#2 : tensor<2x1xf32>, tensor<2x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<1xf32>
}

// -----

// Slice with positive steps: starts/ends are clamped (ends past the dim,
// negative starts count from the end: -8 + 10 = 2) into one extract_slice.
// CHECK-LABEL: func.func @slice_positive
// CHECK: tensor.extract_slice %{{.*}}[0, 2] [3, 4] [2, 1] : tensor<6x10xf32> to tensor<3x4xf32>
func.func @slice_positive(%x: tensor<6x10xf32>) -> tensor<3x4xf32> {
  %st = qc.constant dense<[-100, -8]> : tensor<2xi64>
  %en = qc.constant dense<[1000, 6]> : tensor<2xi64>
  %ax = qc.constant dense<[0, -1]> : tensor<2xi64>
  %sp = qc.constant dense<[2, 1]> : tensor<2xi64>
  %0 = qc.slice %x, %st, %en, %ax, %sp : (tensor<6x10xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Negative steps read input[start + step * i] through an affine map: start
// -1 clamps to dim-1 = 2 on axis 1, start 3 with end -100 (clamped to -1)
// and step -2 gives 2 elements on axis 2.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1, d2) -> (d0, d1 * -2 + 2, d2 * -2 + 3)>
// CHECK-LABEL: func.func @slice_negative_steps
// CHECK: linalg.generic {indexing_maps = [#[[REV]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x2x2xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @slice_negative_steps(%x: tensor<2x3x4xf32>) -> tensor<2x2x2xf32> {
  %st = qc.constant dense<[-1, 3]> : tensor<2xi64>
  %en = qc.constant dense<[-100, 0]> : tensor<2xi64>
  %ax = qc.constant dense<[1, 2]> : tensor<2xi64>
  %sp = qc.constant dense<[-2, -2]> : tensor<2xi64>
  %0 = qc.slice %x, %st, %en, %ax, %sp : (tensor<2x3x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
}

// -----

// Gather: the generic iterates the result; indices are read through a map,
// wrapped when negative, and the data is read with tensor.extract.
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2)>
// CHECK-LABEL: func.func @gather_axis1
// CHECK-SAME: (%[[D:.*]]: tensor<3x4x5xf32>, %[[I:.*]]: tensor<2x2xi32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #{{.*}}], {{.*}}} ins(%[[I]] : tensor<2x2xi32>) outs(%{{.*}} : tensor<3x2x2x5xf32>)
// CHECK: ^bb0(%[[V:.*]]: i32, %{{.*}}: f32):
// CHECK: %[[B0:.*]] = linalg.index 0 : index
// CHECK: %[[IX:.*]] = arith.index_cast %[[V]] : i32 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[IX]], %[[C0]] : index
// CHECK: %[[WRAP:.*]] = arith.addi %[[IX]], %[[C4]] : index
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[IX]] : index
// CHECK: %[[LO:.*]] = arith.maxsi %[[SEL]], %[[C0]] : index
// CHECK: %[[HI:.*]] = arith.minsi %[[LO]], %[[C3]] : index
// CHECK: %[[B3:.*]] = linalg.index 3 : index
// CHECK: %[[X:.*]] = tensor.extract %[[D]][%[[B0]], %[[HI]], %[[B3]]] : tensor<3x4x5xf32>
// CHECK: linalg.yield %[[X]] : f32
func.func @gather_axis1(%d: tensor<3x4x5xf32>, %i: tensor<2x2xi32>) -> tensor<3x2x2x5xf32> {
  %0 = qc.gather %d, %i {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<2x2xi32>) -> tensor<3x2x2x5xf32>
  return %0 : tensor<3x2x2x5xf32>
}

// -----

// A constant scalar index is a slice that drops the axis.
// CHECK-LABEL: func.func @gather_constant_scalar
// CHECK: %[[S:.*]] = tensor.extract_slice %{{.*}}[2, 0] [1, 4] [1, 1] : tensor<3x4xf32> to tensor<1x4xf32>
// CHECK: tensor.collapse_shape %[[S]] {{\[}}[0, 1]] : tensor<1x4xf32> into tensor<4xf32>
func.func @gather_constant_scalar(%x: tensor<3x4xf32>) -> tensor<4xf32> {
  %c = qc.constant dense<-1> : tensor<i64>
  %0 = qc.gather %x, %c : (tensor<3x4xf32>, tensor<i64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// GatherElements: same-rank indices pick along the axis.
// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: (%[[D:.*]]: tensor<3x4xf32>, %[[I:.*]]: tensor<2x4xi64>)
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<2x4xi64>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[IX:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[J:.*]] = arith.minsi
// CHECK: %[[COL:.*]] = linalg.index 1 : index
// CHECK: tensor.extract %[[D]][%[[J]], %[[COL]]] : tensor<3x4xf32>
func.func @gather_elements(%d: tensor<3x4xf32>, %i: tensor<2x4xi64>) -> tensor<2x4xf32> {
  %0 = qc.gather_elements %d, %i {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Constant-mode Pad with a run-time scalar value; the negative pad crops
// the last column first.
// CHECK-LABEL: func.func @pad_constant
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>, %[[V:.*]]: tensor<f32>)
// CHECK: %[[CROP:.*]] = tensor.extract_slice %[[X]][0, 0] [3, 3] [1, 1] : tensor<3x4xf32> to tensor<3x3xf32>
// CHECK: %[[VAL:.*]] = tensor.extract %[[V]][] : tensor<f32>
// CHECK: %[[P:.*]] = tensor.pad %[[CROP]] low[1, 0] high[1, 0]
// CHECK: tensor.yield %[[VAL]] : f32
// CHECK: } : tensor<3x3xf32> to tensor<5x3xf32>
// CHECK: return %[[P]]
func.func @pad_constant(%x: tensor<3x4xf32>, %v: tensor<f32>) -> tensor<5x3xf32> {
  %p = qc.constant dense<[1, 0, 1, -1]> : tensor<4xi64>
  %n = qc.none
  %0 = qc.pad %x, %p, %v, %n : (tensor<3x4xf32>, tensor<4xi64>, tensor<f32>, none) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

// Without constant_value the pad value is zero (false for bools).
// CHECK-LABEL: func.func @pad_default_zero
// CHECK-DAG: %[[Z:.*]] = arith.constant 0 : i32
// CHECK: tensor.pad %{{.*}} low[0, 2] high[0, 1]
// CHECK: tensor.yield %[[Z]] : i32
func.func @pad_default_zero(%x: tensor<3x4xi32>) -> tensor<3x7xi32> {
  %p = qc.constant dense<[2, 1]> : tensor<2xi64>
  %a = qc.constant dense<[1]> : tensor<1xi64>
  %n = qc.none
  %0 = qc.pad %x, %p, %n, %a : (tensor<3x4xi32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<3x7xi32>
  return %0 : tensor<3x7xi32>
}

// -----

// Reflect, edge and wrap pads read the input through compile-time tables of
// source indices (numpy's np.pad, pads larger than the dim included).
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @pad_modes
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>)
// CHECK-DAG: %[[REFLECT:.*]] = arith.constant dense<[3, 2, 1, 0, 1, 2, 3, 2]> : tensor<8xi64>
// CHECK-DAG: %[[EDGE:.*]] = arith.constant dense<[0, 0, 0, 0, 1, 2, 3, 3]> : tensor<8xi64>
// CHECK-DAG: %[[WRAP:.*]] = arith.constant dense<[1, 2, 3, 0, 1, 2, 3, 0]> : tensor<8xi64>
// CHECK: linalg.generic {indexing_maps = [#[[COL]], #{{.*}}], {{.*}}} ins(%[[REFLECT]] : tensor<8xi64>)
// CHECK: %[[R:.*]] = linalg.index 0 : index
// CHECK: %[[C:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: tensor.extract %[[X]][%[[R]], %[[C]]] : tensor<3x4xf32>
// CHECK: ins(%[[EDGE]] : tensor<8xi64>)
// CHECK: ins(%[[WRAP]] : tensor<8xi64>)
func.func @pad_modes(%x: tensor<3x4xf32>) -> (tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>) {
  %p = qc.constant dense<[3, 1]> : tensor<2xi64>
  %a = qc.constant dense<[-1]> : tensor<1xi64>
  %n = qc.none
  %0 = qc.pad %x, %p, %n, %a {mode = "reflect"} : (tensor<3x4xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<3x8xf32>
  %1 = qc.pad %x, %p, %n, %a {mode = "edge"} : (tensor<3x4xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<3x8xf32>
  %2 = qc.pad %x, %p, %n, %a {mode = "wrap"} : (tensor<3x4xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<3x8xf32>
  return %0, %1, %2 : tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>
}

// -----

// Nearest resize (asymmetric, floor): x = o / 2 -> [0, 0, 1, 1] on both
// resized dims; N and C (scale 1) are read directly.
// CHECK-DAG: #[[H:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @resize_nearest
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x2x2xf32>)
// CHECK: %[[T:.*]] = arith.constant dense<[0, 0, 1, 1]> : tensor<4xi64>
// CHECK: linalg.generic {indexing_maps = [#[[H]], #[[W]], #{{.*}}], {{.*}}} ins(%[[T]], %[[T]] : tensor<4xi64>, tensor<4xi64>) outs(%{{.*}} : tensor<1x2x4x4xf32>)
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: %[[H:.*]] = arith.index_cast
// CHECK: %[[W:.*]] = arith.index_cast
// CHECK: tensor.extract %[[X]][%{{.*}}, %[[C]], %[[H]], %[[W]]] : tensor<1x2x2x2xf32>
func.func @resize_nearest(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x4x4xf32> {
  %s = qc.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %n = qc.none
  %0 = qc.resize %x, %n, %s, %n {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x2x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Default nearest (half_pixel, round_prefer_floor) from sizes: 2 -> 3 gives
// x = (o + 0.5) * 2/3 - 0.5 = [-1/6, 1/2, 7/6] -> [0, 0, 1].
// CHECK-LABEL: func.func @resize_nearest_sizes
// CHECK: arith.constant dense<[0, 0, 1]> : tensor<3xi64>
func.func @resize_nearest_sizes(%x: tensor<1x2xf32>) -> tensor<1x3xf32> {
  %sz = qc.constant dense<[3]> : tensor<1xi64>
  %n = qc.none
  %0 = qc.resize %x, %n, %n, %sz {axes = array<i64: 1>} : (tensor<1x2xf32>, none, none, tensor<1xi64>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

// Bilinear (half_pixel, 2 -> 4): lower/upper neighbours clamp to the edge;
// weights w0 = 1 - ratio and w1 = ratio. Each output sums four corners.
// CHECK-LABEL: func.func @resize_linear
// CHECK-DAG: %[[LO:.*]] = arith.constant dense<[0, 0, 0, 1]> : tensor<4xi64>
// CHECK-DAG: %[[HI:.*]] = arith.constant dense<[0, 1, 1, 1]> : tensor<4xi64>
// CHECK-DAG: %[[W0:.*]] = arith.constant dense<[2.500000e-01, 7.500000e-01, 2.500000e-01, 7.500000e-01]> : tensor<4xf32>
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<[7.500000e-01, 2.500000e-01, 7.500000e-01, 2.500000e-01]> : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%[[LO]], %[[HI]], %[[W0]], %[[W1]], %[[LO]], %[[HI]], %[[W0]], %[[W1]] :
// CHECK-COUNT-4: tensor.extract
// CHECK-NOT: tensor.extract
// CHECK: linalg.yield
func.func @resize_linear(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %s = qc.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %n = qc.none
  %0 = qc.resize %x, %n, %s, %n {mode = "linear"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// Align corners (2 -> 3): x = o * (2 - 1) / (3 - 1) = [0, 0.5, 1]; an
// integral x takes the neighbour at x with weight 1.
// CHECK-LABEL: func.func @resize_linear_align_corners
// CHECK-DAG: arith.constant dense<0> : tensor<3xi64>
// CHECK-DAG: arith.constant dense<[0, 1, 1]> : tensor<3xi64>
// CHECK-DAG: arith.constant dense<[0.000000e+00, 5.000000e-01, 0.000000e+00]> : tensor<3xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, 5.000000e-01, 1.000000e+00]> : tensor<3xf32>
func.func @resize_linear_align_corners(%x: tensor<2xf32>) -> tensor<3xf32> {
  %sz = qc.constant dense<[3]> : tensor<1xi64>
  %n = qc.none
  %0 = qc.resize %x, %n, %n, %sz {mode = "linear", coordinate_transformation_mode = "align_corners"} : (tensor<2xf32>, none, none, tensor<1xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Cast: ONNX semantics per type pair.
// CHECK-LABEL: func.func @casts
// CHECK: %[[I:.*]] = arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.trunci %[[I]] : i64 to i32
// CHECK: arith.cmpf une, %{{.*}}, %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK: arith.extsi %{{.*}} : i8 to i64
// CHECK: arith.cmpi ne, %{{.*}}, %{{.*}} : i64
// CHECK: arith.extui %{{.*}} : i1 to i32
// CHECK: %[[W:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %[[W]] : f32 to bf16
// CHECK: arith.sitofp %{{.*}} : i64 to f32
// CHECK-NOT: qc.cast
func.func @casts(%x: tensor<4xf32>, %i: tensor<4xi64>, %b: tensor<4xi1>, %c: tensor<4xi8>, %h: tensor<4xf16>)
    -> (tensor<4xi32>, tensor<4xi1>, tensor<4xf16>, tensor<4xf32>, tensor<4xi8>, tensor<4xi64>,
        tensor<4xi1>, tensor<4xi32>, tensor<4xbf16>, tensor<4xf32>, tensor<4xf32>) {
  %0 = qc.cast %x {to = 6 : i64} : (tensor<4xf32>) -> tensor<4xi32>
  %1 = qc.cast %x {to = 9 : i64} : (tensor<4xf32>) -> tensor<4xi1>
  %2 = qc.cast %x {to = 10 : i64} : (tensor<4xf32>) -> tensor<4xf16>
  %3 = qc.cast %b {to = 1 : i64} : (tensor<4xi1>) -> tensor<4xf32>
  %4 = qc.cast %i {to = 3 : i64} : (tensor<4xi64>) -> tensor<4xi8>
  %5 = qc.cast %c {to = 7 : i64} : (tensor<4xi8>) -> tensor<4xi64>
  %6 = qc.cast %i {to = 9 : i64} : (tensor<4xi64>) -> tensor<4xi1>
  %7 = qc.cast %b {to = 6 : i64} : (tensor<4xi1>) -> tensor<4xi32>
  %8 = qc.cast %h {to = 16 : i64} : (tensor<4xf16>) -> tensor<4xbf16>
  %9 = qc.cast_like %i, %x : (tensor<4xi64>, tensor<4xf32>) -> tensor<4xf32>
  %10 = qc.cast %x {to = 1 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10 : tensor<4xi32>, tensor<4xi1>, tensor<4xf16>, tensor<4xf32>, tensor<4xi8>, tensor<4xi64>, tensor<4xi1>, tensor<4xi32>, tensor<4xbf16>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Shape (with start/end, clamped) and Size fold to constants.
// CHECK-LABEL: func.func @shape_size
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[3, 4]> : tensor<2xi64>
// CHECK-DAG: %[[N:.*]] = arith.constant dense<24> : tensor<i64>
// CHECK: return %[[S]], %[[N]]
func.func @shape_size(%x: tensor<2x3x4xf32>) -> (tensor<2xi64>, tensor<i64>) {
  %0 = qc.shape %x {start = -2 : i64, end = 10 : i64} : (tensor<2x3x4xf32>) -> tensor<2xi64>
  %1 = qc.size %x : (tensor<2x3x4xf32>) -> tensor<i64>
  return %0, %1 : tensor<2xi64>, tensor<i64>
}

// -----

// ConstantOfShape: small results are splat constants, large ones a fill.
// CHECK-LABEL: func.func @constant_of_shape
// CHECK-DAG: %[[SMALL:.*]] = arith.constant dense<7> : tensor<2x3xi32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.*]] = tensor.empty() : tensor<64x64xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<64x64xf32>)
// CHECK: return %[[SMALL]], %[[F]]
func.func @constant_of_shape() -> (tensor<2x3xi32>, tensor<64x64xf32>) {
  %s = qc.constant dense<[2, 3]> : tensor<2xi64>
  %0 = qc.constant_of_shape %s {value = dense<7> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<2x3xi32>
  %t = qc.constant dense<[64, 64]> : tensor<2xi64>
  %1 = qc.constant_of_shape %t : (tensor<2xi64>) -> tensor<64x64xf32>
  return %0, %1 : tensor<2x3xi32>, tensor<64x64xf32>
}

// -----

// Expand broadcasts (size-1 dims read index 0, new leading dims); Tile
// iterates [repeat, dim] pairs and collapses them.
// CHECK-DAG: #[[BC:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[TILE:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-LABEL: func.func @expand_tile
// CHECK: linalg.generic {indexing_maps = [#[[BC]], #{{.*}}], {{.*}}} ins(%{{.*}} : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[TILE]], #{{.*}}], {{.*}}} ins(%{{.*}} : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4x1xf32>)
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0, 1], [2, 3]] : tensor<2x3x4x1xf32> into tensor<6x4xf32>
func.func @expand_tile(%x: tensor<3x1xf32>) -> (tensor<2x3x4xf32>, tensor<6x4xf32>) {
  %sh = qc.constant dense<[2, 1, 4]> : tensor<3xi64>
  %0 = qc.expand %x, %sh : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  %r = qc.constant dense<[2, 4]> : tensor<2xi64>
  %1 = qc.tile %x, %r : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<6x4xf32>
}

// -----

// Identity and inference-mode Dropout forward their input; a used mask is
// all true.
// CHECK-LABEL: func.func @identity_dropout
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
// CHECK: %[[T:.*]] = arith.constant true
// CHECK: %[[M:.*]] = linalg.fill ins(%[[T]] : i1) outs(%{{.*}} : tensor<3xi1>)
// CHECK: return %[[X]], %[[X]], %[[M]]
func.func @identity_dropout(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xi1>) {
  %n = qc.none
  %0 = qc.identity %x : (tensor<3xf32>) -> tensor<3xf32>
  %o, %m = qc.dropout %0, %n, %n : (tensor<3xf32>, none, none) -> (tensor<3xf32>, tensor<3xi1>)
  return %0, %o, %m : tensor<3xf32>, tensor<3xf32>, tensor<3xi1>
}

// -----

// Range: start + i * delta over the static result.
// CHECK-LABEL: func.func @range
// CHECK-SAME: (%[[S:.*]]: tensor<i32>, %[[L:.*]]: tensor<i32>, %[[D:.*]]: tensor<i32>)
// CHECK-DAG: %[[S0:.*]] = tensor.extract %[[S]][] : tensor<i32>
// CHECK-DAG: %[[D0:.*]] = tensor.extract %[[D]][] : tensor<i32>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<5xi32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[I32:.*]] = arith.trunci %[[I64]] : i64 to i32
// CHECK: %[[M:.*]] = arith.muli %[[I32]], %[[D0]] : i32
// CHECK: arith.addi %[[S0]], %[[M]] : i32
func.func @range(%s: tensor<i32>, %l: tensor<i32>, %d: tensor<i32>) -> tensor<5xi32> {
  %0 = qc.range %s, %l, %d : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<5xi32>
  return %0 : tensor<5xi32>
}

// -----

// With constant operands the length is ceil((limit - start) / delta) = 3.
// CHECK-LABEL: func.func @range_constant
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3xf32>)
// CHECK: arith.sitofp %{{.*}} : i64 to f32
// CHECK: tensor.cast %{{.*}} : tensor<3xf32> to tensor<?xf32>
func.func @range_constant() -> tensor<?xf32> {
  %s = qc.constant dense<1.0> : tensor<f32>
  %l = qc.constant dense<2.5> : tensor<f32>
  %d = qc.constant dense<0.5> : tensor<f32>
  %0 = qc.range %s, %l, %d : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Trilu: lower keeps j - i <= k (k read at run time), upper j - i >= k.
// CHECK-LABEL: func.func @trilu
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[K:.*]]: tensor<i64>)
// CHECK: %[[KV:.*]] = tensor.extract %[[K]][] : tensor<i64>
// CHECK: %[[KI:.*]] = arith.index_cast %[[KV]] : i64 to index
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[J:.*]] = linalg.index 2 : index
// CHECK: %[[D:.*]] = arith.subi %[[J]], %[[I]] : index
// CHECK: arith.cmpi sle, %[[D]], %[[KI]] : index
// CHECK: linalg.generic
// CHECK: arith.cmpi sge, %{{.*}}, %[[C0:.*]] : index
func.func @trilu(%x: tensor<2x3x4xf32>, %k: tensor<i64>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = qc.trilu %x, %k {upper = 0 : i64} : (tensor<2x3x4xf32>, tensor<i64>) -> tensor<2x3x4xf32>
  %n = qc.none
  %1 = qc.trilu %x, %n : (tensor<2x3x4xf32>, none) -> tensor<2x3x4xf32>
  return %0, %1 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// CumSum: a reduction over an extra loop dim j reads x at j on the axis;
// reverse + exclusive keeps j > i.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @cumsum
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}} : tensor<2x3xf32>) outs(%[[F]] : tensor<2x3xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[J:.*]] = linalg.index 2 : index
// CHECK: %[[TAKE:.*]] = arith.cmpi sgt, %[[J]], %[[I]] : index
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %[[X]] : f32
// CHECK: arith.select %[[TAKE]], %[[SUM]], %[[ACC]] : f32
func.func @cumsum(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %ax = qc.constant dense<-1> : tensor<i64>
  %0 = qc.cum_sum %x, %ax {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// DepthToSpace (CRD) and SpaceToDepth: expand, transpose, collapse.
// CHECK-LABEL: func.func @depth_space
// CHECK: %[[E:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2, 3], [4], [5]] output_shape [1, 2, 2, 2, 2, 3] : tensor<1x8x2x3xf32> into tensor<1x2x2x2x2x3xf32>
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[E]] : tensor<1x2x2x2x2x3xf32>) outs(%{{.*}} : tensor<1x2x2x2x3x2xf32>) permutation = [0, 1, 4, 2, 5, 3]
// CHECK: tensor.collapse_shape %[[T]] {{\[}}[0], [1], [2, 3], [4, 5]] : tensor<1x2x2x2x3x2xf32> into tensor<1x2x4x6xf32>
// CHECK: %[[E2:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3], [4, 5]] output_shape [1, 2, 2, 2, 2, 2] : tensor<1x2x4x4xf32> into tensor<1x2x2x2x2x2xf32>
// CHECK: %[[T2:.*]] = linalg.transpose ins(%[[E2]] : tensor<1x2x2x2x2x2xf32>) outs(%{{.*}} : tensor<1x2x2x2x2x2xf32>) permutation = [0, 3, 5, 1, 2, 4]
// CHECK: tensor.collapse_shape %[[T2]] {{\[}}[0], [1, 2, 3], [4], [5]] : tensor<1x2x2x2x2x2xf32> into tensor<1x8x2x2xf32>
func.func @depth_space(%x: tensor<1x8x2x3xf32>, %y: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x6xf32>, tensor<1x8x2x2xf32>) {
  %0 = qc.depth_to_space %x {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  %1 = qc.space_to_depth %y {blocksize = 2 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x8x2x2xf32>
  return %0, %1 : tensor<1x2x4x6xf32>, tensor<1x8x2x2xf32>
}

// -----

// DepthToSpace default mode is DCR: channels split as [b, b, C'].
// CHECK-LABEL: func.func @depth_to_space_dcr
// CHECK: tensor.expand_shape %{{.*}} output_shape [1, 2, 2, 2, 2, 3]
// CHECK: permutation = [0, 3, 4, 1, 5, 2]
func.func @depth_to_space_dcr(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %0 = qc.depth_to_space %x {blocksize = 2 : i64} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return %0 : tensor<1x2x4x6xf32>
}

// -----

// Left alone: dynamic input shapes, cubic and tf_crop_and_resize Resize, a
// Dropout mask in training mode.
// CHECK-LABEL: func.func @left_alone
// CHECK: qc.reshape %{{.*}} : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x2xf32>
// CHECK: qc.resize {{.*}}mode = "cubic"
// CHECK: qc.resize {{.*}}coordinate_transformation_mode = "tf_crop_and_resize"
// CHECK: qc.dropout
// CHECK: qc.transpose %{{.*}} : (tensor<?x3xf32>) -> tensor<3x?xf32>
func.func @left_alone(%x: tensor<?x4xf32>, %s: tensor<2xi64>, %y: tensor<3x4xf32>,
                      %img: tensor<1x1x2x2xf32>, %d: tensor<?x3xf32>)
    -> (tensor<?x2xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>,
        tensor<3x4xf32>, tensor<3x4xi1>, tensor<3x?xf32>) {
  %n = qc.none
  %0 = qc.reshape %x, %s : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x2xf32>
  %sc = qc.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %3 = qc.resize %img, %n, %sc, %n {mode = "cubic"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xf32>
  %roi = qc.constant dense<[0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]> : tensor<8xf32>
  %4 = qc.resize %img, %roi, %sc, %n {coordinate_transformation_mode = "tf_crop_and_resize", mode = "linear"} : (tensor<1x1x2x2xf32>, tensor<8xf32>, tensor<4xf32>, none) -> tensor<1x1x4x4xf32>
  %t = qc.constant dense<true> : tensor<i1>
  %6, %7 = qc.dropout %y, %n, %t : (tensor<3x4xf32>, none, tensor<i1>) -> (tensor<3x4xf32>, tensor<3x4xi1>)
  %8 = qc.transpose %d : (tensor<?x3xf32>) -> tensor<3x?xf32>
  return %0, %3, %4, %6, %7, %8 : tensor<?x2xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<3x4xf32>, tensor<3x4xi1>, tensor<3x?xf32>
}

// -----

// A training-mode flag known only at run time keeps Dropout, even when only
// its output is used: in training mode the output is random.
// CHECK-LABEL: func.func @dropout_runtime_training_flag
// CHECK: qc.dropout
func.func @dropout_runtime_training_flag(%y: tensor<3xf32>, %t: tensor<i1>) -> tensor<3xf32> {
  %n = qc.none
  %o, %m = qc.dropout %y, %n, %t : (tensor<3xf32>, none, tensor<i1>) -> (tensor<3xf32>, none)
  return %o : tensor<3xf32>
}

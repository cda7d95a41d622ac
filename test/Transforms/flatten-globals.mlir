// RUN: %quantc-opt %s --qc-flatten-globals | FileCheck %s

// A 2x3 constant becomes a 6-element global; its reads are the flat global
// expanded back to 2x3. 1-D globals stay as they are.
// CHECK-DAG: memref.global "private" constant @weights : memref<6xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]>
// CHECK-DAG: memref.global "private" constant @bias : memref<3xf32> = dense<[7.000000e+00, 8.000000e+00, 9.000000e+00]>
// CHECK-LABEL: func.func @main
// CHECK: %[[FLAT:.*]] = memref.get_global @weights : memref<6xf32>
// CHECK: %[[W:.*]] = memref.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [2, 3] : memref<6xf32> into memref<2x3xf32>
// CHECK: memref.get_global @bias : memref<3xf32>
// CHECK: memref.copy %[[W]], %arg0
memref.global "private" constant @weights : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
memref.global "private" constant @bias : memref<3xf32> = dense<[7.0, 8.0, 9.0]>
func.func @main(%out: memref<2x3xf32>, %out2: memref<3xf32>) {
  %w = memref.get_global @weights : memref<2x3xf32>
  %b = memref.get_global @bias : memref<3xf32>
  memref.copy %w, %out : memref<2x3xf32> to memref<2x3xf32>
  memref.copy %b, %out2 : memref<3xf32> to memref<3xf32>
  return
}

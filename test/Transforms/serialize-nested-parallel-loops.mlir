// RUN: %quantc-opt %s --qc-serialize-nested-parallel-loops | FileCheck %s

// The outer loop stays parallel; the parallel loop inside the reduction
// loop becomes an scf.for nest with the same body.
// CHECK-LABEL: func.func @nest
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK:   scf.for %[[K:.*]] =
// CHECK:     scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK:       memref.load %{{.*}}[%[[I]], %[[K]]]
// CHECK:       memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]]]
// CHECK-NOT: scf.parallel
func.func @nest(%a: memref<64x8xf32>, %c: memref<64x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    scf.for %k = %c0 to %c8 step %c1 {
      scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
        %v = memref.load %a[%i, %k] : memref<64x8xf32>
        memref.store %v, %c[%i, %j] : memref<64x16xf32>
        scf.reduce
      }
    }
    scf.reduce
  }
  return
}

// An outermost 4-D loop keeps its leading dimensions parallel until they
// give 64 chunks (1 x 64 here); the others become scf.for loops inside.
// CHECK-LABEL: func.func @split
// CHECK: scf.parallel (%[[N:.*]], %[[C:.*]]) = (%{{.*}}, %{{.*}}) to (%{{.*}}, %{{.*}}) step
// CHECK:   scf.for %[[H:.*]] =
// CHECK:     scf.for %[[W:.*]] =
// CHECK:       memref.load %{{.*}}[%[[N]], %[[C]], %[[H]], %[[W]]]
// CHECK-NOT: scf.parallel
func.func @split(%a: memref<1x64x56x56xf32>, %b: memref<1x64x56x56xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c56 = arith.constant 56 : index
  scf.parallel (%n, %c, %h, %w) = (%c0, %c0, %c0, %c0) to (%c1, %c64, %c56, %c56) step (%c1, %c1, %c1, %c1) {
    %v = memref.load %a[%n, %c, %h, %w] : memref<1x64x56x56xf32>
    memref.store %v, %b[%n, %c, %h, %w] : memref<1x64x56x56xf32>
    scf.reduce
  }
  return
}

// A loop of fewer than 4096 iterations (with its inner loops) runs on the
// calling thread.
// CHECK-LABEL: func.func @tiny
// CHECK-NOT: scf.parallel
// CHECK: scf.for
// CHECK-NOT: scf.parallel
func.func @tiny(%a: memref<512xf32>, %b: memref<512xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c512 = arith.constant 512 : index
  scf.parallel (%i) = (%c0) to (%c512) step (%c1) {
    %v = memref.load %a[%i] : memref<512xf32>
    memref.store %v, %b[%i] : memref<512xf32>
    scf.reduce
  }
  return
}

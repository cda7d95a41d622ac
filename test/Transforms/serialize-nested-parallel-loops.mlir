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
func.func @nest(%a: memref<4x8xf32>, %c: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %k = %c0 to %c8 step %c1 {
      scf.parallel (%j) = (%c0) to (%c16) step (%c1) {
        %v = memref.load %a[%i, %k] : memref<4x8xf32>
        memref.store %v, %c[%i, %j] : memref<4x16xf32>
        scf.reduce
      }
    }
    scf.reduce
  }
  return
}

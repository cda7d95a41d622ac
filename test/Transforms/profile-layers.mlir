// RUN: %quantc-opt %s --qc-profile-layers | FileCheck %s

// Each layer at the top of main (a microkernel call, a linalg op, a copy)
// is bracketed by the clock and the add into its row of the table: kind,
// multiply-adds (the call's qc.macs), nanoseconds, calls. Names are the
// layers' ONNX node names; ops that are not layers are left alone.
// "stem.conv\0layer1.add+layer1.relu\0output\0" and a final NUL.
// CHECK-DAG: memref.global "public" constant @qc_profile_count : memref<1xi64> = dense<3>
// CHECK-DAG: memref.global "public" @qc_profile_layers : memref<3x4xi64> = dense<{{\[\[}}1, 1728, 0, 0], [0, 0, 0, 0], [4, 0, 0, 0]]>
// CHECK-DAG: memref.global "public" constant @qc_profile_names : memref<41xi8> = dense<[115, 116, 101, 109, 46, 99, 111, 110, 118, 0, 108, 97, 121, 101, 114, 49, 46, 97, 100, 100, 43, 108, 97, 121, 101, 114, 49, 46, 114, 101, 108, 117, 0, 111, 117, 116, 112, 117, 116, 0, 0]>
// CHECK-DAG: func.func private @qc_uk_profile_now() -> i64
// CHECK-DAG: func.func private @qc_uk_profile_add(index, i64)
// CHECK-LABEL: func.func @main
// CHECK: %[[TABLE:.*]] = memref.get_global @qc_profile_layers
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[TABLE]]
// CHECK: %[[T0:.*]] = call @qc_uk_profile_now()
// CHECK-NEXT: call @qc_uk_conv2d_i8
// CHECK-NEXT: %[[OFF0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[ROW0:.*]] = arith.addi %[[BASE]], %[[OFF0]]
// CHECK-NEXT: call @qc_uk_profile_add(%[[ROW0]], %[[T0]])
// CHECK-NEXT: %[[T1:.*]] = call @qc_uk_profile_now()
// CHECK-NEXT: linalg.generic
// CHECK: %[[OFF1:.*]] = arith.constant 32 : index
// CHECK-NEXT: %[[ROW1:.*]] = arith.addi %[[BASE]], %[[OFF1]]
// CHECK-NEXT: call @qc_uk_profile_add(%[[ROW1]], %[[T1]])
// CHECK-NEXT: %[[T2:.*]] = call @qc_uk_profile_now()
// CHECK-NEXT: memref.copy
// CHECK-NEXT: %[[OFF2:.*]] = arith.constant 64 : index
// CHECK-NEXT: %[[ROW2:.*]] = arith.addi %[[BASE]], %[[OFF2]]
// CHECK-NEXT: call @qc_uk_profile_add(%[[ROW2]], %[[T2]])
// CHECK-NOT: qc_uk_profile
// CHECK: return
func.func private @qc_uk_conv2d_i8(index)
func.func @main(%a: memref<4xi32>, %b: memref<4xi32>) {
  %c = arith.constant 0 : index
  call @qc_uk_conv2d_i8(%c) {qc.macs = 1728 : i64} : (index) -> () loc("stem.conv")
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : memref<4xi32>) outs(%b : memref<4xi32>) {
  ^bb0(%x: i32, %y: i32):
    %s = arith.addi %x, %x : i32
    linalg.yield %s : i32
  } loc(fused["layer1.add", "layer1.relu"])
  memref.copy %b, %a : memref<4xi32> to memref<4xi32> loc("output")
  return
}

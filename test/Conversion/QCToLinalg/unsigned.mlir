// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// Unsigned integers compute on their signless twins inside the generic:
// the elements are reinterpreted in and out, and division picks divui.
// CHECK-LABEL: func.func @div_u8
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: ui8, %[[Y:.*]]: ui8, %{{.*}}: ui8):
// CHECK-DAG: %[[XS:.*]] = builtin.unrealized_conversion_cast %[[X]] : ui8 to i8
// CHECK-DAG: %[[YS:.*]] = builtin.unrealized_conversion_cast %[[Y]] : ui8 to i8
// CHECK: %[[Q:.*]] = arith.divui %[[XS]], %[[YS]] : i8
// CHECK: %[[QU:.*]] = builtin.unrealized_conversion_cast %[[Q]] : i8 to ui8
// CHECK: linalg.yield %[[QU]] : ui8
// CHECK-NOT: qc.div
func.func @div_u8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = qc.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Unsigned order for comparisons, Max/Min and Mod (remui, zero divisor
// guarded).
// CHECK-LABEL: func.func @order_u32
// CHECK: arith.cmpi ugt
// CHECK: arith.maxui
// CHECK: arith.minui
// CHECK: arith.remui
// CHECK-NOT: arith.cmpi sgt
// CHECK-NOT: arith.maxsi
// CHECK-NOT: arith.remsi
func.func @order_u32(%a: tensor<4xui32>, %b: tensor<4xui32>) -> (tensor<4xi1>, tensor<4xui32>, tensor<4xui32>, tensor<4xui32>) {
  %0 = qc.greater %a, %b : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
  %1 = qc.max %a, %b : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  %2 = qc.min %a, %b : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  %3 = qc.mod %a, %b : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return %0, %1, %2, %3 : tensor<4xi1>, tensor<4xui32>, tensor<4xui32>, tensor<4xui32>
}

// -----

// An unsigned exponent converts with uitofp.
// CHECK-LABEL: func.func @pow_u64_exponent
// CHECK: arith.uitofp %{{.*}} : i64 to f32
// CHECK: math.powf
func.func @pow_u64_exponent(%a: tensor<3xf32>, %b: tensor<3xui64>) -> tensor<3xf32> {
  %0 = qc.pow %a, %b : (tensor<3xf32>, tensor<3xui64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Integer Pow computes in f64 and truncates back.
// CHECK-LABEL: func.func @pow_int
// CHECK: arith.sitofp %{{.*}} : i32 to f64
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: math.powf %{{.*}}, %{{.*}} : f64
// CHECK: arith.fptosi %{{.*}} : f64 to i32
func.func @pow_int(%a: tensor<3xi32>, %b: tensor<3xf32>) -> tensor<3xi32> {
  %0 = qc.pow %a, %b : (tensor<3xi32>, tensor<3xf32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// Zero points by the row/column-sum expansion: the product sum runs on the
// raw u8/i8 values (zero- and sign-extended), then one generic subtracts
// za * colsum(b) and zb[n] * rowsum(a) and adds K * za * zb[n] (K = 3).
// CHECK-LABEL: func.func @matmul_integer_zero_points
// CHECK: %[[K:.*]] = arith.constant 3 : i32
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}} ins(%arg0, %arg1
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.muli
// CHECK: %[[COLS:.*]] = linalg.generic {{.*}} ins(%arg1 : tensor<3x4xi8>) outs(%{{.*}} : tensor<4xi32>)
// CHECK: %[[ROWS:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<2x3xui8>) outs(%{{.*}} : tensor<2xi32>)
// CHECK: linalg.generic {{.*}} ins(%[[ACC]], %[[COLS]], %arg2, %[[ROWS]], %arg3 :
// CHECK: arith.subi
// CHECK: arith.subi
// CHECK: arith.muli %{{.*}}, %[[K]]
// CHECK-NOT: qc.matmul_integer
func.func @matmul_integer_zero_points(%a: tensor<2x3xui8>, %b: tensor<3x4xi8>, %za: tensor<ui8>, %zb: tensor<4xi8>) -> tensor<2x4xi32> {
  %0 = qc.matmul_integer %a, %b, %za, %zb : (tensor<2x3xui8>, tensor<3x4xi8>, tensor<ui8>, tensor<4xi8>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// Without zero points there is only the product sum; grouped channels are
// read through (m floordiv M/G) * C/G + c.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (d1 floordiv 2) * 2 + d4, d2 + d5, d3 + d6)>
// CHECK-LABEL: func.func @conv_integer_grouped
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[X]],
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @conv_integer_grouped(%x: tensor<1x4x4x4xi8>, %w: tensor<4x2x3x3xi8>) -> tensor<1x4x4x4xi32> {
  %n = qc.none
  %0 = qc.conv_integer %x, %w, %n, %n {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x4x4xi8>, tensor<4x2x3x3xi8>, none, none) -> tensor<1x4x4x4xi32>
  return %0 : tensor<1x4x4x4xi32>
}

// -----

// A uint8 input is padded with its zero point (as signless bits, read
// back zero-extended); the filter sums correct it.
// CHECK-LABEL: func.func @conv_integer_input_zero_point
// CHECK: %[[E:.*]] = tensor.extract %arg2[]
// CHECK: %[[ZX:.*]] = builtin.unrealized_conversion_cast %[[E]] : ui8 to i8
// CHECK: %[[BITS:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<1x1x4x4xui8>) outs(%{{.*}} : tensor<1x1x4x4xi8>)
// CHECK: tensor.pad %[[BITS]]
// CHECK: tensor.yield %[[ZX]] : i8
// CHECK: linalg.generic
// CHECK: %[[SUMS:.*]] = linalg.generic {{.*}} ins(%arg1 : tensor<2x1x3x3xi8>) outs(%{{.*}} : tensor<2xi32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[SUMS]], %arg2 :
func.func @conv_integer_input_zero_point(%x: tensor<1x1x4x4xui8>, %w: tensor<2x1x3x3xi8>, %zx: tensor<ui8>) -> tensor<1x2x4x4xi32> {
  %n = qc.none
  %0 = qc.conv_integer %x, %w, %zx, %n {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xui8>, tensor<2x1x3x3xi8>, tensor<ui8>, none) -> tensor<1x2x4x4xi32>
  return %0 : tensor<1x2x4x4xi32>
}

// -----

// Per-channel fixed-point requantize with a residual term: 64-bit products,
// a rounding shift half to even (add half - 1 and the parity of the floor,
// bit `shift` of the sum, then shift), the output zero point and the clamp
// range.
// CHECK-LABEL: func.func @requantize_per_channel_residual
// CHECK-DAG: %[[LO:.*]] = arith.constant -3 : i64
// CHECK-DAG: %[[HI:.*]] = arith.constant 127 : i64
// CHECK-DAG: %[[RZ:.*]] = arith.constant 5 : i64
// CHECK-DAG: arith.constant dense<[1073741824, 1500000000]> : tensor<2xi64>
// CHECK-DAG: arith.constant dense<[40, 41]> : tensor<2xi64>
// CHECK: linalg.generic
// CHECK: %[[A:.*]] = arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.muli %[[A]]
// CHECK: %[[R:.*]] = arith.extsi %{{.*}} : i8 to i64
// CHECK: arith.subi %[[R]], %[[RZ]]
// CHECK: %[[T:.*]] = arith.addi
// CHECK: %[[FLOOR:.*]] = arith.shrsi %[[T]], %[[S:.*]] : i64
// CHECK: %[[PARITY:.*]] = arith.andi %[[FLOOR]], %[[ONE:.*]] : i64
// CHECK: %[[HALF1:.*]] = arith.subi %{{.*}}, %[[ONE]] : i64
// CHECK: %[[BIAS:.*]] = arith.addi %[[HALF1]], %[[PARITY]] : i64
// CHECK: %[[SUM:.*]] = arith.addi %[[T]], %[[BIAS]] : i64
// CHECK: arith.shrsi %[[SUM]], %[[S]] : i64
// CHECK: arith.maxsi %{{.*}}, %[[LO]]
// CHECK: arith.minsi %{{.*}}, %[[HI]]
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @requantize_per_channel_residual(%acc: tensor<1x2x3xi32>, %r: tensor<1x2x3xi8>) -> tensor<1x2x3xi8> {
  %0 = qc.requantize %acc, %r {multiplier = array<i64: 1073741824, 1500000000>, shift = array<i64: 40, 41>, residual_multiplier = array<i64: 3, 4>, residual_zero_point = 5, output_zero_point = -3, clamp_min = -3, clamp_max = 127} : (tensor<1x2x3xi32>, tensor<1x2x3xi8>) -> tensor<1x2x3xi8>
  return %0 : tensor<1x2x3xi8>
}

// -----

// Half away from zero: add half (half - 1 below zero), then shift.
// CHECK-LABEL: func.func @requantize_away_from_zero
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: arith.addi
// CHECK: arith.shrsi
// CHECK-NOT: arith.cmpi eq
func.func @requantize_away_from_zero(%acc: tensor<4xi32>) -> tensor<4xui8> {
  %0 = qc.requantize %acc {multiplier = array<i64: 1073741824>, shift = array<i64: 31>, output_zero_point = 128, clamp_min = 0, clamp_max = 255, rounding = "half_away_from_zero"} : (tensor<4xi32>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// f32 -> float8 E4M3FN rounds on the bits (round to nearest even), maps
// out-of-range values to the largest finite code 0x7E (saturate = 1) and
// NaN to 0x7F, and sets the sign bit.
// CHECK-LABEL: func.func @f32_to_e4m3fn
// CHECK-DAG: %[[MAX:.*]] = arith.constant 126 : i32
// CHECK-DAG: %[[NAN:.*]] = arith.constant 127 : i32
// CHECK: linalg.generic
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: math.roundeven
// CHECK: %[[OVER:.*]] = arith.cmpi ugt, %{{.*}}, %[[MAX]] : i32
// CHECK: arith.select %[[OVER]], %[[MAX]], %{{.*}} : i32
// CHECK: arith.select %{{.*}}, %[[NAN]], %{{.*}} : i32
// CHECK: %[[T:.*]] = arith.trunci %{{.*}} : i32 to i8
// CHECK: %[[F:.*]] = arith.bitcast %[[T]] : i8 to f8E4M3FN
// CHECK: linalg.yield %[[F]] : f8E4M3FN
func.func @f32_to_e4m3fn(%x: tensor<4xf32>) -> tensor<4xf8E4M3FN> {
  %0 = qc.cast %x {to = 17 : i64} : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// -----

// Without saturation E5M2 overflows to infinity (code 0x7C).
// CHECK-LABEL: func.func @f16_to_e5m2_no_saturate
// CHECK: %[[INF:.*]] = arith.constant 124 : i32
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.select %{{.*}}, %[[INF]], %{{.*}} : i32
// CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2
func.func @f16_to_e5m2_no_saturate(%x: tensor<4xf16>) -> tensor<4xf8E5M2> {
  %0 = qc.cast %x {to = 19 : i64, saturate = 0 : i64} : (tensor<4xf16>) -> tensor<4xf8E5M2>
  return %0 : tensor<4xf8E5M2>
}

// -----

// float8 -> f32 decodes exactly: significand times a power of two built on
// the f32 exponent bits.
// CHECK-LABEL: func.func @e4m3fnuz_to_f32
// CHECK: arith.bitcast %{{.*}} : f8E4M3FNUZ to i8
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.uitofp
// CHECK: arith.mulf
func.func @e4m3fnuz_to_f32(%x: tensor<4xf8E4M3FNUZ>) -> tensor<4xf32> {
  %0 = qc.cast %x {to = 1 : i64} : (tensor<4xf8E4M3FNUZ>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Floats to 4-bit integers truncate toward zero and wrap (through i64);
// uint4 widens with extui.
// CHECK-LABEL: func.func @int4_casts
// CHECK: arith.fptosi %{{.*}} : f32 to i64
// CHECK: arith.trunci %{{.*}} : i64 to i4
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : ui4 to i4
// CHECK: arith.extui %{{.*}} : i4 to i8
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : i8 to ui8
func.func @int4_casts(%x: tensor<4xf32>, %u: tensor<4xui4>) -> (tensor<4xi4>, tensor<4xui8>) {
  %0 = qc.cast %x {to = 22 : i64} : (tensor<4xf32>) -> tensor<4xi4>
  %1 = qc.cast %u {to = 2 : i64} : (tensor<4xui4>) -> tensor<4xui8>
  return %0, %1 : tensor<4xi4>, tensor<4xui8>
}

// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// Per-axis QuantizeLinear to uint8: the scale and zero point are read along
// the axis; round half to even, add the zero point, saturate to [0, 255].
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AXIS]], #[[AXIS]], #[[ID]]]
// CHECK-DAG: arith.uitofp %{{.*}} : i8 to f32
// CHECK-DAG: arith.divf
// CHECK-DAG: math.roundeven
// CHECK: arith.maxnumf
// CHECK: arith.minnumf
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK: builtin.unrealized_conversion_cast %{{.*}} : i8 to ui8
// CHECK-NOT: qc.quantize_linear
func.func @quantize_per_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %zp: tensor<3xui8>) -> tensor<2x3xui8> {
  %0 = qc.quantize_linear %x, %s, %zp : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xui8>) -> tensor<2x3xui8>
  return %0 : tensor<2x3xui8>
}

// -----

// A constant zero point is read as f32 values (an unsigned splat would
// otherwise become an invalid unsigned arith.constant in the body).
// CHECK-LABEL: func.func @dequantize_constant_uint8_zero_point
// CHECK: %[[ZP:.*]] = arith.constant dense<1.280000e+02> : tensor<f32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %{{.*}}, %[[ZP]] : tensor<4xui8>, tensor<f32>, tensor<f32>)
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK-NEXT: arith.subf
func.func @dequantize_constant_uint8_zero_point(%x: tensor<4xui8>) -> tensor<4xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %zp = qc.constant dense<128> : tensor<ui8>
  %0 = qc.dequantize_linear %x, %s, %zp : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Blocked DequantizeLinear: blocks of 2 along axis 1 share a scale and a
// zero point.
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 2)>
// CHECK-LABEL: func.func @dequantize_blocked
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[BLOCK]], #[[BLOCK]], #{{.*}}]
// CHECK: arith.sitofp %{{.*}} : i4 to f32
// CHECK: arith.subf
// CHECK: arith.mulf
func.func @dequantize_blocked(%x: tensor<3x4xi4>, %s: tensor<3x2xf32>, %zp: tensor<3x2xi4>) -> tensor<3x4xf32> {
  %0 = qc.dequantize_linear %x, %s, %zp {axis = 1 : i64, block_size = 2 : i64} : (tensor<3x4xi4>, tensor<3x2xf32>, tensor<3x2xi4>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// QuantizeLinear to float8 casts x / scale with ONNX Cast rounding.
// CHECK-LABEL: func.func @quantize_e4m3fn
// CHECK: arith.divf
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: arith.bitcast %{{.*}} : i8 to f8E4M3FN
func.func @quantize_e4m3fn(%x: tensor<5xf32>, %s: tensor<f32>) -> tensor<5xf8E4M3FN> {
  %n = qc.none
  %0 = qc.quantize_linear %x, %s, %n : (tensor<5xf32>, tensor<f32>, none) -> tensor<5xf8E4M3FN>
  return %0 : tensor<5xf8E4M3FN>
}

// -----

// DynamicQuantizeLinear: min and max (from 0) in one reduction, then the
// scale, zero point and quantized values.
// CHECK-LABEL: func.func @dynamic_quantize
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}}iterator_types = ["reduction"]
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: %[[LO:.*]] = tensor.extract %[[R]]#0[]
// CHECK: %[[HI:.*]] = tensor.extract %[[R]]#1[]
// CHECK: %[[RANGE:.*]] = arith.subf %[[HI]], %[[LO]]
// CHECK: arith.divf %[[RANGE]]
// CHECK: tensor.from_elements %{{.*}} : tensor<f32>
// CHECK: tensor.from_elements %{{.*}} : tensor<ui8>
func.func @dynamic_quantize(%x: tensor<6xf32>) -> (tensor<6xui8>, tensor<f32>, tensor<ui8>) {
  %y, %s, %zp = qc.dynamic_quantize_linear %x : (tensor<6xf32>) -> (tensor<6xui8>, tensor<f32>, tensor<ui8>)
  return %y, %s, %zp : tensor<6xui8>, tensor<f32>, tensor<ui8>
}

// RUN: %quantc-opt %s --split-input-file --qc-fold-qdq | FileCheck %s

// Add of two quantized tensors with different scales and zero points, then
// Relu: one requantize with a term per input (0.5 / 0.25 = 2 and
// 0.125 / 0.25 = 0.5 at one shift) and the clamp from the output zero
// point.
// CHECK-LABEL: func.func @add_relu
// CHECK: %[[A:.*]] = qc.quantize_linear %arg0
// CHECK: %[[B:.*]] = qc.quantize_linear %arg1
// CHECK: qc.requantize %[[A]], %[[B]] {clamp_max = 127 : i64, clamp_min = 5 : i64, input_zero_point = 1 : i64, multiplier = array<i64: 1073741824>, output_zero_point = 5 : i64, residual_multiplier = array<i64: 268435456>, residual_zero_point = -2 : i64, shift = array<i64: 29>}
// CHECK-NOT: qc.add
// CHECK-NOT: qc.relu
func.func @add_relu(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %sa = qc.constant dense<0.5> : tensor<f32>
  %za = qc.constant dense<1> : tensor<i8>
  %sb = qc.constant dense<0.125> : tensor<f32>
  %zb = qc.constant dense<-2> : tensor<i8>
  %qa = qc.quantize_linear %a, %sa, %za {qtype = !quant.uniform<i8:f32, 0.5:1>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %da = qc.dequantize_linear %qa, %sa, %za {qtype = !quant.uniform<i8:f32, 0.5:1>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  %qb = qc.quantize_linear %b, %sb, %zb {qtype = !quant.uniform<i8:f32, 0.125:-2>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %db = qc.dequantize_linear %qb, %sb, %zb {qtype = !quant.uniform<i8:f32, 0.125:-2>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  %s = qc.add %da, %db : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = qc.relu %s : (tensor<4xf32>) -> tensor<4xf32>
  %so = qc.constant dense<0.25> : tensor<f32>
  %zo = qc.constant dense<5> : tensor<i8>
  %q = qc.quantize_linear %r, %so, %zo {qtype = !quant.uniform<i8:f32, 0.25:5>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %dq = qc.dequantize_linear %q, %so, %zo {qtype = !quant.uniform<i8:f32, 0.25:5>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return %dq : tensor<4xf32>
}

// -----

// GlobalAveragePool: the int8 values widen to i32 (Cast to INT32), sum over
// H and W, and one requantize subtracts 4 * zero point and scales by
// s_x / (4 * s_y) = 0.5 / 4.
// CHECK-LABEL: func.func @global_average_pool
// CHECK-DAG: %[[AXES:.*]] = qc.constant dense<[2, 3]> : tensor<2xi64>
// CHECK: %[[W:.*]] = qc.cast %{{.*}} {to = 6 : i64} : (tensor<1x3x2x2xi8>) -> tensor<1x3x2x2xi32>
// CHECK: %[[S:.*]] = qc.reduce_sum %[[W]], %[[AXES]] : (tensor<1x3x2x2xi32>, tensor<2xi64>) -> tensor<1x3x1x1xi32>
// CHECK: qc.requantize %[[S]] {clamp_max = 127 : i64, clamp_min = -128 : i64, input_zero_point = 12 : i64, multiplier = array<i64: 1073741824>, shift = array<i64: 33>}
func.func @global_average_pool(%x: tensor<1x3x2x2xf32>) -> tensor<1x3x1x1xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %z = qc.constant dense<3> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.5:3>} : (tensor<1x3x2x2xf32>, tensor<f32>, tensor<i8>) -> tensor<1x3x2x2xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.5:3>} : (tensor<1x3x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<1x3x2x2xf32>
  %p = qc.global_average_pool %dq : (tensor<1x3x2x2xf32>) -> tensor<1x3x1x1xf32>
  %so = qc.constant dense<1.0> : tensor<f32>
  %zo = qc.constant dense<0> : tensor<i8>
  %q2 = qc.quantize_linear %p, %so, %zo {qtype = !quant.uniform<i8:f32, 1.0>} : (tensor<1x3x1x1xf32>, tensor<f32>, tensor<i8>) -> tensor<1x3x1x1xi8>
  %dq2 = qc.dequantize_linear %q2, %so, %zo {qtype = !quant.uniform<i8:f32, 1.0>} : (tensor<1x3x1x1xi8>, tensor<f32>, tensor<i8>) -> tensor<1x3x1x1xf32>
  return %dq2 : tensor<1x3x1x1xf32>
}

// -----

// Negative case: Sigmoid has no integer form; its input DQ and output Q
// stay and say so.
// CHECK-LABEL: func.func @sigmoid_stays_float
// CHECK: qc.dequantize_linear {{.*}}qc.unfolded = "'sigmoid' has no int8 kernel here
// CHECK: qc.sigmoid
// CHECK: qc.quantize_linear {{.*}}qc.unfolded = "producer 'sigmoid' has no int8 form
func.func @sigmoid_stays_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  %y = qc.sigmoid %dq : (tensor<4xf32>) -> tensor<4xf32>
  %q2 = qc.quantize_linear %y, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %dq2 = qc.dequantize_linear %q2, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return %dq2 : tensor<4xf32>
}

// -----

// Negative case: an Add of two quantized tensors whose result stays float
// (a transformer's residual feeding LayerNorm) runs in float, and says so.
// CHECK-LABEL: func.func @add_result_float
// CHECK: qc.dequantize_linear {{.*}}qc.unfolded = "'add' result stays float (no QuantizeLinear after it), so it runs in float"
// CHECK: qc.add {{.*}} -> tensor<4xf32>
// CHECK-NOT: qc.requantize
func.func @add_result_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %qa = qc.quantize_linear %a, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %da = qc.dequantize_linear %qa, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  %qb = qc.quantize_linear %b, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %db = qc.dequantize_linear %qb, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  %y = qc.add %da, %db : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

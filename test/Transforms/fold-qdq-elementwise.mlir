// RUN: %quantc-opt %s --split-input-file --qc-fold-qdq --mlir-print-elementsattrs-with-hex-if-larger=1000 | FileCheck %s

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

// Negative case: Cos has no integer form here (no lookup table for it);
// its input DQ and output Q stay and say so.
// CHECK-LABEL: func.func @cos_stays_float
// CHECK: qc.dequantize_linear {{.*}}qc.unfolded = "'cos' has no int8 kernel here
// CHECK: qc.cos
// CHECK: qc.quantize_linear {{.*}}qc.unfolded = "producer 'cos' has no int8 form
func.func @cos_stays_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  %y = qc.cos %dq : (tensor<4xf32>) -> tensor<4xf32>
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

// -----

// Sigmoid between quantized tensors: a 256-entry table of Q(sigmoid(DQ(v)))
// for every int8 v, read at x + 128. Entry 0 (v = -128, x = -64.0) is
// Q(~0) = 0; entry 128 (v = 0) is Q(0.5) = round(0.5 * 127 / 1) = 64 at
// s_y = 1/127; entry 255 (v = 127, 63.5) is 127.
// CHECK-LABEL: func.func @sigmoid_table
// CHECK-DAG: %[[T:.*]] = qc.constant dense<[0, 0,{{.*}} 64, {{.*}}127]> : tensor<256xi8>
// CHECK-DAG: %[[LO:.*]] = qc.constant dense<-128> : tensor<i64>
// CHECK: %[[W:.*]] = qc.cast %{{.*}} {to = 7 : i64} : (tensor<4xi8>) -> tensor<4xi64>
// CHECK: %[[I:.*]] = qc.sub %[[W]], %[[LO]]
// CHECK: qc.gather %[[T]], %[[I]] : (tensor<256xi8>, tensor<4xi64>) -> tensor<4xi8>
// CHECK-NOT: qc.sigmoid
func.func @sigmoid_table(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = qc.constant dense<0.5> : tensor<f32>
  %z = qc.constant dense<0> : tensor<i8>
  %q = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %dq = qc.dequantize_linear %q, %s, %z {qtype = !quant.uniform<i8:f32, 0.5>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  %y = qc.sigmoid %dq : (tensor<4xf32>) -> tensor<4xf32>
  %so = qc.constant dense<0.007874016> : tensor<f32>
  %q2 = qc.quantize_linear %y, %so, %z {qtype = !quant.uniform<i8:f32, 0.007874016>} : (tensor<4xf32>, tensor<f32>, tensor<i8>) -> tensor<4xi8>
  %dq2 = qc.dequantize_linear %q2, %so, %z {qtype = !quant.uniform<i8:f32, 0.007874016>} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return %dq2 : tensor<4xf32>
}

// -----

// Mul of two quantized tensors (a gate, broadcast): (a - za)(b - zb) in i32,
// requantized at s_a * s_b / s_y = 0.5 * 0.25 / 0.125 = 1.
// CHECK-LABEL: func.func @mul_gate
// CHECK: %[[A:.*]] = qc.cast %{{.*}} {to = 6 : i64} : (tensor<1x2x2xui8>) -> tensor<1x2x2xi32>
// CHECK: %[[AC:.*]] = qc.sub %[[A]], %{{.*}} : (tensor<1x2x2xi32>, tensor<i32>) -> tensor<1x2x2xi32>
// CHECK: %[[B:.*]] = qc.cast %{{.*}} {to = 6 : i64} : (tensor<1x2x1xui8>) -> tensor<1x2x1xi32>
// CHECK: %[[P:.*]] = qc.mul %[[AC]], %[[B]] : (tensor<1x2x2xi32>, tensor<1x2x1xi32>) -> tensor<1x2x2xi32>
// CHECK: qc.requantize %[[P]] {clamp_max = 255 : i64, clamp_min = 0 : i64, multiplier = array<i64: 1073741824>, output_zero_point = 10 : i64, shift = array<i64: 30>}
func.func @mul_gate(%a: tensor<1x2x2xf32>, %b: tensor<1x2x1xf32>) -> tensor<1x2x2xf32> {
  %sa = qc.constant dense<0.5> : tensor<f32>
  %za = qc.constant dense<128> : tensor<ui8>
  %sb = qc.constant dense<0.25> : tensor<f32>
  %zb = qc.constant dense<0> : tensor<ui8>
  %qa = qc.quantize_linear %a, %sa, %za {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2xui8>
  %da = qc.dequantize_linear %qa, %sa, %za {qtype = !quant.uniform<u8:f32, 0.5:128>} : (tensor<1x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2xf32>
  %qb = qc.quantize_linear %b, %sb, %zb {qtype = !quant.uniform<u8:f32, 0.25>} : (tensor<1x2x1xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x1xui8>
  %db = qc.dequantize_linear %qb, %sb, %zb {qtype = !quant.uniform<u8:f32, 0.25>} : (tensor<1x2x1xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x1xf32>
  %m = qc.mul %da, %db : (tensor<1x2x2xf32>, tensor<1x2x1xf32>) -> tensor<1x2x2xf32>
  %so = qc.constant dense<0.125> : tensor<f32>
  %zo = qc.constant dense<10> : tensor<ui8>
  %q = qc.quantize_linear %m, %so, %zo {qtype = !quant.uniform<u8:f32, 0.125:10>} : (tensor<1x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2xui8>
  %dq = qc.dequantize_linear %q, %so, %zo {qtype = !quant.uniform<u8:f32, 0.125:10>} : (tensor<1x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2xf32>
  return %dq : tensor<1x2x2xf32>
}

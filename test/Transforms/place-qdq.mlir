// RUN: %quantc-opt %s --split-input-file --verify-diagnostics --qc-place-qdq | FileCheck %s
// RUN: %quantc-opt %s --split-input-file --verify-diagnostics --qc-place-qdq=per-channel=false | FileCheck %s --check-prefix=TENSOR

// Activations named in the calibration get one Q -> DQ pair after their
// definition (graph inputs at the start), int8 symmetric or uint8 with a
// zero point as the table says; only the ops the rules name read it (Add
// and Conv here, not Sigmoid). conv_out is not in the table: it stays
// float. The Conv's filter becomes int8, one scale per output channel
// (max|w| / 127), rounded half to even (63.5 -> 64).
// CHECK-LABEL: func.func @conv_add
// CHECK-DAG: %[[XS:.*]] = qc.constant dense<5.000000e-01> : tensor<f32>
// CHECK-DAG: %[[XZ:.*]] = qc.constant dense<0> : tensor<i8>
// CHECK: %[[XQ:.*]] = qc.quantize_linear %arg0, %[[XS]], %[[XZ]] {qtype = !quant.uniform<i8:f32, 5.000000e-01>} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x2x4x4xi8>
// CHECK: %[[XDQ:.*]] = qc.dequantize_linear %[[XQ]], %[[XS]], %[[XZ]] {qtype = !quant.uniform<i8:f32, 5.000000e-01>}
// CHECK-DAG: %[[WQ:.*]] = qc.constant dense<{{\[\[\[\[}}64]], {{\[\[}}-127]]], {{\[\[\[}}127]], {{\[\[}}64]]]]> : tensor<2x2x1x1xi8>
// CHECK-DAG: %[[WS:.*]] = qc.constant dense<[0.0157480314, 0.00393700786]> : tensor<2xf32>
// CHECK-DAG: %[[WZ:.*]] = qc.constant dense<0> : tensor<2xi8>
// CHECK: %[[W:.*]] = qc.dequantize_linear %[[WQ]], %[[WS]], %[[WZ]] {axis = 0 : i64, qtype = !quant.uniform<i8<-127:127>:f32:0, {0.015748031437397003,0.0039370078593492508}>}
// CHECK: %[[R:.*]] = qc.relu %arg0
// CHECK-DAG: %[[RS:.*]] = qc.constant dense<2.500000e-01> : tensor<f32>
// CHECK-DAG: %[[RZ:.*]] = qc.constant dense<10> : tensor<ui8>
// CHECK: %[[RQ:.*]] = qc.quantize_linear %[[R]], %[[RS]], %[[RZ]] {qtype = !quant.uniform<u8:f32, 2.500000e-01:10>} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
// CHECK: %[[RDQ:.*]] = qc.dequantize_linear %[[RQ]], %[[RS]], %[[RZ]]
// CHECK: %[[C:.*]] = qc.conv %[[RDQ]], %[[W]], %{{.*}} :
// CHECK: qc.add %[[C]], %[[XDQ]] :
// CHECK: qc.sigmoid %arg0
// The float filter is gone.
// CHECK-NOT: tensor<2x2x1x1xf32> = qc.constant
// Per tensor: one scale for the whole filter.
// TENSOR-LABEL: func.func @conv_add
// TENSOR: qc.constant dense<{{\[\[\[\[}}64]], {{\[\[}}-127]]], {{\[\[\[}}32]], {{\[\[}}16]]]]> : tensor<2x2x1x1xi8>
// TENSOR: qc.dequantize_linear {{.*}} {qtype = !quant.uniform<i8<-127:127>:f32, 0.015748031437397003>} : (tensor<2x2x1x1xi8>, tensor<f32>, tensor<i8>)
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.5>, relu_out = !quant.uniform<u8:f32, 0.25:10>}} {
func.func @conv_add(%x: tensor<1x2x4x4xf32> {qc.name = "x"}) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %none = qc.none
  %w = qc.constant dense<[[[[1.0]], [[-2.0]]], [[[0.5]], [[0.25]]]]> : tensor<2x2x1x1xf32>
  %r = qc.relu %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> loc(fused<["relu_out"]>["relu"])
  %c = qc.conv %r, %w, %none : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32> loc(fused<["conv_out"]>["conv"])
  %a = qc.add %c, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %s = qc.sigmoid %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %a, %s : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
}

// -----

// MatMul of two activations quantizes both; Gemm with transB takes its
// weight per row of B (axis 0), MatMul per column (axis 1). A Gemm whose
// input stays float keeps a float weight.
// CHECK-LABEL: func.func @matmul_gemm
// CHECK-DAG: %[[B:.*]] = qc.dequantize_linear {{.*}} {qtype = !quant.uniform<i8:f32, 2.000000e-01>}
// CHECK-DAG: %[[A:.*]] = qc.dequantize_linear {{.*}} {qtype = !quant.uniform<i8:f32, 1.000000e-01>}
// A zero row gets scale 1 (no division by zero).
// CHECK: qc.constant dense<{{\[\[}}32, 64, 95, 127], [127, 127, 127, 127], [0, 0, 0, 0]]> : tensor<3x4xi8>
// CHECK: qc.constant dense<[0.0314960629, 0.00787401571, 1.000000e+00]> : tensor<3xf32>
// CHECK: %[[WT:.*]] = qc.dequantize_linear {{.*}} {axis = 0 : i64, qtype = !quant.uniform<i8<-127:127>:f32:0, {{.*}}>} : (tensor<3x4xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<3x4xf32>
// (axis 1 is the default, so it is not printed.)
// CHECK: %[[WM:.*]] = qc.dequantize_linear {{.*}} {qtype = !quant.uniform<i8<-127:127>:f32:1, {{.*}}>} : (tensor<4x3xi8>, tensor<3xf32>, tensor<3xi8>) -> tensor<4x3xf32>
// CHECK: %[[MM:.*]] = qc.matmul %[[A]], %[[B]]
// CHECK: qc.quantize_linear %[[MM]], {{.*}} {qtype = !quant.uniform<i8:f32, 3.000000e-01>}
// CHECK-NEXT: %[[MMDQ:.*]] = qc.dequantize_linear
// CHECK: qc.gemm %[[A]], %[[WT]], %{{.*}} {transB = 1 : i64}
// CHECK: qc.matmul %[[MMDQ]], %[[WM]]
// CHECK: qc.gemm %arg2, %{{.*}} : (tensor<2x4xf32>, tensor<4x3xf32>, none)
// CHECK-NOT: qc.dequantize_linear
module attributes {qc.calibration = {a = !quant.uniform<i8:f32, 0.1>, b = !quant.uniform<i8:f32, 0.2>, mm = !quant.uniform<i8:f32, 0.3>}} {
func.func @matmul_gemm(%a: tensor<2x4xf32> {qc.name = "a"}, %b: tensor<4x4xf32> {qc.name = "b"}, %f: tensor<2x4xf32> {qc.name = "f"}) -> (tensor<2x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %none = qc.none
  %wt = qc.constant dense<[[1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]]> : tensor<3x4xf32>
  %wm = qc.constant dense<1.5> : tensor<4x3xf32>
  %mm = qc.matmul %a, %b : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32> loc(fused<["mm"]>["mm"])
  %g = qc.gemm %a, %wt, %none {transB = 1 : i64} : (tensor<2x4xf32>, tensor<3x4xf32>, none) -> tensor<2x3xf32>
  %m2 = qc.matmul %mm, %wm : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %g2 = qc.gemm %f, %wm, %none : (tensor<2x4xf32>, tensor<4x3xf32>, none) -> tensor<2x3xf32>
  return %mm, %g, %m2, %g2 : tensor<2x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
}

// -----

// expected-error@+1 {{no calibration: the module has no 'qc.calibration' attribute}}
module {
func.func @none(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
}

// -----

// expected-error@+1 {{calibration entry 'x' must be a per-tensor 8-bit !quant.uniform of f32}}
module attributes {qc.calibration = {x = 0.5 : f32}} {
func.func @bad_entry(%x: tensor<2xf32> {qc.name = "x"}) -> tensor<2xf32> {
  %y = qc.add %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
}

// -----

// An FP32 layer (qc.float_layers) keeps reading the float values, and its
// weight stays float: only conv_b, which also reads x, gets the Q/DQ.
// A bias correction is added to the float bias of the quantized layer
// (conv_b: [1, 2] + [0.5, -0.25]) and to a Conv that had none (conv_c).
// CHECK-LABEL: func.func @float_layer_and_bias
// CHECK: %[[XDQ:.*]] = qc.dequantize_linear
// CHECK: qc.conv %arg0, %{{.*}}, %{{.*}} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-DAG: %[[BB:.*]] = qc.constant dense<[1.500000e+00, 1.750000e+00]> : tensor<2xf32>
// CHECK: qc.conv %[[XDQ]], %{{.*}}, %[[BB]] : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>)
// CHECK: %[[BC:.*]] = qc.constant dense<[2.500000e-01, 0.000000e+00]> : tensor<2xf32>
// CHECK: qc.conv %{{.*}}, %{{.*}}, %[[BC]] :
// One Q/DQ pair for x in all.
// CHECK-NOT: qc.quantize_linear %arg0
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.5>, b_out = !quant.uniform<i8:f32, 0.5>},
                   qc.float_layers = ["conv_a"],
                   qc.bias_corrections = {conv_b = array<f32: 0.5, -0.25>, conv_c = array<f32: 0.25, 0.0>}} {
func.func @float_layer_and_bias(%x: tensor<1x2x4x4xf32> {qc.name = "x"}) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %none = qc.none
  %w = qc.constant dense<[[[[1.0]], [[-2.0]]], [[[0.5]], [[0.25]]]]> : tensor<2x2x1x1xf32>
  %b = qc.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %a = qc.conv %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc(fused<["a_out"]>["conv_a"])
  %c = qc.conv %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc(fused<["b_out"]>["conv_b"])
  %d = qc.conv %c, %w, %none : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32> loc(fused<["c_out"]>["conv_c"])
  return %a, %d : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
}

// -----

// A bias correction for a layer that has no per-channel bias is an error.
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.5>},
                   qc.bias_corrections = {mm = array<f32: 0.5, 0.5, 0.5>}} {
func.func @bad_correction(%x: tensor<2x4xf32> {qc.name = "x"}) -> tensor<2x3xf32> {
  %w = qc.constant dense<1.0> : tensor<4x3xf32>
  // expected-error @unknown {{cannot apply the bias correction of layer 'mm'}}
  %m = qc.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32> loc(fused<["m_out"]>["mm"])
  return %m : tensor<2x3xf32>
}
}

// -----

// Rounded weights (qc.rounded_weights, from data-aware rounding) replace the
// round-to-nearest values of their layer only, at the same scales
// (max|w| / 127 per output channel): conv_r takes them, conv_n, reading the
// same float weight, is rounded to nearest ([64, -127; 127, 64]).
// CHECK-LABEL: func.func @rounded_weights
// CHECK-DAG: %[[RQ:.*]] = qc.constant dense<{{\[\[\[\[}}63]], {{\[\[}}-127]]], {{\[\[\[}}126]], {{\[\[}}65]]]]> : tensor<2x2x1x1xi8>
// CHECK-DAG: %[[NQ:.*]] = qc.constant dense<{{\[\[\[\[}}64]], {{\[\[}}-127]]], {{\[\[\[}}127]], {{\[\[}}64]]]]> : tensor<2x2x1x1xi8>
// CHECK-DAG: %[[RW:.*]] = qc.dequantize_linear %[[RQ]], %[[S:[^,]*]], %{{[^ ]*}} {axis = 0 : i64, qtype = !quant.uniform<i8<-127:127>:f32:0, {0.015748031437397003,0.0039370078593492508}>}
// CHECK-DAG: %[[NW:.*]] = qc.dequantize_linear %[[NQ]], %{{.*}} {axis = 0 : i64
// CHECK: qc.conv %{{.*}}, %[[RW]], %{{.*}}
// CHECK-NEXT: qc.conv %{{.*}}, %[[NW]], %{{.*}}
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.5>},
                   qc.rounded_weights = {conv_r = dense<[63, -127, 126, 65]> : tensor<4xi8>}} {
func.func @rounded_weights(%x: tensor<1x2x4x4xf32> {qc.name = "x"}) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %none = qc.none
  %w = qc.constant dense<[[[[1.0]], [[-2.0]]], [[[0.5]], [[0.25]]]]> : tensor<2x2x1x1xf32>
  %r = qc.conv %x, %w, %none : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32> loc(fused<["r_out"]>["conv_r"])
  %n = qc.conv %x, %w, %none : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32> loc(fused<["n_out"]>["conv_n"])
  return %r, %n : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
}

// -----

// Rounded weights must match the weight's size and stay in [-127, 127].
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.5>},
                   qc.rounded_weights = {mm = dense<[1, 2, 3]> : tensor<3xi8>}} {
func.func @rounded_wrong_size(%x: tensor<2x4xf32> {qc.name = "x"}) -> tensor<2x3xf32> {
  %w = qc.constant dense<1.0> : tensor<4x3xf32>
  // expected-error @unknown {{the rounded weights of layer 'mm' must be 12 int8 values in [-127, 127], one per weight element}}
  %m = qc.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32> loc(fused<["m_out"]>["mm"])
  return %m : tensor<2x3xf32>
}
}

// -----

module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.5>},
                   qc.rounded_weights = {mm = dense<[1, 2, 3, -128]> : tensor<4xi8>}} {
func.func @rounded_out_of_range(%x: tensor<2x2xf32> {qc.name = "x"}) -> tensor<2x2xf32> {
  %w = qc.constant dense<1.0> : tensor<2x2xf32>
  // expected-error @unknown {{the rounded weights of layer 'mm' must be 4 int8 values in [-127, 127]}}
  %m = qc.matmul %x, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32> loc(fused<["m_out"]>["mm"])
  return %m : tensor<2x2xf32>
}
}

// -----

// A bias correction of a MatMul goes into the constant its bias Add adds
// ([1, 2, 3] + [0.5, 0.5, -1]).
// CHECK-LABEL: func.func @matmul_bias_correction
// CHECK-DAG: %[[M:.*]] = qc.matmul
// CHECK-DAG: %[[B:.*]] = qc.constant dense<[1.500000e+00, 2.500000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK: qc.add %[[M]], %[[B]]
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.5>},
                   qc.bias_corrections = {mm = array<f32: 0.5, 0.5, -1.0>}} {
func.func @matmul_bias_correction(%x: tensor<2x4xf32> {qc.name = "x"}) -> tensor<2x3xf32> {
  %w = qc.constant dense<1.0> : tensor<4x3xf32>
  %b = qc.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %m = qc.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32> loc(fused<["m_out"]>["mm"])
  %y = qc.add %m, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
}

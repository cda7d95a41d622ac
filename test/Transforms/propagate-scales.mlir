// RUN: %quantc-opt %s --split-input-file --qc-place-qdq --qc-propagate-scales | FileCheck %s

// Backward through MaxPool, not Relu: the pooled tensor's quantization goes
// to the pool's input, the Relu's output, and stops there (a Relu fuses
// into the requantize of whatever kernel produces its input).
// CHECK-LABEL: func.func @backward
// CHECK-NOT: qc.quantize_linear %arg0
// CHECK: %[[R:.*]] = qc.relu %arg0
// CHECK: %[[RQ:.*]] = qc.quantize_linear %[[R]], {{.*}} {qtype = !quant.uniform<i8:f32, 5.000000e-01>}
// CHECK: %[[RDQ:.*]] = qc.dequantize_linear %[[RQ]]
// CHECK: %[[P:.*]], %{{.*}} = qc.max_pool %[[RDQ]]
// CHECK: qc.quantize_linear %[[P]], {{.*}} {qtype = !quant.uniform<i8:f32, 5.000000e-01>}
module attributes {qc.calibration = {pool_out = !quant.uniform<i8:f32, 0.5>}} {
func.func @backward(%x: tensor<1x2x4x4xf32> {qc.name = "x"}) -> tensor<1x2x2x2xf32> {
  %none = qc.none
  %w = qc.constant dense<1.0> : tensor<2x2x1x1xf32>
  %r = qc.relu %x : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p, %i = qc.max_pool %r {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, none) loc(fused<["pool_out"]>["pool"])
  %c = qc.conv %p, %w, %none : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x2x2xf32>
  return %c : tensor<1x2x2x2xf32>
}
}

// -----

// Forward: x is already quantized (for the Add), so the Reshape reads that
// int8 copy and its output takes x's quantization instead of its own
// (0.25, not 0.125): one int8 tensor, no requantization.
// CHECK-LABEL: func.func @forward
// CHECK: %[[XQ:.*]] = qc.quantize_linear %arg0, {{.*}} {qtype = !quant.uniform<i8:f32, 2.500000e-01>}
// CHECK: %[[XDQ:.*]] = qc.dequantize_linear %[[XQ]]
// CHECK: %[[R:.*]] = qc.reshape %[[XDQ]]
// CHECK: %[[RQ:.*]] = qc.quantize_linear %[[R]], {{.*}} {qtype = !quant.uniform<i8:f32, 2.500000e-01>} : (tensor<4x2xf32>, tensor<f32>, tensor<i8>) -> tensor<4x2xi8>
// CHECK: %[[RDQ:.*]] = qc.dequantize_linear %[[RQ]], {{.*}} {qtype = !quant.uniform<i8:f32, 2.500000e-01>}
// CHECK: qc.matmul %[[RDQ]]
// CHECK-NOT: 1.250000e-01
module attributes {qc.calibration = {x = !quant.uniform<i8:f32, 0.25>, r = !quant.uniform<i8:f32, 0.125>}} {
func.func @forward(%x: tensor<2x4xf32> {qc.name = "x"}, %y: tensor<2x4xf32> {qc.name = "y"}) -> (tensor<2x4xf32>, tensor<4x4xf32>) {
  %shape = qc.constant dense<[4, 2]> : tensor<2xi64>
  %a = qc.add %x, %x : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %r = qc.reshape %x, %shape : (tensor<2x4xf32>, tensor<2xi64>) -> tensor<4x2xf32> loc(fused<["r"]>["reshape"])
  %m = qc.matmul %r, %y : (tensor<4x2xf32>, tensor<2x4xf32>) -> tensor<4x4xf32>
  return %a, %m : tensor<2x4xf32>, tensor<4x4xf32>
}
}

// -----

// Concat: every input, constants too, takes the output's quantization
// (uint8 with zero point 3 here), and the walk goes on through the
// Transpose before one input.
// CHECK-LABEL: func.func @concat
// CHECK-DAG: %[[AQ:.*]] = qc.quantize_linear %arg0, {{.*}} {qtype = !quant.uniform<u8:f32, 1.000000e-01:3>}
// CHECK-DAG: %[[ADQ:.*]] = qc.dequantize_linear %[[AQ]]
// CHECK-DAG: %[[BQ:.*]] = qc.quantize_linear %arg1, {{.*}} {qtype = !quant.uniform<u8:f32, 1.000000e-01:3>}
// CHECK-DAG: %[[BDQ:.*]] = qc.dequantize_linear %[[BQ]]
// CHECK-DAG: %[[T:.*]] = qc.transpose %[[BDQ]]
// CHECK-DAG: %[[TQ:.*]] = qc.quantize_linear %[[T]], {{.*}} {qtype = !quant.uniform<u8:f32, 1.000000e-01:3>}
// CHECK-DAG: %[[TDQ:.*]] = qc.dequantize_linear %[[TQ]]
// CHECK-DAG: %[[KQ:.*]] = qc.quantize_linear %{{.*}}, {{.*}} {qtype = !quant.uniform<u8:f32, 1.000000e-01:3>} : (tensor<1x1x4x4xf32>
// CHECK-DAG: %[[KDQ:.*]] = qc.dequantize_linear %[[KQ]]
// CHECK: %[[C:.*]] = qc.concat %[[ADQ]], %[[TDQ]], %[[KDQ]]
// CHECK: qc.quantize_linear %[[C]], {{.*}} {qtype = !quant.uniform<u8:f32, 1.000000e-01:3>}
module attributes {qc.calibration = {cat = !quant.uniform<u8:f32, 0.1:3>}} {
func.func @concat(%a: tensor<1x2x4x4xf32> {qc.name = "a"}, %b: tensor<1x1x4x4xf32> {qc.name = "b"}) -> tensor<1x2x4x4xf32> {
  %none = qc.none
  %k = qc.constant dense<2.0> : tensor<1x1x4x4xf32>
  %w = qc.constant dense<1.0> : tensor<2x4x1x1xf32>
  %t = qc.transpose %b {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %c = qc.concat %a, %t, %k {axis = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x4x4x4xf32> loc(fused<["cat"]>["concat"])
  %y = qc.conv %c, %w, %none : (tensor<1x4x4x4xf32>, tensor<2x4x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
}

// -----

// Ops that do not commute with quantization stop the walk: Sigmoid, a Pad
// with a nonzero value, a linear Resize, a Clip with a run-time bound.
// CHECK-LABEL: func.func @stops
// CHECK-NOT: qc.quantize_linear %arg0
// CHECK: qc.sigmoid %arg0 :
// CHECK: qc.pad %arg0,
// CHECK: qc.resize %arg0,
// CHECK: qc.clip %arg0, %arg1,
// CHECK-NOT: qc.quantize_linear %arg0
module attributes {qc.calibration = {sig = !quant.uniform<i8:f32, 0.01>, padded = !quant.uniform<i8:f32, 0.02>, linear = !quant.uniform<i8:f32, 0.03>, clipped = !quant.uniform<i8:f32, 0.04>}} {
func.func @stops(%x: tensor<1x1x2x2xf32> {qc.name = "x"}, %lo: tensor<f32> {qc.name = "lo"}) -> (tensor<1x1x2x2xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>) {
  %none = qc.none
  %pads = qc.constant dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>
  %one = qc.constant dense<1.0> : tensor<f32>
  %scales = qc.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %s = qc.sigmoid %x : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> loc(fused<["sig"]>["sigmoid"])
  %p = qc.pad %x, %pads, %one, %none : (tensor<1x1x2x2xf32>, tensor<8xi64>, tensor<f32>, none) -> tensor<1x1x4x4xf32> loc(fused<["padded"]>["pad"])
  %r = qc.resize %x, %none, %scales, %none {mode = "linear"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xf32> loc(fused<["linear"]>["resize"])
  %c = qc.clip %x, %lo, %none : (tensor<1x1x2x2xf32>, tensor<f32>, none) -> tensor<1x1x2x2xf32> loc(fused<["clipped"]>["clip"])
  %s2 = qc.add %s, %s : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %p2 = qc.add %p, %r : (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %c2 = qc.add %c, %c : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %s2, %p2, %p2, %c2 : tensor<1x1x2x2xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x2x2xf32>
}
}

// -----

// The rest of the commuting ops: Pad with zeros, nearest Resize, Slice,
// Squeeze/Unsqueeze and Flatten all pass the quantization of the Gemm's
// input back to the output of the Clip, where it stops.
// CHECK-LABEL: func.func @commuting
// CHECK-NOT: qc.quantize_linear %arg0
// CHECK: %[[C:.*]] = qc.clip %arg0
// CHECK: %[[CQ:.*]] = qc.quantize_linear %[[C]], {{.*}} {qtype = !quant.uniform<i8:f32, 5.000000e-02>}
// CHECK: qc.dequantize_linear %[[CQ]]
// CHECK-NEXT: qc.pad
// CHECK: qc.dequantize_linear {{.*}}qtype = !quant.uniform<i8:f32, 5.000000e-02>}
// CHECK-NEXT: qc.resize
// CHECK: qc.dequantize_linear {{.*}}qtype = !quant.uniform<i8:f32, 5.000000e-02>}
// CHECK-NEXT: qc.slice
// CHECK: qc.dequantize_linear {{.*}}qtype = !quant.uniform<i8:f32, 5.000000e-02>}
// CHECK-NEXT: qc.unsqueeze
// CHECK: qc.dequantize_linear {{.*}}qtype = !quant.uniform<i8:f32, 5.000000e-02>}
// CHECK-NEXT: qc.squeeze
// CHECK: qc.dequantize_linear {{.*}}qtype = !quant.uniform<i8:f32, 5.000000e-02>}
// CHECK-NEXT: qc.flatten
// CHECK: qc.dequantize_linear {{.*}}qtype = !quant.uniform<i8:f32, 5.000000e-02>}
// CHECK-NEXT: qc.gemm
module attributes {qc.calibration = {flat = !quant.uniform<i8:f32, 0.05>}} {
func.func @commuting(%x: tensor<1x1x2x2xf32> {qc.name = "x"}) -> tensor<1x3xf32> {
  %none = qc.none
  %lo = qc.constant dense<0.0> : tensor<f32>
  %hi = qc.constant dense<6.0> : tensor<f32>
  %zero = qc.constant dense<0.0> : tensor<f32>
  %pads = qc.constant dense<[0, 0, 1, 1, 0, 0, 1, 1]> : tensor<8xi64>
  %scales = qc.constant dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>
  %starts = qc.constant dense<[1, 1]> : tensor<2xi64>
  %ends = qc.constant dense<[3, 3]> : tensor<2xi64>
  %axes = qc.constant dense<[2, 3]> : tensor<2xi64>
  %ax0 = qc.constant dense<[0]> : tensor<1xi64>
  %w = qc.constant dense<1.0> : tensor<4x3xf32>
  %c = qc.clip %x, %lo, %hi : (tensor<1x1x2x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x1x2x2xf32>
  %p = qc.pad %c, %pads, %zero, %none : (tensor<1x1x2x2xf32>, tensor<8xi64>, tensor<f32>, none) -> tensor<1x1x4x4xf32>
  %r = qc.resize %p, %none, %scales, %none {mode = "nearest"} : (tensor<1x1x4x4xf32>, none, tensor<4xf32>, none) -> tensor<1x1x8x8xf32>
  %s = qc.slice %r, %starts, %ends, %axes, %none : (tensor<1x1x8x8xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, none) -> tensor<1x1x2x2xf32>
  %u = qc.unsqueeze %s, %ax0 : (tensor<1x1x2x2xf32>, tensor<1xi64>) -> tensor<1x1x1x2x2xf32>
  %q = qc.squeeze %u, %ax0 : (tensor<1x1x1x2x2xf32>, tensor<1xi64>) -> tensor<1x1x2x2xf32>
  %f = qc.flatten %q : (tensor<1x1x2x2xf32>) -> tensor<1x4xf32> loc(fused<["flat"]>["flatten"])
  %g = qc.gemm %f, %w, %none : (tensor<1x4xf32>, tensor<4x3xf32>, none) -> tensor<1x3xf32>
  return %g : tensor<1x3xf32>
}
}

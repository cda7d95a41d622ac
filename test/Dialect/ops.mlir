// Round trip of every qc op family through the printer and the parser: the
// custom form (`qc.op operands attr-dict : functional-type`), the generic
// form with properties, and bytecode. Default-valued attributes print elided
// (fmod = 0, leaky_relu alpha = 0.01, gather_elements axis = 0), absent
// optional operands are `none` values, multi-result ops name their results
// after ODS, quant types survive in `qtype` (per-tensor, per-axis and
// sub-channel), and dense_resource constants keep their blob. The last
// function holds what the verifiers once got wrong: negative Concat axes,
// dynamic scales next to sizes, dynamic Clip bounds and quantize scales.
//
// RUN: %quantc-opt %s | %quantc-opt | FileCheck %s
// RUN: %quantc-opt %s --mlir-print-op-generic | %quantc-opt | FileCheck %s
// RUN: %quantc-opt %s --emit-bytecode | %quantc-opt | FileCheck %s

// CHECK-LABEL: func.func @structural(
// CHECK-SAME: ) -> (none, tensor<2xf32>, tensor<3xi64>, tensor<2x2xf32>, tensor<16xf32>, tensor<i1>)
// CHECK-NEXT: %{{.*}} = qc.none
// CHECK-NEXT: %{{.*}} = qc.constant dense<[1.000000e+00, -2.500000e+00]> : tensor<2xf32>
// CHECK-NEXT: %{{.*}} = qc.constant dense<[1, 0, -1]> : tensor<3xi64>
// CHECK-NEXT: %{{.*}} = qc.constant dense<5.000000e-01> : tensor<2x2xf32>
// CHECK-NEXT: %{{.*}} = qc.constant dense_resource<weights> : tensor<16xf32>
// CHECK-NEXT: %{{.*}} = qc.constant dense<true> : tensor<i1>
// CHECK: return %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : none, tensor<2xf32>, tensor<3xi64>, tensor<2x2xf32>, tensor<16xf32>, tensor<i1>
func.func @structural() -> (none, tensor<2xf32>, tensor<3xi64>, tensor<2x2xf32>, tensor<16xf32>, tensor<i1>) {
  %0 = qc.none
  %1 = qc.constant dense<[1.0, -2.5]> : tensor<2xf32>
  %2 = qc.constant dense<[1, 0, -1]> : tensor<3xi64>
  %3 = qc.constant dense<0.5> : tensor<2x2xf32>
  %4 = qc.constant dense_resource<weights> : tensor<16xf32>
  %5 = qc.constant dense<true> : tensor<i1>
  return %0, %1, %2, %3, %4, %5 : none, tensor<2xf32>, tensor<3xi64>, tensor<2x2xf32>, tensor<16xf32>, tensor<i1>
}


// CHECK-LABEL: func.func @unary(
// CHECK-SAME: %arg0: tensor<2x3xf32>, %arg1: tensor<*xf32>, %arg2: tensor<?x3xf16>, %arg3: tensor<2x3xi1>)
// CHECK-NEXT: %{{.*}} = qc.relu %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.sigmoid %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.tanh %arg1 : (tensor<*xf32>) -> tensor<*xf32>
// CHECK-NEXT: %{{.*}} = qc.erf %arg2 : (tensor<?x3xf16>) -> tensor<?x3xf16>
// CHECK-NEXT: %{{.*}} = qc.hard_swish %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.sqrt %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.exp %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.log %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.neg %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.abs %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.reciprocal %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.floor %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.ceil %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.round %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.sin %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.cos %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.tan %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.asin %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.acos %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.atan %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.sinh %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.cosh %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.asinh %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.acosh %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.atanh %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.softplus %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.softsign %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.sign %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.mish %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.identity %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.not %arg3 : (tensor<2x3xi1>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.leaky_relu %arg0 {alpha = 2.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.hard_sigmoid %arg0 {alpha = 2.500000e-01 : f32, beta = 7.500000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.elu %arg0 {alpha = 5.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.celu %arg0 {alpha = 2.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.selu %arg0 {alpha = 1.500000e+00 : f32, gamma = 1.250000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.thresholded_relu %arg0 {alpha = 1.250000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.gelu %arg0 {approximate = "tanh"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.gelu %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.leaky_relu %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return
func.func @unary(%x: tensor<2x3xf32>, %u: tensor<*xf32>, %d: tensor<?x3xf16>, %b: tensor<2x3xi1>) {
  %0 = qc.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = qc.sigmoid %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = qc.tanh %u : (tensor<*xf32>) -> tensor<*xf32>
  %3 = qc.erf %d : (tensor<?x3xf16>) -> tensor<?x3xf16>
  %4 = qc.hard_swish %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = qc.sqrt %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = qc.exp %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = qc.log %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %8 = qc.neg %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %9 = qc.abs %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %10 = qc.reciprocal %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %11 = qc.floor %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %12 = qc.ceil %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %13 = qc.round %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %14 = qc.sin %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %15 = qc.cos %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %16 = qc.tan %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %17 = qc.asin %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %18 = qc.acos %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %19 = qc.atan %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %20 = qc.sinh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %21 = qc.cosh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %22 = qc.asinh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %23 = qc.acosh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %24 = qc.atanh %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %25 = qc.softplus %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %26 = qc.softsign %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %27 = qc.sign %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %28 = qc.mish %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %29 = qc.identity %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %30 = qc.not %b : (tensor<2x3xi1>) -> tensor<2x3xi1>
  %31 = qc.leaky_relu %x {alpha = 0.2 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %32 = qc.hard_sigmoid %x {alpha = 0.25 : f32, beta = 0.75 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %33 = qc.elu %x {alpha = 0.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %34 = qc.celu %x {alpha = 2.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %35 = qc.selu %x {alpha = 1.5 : f32, gamma = 1.25 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %36 = qc.thresholded_relu %x {alpha = 0.125 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %37 = qc.gelu %x {approximate = "tanh"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %38 = qc.gelu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %39 = qc.leaky_relu %x {alpha = 0.01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}


// CHECK-LABEL: func.func @binary(
// CHECK-SAME: %arg0: tensor<2x3xf32>, %arg1: tensor<3xf32>, %arg2: tensor<2x3xi32>, %arg3: tensor<2x3xi1>, %arg4: tensor<f32>, %arg5: none)
// CHECK-NEXT: %{{.*}} = qc.add %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.sub %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.mul %arg0, %arg4 : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.div %arg0, %arg0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.pow %arg0, %arg2 : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.mod %arg2, %arg2 : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{.*}} = qc.mod %arg0, %arg0 {fmod = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.prelu %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.equal %arg2, %arg2 : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.less %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.less_or_equal %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.greater %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.greater_or_equal %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.and %arg3, %arg3 : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.or %arg3, %arg3 : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.xor %arg3, %arg3 : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.where %arg3, %arg0, %arg1 : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.max %arg0, %arg1, %arg4 : (tensor<2x3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.min %arg0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.sum %arg0, %arg1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.mean %arg0, %arg0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.clip %arg0, %arg4, %arg4 : (tensor<2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.clip %arg0, %arg5, %arg4 : (tensor<2x3xf32>, none, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.clip %arg0, %arg5, %arg5 : (tensor<2x3xf32>, none, none) -> tensor<2x3xf32>
// CHECK: return
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<2x3xi32>, %p: tensor<2x3xi1>, %s: tensor<f32>, %n: none) {
  %0 = qc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = qc.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = qc.mul %a, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = qc.div %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = qc.pow %a, %i : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<2x3xf32>
  %5 = qc.mod %i, %i {fmod = 0 : i64} : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  %6 = qc.mod %a, %a {fmod = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = qc.prelu %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %8 = qc.equal %i, %i : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi1>
  %9 = qc.less %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %10 = qc.less_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %11 = qc.greater %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %12 = qc.greater_or_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %13 = qc.and %p, %p : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  %14 = qc.or %p, %p : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  %15 = qc.xor %p, %p : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  %16 = qc.where %p, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %17 = qc.max %a, %b, %s : (tensor<2x3xf32>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %18 = qc.min %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %19 = qc.sum %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %20 = qc.mean %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %21 = qc.clip %a, %s, %s : (tensor<2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>
  %22 = qc.clip %a, %n, %s : (tensor<2x3xf32>, none, tensor<f32>) -> tensor<2x3xf32>
  %23 = qc.clip %a, %n, %n : (tensor<2x3xf32>, none, none) -> tensor<2x3xf32>
  return
}


// CHECK-LABEL: func.func @linalg(
// CHECK-SAME: %arg0: tensor<2x3xf32>, %arg1: tensor<3x4xf32>, %arg2: tensor<4x3xf32>, %arg3: tensor<4xf32>, %arg4: tensor<?x5x3xf32>, %arg5: tensor<3xf32>, %arg6: none)
// CHECK-NEXT: %{{.*}} = qc.matmul %arg0, %arg1 : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{.*}} = qc.matmul %arg4, %arg1 : (tensor<?x5x3xf32>, tensor<3x4xf32>) -> tensor<?x5x4xf32>
// CHECK-NEXT: %{{.*}} = qc.matmul %arg0, %arg5 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
// CHECK-NEXT: %{{.*}} = qc.gemm %arg0, %arg2, %arg3 {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, transB = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{.*}} = qc.gemm %arg0, %arg1, %arg6 : (tensor<2x3xf32>, tensor<3x4xf32>, none) -> tensor<2x4xf32>
// CHECK: return
func.func @linalg(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %bt: tensor<4x3xf32>, %c: tensor<4xf32>, %a3: tensor<?x5x3xf32>, %v: tensor<3xf32>, %n: none) {
  %0 = qc.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = qc.matmul %a3, %b : (tensor<?x5x3xf32>, tensor<3x4xf32>) -> tensor<?x5x4xf32>
  %2 = qc.matmul %a, %v : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  %3 = qc.gemm %a, %bt, %c {alpha = 0.5 : f32, beta = 2.0 : f32, transB = 1 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %4 = qc.gemm %a, %b, %n : (tensor<2x3xf32>, tensor<3x4xf32>, none) -> tensor<2x4xf32>
  return
}


// CHECK-LABEL: func.func @conv(
// CHECK-SAME: %arg0: tensor<1x4x8x8xf32>, %arg1: tensor<8x4x3x3xf32>, %arg2: tensor<4x1x3x3xf32>, %arg3: tensor<8xf32>, %arg4: tensor<4x2x3x3xf32>, %arg5: none, %arg6: tensor<?x?x?x?xf32>)
// CHECK-NEXT: %{{.*}} = qc.conv %arg0, %arg1, %arg3 {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT: %{{.*}} = qc.conv %arg0, %arg2, %arg5 {auto_pad = "SAME_UPPER", group = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>, none) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %{{.*}} = qc.conv_transpose %arg0, %arg4, %arg5 {output_padding = array<i64: 1, 1>, output_shape = array<i64: 18, 18>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<1x2x18x18xf32>
// CHECK-NEXT: %{{.*}} = qc.conv %arg6, %arg1, %arg5 : (tensor<?x?x?x?xf32>, tensor<8x4x3x3xf32>, none) -> tensor<?x8x?x?xf32>
// CHECK: return
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %wdw: tensor<4x1x3x3xf32>, %b: tensor<8xf32>, %wt: tensor<4x2x3x3xf32>, %n: none, %xd: tensor<?x?x?x?xf32>) {
  %0 = qc.conv %x, %w, %b {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = qc.conv %x, %wdw, %n {group = 4 : i64, auto_pad = "SAME_UPPER"} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>, none) -> tensor<1x4x8x8xf32>
  %2 = qc.conv_transpose %x, %wt, %n {output_padding = array<i64: 1, 1>, strides = array<i64: 2, 2>, output_shape = array<i64: 18, 18>} : (tensor<1x4x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<1x2x18x18xf32>
  %3 = qc.conv %xd, %w, %n : (tensor<?x?x?x?xf32>, tensor<8x4x3x3xf32>, none) -> tensor<?x8x?x?xf32>
  return
}


// CHECK-LABEL: func.func @normalization(
// CHECK-SAME: %arg0: tensor<2x5x8xf32>, %arg1: tensor<8xf32>, %arg2: tensor<1x3x4x4xf32>, %arg3: tensor<3xf32>, %arg4: none)
// CHECK-NEXT: %{{.*}} = qc.softmax %arg0 {axis = 1 : i64} : (tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
// CHECK-NEXT: %{{.*}} = qc.log_softmax %arg0 : (tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
// CHECK-NEXT: %{{.*}} = qc.hardmax %arg0 {axis = -3 : i64} : (tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
// CHECK-NEXT: %{{.*}}, %{{.*}}, %{{.*}} = qc.layer_normalization %arg0, %arg1, %arg1 {epsilon = 9.99999997E-7 : f32} : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<2x5x8xf32>, none, none)
// CHECK-NEXT: %{{.*}}, %{{.*}}, %{{.*}} = qc.layer_normalization %arg0, %arg1, %arg4 {axis = 1 : i64} : (tensor<2x5x8xf32>, tensor<8xf32>, none) -> (tensor<2x5x8xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
// CHECK-NEXT: %{{.*}}, %{{.*}}, %{{.*}} = qc.batch_normalization %arg2, %arg3, %arg3, %arg3, %arg3 {epsilon = 1.000000e-03 : f32, momentum = 9.900000e-01 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<1x3x4x4xf32>, none, none)
// CHECK-NEXT: %{{.*}} = qc.instance_normalization %arg2, %arg3, %arg3 {epsilon = 0.00999999977 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %{{.*}}, %{{.*}} = qc.dropout %arg0, %arg4, %arg4 {seed = 7 : i64} : (tensor<2x5x8xf32>, none, none) -> (tensor<2x5x8xf32>, none)
// CHECK: return
func.func @normalization(%x: tensor<2x5x8xf32>, %s: tensor<8xf32>, %img: tensor<1x3x4x4xf32>, %c: tensor<3xf32>, %n: none) {
  %0 = qc.softmax %x {axis = 1 : i64} : (tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %1 = qc.log_softmax %x : (tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %2 = qc.hardmax %x {axis = -3 : i64} : (tensor<2x5x8xf32>) -> tensor<2x5x8xf32>
  %3:3 = qc.layer_normalization %x, %s, %s {epsilon = 1.0e-6 : f32} : (tensor<2x5x8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<2x5x8xf32>, none, none)
  %4:3 = qc.layer_normalization %x, %s, %n {axis = 1 : i64, stash_type = 1 : i64} : (tensor<2x5x8xf32>, tensor<8xf32>, none) -> (tensor<2x5x8xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  %5:3 = qc.batch_normalization %img, %c, %c, %c, %c {epsilon = 1.0e-3 : f32, momentum = 0.99 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<1x3x4x4xf32>, none, none)
  %6 = qc.instance_normalization %img, %c, %c {epsilon = 1.0e-2 : f32} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %7:2 = qc.dropout %x, %n, %n {seed = 7 : i64} : (tensor<2x5x8xf32>, none, none) -> (tensor<2x5x8xf32>, none)
  return
}


// CHECK-LABEL: func.func @pooling(
// CHECK-SAME: %arg0: tensor<1x3x9x9xf32>, %arg1: tensor<?x3x?x?xf32>)
// CHECK-NEXT: %{{.*}}, %{{.*}} = qc.max_pool %arg0 {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x9x9xf32>) -> (tensor<1x3x5x5xf32>, none)
// CHECK-NEXT: %{{.*}}, %{{.*}} = qc.max_pool %arg0 {ceil_mode = 1 : i64, dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>, storage_order = 1 : i64} : (tensor<1x3x9x9xf32>) -> (tensor<1x3x7x7xf32>, tensor<1x3x7x7xi64>)
// CHECK-NEXT: %{{.*}} = qc.average_pool %arg0 {auto_pad = "SAME_LOWER", count_include_pad = 1 : i64, kernel_shape = array<i64: 3, 3>} : (tensor<1x3x9x9xf32>) -> tensor<1x3x9x9xf32>
// CHECK-NEXT: %{{.*}} = qc.global_average_pool %arg1 : (tensor<?x3x?x?xf32>) -> tensor<?x3x1x1xf32>
// CHECK-NEXT: %{{.*}} = qc.global_max_pool %arg0 : (tensor<1x3x9x9xf32>) -> tensor<1x3x1x1xf32>
// CHECK: return
func.func @pooling(%x: tensor<1x3x9x9xf32>, %xd: tensor<?x3x?x?xf32>) {
  %0:2 = qc.max_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x9x9xf32>) -> (tensor<1x3x5x5xf32>, none)
  %1:2 = qc.max_pool %x {ceil_mode = 1 : i64, dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>, storage_order = 1 : i64} : (tensor<1x3x9x9xf32>) -> (tensor<1x3x7x7xf32>, tensor<1x3x7x7xi64>)
  %2 = qc.average_pool %x {auto_pad = "SAME_LOWER", count_include_pad = 1 : i64, kernel_shape = array<i64: 3, 3>} : (tensor<1x3x9x9xf32>) -> tensor<1x3x9x9xf32>
  %3 = qc.global_average_pool %xd : (tensor<?x3x?x?xf32>) -> tensor<?x3x1x1xf32>
  %4 = qc.global_max_pool %x : (tensor<1x3x9x9xf32>) -> tensor<1x3x1x1xf32>
  return
}


// CHECK-LABEL: func.func @reduce(
// CHECK-SAME: %arg0: tensor<2x3x4xf32>, %arg1: tensor<1xi64>, %arg2: none)
// CHECK-NEXT: %{{.*}} = qc.reduce_mean %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
// CHECK-NEXT: %{{.*}} = qc.reduce_sum %arg0, %arg1 {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{.*}} = qc.reduce_max %arg0, %arg2 : (tensor<2x3x4xf32>, none) -> tensor<1x1x1xf32>
// CHECK-NEXT: %{{.*}} = qc.reduce_min %arg0, %arg2 {noop_with_empty_axes = 1 : i64} : (tensor<2x3x4xf32>, none) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{.*}} = qc.reduce_prod %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
// CHECK-NEXT: %{{.*}} = qc.reduce_l1 %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
// CHECK-NEXT: %{{.*}} = qc.reduce_l2 %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
// CHECK-NEXT: %{{.*}} = qc.reduce_log_sum %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
// CHECK-NEXT: %{{.*}} = qc.reduce_log_sum_exp %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
// CHECK-NEXT: %{{.*}} = qc.reduce_sum_square %arg0, %arg1 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
// CHECK-NEXT: %{{.*}} = qc.arg_max %arg0 {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
// CHECK-NEXT: %{{.*}} = qc.arg_min %arg0 {axis = -1 : i64, select_last_index = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
// CHECK: return
func.func @reduce(%x: tensor<2x3x4xf32>, %axes: tensor<1xi64>, %n: none) {
  %0 = qc.reduce_mean %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %1 = qc.reduce_sum %x, %axes {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x4xf32>
  %2 = qc.reduce_max %x, %n : (tensor<2x3x4xf32>, none) -> tensor<1x1x1xf32>
  %3 = qc.reduce_min %x, %n {noop_with_empty_axes = 1 : i64} : (tensor<2x3x4xf32>, none) -> tensor<2x3x4xf32>
  %4 = qc.reduce_prod %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %5 = qc.reduce_l1 %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %6 = qc.reduce_l2 %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %7 = qc.reduce_log_sum %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %8 = qc.reduce_log_sum_exp %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %9 = qc.reduce_sum_square %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  %10 = qc.arg_max %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x4xi64>
  %11 = qc.arg_min %x {axis = -1 : i64, select_last_index = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  return
}


// CHECK-LABEL: func.func @shapes(
// CHECK-SAME: %arg0: tensor<2x3x4xf32>, %arg1: tensor<2x5x4xf32>, %arg2: tensor<2x5x4xi64>, %arg3: tensor<2xi64>, %arg4: tensor<1xi64>, %arg5: tensor<5xi64>, %arg6: tensor<1x3x4x4xf32>, %arg7: tensor<4xf32>, %arg8: none, %arg9: tensor<f32>, %arg10: tensor<2xi32>)
// CHECK-NEXT: %{{.*}} = qc.reshape %arg0, %arg3 : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
// CHECK-NEXT: %{{.*}} = qc.reshape %arg0, %arg3 {allowzero = 1 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
// CHECK-NEXT: %{{.*}} = qc.transpose %arg0 {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.transpose %arg0 : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK-NEXT: %{{.*}} = qc.flatten %arg0 {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK-NEXT: %{{.*}} = qc.unsqueeze %arg0, %arg4 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x3x4xf32>
// CHECK-NEXT: %{{.*}} = qc.squeeze %{{.*}}, %arg4 : (tensor<2x1x3x4xf32>, tensor<1xi64>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{.*}} = qc.squeeze %{{.*}}, %arg8 : (tensor<2x1x3x4xf32>, none) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{.*}} = qc.concat %arg0, %arg1 {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
// CHECK-NEXT: %{{.*}}:2 = qc.split %arg0, %arg3 {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> (tensor<2x1x4xf32>, tensor<2x2x4xf32>)
// CHECK-NEXT: %{{.*}}:3 = qc.split %arg1, %arg8 {axis = -1 : i64, num_outputs = 3 : i64} : (tensor<2x5x4xf32>, none) -> (tensor<2x5x2xf32>, tensor<2x5x1xf32>, tensor<2x5x1xf32>)
// CHECK-NEXT: %{{.*}} = qc.slice %arg0, %arg3, %arg3, %arg8, %arg8 : (tensor<2x3x4xf32>, tensor<2xi64>, tensor<2xi64>, none, none) -> tensor<?x?x?xf32>
// CHECK-NEXT: %{{.*}} = qc.slice %arg0, %arg10, %arg10, %arg10, %arg10 : (tensor<2x3x4xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?x?x?xf32>
// CHECK-NEXT: %{{.*}} = qc.gather %arg1, %arg5 {axis = 1 : i64} : (tensor<2x5x4xf32>, tensor<5xi64>) -> tensor<2x5x4xf32>
// CHECK-NEXT: %{{.*}} = qc.gather_elements %arg0, %arg2 : (tensor<2x3x4xf32>, tensor<2x5x4xi64>) -> tensor<2x5x4xf32>
// CHECK: return
func.func @shapes(%x: tensor<2x3x4xf32>, %x2: tensor<2x5x4xf32>, %gi: tensor<2x5x4xi64>, %shape: tensor<2xi64>, %i64: tensor<1xi64>, %idx: tensor<5xi64>, %img: tensor<1x3x4x4xf32>, %sc: tensor<4xf32>, %n: none, %pv: tensor<f32>, %i32: tensor<2xi32>) {
  %0 = qc.reshape %x, %shape : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %1 = qc.reshape %x, %shape {allowzero = 1 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  %2 = qc.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %3 = qc.transpose %x : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %4 = qc.flatten %x {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %5 = qc.unsqueeze %x, %i64 : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x3x4xf32>
  %6 = qc.squeeze %5, %i64 : (tensor<2x1x3x4xf32>, tensor<1xi64>) -> tensor<2x3x4xf32>
  %7 = qc.squeeze %5, %n : (tensor<2x1x3x4xf32>, none) -> tensor<2x3x4xf32>
  %8 = qc.concat %x, %x2 {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  %9:2 = qc.split %x, %shape {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> (tensor<2x1x4xf32>, tensor<2x2x4xf32>)
  %10:3 = qc.split %x2, %n {axis = -1 : i64, num_outputs = 3 : i64} : (tensor<2x5x4xf32>, none) -> (tensor<2x5x2xf32>, tensor<2x5x1xf32>, tensor<2x5x1xf32>)
  %11 = qc.slice %x, %shape, %shape, %n, %n : (tensor<2x3x4xf32>, tensor<2xi64>, tensor<2xi64>, none, none) -> tensor<?x?x?xf32>
  %12 = qc.slice %x, %i32, %i32, %i32, %i32 : (tensor<2x3x4xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?x?x?xf32>
  %13 = qc.gather %x2, %idx {axis = 1 : i64} : (tensor<2x5x4xf32>, tensor<5xi64>) -> tensor<2x5x4xf32>
  %14 = qc.gather_elements %x, %gi {axis = 0 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xi64>) -> tensor<2x5x4xf32>
  return
}


// CHECK-LABEL: func.func @shapes2(
// CHECK-SAME: %arg0: tensor<2x3x4xf32>, %arg1: tensor<6xi64>, %arg2: none, %arg3: tensor<f32>, %arg4: tensor<1x8x4x4xf32>, %arg5: tensor<4xf32>, %arg6: tensor<4xi64>, %arg7: tensor<3xi64>, %arg8: tensor<i64>, %arg9: tensor<i32>)
// CHECK-NEXT: %{{.*}} = qc.pad %arg0, %arg1, %arg3, %arg2 : (tensor<2x3x4xf32>, tensor<6xi64>, tensor<f32>, none) -> tensor<2x5x6xf32>
// CHECK-NEXT: %{{.*}} = qc.pad %arg0, %arg1, %arg2, %arg2 {mode = "reflect"} : (tensor<2x3x4xf32>, tensor<6xi64>, none, none) -> tensor<2x5x6xf32>
// CHECK-NEXT: %{{.*}} = qc.resize %arg4, %arg2, %arg5, %arg2 {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x8x4x4xf32>, none, tensor<4xf32>, none) -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %{{.*}} = qc.resize %arg4, %arg2, %arg2, %arg6 {antialias = 1 : i64, axes = array<i64: 2, 3>, cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = 1 : i64, extrapolation_value = 1.000000e+00 : f32, keep_aspect_ratio_policy = "not_larger", mode = "cubic"} : (tensor<1x8x4x4xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
// CHECK-NEXT: %{{.*}} = qc.expand %arg0, %arg7 : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{.*}} = qc.tile %arg0, %arg7 : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<4x6x8xf32>
// CHECK-NEXT: %{{.*}} = qc.depth_to_space %arg4 {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32>
// CHECK-NEXT: %{{.*}} = qc.space_to_depth %arg4 {blocksize = 2 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x32x2x2xf32>
// CHECK-NEXT: %{{.*}} = qc.trilu %arg0, %arg8 {upper = 0 : i64} : (tensor<2x3x4xf32>, tensor<i64>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{.*}} = qc.trilu %arg0, %arg2 : (tensor<2x3x4xf32>, none) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{.*}} = qc.cum_sum %arg0, %arg9 {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x3x4xf32>
// CHECK: return
func.func @shapes2(%x: tensor<2x3x4xf32>, %pads: tensor<6xi64>, %n: none, %pv: tensor<f32>, %img: tensor<1x8x4x4xf32>, %sc: tensor<4xf32>, %sz: tensor<4xi64>, %shp: tensor<3xi64>, %k: tensor<i64>, %ax: tensor<i32>) {
  %0 = qc.pad %x, %pads, %pv, %n : (tensor<2x3x4xf32>, tensor<6xi64>, tensor<f32>, none) -> tensor<2x5x6xf32>
  %1 = qc.pad %x, %pads, %n, %n {mode = "reflect"} : (tensor<2x3x4xf32>, tensor<6xi64>, none, none) -> tensor<2x5x6xf32>
  %2 = qc.resize %img, %n, %sc, %n {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x8x4x4xf32>, none, tensor<4xf32>, none) -> tensor<1x8x8x8xf32>
  %3 = qc.resize %img, %n, %n, %sz {mode = "cubic", cubic_coeff_a = -0.5 : f32, exclude_outside = 1 : i64, antialias = 1 : i64, axes = array<i64: 2, 3>, keep_aspect_ratio_policy = "not_larger", extrapolation_value = 1.0 : f32} : (tensor<1x8x4x4xf32>, none, none, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %4 = qc.expand %x, %shp : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  %5 = qc.tile %x, %shp : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<4x6x8xf32>
  %6 = qc.depth_to_space %img {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32>
  %7 = qc.space_to_depth %img {blocksize = 2 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x32x2x2xf32>
  %8 = qc.trilu %x, %k {upper = 0 : i64} : (tensor<2x3x4xf32>, tensor<i64>) -> tensor<2x3x4xf32>
  %9 = qc.trilu %x, %n : (tensor<2x3x4xf32>, none) -> tensor<2x3x4xf32>
  %10 = qc.cum_sum %x, %ax {exclusive = 1 : i64, reverse = 1 : i64} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x3x4xf32>
  return
}


// CHECK-LABEL: func.func @types(
// CHECK-SAME: %arg0: tensor<2x3xf32>, %arg1: tensor<2xi32>, %arg2: tensor<2xi64>, %arg3: tensor<f32>, %arg4: tensor<i64>)
// CHECK-NEXT: %{{.*}} = qc.cast %arg0 {to = 6 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{.*}} = qc.cast %arg0 {to = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xui8>
// CHECK-NEXT: %{{.*}} = qc.cast %arg0 {saturate = 0 : i64, to = 10 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf16>
// CHECK-NEXT: %{{.*}} = qc.cast %arg0 {to = 9 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %{{.*}} = qc.cast %arg0 {to = 17 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf8E4M3FN>
// CHECK-NEXT: %{{.*}} = qc.cast_like %arg0, %arg1 : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{.*}} = qc.shape %arg0 : (tensor<2x3xf32>) -> tensor<2xi64>
// CHECK-NEXT: %{{.*}} = qc.shape %arg0 {end = -1 : i64, start = 1 : i64} : (tensor<2x3xf32>) -> tensor<0xi64>
// CHECK-NEXT: %{{.*}} = qc.size %arg0 : (tensor<2x3xf32>) -> tensor<i64>
// CHECK-NEXT: %{{.*}} = qc.constant_of_shape %arg2 : (tensor<2xi64>) -> tensor<?x?xf32>
// CHECK-NEXT: %{{.*}} = qc.constant_of_shape %arg2 {value = dense<3> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<?x?xi32>
// CHECK-NEXT: %{{.*}} = qc.range %arg3, %arg3, %arg3 : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
// CHECK-NEXT: %{{.*}} = qc.range %arg4, %arg4, %arg4 : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
// CHECK: return
func.func @types(%x: tensor<2x3xf32>, %i: tensor<2xi32>, %shp: tensor<2xi64>, %s: tensor<f32>, %l: tensor<i64>) {
  %0 = qc.cast %x {to = 6 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %1 = qc.cast %x {to = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xui8>
  %2 = qc.cast %x {to = 10 : i64, saturate = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf16>
  %3 = qc.cast %x {to = 9 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi1>
  %4 = qc.cast %x {to = 17 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf8E4M3FN>
  %5 = qc.cast_like %x, %i : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x3xi32>
  %6 = qc.shape %x : (tensor<2x3xf32>) -> tensor<2xi64>
  %7 = qc.shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x3xf32>) -> tensor<0xi64>
  %8 = qc.size %x : (tensor<2x3xf32>) -> tensor<i64>
  %9 = qc.constant_of_shape %shp : (tensor<2xi64>) -> tensor<?x?xf32>
  %10 = qc.constant_of_shape %shp {value = dense<3> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<?x?xi32>
  %11 = qc.range %s, %s, %s : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  %12 = qc.range %l, %l, %l : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return
}


// CHECK-LABEL: func.func @quantization(
// CHECK-SAME: %arg0: tensor<1x4x3x3xf32>, %arg1: tensor<f32>, %arg2: tensor<ui8>, %arg3: tensor<4xf32>, %arg4: tensor<4xi8>, %arg5: none, %arg6: tensor<4x8xf32>, %arg7: tensor<4x2xf32>, %arg8: tensor<4x2xi8>, %arg9: tensor<1x4x3x3xui8>, %arg10: tensor<1x4x3x3xi8>)
// CHECK-NEXT: %{{.*}} = qc.quantize_linear %arg0, %arg1, %arg2 {qtype = !quant.uniform<u8:f32, 5.000000e-01:128>} : (tensor<1x4x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xui8>
// CHECK-NEXT: %{{.*}} = qc.dequantize_linear %arg9, %arg1, %arg2 {qtype = !quant.uniform<u8:f32, 5.000000e-01:128>} : (tensor<1x4x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xf32>
// CHECK-NEXT: %{{.*}} = qc.quantize_linear %arg0, %arg3, %arg4 {qtype = !quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1,4.000000e-01:2}>} : (tensor<1x4x3x3xf32>, tensor<4xf32>, tensor<4xi8>) -> tensor<1x4x3x3xi8>
// CHECK-NEXT: %{{.*}} = qc.dequantize_linear %arg10, %arg3, %arg4 {axis = -3 : i64, qtype = !quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1,4.000000e-01:2}>} : (tensor<1x4x3x3xi8>, tensor<4xf32>, tensor<4xi8>) -> tensor<1x4x3x3xf32>
// CHECK-NEXT: %{{.*}} = qc.quantize_linear %arg0, %arg1, %arg5 : (tensor<1x4x3x3xf32>, tensor<f32>, none) -> tensor<1x4x3x3xui8>
// CHECK-NEXT: %{{.*}} = qc.quantize_linear %arg6, %arg7, %arg8 {block_size = 4 : i64, qtype = !quant.uniform<i8:f32:{1:4}, {{\{\{}}1.000000e-01, 2.000000e-01}, {3.000000e-01, 4.000000e-01}, {5.000000e-01:1, 6.000000e-01:1}, {0.699999988:1, 8.000000e-01:1}}>} : (tensor<4x8xf32>, tensor<4x2xf32>, tensor<4x2xi8>) -> tensor<4x8xi8>
// CHECK-NEXT: %{{.*}} = qc.dequantize_linear %{{.*}}, %arg7, %arg8 {block_size = 4 : i64} : (tensor<4x8xi8>, tensor<4x2xf32>, tensor<4x2xi8>) -> tensor<4x8xf32>
// CHECK-NEXT: %{{.*}} = qc.quantize_linear %arg0, %arg1, %arg5 {output_dtype = 17 : i64, saturate = 0 : i64} : (tensor<1x4x3x3xf32>, tensor<f32>, none) -> tensor<1x4x3x3xf8E4M3FN>
// CHECK-NEXT: %{{.*}}, %{{.*}}, %{{.*}} = qc.dynamic_quantize_linear %arg6 : (tensor<4x8xf32>) -> (tensor<4x8xui8>, tensor<f32>, tensor<ui8>)
// CHECK: return
func.func @quantization(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %zp: tensor<ui8>, %sa: tensor<4xf32>, %zpa: tensor<4xi8>, %n: none, %w: tensor<4x8xf32>, %sb: tensor<4x2xf32>, %zb: tensor<4x2xi8>, %q: tensor<1x4x3x3xui8>, %qa: tensor<1x4x3x3xi8>) {
  %0 = qc.quantize_linear %x, %s, %zp {qtype = !quant.uniform<u8:f32, 5.000000e-01:128>} : (tensor<1x4x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xui8>
  %1 = qc.dequantize_linear %q, %s, %zp {qtype = !quant.uniform<u8:f32, 5.000000e-01:128>} : (tensor<1x4x3x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xf32>
  %2 = qc.quantize_linear %x, %sa, %zpa {qtype = !quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1,4.000000e-01:2}>} : (tensor<1x4x3x3xf32>, tensor<4xf32>, tensor<4xi8>) -> tensor<1x4x3x3xi8>
  %3 = qc.dequantize_linear %qa, %sa, %zpa {axis = -3 : i64, qtype = !quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1,4.000000e-01:2}>} : (tensor<1x4x3x3xi8>, tensor<4xf32>, tensor<4xi8>) -> tensor<1x4x3x3xf32>
  %4 = qc.quantize_linear %x, %s, %n : (tensor<1x4x3x3xf32>, tensor<f32>, none) -> tensor<1x4x3x3xui8>
  %5 = qc.quantize_linear %w, %sb, %zb {axis = 1 : i64, block_size = 4 : i64, qtype = !quant.uniform<i8:f32:{1:4}, {{1.000000e-01, 2.000000e-01}, {3.000000e-01, 4.000000e-01}, {5.000000e-01:1, 6.000000e-01:1}, {7.000000e-01:1, 8.000000e-01:1}}>} : (tensor<4x8xf32>, tensor<4x2xf32>, tensor<4x2xi8>) -> tensor<4x8xi8>
  %6 = qc.dequantize_linear %5, %sb, %zb {block_size = 4 : i64} : (tensor<4x8xi8>, tensor<4x2xf32>, tensor<4x2xi8>) -> tensor<4x8xf32>
  %7 = qc.quantize_linear %x, %s, %n {output_dtype = 17 : i64, saturate = 0 : i64} : (tensor<1x4x3x3xf32>, tensor<f32>, none) -> tensor<1x4x3x3xf8E4M3FN>
  %8:3 = qc.dynamic_quantize_linear %w : (tensor<4x8xf32>) -> (tensor<4x8xui8>, tensor<f32>, tensor<ui8>)
  return
}


// CHECK-LABEL: func.func @integer(
// CHECK-SAME: %arg0: tensor<1x4x5x5xui8>, %arg1: tensor<f32>, %arg2: tensor<ui8>, %arg3: tensor<8x4x3x3xi8>, %arg4: tensor<8xf32>, %arg5: tensor<8xi8>, %arg6: tensor<8xi32>, %arg7: tensor<2x4xui8>, %arg8: tensor<4x3xi8>, %arg9: tensor<i8>, %arg10: none)
// CHECK-NEXT: %{{.*}} = qc.qlinear_conv %arg0, %arg1, %arg2, %arg3, %arg4, %arg5, %arg1, %arg2, %arg6 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<8x4x3x3xi8>, tensor<8xf32>, tensor<8xi8>, tensor<f32>, tensor<ui8>, tensor<8xi32>) -> tensor<1x8x5x5xui8>
// CHECK-NEXT: %{{.*}} = qc.qlinear_conv %arg0, %arg1, %arg2, %arg3, %arg4, %arg5, %arg1, %arg2, %arg10 : (tensor<1x4x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<8x4x3x3xi8>, tensor<8xf32>, tensor<8xi8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x8x3x3xui8>
// CHECK-NEXT: %{{.*}} = qc.qlinear_matmul %arg7, %arg1, %arg2, %arg8, %arg1, %arg9, %arg1, %arg2 : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
// CHECK-NEXT: %{{.*}} = qc.matmul_integer %arg7, %arg8, %arg2, %arg9 : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{.*}} = qc.matmul_integer %arg7, %arg8, %arg10, %arg10 : (tensor<2x4xui8>, tensor<4x3xi8>, none, none) -> tensor<2x3xi32>
// CHECK-NEXT: %{{.*}} = qc.conv_integer %arg0, %arg3, %arg2, %arg10 {strides = array<i64: 2, 2>} : (tensor<1x4x5x5xui8>, tensor<8x4x3x3xi8>, tensor<ui8>, none) -> tensor<1x8x2x2xi32>
// CHECK: return
func.func @integer(%xq: tensor<1x4x5x5xui8>, %s: tensor<f32>, %zp: tensor<ui8>, %wq: tensor<8x4x3x3xi8>, %ws: tensor<8xf32>, %wz: tensor<8xi8>, %bias: tensor<8xi32>, %a: tensor<2x4xui8>, %b: tensor<4x3xi8>, %bz: tensor<i8>, %n: none) {
  %0 = qc.qlinear_conv %xq, %s, %zp, %wq, %ws, %wz, %s, %zp, %bias {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<8x4x3x3xi8>, tensor<8xf32>, tensor<8xi8>, tensor<f32>, tensor<ui8>, tensor<8xi32>) -> tensor<1x8x5x5xui8>
  %1 = qc.qlinear_conv %xq, %s, %zp, %wq, %ws, %wz, %s, %zp, %n : (tensor<1x4x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<8x4x3x3xi8>, tensor<8xf32>, tensor<8xi8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x8x3x3xui8>
  %2 = qc.qlinear_matmul %a, %s, %zp, %b, %s, %bz, %s, %zp : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  %3 = qc.matmul_integer %a, %b, %zp, %bz : (tensor<2x4xui8>, tensor<4x3xi8>, tensor<ui8>, tensor<i8>) -> tensor<2x3xi32>
  %4 = qc.matmul_integer %a, %b, %n, %n : (tensor<2x4xui8>, tensor<4x3xi8>, none, none) -> tensor<2x3xi32>
  %5 = qc.conv_integer %xq, %wq, %zp, %n {strides = array<i64: 2, 2>} : (tensor<1x4x5x5xui8>, tensor<8x4x3x3xi8>, tensor<ui8>, none) -> tensor<1x8x2x2xi32>
  return
}


// CHECK-LABEL: func.func @dynamic_and_negative(
// CHECK-SAME: %arg0: tensor<2x3xf32>, %arg1: tensor<2x4xf32>, %arg2: tensor<1x1x2x2xf32>, %arg3: tensor<?xf32>, %arg4: tensor<4xi64>, %arg5: none, %arg6: tensor<?xf32>, %arg7: tensor<4x3xf32>, %arg8: tensor<2xi64>, %arg9: tensor<*xf32>)
// CHECK-NEXT: %{{.*}} = qc.concat %arg0, %arg1 {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x7xf32>
// CHECK-NEXT: %{{.*}} = qc.resize %arg2, %arg5, %arg3, %arg4 : (tensor<1x1x2x2xf32>, none, tensor<?xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
// CHECK-NEXT: %{{.*}} = qc.clip %arg0, %arg6, %arg5 : (tensor<2x3xf32>, tensor<?xf32>, none) -> tensor<2x3xf32>
// CHECK-NEXT: %{{.*}} = qc.quantize_linear %arg7, %arg3, %arg5 {axis = 0 : i64} : (tensor<4x3xf32>, tensor<?xf32>, none) -> tensor<4x3xui8>
// CHECK-NEXT: %{{.*}} = qc.slice %arg0, %arg8, %arg8, %arg8, %arg8 : (tensor<2x3xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
// CHECK-NEXT: %{{.*}} = qc.conv %arg9, %arg9, %arg5 : (tensor<*xf32>, tensor<*xf32>, none) -> tensor<*xf32>
// CHECK-NEXT: %{{.*}} = qc.cast %arg0 {to = 7 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
// CHECK: return
func.func @dynamic_and_negative(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>, %img: tensor<1x1x2x2xf32>, %ds: tensor<?xf32>, %sz: tensor<4xi64>, %n: none, %db: tensor<?xf32>, %x: tensor<4x3xf32>, %i: tensor<2xi64>, %ur: tensor<*xf32>) {
  %0 = qc.concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x7xf32>
  %1 = qc.resize %img, %n, %ds, %sz : (tensor<1x1x2x2xf32>, none, tensor<?xf32>, tensor<4xi64>) -> tensor<?x?x?x?xf32>
  %2 = qc.clip %a, %db, %n : (tensor<2x3xf32>, tensor<?xf32>, none) -> tensor<2x3xf32>
  %3 = qc.quantize_linear %x, %ds, %n {axis = 0 : i64} : (tensor<4x3xf32>, tensor<?xf32>, none) -> tensor<4x3xui8>
  %4 = qc.slice %a, %i, %i, %i, %i : (tensor<2x3xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  %5 = qc.conv %ur, %ur, %n : (tensor<*xf32>, tensor<*xf32>, none) -> tensor<*xf32>
  %6 = qc.cast %a {to = 7 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
  return
}
// CHECK: {-#
// CHECK-NEXT: dialect_resources: {
// CHECK-NEXT: builtin: {
// CHECK-NEXT: weights: "0x040000000000803F0000004000004040000080400000A0400000C0400000E040000000410000104100002041000030410000404100005041000060410000704100008041"

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F0000004000004040000080400000A0400000C0400000E040000000410000104100002041000030410000404100005041000060410000704100008041"
    }
  }
#-}

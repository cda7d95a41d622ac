// RUN: %quantc-opt %s --split-input-file --verify-diagnostics | FileCheck %s

// Round trip on tensors and on buffers.
// CHECK-LABEL: func.func @conv2d
// CHECK: qck.conv2d ins(%arg0, %arg1, %arg2, %arg3, residual %arg4 : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1x4x8x8xf32>) outs(%arg4 : tensor<1x4x8x8xf32>) {{.*}} -> tensor<1x4x8x8xf32>
// CHECK: qck.conv2d ins(%arg5, %arg6, %arg7, %arg7 : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>, memref<4xf32>, memref<4xf32>) outs(%arg8 : memref<1x4x8x8xf32>) {activation = "relu"
func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %s: tensor<4xf32>, %t: tensor<4xf32>,
                  %r: tensor<1x4x8x8xf32>, %xb: memref<1x3x8x8xf32>, %wb: memref<4x3x3x3xf32>,
                  %sb: memref<4xf32>, %yb: memref<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %0 = qck.conv2d ins(%x, %w, %s, %t, residual %r : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1x4x8x8xf32>)
         outs(%r : tensor<1x4x8x8xf32>) {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>,
         dilations = array<i64: 1, 1>, activation = "none", clip_min = 0.0 : f32, clip_max = 0.0 : f32} -> tensor<1x4x8x8xf32>
  qck.conv2d ins(%xb, %wb, %sb, %sb : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>, memref<4xf32>, memref<4xf32>)
         outs(%yb : memref<1x4x8x8xf32>) {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>,
         dilations = array<i64: 1, 1>, activation = "relu", clip_min = 0.0 : f32, clip_max = 0.0 : f32}
  return %0 : tensor<1x4x8x8xf32>
}

// -----

func.func @bad_activation(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %s: tensor<4xf32>, %y: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{unknown activation 'gelu'}}
  %0 = qck.conv2d ins(%x, %w, %s, %s : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<4xf32>)
         outs(%y : tensor<1x4x8x8xf32>) {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>,
         dilations = array<i64: 1, 1>, activation = "gelu", clip_min = 0.0 : f32, clip_max = 0.0 : f32} -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @bad_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %s: tensor<4xf32>, %y: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{expects 4 pads, 2 strides and 2 dilations}}
  %0 = qck.conv2d ins(%x, %w, %s, %s : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<4xf32>)
         outs(%y : tensor<1x4x8x8xf32>) {pads = array<i64: 1, 1>, strides = array<i64: 1, 1>,
         dilations = array<i64: 1, 1>, activation = "none", clip_min = 0.0 : f32, clip_max = 0.0 : f32} -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @result_on_buffers(%x: memref<1x3x8x8xf32>, %w: memref<4x3x3x3xf32>, %s: memref<4xf32>, %y: memref<1x4x8x8xf32>) {
  // expected-error @+1 {{has one result of the init's type on tensors, none on buffers}}
  %0 = qck.conv2d ins(%x, %w, %s, %s : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>, memref<4xf32>, memref<4xf32>)
         outs(%y : memref<1x4x8x8xf32>) {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>,
         dilations = array<i64: 1, 1>, activation = "none", clip_min = 0.0 : f32, clip_max = 0.0 : f32} -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @bad_group(%x: tensor<1x6x8x8xf32>, %w: tensor<4x3x3x3xf32>, %s: tensor<4xf32>, %y: tensor<1x4x8x8xf32>) {
  // expected-error @+1 {{expects channels and filters divisible by group 4 and a filter of channels / group input channels}}
  %0 = qck.conv2d ins(%x, %w, %s, %s : tensor<1x6x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<4xf32>)
         outs(%y : tensor<1x4x8x8xf32>) {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>,
         dilations = array<i64: 1, 1>, group = 4, activation = "none", clip_min = 0.0 : f32, clip_max = 0.0 : f32} -> tensor<1x4x8x8xf32>
  return
}

// RUN: %quantc-opt %s --split-input-file --qc-fuse-conv-epilogues | FileCheck %s

// Conv + bias, BatchNormalization, residual Add and Relu: one qck.conv2d.
// scale = gamma / sqrt(var + eps), shift = (bias - mean) * scale + beta.
// CHECK-LABEL: func.func @resnet_block
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x10x10xf32>, %[[W:.*]]: tensor<8x8x3x3xf32>, %[[B:.*]]: tensor<8xf32>, %[[GAMMA:.*]]: tensor<8xf32>, %[[BETA:.*]]: tensor<8xf32>, %[[MEAN:.*]]: tensor<8xf32>, %[[VAR:.*]]: tensor<8xf32>, %[[RES:.*]]: tensor<1x8x10x10xf32>)
// CHECK: %[[EPS:.*]] = qc.constant dense<1.000000e-03> : tensor<1xf32>
// CHECK: %[[V:.*]] = qc.add %[[VAR]], %[[EPS]]
// CHECK: %[[SQRT:.*]] = qc.sqrt %[[V]]
// CHECK: %[[SCALE:.*]] = qc.div %[[GAMMA]], %[[SQRT]]
// CHECK: %[[CENTERED:.*]] = qc.sub %[[B]], %[[MEAN]]
// CHECK: %[[SCALED:.*]] = qc.mul %[[CENTERED]], %[[SCALE]]
// CHECK: %[[SHIFT:.*]] = qc.add %[[SCALED]], %[[BETA]]
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<1x8x10x10xf32>
// CHECK: %[[Y:.*]] = qck.conv2d ins(%[[X]], %[[W]], %[[SCALE]], %[[SHIFT]], residual %[[RES]] : {{.*}}) outs(%[[INIT]] : tensor<1x8x10x10xf32>) {activation = "relu", clip_max = 0.000000e+00 : f32, clip_min = 0.000000e+00 : f32, dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} -> tensor<1x8x10x10xf32>
// CHECK-NOT: qc.conv
// CHECK-NOT: qc.batch_normalization
// CHECK-NOT: qc.relu
// CHECK: return %[[Y]]
func.func @resnet_block(%x: tensor<1x8x10x10xf32>, %w: tensor<8x8x3x3xf32>, %b: tensor<8xf32>,
                        %gamma: tensor<8xf32>, %beta: tensor<8xf32>, %mean: tensor<8xf32>,
                        %var: tensor<8xf32>, %res: tensor<1x8x10x10xf32>) -> tensor<1x8x10x10xf32> {
  %none = qc.none
  %0 = qc.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x10x10xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x10x10xf32>
  %1, %m, %v = qc.batch_normalization %0, %gamma, %beta, %mean, %var {epsilon = 1.0e-3 : f32} : (tensor<1x8x10x10xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> (tensor<1x8x10x10xf32>, none, none)
  %2 = qc.add %res, %1 : (tensor<1x8x10x10xf32>, tensor<1x8x10x10xf32>) -> tensor<1x8x10x10xf32>
  %3 = qc.relu %2 : (tensor<1x8x10x10xf32>) -> tensor<1x8x10x10xf32>
  return %3 : tensor<1x8x10x10xf32>
}

// -----

// No bias: shift is zeros, scale ones. Clip bounds come from constants;
// strides and dilations carry over.
// CHECK-LABEL: func.func @relu6
// CHECK-DAG: %[[ZEROS:.*]] = qc.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-DAG: %[[ONES:.*]] = qc.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK: qck.conv2d ins(%arg0, %arg1, %[[ONES]], %[[ZEROS]] : {{.*}}) outs(%{{.*}} : tensor<1x4x5x5xf32>) {activation = "clip", clip_max = 6.000000e+00 : f32, clip_min = 0.000000e+00 : f32, dilations = array<i64: 2, 2>, pads = array<i64: 0, 1, 2, 1>, strides = array<i64: 2, 2>}
// CHECK-NOT: qc.clip
func.func @relu6(%x: tensor<1x3x11x11xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x5x5xf32> {
  %none = qc.none
  %lo = qc.constant dense<0.0> : tensor<f32>
  %hi = qc.constant dense<6.0> : tensor<f32>
  %0 = qc.conv %x, %w, %none {pads = array<i64: 0, 1, 2, 1>, strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>} : (tensor<1x3x11x11xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x5x5xf32>
  %1 = qc.clip %0, %lo, %hi : (tensor<1x4x5x5xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4x5x5xf32>
  return %1 : tensor<1x4x5x5xf32>
}

// -----

// The conv's value has a second user: nothing after it folds in.
// CHECK-LABEL: func.func @shared_value
// CHECK: %[[Y:.*]] = qck.conv2d {{.*}}activation = "none"
// CHECK: %[[R:.*]] = qc.relu %[[Y]]
// CHECK: return %[[Y]], %[[R]]
func.func @shared_value(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x1x1xf32>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) {
  %none = qc.none
  %0 = qc.conv %x, %w, %none : (tensor<1x3x8x8xf32>, tensor<4x3x1x1xf32>, none) -> tensor<1x4x8x8xf32>
  %1 = qc.relu %0 : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %0, %1 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
}

// -----

// Grouped and depthwise convolutions keep their group count.
// CHECK-LABEL: func.func @grouped
// CHECK: qck.conv2d ins(%arg0, %arg1, {{.*}}group = 3 : i64
// CHECK: qck.conv2d ins(%arg2, %arg3, {{.*}}group = 6 : i64
func.func @grouped(%x: tensor<1x6x8x8xf32>, %w: tensor<9x2x3x3xf32>, %x2: tensor<1x6x8x8xf32>, %w2: tensor<6x1x3x3xf32>)
    -> (tensor<1x9x6x6xf32>, tensor<1x6x6x6xf32>) {
  %none = qc.none
  %0 = qc.conv %x, %w, %none {group = 3 : i64} : (tensor<1x6x8x8xf32>, tensor<9x2x3x3xf32>, none) -> tensor<1x9x6x6xf32>
  %1 = qc.conv %x2, %w2, %none {group = 6 : i64} : (tensor<1x6x8x8xf32>, tensor<6x1x3x3xf32>, none) -> tensor<1x6x6x6xf32>
  return %0, %1 : tensor<1x9x6x6xf32>, tensor<1x6x6x6xf32>
}

// -----

// Left as qc.conv: auto_pad, other element types, a Clip with a run-time
// bound stays outside.
// CHECK-LABEL: func.func @not_fused
// CHECK: qc.conv %arg2, %arg3, %{{.*}} {auto_pad = "SAME_UPPER"}
// CHECK: qc.conv %arg4, %arg5
// CHECK: %[[Y:.*]] = qck.conv2d {{.*}}activation = "none"
// CHECK: qc.clip %[[Y]], %{{.*}}, %arg7
func.func @not_fused(%x: tensor<1x3x8x8xf32>, %w: tensor<3x1x3x3xf32>,
                     %x2: tensor<1x3x8x8xf32>, %w2: tensor<4x3x3x3xf32>,
                     %x3: tensor<1x3x8x8xf64>, %w3: tensor<4x3x3x3xf64>,
                     %x4: tensor<1x3x8x8xf32>, %hi: tensor<f32>)
    -> (tensor<1x4x8x8xf32>, tensor<1x4x6x6xf64>, tensor<1x4x6x6xf32>) {
  %none = qc.none
  %1 = qc.conv %x2, %w2, %none {auto_pad = "SAME_UPPER"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x8x8xf32>
  %2 = qc.conv %x3, %w3, %none : (tensor<1x3x8x8xf64>, tensor<4x3x3x3xf64>, none) -> tensor<1x4x6x6xf64>
  %3 = qc.conv %x4, %w2, %none : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  %4 = qc.clip %3, %none, %hi : (tensor<1x4x6x6xf32>, none, tensor<f32>) -> tensor<1x4x6x6xf32>
  return %1, %2, %4 : tensor<1x4x8x8xf32>, tensor<1x4x6x6xf64>, tensor<1x4x6x6xf32>
}

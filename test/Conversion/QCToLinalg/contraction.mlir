// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// Conv with explicit pads and strides: the pad covers what the windows read
// (here nothing past the end), the bias initialises the accumulator.
// CHECK-LABEL: func.func @conv2d_bias_pads_strides
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x8x8xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK: tensor.yield %[[ZERO]] : f32
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x9x9xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x4x4x4xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<4xf32>) outs(%[[E]] : tensor<1x4x4x4xf32>) dimensions = [0, 2, 3]
// CHECK: %[[R:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %[[W]] : tensor<1x3x9x9xf32>, tensor<4x3x3x3xf32>) outs(%[[INIT]] : tensor<1x4x4x4xf32>)
// CHECK: return %[[R]]
// CHECK-NOT: qc.conv
func.func @conv2d_bias_pads_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = qc.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Grouped 2-D conv (SAME_UPPER): channels split into [G, C/G] for
// conv_2d_ngchw_gfchw, and the result collapsed back.
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8x8xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>)
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x6x8x8xf32>)
// CHECK: %[[GX:.*]] = tensor.expand_shape %[[P]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 10, 10]
// CHECK: %[[GW:.*]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK: %[[GI:.*]] = tensor.expand_shape %[[INIT]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 2, 3, 8, 8]
// CHECK: %[[C:.*]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[GX]], %[[GW]] : tensor<1x2x2x10x10xf32>, tensor<2x3x2x3x3xf32>) outs(%[[GI]] : tensor<1x2x3x8x8xf32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[C]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x3x8x8xf32> into tensor<1x6x8x8xf32>
// CHECK: return %[[R]]
func.func @conv2d_grouped(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x8x8xf32> {
  %n = qc.none
  %0 = qc.conv %x, %w, %n {auto_pad = "SAME_UPPER", group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, none) -> tensor<1x6x8x8xf32>
  return %0 : tensor<1x6x8x8xf32>
}

// -----

// Depthwise: the [C, 1, kh, kw] filter becomes [C, kh, kw].
// CHECK-LABEL: func.func @conv2d_depthwise
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8x8xf32>, %[[W:.*]]: tensor<4x1x3x3xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0, 1], [2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X]], %[[F]] : tensor<1x4x8x8xf32>, tensor<4x3x3xf32>)
func.func @conv2d_depthwise(%x: tensor<1x4x8x8xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %n = qc.none
  %0 = qc.conv %x, %w, %n {group = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// SAME_LOWER puts the odd pad element first: out = ceil(7/2) = 4,
// total pad = 3*2 + 4 - 7 = 3 -> low 2, high 1.
// CHECK-LABEL: func.func @conv1d_same_lower
// CHECK: tensor.pad %{{.*}} low[0, 0, 2] high[0, 0, 1]
// CHECK: } : tensor<2x3x7xf32> to tensor<2x3x10xf32>
// CHECK: linalg.conv_1d_ncw_fcw {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>} ins(%{{.*}}, %{{.*}} : tensor<2x3x10xf32>, tensor<5x3x4xf32>) outs(%{{.*}} : tensor<2x5x4xf32>)
func.func @conv1d_same_lower(%x: tensor<2x3x7xf32>, %w: tensor<5x3x4xf32>) -> tensor<2x5x4xf32> {
  %n = qc.none
  %0 = qc.conv %x, %w, %n {auto_pad = "SAME_LOWER", strides = array<i64: 2>, dilations = array<i64: 1>} : (tensor<2x3x7xf32>, tensor<5x3x4xf32>, none) -> tensor<2x5x4xf32>
  return %0 : tensor<2x5x4xf32>
}

// -----

// Grouped 1-D conv has no named op: a generic over (n, g, m, o, c, k) reading
// channel g * C/G + c at o * stride + k * dilation.
// CHECK-DAG: #[[XMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d3 + d5 * 2)>
// CHECK-DAG: #[[WMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1 * 3 + d2, d4, d5)>
// CHECK-DAG: #[[OMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv1d_grouped
// CHECK: %[[GI:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2], [3]] output_shape [1, 2, 3, 3] : tensor<1x6x3xf32> into tensor<1x2x3x3xf32>
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[XMAP]], #[[WMAP]], #[[OMAP]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x4x7xf32>, tensor<6x2x3xf32>) outs(%[[GI]] : tensor<1x2x3x3xf32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK: %[[M:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK: %[[S:.*]] = arith.addf %[[ACC]], %[[M]] : f32
// CHECK: linalg.yield %[[S]]
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3]] : tensor<1x2x3x3xf32> into tensor<1x6x3xf32>
func.func @conv1d_grouped(%x: tensor<1x4x7xf32>, %w: tensor<6x2x3xf32>) -> tensor<1x6x3xf32> {
  %n = qc.none
  %0 = qc.conv %x, %w, %n {group = 2 : i64, dilations = array<i64: 2>} : (tensor<1x4x7xf32>, tensor<6x2x3xf32>, none) -> tensor<1x6x3xf32>
  return %0 : tensor<1x6x3xf32>
}

// -----

// CHECK-LABEL: func.func @conv3d
// CHECK: linalg.conv_3d_ncdhw_fcdhw {dilations = dense<1> : tensor<3xi64>, strides = dense<1> : tensor<3xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x2x4x4x4xf32>, tensor<3x2x2x2x2xf32>) outs(%{{.*}} : tensor<1x3x3x3x3xf32>)
func.func @conv3d(%x: tensor<1x2x4x4x4xf32>, %w: tensor<3x2x2x2x2xf32>) -> tensor<1x3x3x3x3xf32> {
  %n = qc.none
  %0 = qc.conv %x, %w, %n : (tensor<1x2x4x4x4xf32>, tensor<3x2x2x2x2xf32>, none) -> tensor<1x3x3x3x3xf32>
  return %0 : tensor<1x3x3x3x3xf32>
}

// -----

// ConvTranspose = stride-1 conv over the zero-stuffed input: x[i] lands at
// i*2 + (3-1) - pad_begin(1) = 2i + 1 of a length out + 2 = 8 buffer, and the
// kernel is flipped with its channel dims swapped.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0 * 2 + d2, d1, -d3 + 2, -d4 + 2)>
// CHECK-DAG: #[[ID5:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x3xf32>, %[[W:.*]]: tensor<2x3x3x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x8x8xf32>)
// CHECK: %[[S:.*]] = tensor.insert_slice %[[X]] into %[[Z]][0, 0, 1, 1] [1, 2, 3, 3] [1, 1, 2, 2] : tensor<1x2x3x3xf32> into tensor<1x2x8x8xf32>
// CHECK: %[[GF:.*]] = linalg.generic {indexing_maps = [#[[FLIP]], #[[ID5]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[W]] : tensor<2x3x3x3xf32>) outs(%{{.*}} : tensor<1x3x2x3x3xf32>)
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[GF]] {{\[}}[0, 1], [2], [3], [4]] : tensor<1x3x2x3x3xf32> into tensor<3x2x3x3xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<3xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[S]], %[[F]] : tensor<1x2x8x8xf32>, tensor<3x2x3x3xf32>) outs(%[[INIT]] : tensor<1x3x6x6xf32>)
func.func @conv_transpose(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x6x6xf32> {
  %0 = qc.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>) -> tensor<1x3x6x6xf32>
  return %0 : tensor<1x3x6x6xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x3xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<4x3xf32>)
// CHECK: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
// CHECK: return %[[R]]
func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %0 = qc.matmul %a, %b : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A batched A against a weight matrix folds the batch into M.
// CHECK-LABEL: func.func @matmul_batch_weights
// CHECK: %[[A2:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<2x5x8xf32> into tensor<10x8xf32>
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[A2]], %{{.*}} : tensor<10x8xf32>, tensor<8x3xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[}}[0, 1], [2]] output_shape [2, 5, 3] : tensor<10x3xf32> into tensor<2x5x3xf32>
func.func @matmul_batch_weights(%a: tensor<2x5x8xf32>, %b: tensor<8x3xf32>) -> tensor<2x5x3xf32> {
  %0 = qc.matmul %a, %b : (tensor<2x5x8xf32>, tensor<8x3xf32>) -> tensor<2x5x3xf32>
  return %0 : tensor<2x5x3xf32>
}

// -----

// Batch dims broadcast the numpy way (materialised), then batch_matmul on
// the collapsed batch; integers accumulate in their own type.
// CHECK-DAG: #[[ABC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-DAG: #[[BBC:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast
// CHECK: %[[A4:.*]] = linalg.generic {indexing_maps = [#[[ABC]], #{{.*}}]{{.*}} ins(%{{.*}} : tensor<2x1x5x8xi32>) outs(%{{.*}} : tensor<2x3x5x8xi32>)
// CHECK: %[[B4:.*]] = linalg.generic {indexing_maps = [#[[BBC]], #{{.*}}]{{.*}} ins(%{{.*}} : tensor<3x8x4xi32>) outs(%{{.*}} : tensor<2x3x8x4xi32>)
// CHECK: %[[A3:.*]] = tensor.collapse_shape %[[A4]] {{\[}}[0, 1], [2], [3]] : tensor<2x3x5x8xi32> into tensor<6x5x8xi32>
// CHECK: %[[B3:.*]] = tensor.collapse_shape %[[B4]] {{\[}}[0, 1], [2], [3]] : tensor<2x3x8x4xi32> into tensor<6x8x4xi32>
// CHECK: %[[BM:.*]] = linalg.batch_matmul ins(%[[A3]], %[[B3]] : tensor<6x5x8xi32>, tensor<6x8x4xi32>) outs(%{{.*}} : tensor<6x5x4xi32>)
// CHECK: tensor.expand_shape %[[BM]] {{\[}}[0, 1], [2], [3]] output_shape [2, 3, 5, 4]
func.func @matmul_broadcast(%a: tensor<2x1x5x8xi32>, %b: tensor<3x8x4xi32>) -> tensor<2x3x5x4xi32> {
  %0 = qc.matmul %a, %b : (tensor<2x1x5x8xi32>, tensor<3x8x4xi32>) -> tensor<2x3x5x4xi32>
  return %0 : tensor<2x3x5x4xi32>
}

// -----

// 1-D x 1-D: [1, K] x [K, 1], then the inserted dims are dropped.
// CHECK-LABEL: func.func @matmul_vectors
// CHECK: %[[A:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
// CHECK: %[[B:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [8, 1] : tensor<8xf32> into tensor<8x1xf32>
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<1x8xf32>, tensor<8x1xf32>)
// CHECK: tensor.collapse_shape %[[M]] [] : tensor<1x1xf32> into tensor<f32>
func.func @matmul_vectors(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<f32> {
  %0 = qc.matmul %a, %b : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// f16 products accumulate in f32 and are rounded once at the end.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<4x3xf32>)
// CHECK: %[[M:.*]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf16>, tensor<8x3xf16>) outs(%[[INIT]] : tensor<4x3xf32>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[M]] : tensor<4x3xf32>) outs(%{{.*}} : tensor<4x3xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: return %[[R]]
func.func @matmul_f16(%a: tensor<4x8xf16>, %b: tensor<8x3xf16>) -> tensor<4x3xf16> {
  %0 = qc.matmul %a, %b : (tensor<4x8xf16>, tensor<8x3xf16>) -> tensor<4x3xf16>
  return %0 : tensor<4x3xf16>
}

// -----

// Gemm with transA/transB and beta: operands transposed, the accumulator
// starts at beta * C broadcast along the rows.
// CHECK-DAG: #[[CROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%[[A:.*]]: tensor<8x4xf32>, %[[B:.*]]: tensor<3x8xf32>, %[[C:.*]]: tensor<3xf32>)
// CHECK: %[[BETA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: %[[AT:.*]] = linalg.transpose ins(%[[A]] : tensor<8x4xf32>) outs(%{{.*}} : tensor<4x8xf32>) permutation = [1, 0]
// CHECK: %[[BT:.*]] = linalg.transpose ins(%[[B]] : tensor<3x8xf32>) outs(%{{.*}} : tensor<8x3xf32>) permutation = [1, 0]
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[CROW]], #{{.*}}]{{.*}} ins(%[[C]] : tensor<3xf32>) outs(%{{.*}} : tensor<4x3xf32>)
// CHECK: arith.mulf %{{.*}}, %[[BETA]] : f32
// CHECK: %[[R:.*]] = linalg.matmul ins(%[[AT]], %[[BT]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
// CHECK: return %[[R]]
func.func @gemm(%a: tensor<8x4xf32>, %b: tensor<3x8xf32>, %c: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = qc.gemm %a, %b, %c {transA = 1 : i64, transB = 1 : i64, beta = 2.0 : f32} : (tensor<8x4xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// alpha != 1: alpha * AB + C in an epilogue; C [4, 1] broadcasts along N.
// CHECK-DAG: #[[CCOL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @gemm_alpha
// CHECK: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[M:.*]] = linalg.matmul
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CCOL]], #{{.*}}]{{.*}} ins(%[[M]], %{{.*}} : tensor<4x3xf32>, tensor<4x1xf32>)
// CHECK: ^bb0(%[[P:.*]]: f32, %[[CV:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[S:.*]] = arith.mulf %[[P]], %[[ALPHA]] : f32
// CHECK: arith.addf %[[S]], %[[CV]] : f32
func.func @gemm_alpha(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %c: tensor<4x1xf32>) -> tensor<4x3xf32> {
  %0 = qc.gemm %a, %b, %c {alpha = 0.5 : f32} : (tensor<4x8xf32>, tensor<8x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// MaxPool pads with -inf; ceil_mode reads one more element at the end.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NINF]] : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<1x2x4x4xf32>)
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %[[WIN]] : tensor<1x2x9x9xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x4x4xf32>)
func.func @max_pool_ceil(%x: tensor<1x2x7x7xf32>) -> tensor<1x2x4x4xf32> {
  %Y, %I = qc.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = 1 : i64} : (tensor<1x2x7x7xf32>) -> (tensor<1x2x4x4xf32>, none)
  return %Y : tensor<1x2x4x4xf32>
}

// -----

// MaxPool with Indices: one generic yields the value and the flat index of
// the first maximum; storage_order = 1 makes the index column-major (w*H + h).
// CHECK-LABEL: func.func @max_pool_indices
// CHECK: %[[IDX:.*]] = linalg.fill ins(%{{.*}} : i64) outs(%{{.*}} : tensor<1x1x2x2xi64>)
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%{{.*}}, %[[IDX]] : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
// CHECK: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32, %[[BEST:.*]]: f32, %[[BI:.*]]: i64):
// CHECK: %[[H:.*]] = arith.addi
// CHECK: %[[W:.*]] = arith.addi
// CHECK: %[[WH:.*]] = arith.muli %[[W]], %{{.*}} : i64
// CHECK: %[[FLAT:.*]] = arith.addi %[[WH]], %[[H]] : i64
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[V]], %[[BEST]] : f32
// CHECK: %[[TAKE:.*]] = arith.andi
// CHECK: arith.select %[[TAKE]], %[[V]], %[[BEST]] : f32
// CHECK: arith.select %[[TAKE]], %[[FLAT]], %[[BI]] : i64
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @max_pool_indices(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %Y, %I = qc.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, storage_order = 1 : i64} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %Y, %I : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// -----

// 3-D pooling is a generic with the window as a shape-only operand; signed
// integers start at their minimum.
// CHECK-DAG: #[[IN3:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2 * 2 + d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-LABEL: func.func @max_pool_3d_i8
// CHECK: %[[MIN:.*]] = arith.constant -128 : i8
// CHECK: linalg.fill ins(%[[MIN]] : i8)
// CHECK: linalg.generic {indexing_maps = [#[[IN3]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : i8
func.func @max_pool_3d_i8(%x: tensor<1x2x4x4x4xi8>) -> tensor<1x2x2x2x2xi8> {
  %Y, %I = qc.max_pool %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x2x4x4x4xi8>) -> (tensor<1x2x2x2x2xi8>, none)
  return %Y : tensor<1x2x2x2x2xi8>
}

// -----

// AveragePool without count_include_pad divides by the number of input
// elements under each window (a constant per output position).
// CHECK-DAG: #[[SP:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @average_pool_exclude_pad
// CHECK: %[[DIV:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 9.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<4x4xf32>
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[P]], %{{.*}} : tensor<1x1x6x6xf32>, tensor<3x3xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SP]], #{{.*}}]{{.*}} ins(%[[SUM]], %[[DIV]] : tensor<1x1x4x4xf32>, tensor<4x4xf32>)
// CHECK: arith.divf
func.func @average_pool_exclude_pad(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %0 = qc.average_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// With count_include_pad every window here counts 3 elements: one divisor.
// CHECK-LABEL: func.func @average_pool_1d_include_pad
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: %[[SUM:.*]] = linalg.pooling_ncw_sum {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x3x9xf32>, tensor<3xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x3x4xf32>)
// CHECK: arith.divf %{{.*}}, %[[THREE]] : f32
func.func @average_pool_1d_include_pad(%x: tensor<1x3x8xf32>) -> tensor<1x3x4xf32> {
  %0 = qc.average_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 0>, count_include_pad = 1 : i64} : (tensor<1x3x8xf32>) -> tensor<1x3x4xf32>
  return %0 : tensor<1x3x4xf32>
}

// -----

// Global pools reduce the spatial dims into [N, C].
// CHECK-DAG: #[[NC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_pools
// CHECK-DAG: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[COUNT:.*]] = arith.constant 2.000000e+01 : f32
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.addf
// CHECK: %[[AVG:.*]] = linalg.generic {indexing_maps = [#[[NC]], #{{.*}}]{{.*}} ins(%[[SUM]] : tensor<2x3xf32>) outs(%{{.*}} : tensor<2x3x1x1xf32>)
// CHECK: arith.divf %{{.*}}, %[[COUNT]] : f32
// CHECK: linalg.fill ins(%[[NINF]] : f32)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.maximumf
// CHECK: %[[MAX4:.*]] = tensor.expand_shape %[[MAX]] {{\[}}[0], [1, 2, 3]] output_shape [2, 3, 1, 1]
// CHECK: return %[[AVG]], %[[MAX4]]
func.func @global_pools(%x: tensor<2x3x4x5xf32>) -> (tensor<2x3x1x1xf32>, tensor<2x3x1x1xf32>) {
  %0 = qc.global_average_pool %x : (tensor<2x3x4x5xf32>) -> tensor<2x3x1x1xf32>
  %1 = qc.global_max_pool %x : (tensor<2x3x4x5xf32>) -> tensor<2x3x1x1xf32>
  return %0, %1 : tensor<2x3x1x1xf32>, tensor<2x3x1x1xf32>
}

// -----

// Left alone: dynamic shapes and a declared result shape
// that ONNX's rules contradict (ceil_mode's last window would start in the
// padding, so the width is 4, not 5).
// CHECK-LABEL: func.func @left_alone
// CHECK: qc.conv %{{.*}} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<?x4x6x6xf32>
// CHECK: qc.max_pool %{{.*}} : (tensor<1x1x7x8xf32>) -> (tensor<1x1x4x5xf32>, none)
// CHECK: qc.matmul %{{.*}} : (tensor<?x8xf32>, tensor<8x3xf32>) -> tensor<?x3xf32>
// CHECK-NOT: linalg.
func.func @left_alone(%d: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %x: tensor<1x1x7x8xf32>, %a: tensor<?x8xf32>, %b: tensor<8x3xf32>)
    -> (tensor<?x4x6x6xf32>, tensor<1x1x4x5xf32>, tensor<?x3xf32>) {
  %n = qc.none
  %0 = qc.conv %d, %w, %n : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>, none) -> tensor<?x4x6x6xf32>
  %2, %i2 = qc.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>, ceil_mode = 1 : i64} : (tensor<1x1x7x8xf32>) -> (tensor<1x1x4x5xf32>, none)
  %3 = qc.matmul %a, %b : (tensor<?x8xf32>, tensor<8x3xf32>) -> tensor<?x3xf32>
  return %0, %2, %3 : tensor<?x4x6x6xf32>, tensor<1x1x4x5xf32>, tensor<?x3xf32>
}

// -----

// uint8 MaxPool (uint8 activations): the values flipped at the top bit
// order as signed ones, so the signed pooling applies; flipped back after.
// CHECK-LABEL: func.func @max_pool_uint8
// CHECK: %[[BIT:.*]] = arith.constant -128 : i8
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<1x1x4x4xui8>) outs(%{{.*}} : tensor<1x1x4x4xi8>)
// CHECK: arith.xori %{{.*}}, %[[BIT]] : i8
// CHECK: %[[P:.*]] = linalg.pooling_nchw_max {{.*}} ins(%[[S]],
// CHECK: linalg.generic {{.*}} ins(%[[P]] : tensor<1x1x2x2xi8>) outs(%{{.*}} : tensor<1x1x2x2xui8>)
// CHECK: arith.xori %{{.*}}, %[[BIT]] : i8
func.func @max_pool_uint8(%u: tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8> {
  %1, %i1 = qc.max_pool %u {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xui8>) -> (tensor<1x1x2x2xui8>, none)
  return %1 : tensor<1x1x2x2xui8>
}

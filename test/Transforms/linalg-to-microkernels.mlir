// RUN: %quantc-opt %s --qc-linalg-to-microkernels --canonicalize | FileCheck %s

// CHECK-DAG: memref.global "private" @__qc_packed_weights : memref<1xi64> = dense<0> {alignment = 8 : i64}
// CHECK-DAG: func.func private @qc_uk_matmul_f32(index, index, index, index, index, index, index, index, index, index, index, index)
// CHECK-DAG: func.func private @qc_uk_batch_matmul_f32(index, index, index, index, index, index, index, index, index, index, index, index, index, index, index, index)
// CHECK-DAG: func.func private @qc_uk_conv2d_f32({{(index, )+}}f32, f32, index)

// Sizes (m, n, k), then each buffer's first-element address and strides.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[A:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK-DAG: %[[B:.*]] = memref.extract_aligned_pointer_as_index %arg1
// CHECK-DAG: %[[C:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK: call @qc_uk_matmul_f32(%[[C4]], %[[C16]], %[[C8]], %[[A]], %[[C8]], %[[C1]], %[[B]], %[[C16]], %[[C1]], %[[C]], %[[C16]], %[[C1]])
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// A subview: the address includes the offset (in bytes), the strides are
// the parent's.
// CHECK-LABEL: func.func @matmul_subview
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG: %[[C40:.*]] = arith.constant 40 : index
// CHECK: %[[VIEW:.*]] = memref.subview %arg2
// CHECK-DAG: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[VIEW]]
// CHECK: %[[C:.*]] = arith.addi %[[BASE]], %[[C40]] : index
// CHECK: call @qc_uk_matmul_f32({{.*}}, %[[C]], %[[C32]], %{{.*}})
func.func @matmul_subview(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x32xf32>) {
  %s = memref.subview %c[0, 10] [4, 16] [1, 1] : memref<4x32xf32> to memref<4x16xf32, strided<[32, 1], offset: 10>>
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%s : memref<4x16xf32, strided<[32, 1], offset: 10>>)
  return
}

// CHECK-LABEL: func.func @batch_matmul
// CHECK: call @qc_uk_batch_matmul_f32
// CHECK-NOT: linalg.batch_matmul
func.func @batch_matmul(%a: memref<3x4x8xf32>, %b: memref<3x8x16xf32>, %c: memref<3x4x16xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x4x8xf32>, memref<3x8x16xf32>) outs(%c : memref<3x4x16xf32>)
  return
}

// Sizes (n, c, h, w, f, kh, kw, oh, ow, strides, dilations, pads top and
// left), the buffers (input, filter, scale, shift, residual, output), the
// group count, the activation code, the clip bounds and the weights slot.
// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C11:.*]] = arith.constant 11 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C27:.*]] = arith.constant 27 : index
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
// CHECK-DAG: %[[C121:.*]] = arith.constant 121 : index
// CHECK-DAG: %[[C363:.*]] = arith.constant 363 : index
// CHECK-DAG: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK-DAG: %[[X:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK-DAG: %[[W:.*]] = memref.extract_aligned_pointer_as_index %arg1
// CHECK-DAG: %[[S:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK-DAG: %[[T:.*]] = memref.extract_aligned_pointer_as_index %arg3
// CHECK-DAG: %[[R:.*]] = memref.extract_aligned_pointer_as_index %arg4
// CHECK-DAG: %[[Y:.*]] = memref.extract_aligned_pointer_as_index %arg5
// CHECK: call @qc_uk_conv2d_f32(%[[C1]], %[[C3]], %[[C11]], %[[C11]], %[[C4]], %[[C3]], %[[C3]], %[[C4]], %[[C4]], %[[C2]], %[[C2]], %[[C1]], %[[C1]], %[[C1]], %[[C0]], %[[X]], %[[C363]], %[[C121]], %[[C11]], %[[W]], %[[C27]], %[[S]], %[[T]], %[[R]], %[[C64]], %[[C16]], %[[Y]], %[[C64]], %[[C16]], %[[C1]], %[[C2]], %[[LO]], %[[HI]], %[[C0]])
// CHECK-NOT: qck.conv2d
func.func @conv(%x: memref<1x3x11x11xf32>, %w: memref<4x3x3x3xf32>, %scale: memref<4xf32>,
                %shift: memref<4xf32>, %res: memref<1x4x4x4xf32>, %y: memref<1x4x4x4xf32>) {
  qck.conv2d ins(%x, %w, %scale, %shift, residual %res : memref<1x3x11x11xf32>, memref<4x3x3x3xf32>, memref<4xf32>, memref<4xf32>, memref<1x4x4x4xf32>)
    outs(%y : memref<1x4x4x4xf32>) {pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 2>,
    dilations = array<i64: 1, 1>, activation = "clip", clip_min = 0.0 : f32, clip_max = 6.0 : f32}
  return
}

// Without a residual its address and strides are zeros.
// CHECK-LABEL: func.func @conv_no_residual
// CHECK: call @qc_uk_conv2d_f32({{.*}}, %{{.*}}, %[[Z:c0]], %[[Z]], %[[Z]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[Z]])
func.func @conv_no_residual(%x: memref<1x3x11x11xf32>, %w: memref<4x3x3x3xf32>, %scale: memref<4xf32>,
                %shift: memref<4xf32>, %y: memref<1x4x4x4xf32>) {
  qck.conv2d ins(%x, %w, %scale, %shift : memref<1x3x11x11xf32>, memref<4x3x3x3xf32>, memref<4xf32>, memref<4xf32>)
    outs(%y : memref<1x4x4x4xf32>) {pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 2>,
    dilations = array<i64: 1, 1>, activation = "relu", clip_min = 0.0 : f32, clip_max = 0.0 : f32}
  return
}

// A constant filter gets a slot of its own (a zeroed i64 global) where the
// kernel keeps it packed.
// CHECK-DAG: memref.global "private" constant @filter : memref<4x3x3x3xf32>
// CHECK-LABEL: func.func @conv_constant_filter
// CHECK: %[[SLOT:.*]] = memref.get_global @__qc_packed_weights
// CHECK: %[[SLOTADDR:.*]] = memref.extract_aligned_pointer_as_index %[[SLOT]]
// CHECK: call @qc_uk_conv2d_f32({{.*}}, %[[SLOTADDR]])
memref.global "private" constant @filter : memref<4x3x3x3xf32> = dense<1.0>
func.func @conv_constant_filter(%x: memref<1x3x11x11xf32>, %scale: memref<4xf32>,
                %shift: memref<4xf32>, %y: memref<1x4x4x4xf32>) {
  %w = memref.get_global @filter : memref<4x3x3x3xf32>
  qck.conv2d ins(%x, %w, %scale, %shift : memref<1x3x11x11xf32>, memref<4x3x3x3xf32>, memref<4xf32>, memref<4xf32>)
    outs(%y : memref<1x4x4x4xf32>) {pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 2>,
    dilations = array<i64: 1, 1>, activation = "none", clip_min = 0.0 : f32, clip_max = 0.0 : f32}
  return
}

// A calibration observer calls the host with its id, the buffer's address,
// its element count and its first dimension (samples).
// CHECK-LABEL: func.func @observe
// CHECK-DAG: %[[ID:.*]] = arith.constant 7 : index
// CHECK-DAG: %[[N:.*]] = arith.constant 96 : index
// CHECK-DAG: %[[S:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[P:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK: call @qc_rt_observe(%[[ID]], %[[P]], %[[N]], %[[S]]) : (index, index, index, index) -> ()
// CHECK-NOT: qck.observe
func.func @observe(%x: memref<2x3x4x4xf32>) {
  qck.observe %x {id = 7 : i64} : memref<2x3x4x4xf32>
  return
}

// A strided view is copied into a dense buffer first, which is freed after
// the call.
// CHECK-LABEL: func.func @observe_strided
// CHECK: %[[COPY:.*]] = memref.alloc() : memref<1x2x3xf32>
// CHECK: memref.copy %arg0, %[[COPY]]
// CHECK: memref.extract_aligned_pointer_as_index %[[COPY]]
// CHECK: call @qc_rt_observe
// CHECK: memref.dealloc %[[COPY]]
func.func @observe_strided(%x: memref<1x2x3xf32, strided<[24, 6, 1], offset: 3>>) {
  qck.observe %x {id = 1 : i64} : memref<1x2x3xf32, strided<[24, 6, 1], offset: 3>>
  return
}

// An analysis probe calls the host with its id, the input's and the
// output's addresses, the element count and the first dimension; a strided
// input is copied into the output first and handed over in place.
// CHECK-LABEL: func.func @probe
// CHECK-DAG: %[[ID:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[N:.*]] = arith.constant 96 : index
// CHECK-DAG: %[[S:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[IN:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK-DAG: %[[OUT:.*]] = memref.extract_aligned_pointer_as_index %arg1
// CHECK: call @qc_rt_probe(%[[ID]], %{{.*}}, %{{.*}}, %[[N]], %[[S]]) : (index, index, index, index, index) -> ()
// CHECK-LABEL: func.func @probe_strided
// CHECK: memref.copy %arg0, %arg1
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %arg1
// CHECK: call @qc_rt_probe
// CHECK-NOT: qck.probe
func.func @probe(%x: memref<2x3x4x4xf32>, %y: memref<2x3x4x4xf32>) {
  qck.probe ins(%x : memref<2x3x4x4xf32>) outs(%y : memref<2x3x4x4xf32>) {id = 3 : i64}
  return
}
func.func @probe_strided(%x: memref<1x2x3xf32, strided<[24, 6, 1], offset: 3>>, %y: memref<1x2x3xf32>) {
  qck.probe ins(%x : memref<1x2x3xf32, strided<[24, 6, 1], offset: 3>>) outs(%y : memref<1x2x3xf32>) {id = 4 : i64}
  return
}

// Left for the loop path: other element types, tensors, transposed maps.
// CHECK-LABEL: func.func @not_lowered
// CHECK-NOT: call
// CHECK: linalg.matmul ins(%arg0, %arg1 : memref<4x8xf64>
// CHECK: linalg.matmul ins(%arg3, %arg4 : tensor<4x8xf32>
// CHECK: linalg.matmul indexing_maps
func.func @not_lowered(%a: memref<4x8xf64>, %b: memref<8x16xf64>, %c: memref<4x16xf64>,
                       %ta: tensor<4x8xf32>, %tb: tensor<8x16xf32>, %tc: tensor<4x16xf32>,
                       %bt: memref<16x8xf32>, %af: memref<4x8xf32>, %cf: memref<4x16xf32>) -> tensor<4x16xf32> {
  linalg.matmul ins(%a, %b : memref<4x8xf64>, memref<8x16xf64>) outs(%c : memref<4x16xf64>)
  %0 = linalg.matmul ins(%ta, %tb : tensor<4x8xf32>, tensor<8x16xf32>) outs(%tc : tensor<4x16xf32>) -> tensor<4x16xf32>
  linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
    ins(%af, %bt : memref<4x8xf32>, memref<16x8xf32>) outs(%cf : memref<4x16xf32>)
  return %0 : tensor<4x16xf32>
}


// qck.qconv2d: the geometry as for qck.conv2d, the params' address, no
// residual (three zeros), the output, group, flags (uint8 input: 1, round
// half to even: 8), the input, residual and output zero points, the clamp,
// the input's known range and the packing slot of the constant filter.
// The call carries its multiply-adds for profiles (1x4x4x4 outputs, 3x3x3
// taps: 1728).
// CHECK-LABEL: func.func @qconv
// CHECK-DAG: %[[X:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK-DAG: %[[SLOT:.*]] = memref.get_global @__qc_packed_weights
// CHECK: call @qc_uk_conv2d_i8(%[[C1]], %[[C3]], %[[C11]], %[[C11]], %[[C4]], %[[C3]], %[[C3]], %[[C4]], %[[C4]], %[[C2]], %[[C2]], %[[C1]], %[[C1]], %[[C1]], %[[C0]], %[[X]], %[[C363]], %[[C121]], %[[C11]], %{{.*}}, %[[C27]], %{{.*}}, %[[C0]], %[[C0]], %[[C0]], %{{.*}}, %[[C64]], %[[C16]], %[[C1]], %c9, %c120, %[[C0]], %c-5, %[[C0]], %c127, %[[C0]], %c255, %{{.*}}) {qc.macs = 1728 : i64}
// CHECK-NOT: qck.qconv2d
memref.global "private" constant @qfilter : memref<4x3x3x3xi8> = dense<1>
memref.global "private" constant @qparams : memref<5x4xi32> = dense<1>
func.func @qconv(%x: memref<1x3x11x11xui8>, %y: memref<1x4x4x4xi8>) {
  %w = memref.get_global @qfilter : memref<4x3x3x3xi8>
  %p = memref.get_global @qparams : memref<5x4xi32>
  qck.qconv2d ins(%x, %w, %p : memref<1x3x11x11xui8>, memref<4x3x3x3xi8>, memref<5x4xi32>)
      outs(%y : memref<1x4x4x4xi8>) {pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 2>,
      dilations = array<i64: 1, 1>, input_zero_point = 120 : i64, residual_zero_point = 0 : i64,
      output_zero_point = -5 : i64, clamp_min = 0 : i64, clamp_max = 127 : i64,
      input_min = 0 : i64, input_max = 255 : i64, rounding = "half_to_even"}
  return
}

// An integer matmul as qc.matmul_integer lowers it (8-bit operands
// extended to i32, summed into C): sizes (batch, m, n, k), then A, B and C
// with their (batch, row, column) strides (B's batch broadcast: stride 0),
// then the signedness flags (A uint8: 1) and B's packing slot: 0 for a B
// that is not a constant, a slot of its own for constant weights.
// CHECK-LABEL: func.func @matmul_i8
// CHECK: call @qc_uk_matmul_i8(%[[C2]], %[[C4]], %c3, %[[C8]], %{{.*}}, %c32, %[[C8]], %[[C1]], %{{.*}}, %[[C0]], %c3, %[[C1]], %{{.*}}, %c12, %c3, %[[C1]], %[[C1]], %[[C0]]) {qc.macs = 192 : i64}
// CHECK: %[[SLOT:.*]] = memref.get_global @__qc_packed_weights
// CHECK: %[[SLOTADDR:.*]] = memref.extract_aligned_pointer_as_index %[[SLOT]]
// CHECK: call @qc_uk_matmul_i8({{.*}}, %[[C1]], %[[SLOTADDR]]) {qc.macs = 192 : i64}
// CHECK-NOT: linalg.generic
#ma = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#mb = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
#mc = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
func.func @matmul_i8(%a: memref<2x4x8xui8>, %b: memref<8x3xi8>, %c: memref<2x4x3xi32>) {
  linalg.generic {indexing_maps = [#ma, #mb, #mc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : memref<2x4x8xui8>, memref<8x3xi8>) outs(%c : memref<2x4x3xi32>) {
  ^bb0(%x: ui8, %y: i8, %acc: i32):
    %xs = builtin.unrealized_conversion_cast %x : ui8 to i8
    %0 = arith.extui %xs : i8 to i32
    %1 = arith.extsi %y : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  %w = memref.get_global @mweights : memref<8x3xi8>
  linalg.generic {indexing_maps = [#ma, #mb, #mc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %w : memref<2x4x8xui8>, memref<8x3xi8>) outs(%c : memref<2x4x3xi32>) {
  ^bb0(%x: ui8, %y: i8, %acc: i32):
    %xs = builtin.unrealized_conversion_cast %x : ui8 to i8
    %0 = arith.extui %xs : i8 to i32
    %1 = arith.extsi %y : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %acc, %2 : i32
    linalg.yield %3 : i32
  }
  return
}
memref.global "private" constant @mweights : memref<8x3xi8> = dense<2>

// RUN: %quantc-opt %s --qc-linalg-to-microkernels --verify-diagnostics

// A qck op whose input rows are not contiguous has no kernel: an error.
func.func @strided_input(%x: memref<1x3x11x22xf32>, %w: memref<4x3x3x3xf32>, %scale: memref<4xf32>,
                         %shift: memref<4xf32>, %y: memref<1x4x9x9xf32>) {
  %xs = memref.subview %x[0, 0, 0, 0] [1, 3, 11, 11] [1, 1, 1, 2] : memref<1x3x11x22xf32> to memref<1x3x11x11xf32, strided<[726, 242, 22, 2]>>
  // expected-error @+1 {{no microkernel takes qck.conv2d on these buffers}}
  qck.conv2d ins(%xs, %w, %scale, %shift : memref<1x3x11x11xf32, strided<[726, 242, 22, 2]>>, memref<4x3x3x3xf32>, memref<4xf32>, memref<4xf32>)
    outs(%y : memref<1x4x9x9xf32>) {pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>,
    dilations = array<i64: 1, 1>, activation = "none", clip_min = 0.0 : f32, clip_max = 0.0 : f32}
  return
}

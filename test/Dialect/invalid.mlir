// Every verifier in dialects/QC/QCVerifiers.cpp, and the ODS constraints the
// importer relies on, rejects what ONNX defines as a malformed node: ranks,
// axes, channel and group agreement, attribute lengths and values, quant
// parameter shapes and the consistency of the recorded quant type.
//
// RUN: %quantc-opt %s -split-input-file -verify-diagnostics

func.func @f0(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qc.relu' op requires the same shape for all operands and results}}
  %0 = qc.relu %x : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @f1(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qc.less' op result #0 must be tensor of 1-bit signless integer values}}
  %0 = qc.less %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @f2(%x: tensor<2x3xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'qc.add' op operands don't have broadcast-compatible shapes}}
  %0 = qc.add %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @f3(%x: tensor<2x3xf32>, %y: tensor<2x3xi32>) {
  // expected-error @+1 {{'qc.add' op requires the same element type for all operands and results}}
  %0 = qc.add %x, %y : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @f4() {
  // expected-error @+1 {{'qc.constant' op failed to verify that all of {value, output} have same type}}
  %0 = "qc.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

// -----

func.func @f5(%x: tensor<1x1x4x4xf32>) {
  // expected-error @+1 {{'qc.max_pool' op requires attribute 'kernel_shape'}}
  %0:2 = qc.max_pool %x : (tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, none)
  return
}

// -----

func.func @f6() {
  // The ODS traits already require an operand (the verifier's own check is not reached).
  // expected-error @+1 {{'qc.max' op expected 1 or more operands, but found 0}}
  %0 = qc.max : () -> tensor<2xf32>
  return
}

// -----

func.func @f7() {
  // The ODS traits already require an operand (the verifier's own check is not reached).
  // expected-error @+1 {{'qc.min' op expected 1 or more operands, but found 0}}
  %0 = qc.min : () -> tensor<2xf32>
  return
}

// -----

func.func @f8() {
  // The ODS traits already require an operand (the verifier's own check is not reached).
  // expected-error @+1 {{'qc.sum' op expected 1 or more operands, but found 0}}
  %0 = qc.sum : () -> tensor<2xf32>
  return
}

// -----

func.func @f9() {
  // The ODS traits already require an operand (the verifier's own check is not reached).
  // expected-error @+1 {{'qc.mean' op expected 1 or more operands, but found 0}}
  %0 = qc.mean : () -> tensor<2xf32>
  return
}

// -----

func.func @f10(%x: tensor<2xf32>) {
  // expected-error @+1 {{'qc.gelu' op 'approximate' must be "none" or "tanh", got "erf"}}
  %0 = qc.gelu %x {approximate = "erf"} : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @f11(%x: tensor<2xf32>, %lo: tensor<2xf32>, %n: none) {
  // expected-error @+1 {{'qc.clip' op 'min' must be a scalar}}
  %0 = qc.clip %x, %lo, %n : (tensor<2xf32>, tensor<2xf32>, none) -> tensor<2xf32>
  return
}

// -----

func.func @f12(%x: tensor<2xf32>, %hi: tensor<1x2xf32>, %n: none) {
  // expected-error @+1 {{'qc.clip' op 'max' must be a scalar}}
  %0 = qc.clip %x, %n, %hi : (tensor<2xf32>, none, tensor<1x2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @f13(%x: tensor<2xf32>, %lo: tensor<f16>, %n: none) {
  // expected-error @+1 {{'qc.clip' op bounds must have the input's element type}}
  %0 = qc.clip %x, %lo, %n : (tensor<2xf32>, tensor<f16>, none) -> tensor<2xf32>
  return
}

// -----

func.func @f14(%a: tensor<2x3xf32>, %b: tensor<5x4xf32>) {
  // expected-error @+1 {{'qc.matmul' op contraction dims differ: 3 vs 5}}
  %0 = qc.matmul %a, %b : (tensor<2x3xf32>, tensor<5x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f15(%a: tensor<7x2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'qc.matmul' op contraction dims differ: 3 vs 4}}
  %0 = qc.matmul %a, %b : (tensor<7x2x3xf32>, tensor<4xf32>) -> tensor<7x2xf32>
  return
}

// -----

func.func @f16(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qc.matmul' op operands of matmul must have rank >= 1}}
  %0 = qc.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

func.func @f17(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>, %n: none) {
  // expected-error @+1 {{'qc.gemm' op contraction dims differ: 3 vs 4}}
  %0 = qc.gemm %a, %b, %n : (tensor<2x3xf32>, tensor<4x5xf32>, none) -> tensor<2x5xf32>
  return
}

// -----

func.func @f18(%a: tensor<2x3xf32>, %b: tensor<5x4xf32>, %n: none) {
  // transB = 1: B is [N, K] = [5, 4], K = 4 differs from A's 3.
  // expected-error @+1 {{'qc.gemm' op contraction dims differ: 3 vs 4}}
  %0 = qc.gemm %a, %b, %n {transB = 1 : i64} : (tensor<2x3xf32>, tensor<5x4xf32>, none) -> tensor<2x5xf32>
  return
}

// -----

func.func @f19(%a: tensor<2x2x3xf32>, %b: tensor<3x5xf32>, %n: none) {
  // expected-error @+1 {{'qc.gemm' op A and B must be 2-D}}
  %0 = qc.gemm %a, %b, %n : (tensor<2x2x3xf32>, tensor<3x5xf32>, none) -> tensor<2x5xf32>
  return
}

// -----

func.func @f20(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>, %c: tensor<1x2x5xf32>) {
  // expected-error @+1 {{'qc.gemm' op C must have rank <= 2}}
  %0 = qc.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x5xf32>, tensor<1x2x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @f21(%a: tensor<2x4xui8>, %b: tensor<5x3xi8>, %s: tensor<f32>, %z: tensor<ui8>, %bz: tensor<i8>) {
  // expected-error @+1 {{'qc.qlinear_matmul' op contraction dims differ: 4 vs 5}}
  %0 = qc.qlinear_matmul %a, %s, %z, %b, %s, %bz, %s, %z : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<5x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  return
}

// -----

func.func @f22(%a: tensor<2x4xui8>, %b: tensor<5x3xi8>, %n: none) {
  // expected-error @+1 {{'qc.matmul_integer' op contraction dims differ: 4 vs 5}}
  %0 = qc.matmul_integer %a, %b, %n, %n : (tensor<2x4xui8>, tensor<5x3xi8>, none, none) -> tensor<2x3xi32>
  return
}

// -----

func.func @f23(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op input has 4 channels but weight expects 2 x group 1}}
  %0 = qc.conv %x, %w, %n : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>, none) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @f24(%x: tensor<1x4x8x8xf32>, %w: tensor<8x1x3x3xf32>, %n: none) {
  // Grouped: C = 4 must equal W's C/group (1) x group (2).
  // expected-error @+1 {{'qc.conv' op input has 4 channels but weight expects 1 x group 2}}
  %0 = qc.conv %x, %w, %n {group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<8x1x3x3xf32>, none) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @f25(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op output channels 6 are not divisible by group 4}}
  %0 = qc.conv %x, %w, %n {group = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>, none) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @f26(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op 'group' must be >= 1}}
  %0 = qc.conv %x, %w, %n {group = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @f27(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op 'kernel_shape' has 3 values, expected 2}}
  %0 = qc.conv %x, %w, %n {kernel_shape = array<i64: 3, 3, 3>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @f28(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op 'kernel_shape' 5 differs from the weight's spatial dim 3}}
  %0 = qc.conv %x, %w, %n {kernel_shape = array<i64: 3, 5>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<1x8x6x4xf32>
  return
}

// -----

func.func @f29(%x: tensor<*xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // An unranked input leaves the weight to check kernel_shape against.
  // expected-error @+1 {{'qc.conv' op 'kernel_shape' length differs from the weight's spatial rank}}
  %0 = qc.conv %x, %w, %n {kernel_shape = array<i64: 3>} : (tensor<*xf32>, tensor<8x4x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f30(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op unknown auto_pad 'SAME'}}
  %0 = qc.conv %x, %w, %n {auto_pad = "SAME"} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<1x8x8x8xf32>
  return
}

// -----

func.func @f31(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op 'pads' has 2 values, expected 4}}
  %0 = qc.conv %x, %w, %n {pads = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<1x8x8x8xf32>
  return
}

// -----

func.func @f32(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op 'pads' values must be >= 0}}
  %0 = qc.conv %x, %w, %n {pads = array<i64: 1, -1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<1x8x8x7xf32>
  return
}

// -----

func.func @f33(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op 'strides' values must be >= 1}}
  %0 = qc.conv %x, %w, %n {strides = array<i64: 0, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f34(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op 'strides' has 1 values, expected 2}}
  %0 = qc.conv %x, %w, %n {strides = array<i64: 2>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f35(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op 'dilations' values must be >= 1}}
  %0 = qc.conv %x, %w, %n {dilations = array<i64: 1, 0>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f36(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op 'dilations' has 3 values, expected 2}}
  %0 = qc.conv %x, %w, %n {dilations = array<i64: 1, 1, 1>} : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f37(%x: tensor<4x8xf32>, %w: tensor<8x4x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op input must have rank >= 3 (N, C, spatial...), got 2}}
  %0 = qc.conv %x, %w, %n : (tensor<4x8xf32>, tensor<8x4x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f38(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op weight rank 3 differs from input rank 4}}
  %0 = qc.conv %x, %w, %n : (tensor<1x4x8x8xf32>, tensor<8x4x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f39(%x: tensor<*xf32>, %w: tensor<8x4xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op weight must have rank >= 3}}
  %0 = qc.conv %x, %w, %n : (tensor<*xf32>, tensor<8x4xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f40(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'qc.conv' op bias must be 1-D with 8 elements}}
  %0 = qc.conv %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, tensor<4xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @f41(%x: tensor<1x4x8x8xf32>, %w: tensor<2x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv_transpose' op input has 4 channels but weight has 2}}
  %0 = qc.conv_transpose %x, %w, %n : (tensor<1x4x8x8xf32>, tensor<2x4x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f42(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv_transpose' op weight input channels are not divisible by group}}
  %0 = qc.conv_transpose %x, %w, %n {group = 3 : i64} : (tensor<1x4x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f43(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) {
  // ConvTranspose's bias has W.dim(1) x group = 2 x 2 elements.
  // expected-error @+1 {{'qc.conv_transpose' op bias must be 1-D with 4 elements}}
  %0 = qc.conv_transpose %x, %w, %b {group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f44(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv_transpose' op 'output_padding' has 1 values, expected 2}}
  %0 = qc.conv_transpose %x, %w, %n {output_padding = array<i64: 1>} : (tensor<1x4x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f45(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv_transpose' op 'output_shape' has 3 values, expected 2}}
  %0 = qc.conv_transpose %x, %w, %n {output_shape = array<i64: 16, 16, 16>} : (tensor<1x4x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f46(%x: tensor<1x4x5x5xui8>, %w: tensor<8x3x3x3xi8>, %s: tensor<f32>, %z: tensor<ui8>, %wz: tensor<i8>, %n: none) {
  // expected-error @+1 {{'qc.qlinear_conv' op input has 4 channels but weight expects 3 x group 1}}
  %0 = qc.qlinear_conv %x, %s, %z, %w, %s, %wz, %s, %z, %n : (tensor<1x4x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<8x3x3x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>, none) -> tensor<1x8x3x3xui8>
  return
}

// -----

func.func @f47(%x: tensor<1x4x5x5xui8>, %w: tensor<8x4x3x3xi8>, %n: none) {
  // expected-error @+1 {{'qc.conv_integer' op unknown auto_pad 'same_upper'}}
  %0 = qc.conv_integer %x, %w, %n, %n {auto_pad = "same_upper"} : (tensor<1x4x5x5xui8>, tensor<8x4x3x3xi8>, none, none) -> tensor<1x8x5x5xi32>
  return
}

// -----

func.func @f48(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.softmax' op axis 3 is out of range for rank 3}}
  %0 = qc.softmax %x {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @f49(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.log_softmax' op axis 3 is out of range for rank 3}}
  %0 = qc.log_softmax %x {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @f50(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.hardmax' op axis 3 is out of range for rank 3}}
  %0 = qc.hardmax %x {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @f51(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.softmax' op axis -4 is out of range for rank 3}}
  %0 = qc.softmax %x {axis = -4 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @f52(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>, %n: none) {
  // expected-error @+1 {{'qc.layer_normalization' op axis 3 is out of range for rank 3}}
  %0:3 = qc.layer_normalization %x, %s, %n {axis = 3 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>, none) -> (tensor<2x3x4xf32>, none, none)
  return
}

// -----

func.func @f53(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>, %n: none) {
  // expected-error @+1 {{'qc.layer_normalization' op 'epsilon' must be >= 0}}
  %0:3 = qc.layer_normalization %x, %s, %n {epsilon = -1.0 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>, none) -> (tensor<2x3x4xf32>, none, none)
  return
}

// -----

func.func @f54(%x: tensor<2x3x4xf32>, %s: tensor<3x4xf32>, %n: none) {
  // Normalizing over the last axis (4 values): a [3, 4] scale has too many dims.
  // expected-error @+1 {{'qc.layer_normalization' op scale/bias rank exceeds the normalized rank}}
  %0:3 = qc.layer_normalization %x, %s, %n : (tensor<2x3x4xf32>, tensor<3x4xf32>, none) -> (tensor<2x3x4xf32>, none, none)
  return
}

// -----

func.func @f55(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qc.layer_normalization' op scale/bias dim 3 does not broadcast to normalized dim 4}}
  %0:3 = qc.layer_normalization %x, %s, %b : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, none, none)
  return
}

// -----

func.func @f56(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>, %d: tensor<4xf32>) {
  // expected-error @+1 {{'qc.batch_normalization' op parameter has 4 elements but the input has 3 channels}}
  %0:3 = qc.batch_normalization %x, %c, %c, %d, %c : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>, tensor<3xf32>) -> (tensor<1x3x4x4xf32>, none, none)
  return
}

// -----

func.func @f57(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>, %v: tensor<1x3xf32>) {
  // expected-error @+1 {{'qc.batch_normalization' op 'scale/B/mean/var' must be 1-D, got rank 2}}
  %0:3 = qc.batch_normalization %x, %c, %c, %c, %v : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<1x3xf32>) -> (tensor<1x3x4x4xf32>, none, none)
  return
}

// -----

func.func @f58(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>, %d: tensor<4xf32>) {
  // expected-error @+1 {{'qc.batch_normalization' op training_mode=1 is not supported for inference}}
  %0:3 = qc.batch_normalization %x, %c, %c, %c, %c {training_mode = 1 : i64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @f59(%x: tensor<3xf32>, %c: tensor<3xf32>) {
  // expected-error @+1 {{'qc.batch_normalization' op input must have rank >= 2}}
  %0:3 = qc.batch_normalization %x, %c, %c, %c, %c : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, none, none)
  return
}

// -----

func.func @f60(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>, %d: tensor<4xf32>) {
  // expected-error @+1 {{'qc.instance_normalization' op scale/B size differs from the channel count}}
  %0 = qc.instance_normalization %x, %d, %d : (tensor<1x3x4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @f61(%x: tensor<2x3xf32>, %c: tensor<3xf32>) {
  // expected-error @+1 {{'qc.instance_normalization' op input must have rank >= 3}}
  %0 = qc.instance_normalization %x, %c, %c : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @f62(%x: tensor<1x3x4x4xf32>, %c: tensor<3xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'qc.instance_normalization' op 'scale/B' must be 1-D, got rank 0}}
  %0 = qc.instance_normalization %x, %c, %s : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<f32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @f63(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'qc.max_pool' op 'storage_order' must be 0 or 1}}
  %0:2 = qc.max_pool %x {kernel_shape = array<i64: 2, 2>, storage_order = 2 : i64} : (tensor<1x3x8x8xf32>) -> (tensor<1x3x7x7xf32>, none)
  return
}

// -----

func.func @f64(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'qc.max_pool' op 'kernel_shape' has 1 values, expected 2}}
  %0:2 = qc.max_pool %x {kernel_shape = array<i64: 2>} : (tensor<1x3x8x8xf32>) -> (tensor<*xf32>, none)
  return
}

// -----

func.func @f65(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'qc.max_pool' op 'kernel_shape' values must be >= 1}}
  %0:2 = qc.max_pool %x {kernel_shape = array<i64: 0, 2>} : (tensor<1x3x8x8xf32>) -> (tensor<*xf32>, none)
  return
}

// -----

func.func @f66(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'qc.average_pool' op unknown auto_pad 'VALID_UPPER'}}
  %0 = qc.average_pool %x {auto_pad = "VALID_UPPER", kernel_shape = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f67(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'qc.average_pool' op 'pads' has 2 values, expected 4}}
  %0 = qc.average_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0>} : (tensor<1x3x8x8xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f68(%x: tensor<3x8xf32>) {
  // expected-error @+1 {{'qc.average_pool' op input must have rank >= 3 (N, C, spatial...), got 2}}
  %0 = qc.average_pool %x {kernel_shape = array<i64: 2>} : (tensor<3x8xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f69(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'qc.global_average_pool' op spatial result dims must be 1}}
  %0 = qc.global_average_pool %x : (tensor<1x3x8x8xf32>) -> tensor<1x3x1x2xf32>
  return
}

// -----

func.func @f70(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'qc.global_max_pool' op result rank must equal input rank}}
  %0 = qc.global_max_pool %x : (tensor<1x3x8x8xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @f71(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{'qc.global_max_pool' op input must have rank >= 3}}
  %0 = qc.global_max_pool %x : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @f72(%x: tensor<2x3xf32>, %a: tensor<i64>) {
  // expected-error @+1 {{'qc.reduce_mean' op 'axes' must be 1-D, got rank 0}}
  %0 = qc.reduce_mean %x, %a : (tensor<2x3xf32>, tensor<i64>) -> tensor<2x1xf32>
  return
}

// -----

func.func @f73(%x: tensor<2x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.reduce_sum' op 'keepdims' must be 0 or 1}}
  %0 = qc.reduce_sum %x, %n {keepdims = 2 : i64} : (tensor<2x3xf32>, none) -> tensor<1x1xf32>
  return
}

// -----

func.func @f74(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qc.arg_max' op axis 2 is out of range for rank 2}}
  %0 = qc.arg_max %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xi64>
  return
}

// -----

func.func @f75(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qc.arg_min' op result #0 must be tensor of 64-bit signless integer values}}
  %0 = qc.arg_min %x : (tensor<2x3xf32>) -> tensor<1x3xi32>
  return
}

// -----

func.func @f76(%x: tensor<2x3xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'qc.reshape' op cannot reshape 6 elements into 8}}
  %0 = qc.reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @f77(%x: tensor<2x3xf32>, %s: tensor<1x2xi64>) {
  // expected-error @+1 {{'qc.reshape' op 'shape' must be 1-D, got rank 2}}
  %0 = qc.reshape %x, %s : (tensor<2x3xf32>, tensor<1x2xi64>) -> tensor<3x2xf32>
  return
}

// -----

func.func @f78(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.transpose' op 'perm' is not a permutation}}
  %0 = qc.transpose %x {perm = array<i64: 0, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<2x2x3xf32>
  return
}

// -----

func.func @f79(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.transpose' op 'perm' is not a permutation}}
  %0 = qc.transpose %x {perm = array<i64: 0, 1, 3>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f80(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.transpose' op 'perm' has 2 entries but the input has rank 3}}
  %0 = qc.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f81(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.transpose' op result dim 0 must equal input dim 2}}
  %0 = qc.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @f82(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.flatten' op axis 4 is out of range for rank 3}}
  %0 = qc.flatten %x {axis = 4 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  return
}

// -----

func.func @f83(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'qc.flatten' op result must be 2-D}}
  %0 = qc.flatten %x : (tensor<2x3x4xf32>) -> tensor<24xf32>
  return
}

// -----

func.func @f84(%x: tensor<2x1xf32>, %a: tensor<i64>) {
  // expected-error @+1 {{'qc.squeeze' op 'axes' must be 1-D, got rank 0}}
  %0 = qc.squeeze %x, %a : (tensor<2x1xf32>, tensor<i64>) -> tensor<2xf32>
  return
}

// -----

func.func @f85(%x: tensor<2xf32>, %a: tensor<1x1xi64>) {
  // expected-error @+1 {{'qc.unsqueeze' op 'axes' must be 1-D, got rank 2}}
  %0 = qc.unsqueeze %x, %a : (tensor<2xf32>, tensor<1x1xi64>) -> tensor<2x1xf32>
  return
}

// -----

func.func @f86(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'qc.concat' op all inputs must have the same rank}}
  %0 = qc.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f87(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{'qc.concat' op inputs differ in non-concatenated dim 1}}
  %0 = qc.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @f88(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'qc.concat' op axis 2 is out of range for rank 2}}
  %0 = qc.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f89() {
  // The ODS traits already require an operand (the verifier's own check is not reached).
  // expected-error @+1 {{'qc.concat' op expected 1 or more operands, but found 0}}
  %0 = qc.concat {axis = 0 : i64} : () -> tensor<2x3xf32>
  return
}

// -----

func.func @f90(%x: tensor<6xf32>, %n: none) {
  // expected-error @+1 {{'qc.split' op 'num_outputs' is 3 but the op has 2 results}}
  %0:2 = qc.split %x, %n {axis = 0 : i64, num_outputs = 3 : i64} : (tensor<6xf32>, none) -> (tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @f91(%x: tensor<6xf32>, %n: none) {
  // expected-error @+1 {{'qc.split' op axis 1 is out of range for rank 1}}
  %0:2 = qc.split %x, %n {axis = 1 : i64} : (tensor<6xf32>, none) -> (tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @f92(%x: tensor<6xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'qc.split' op 'split' must be 1-D, got rank 0}}
  %0:2 = qc.split %x, %s : (tensor<6xf32>, tensor<i64>) -> (tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @f93(%x: tensor<6xf32>, %n: none) {
  // expected-error @+1 {{'qc.split' op needs at least one result}}
  qc.split %x, %n : (tensor<6xf32>, none) -> ()
  return
}

// -----

func.func @f94(%x: tensor<4x4xf32>, %s: tensor<2xi64>, %e: tensor<1xi64>, %n: none) {
  // expected-error @+1 {{'qc.slice' op 'starts' and 'ends' must have the same length}}
  %0 = qc.slice %x, %s, %e, %n, %n : (tensor<4x4xf32>, tensor<2xi64>, tensor<1xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

func.func @f95(%x: tensor<4x4xf32>, %s: tensor<2xi64>, %t: tensor<i64>, %n: none) {
  // expected-error @+1 {{'qc.slice' op 'steps' must be 1-D, got rank 0}}
  %0 = qc.slice %x, %s, %s, %n, %t : (tensor<4x4xf32>, tensor<2xi64>, tensor<2xi64>, none, tensor<i64>) -> tensor<*xf32>
  return
}

// -----

func.func @f96(%x: tensor<4x4xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'qc.gather' op axis -3 is out of range for rank 2}}
  %0 = qc.gather %x, %i {axis = -3 : i64} : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @f97(%x: tensor<4x4xf32>, %i: tensor<2xf32>) {
  // expected-error @+1 {{'qc.gather' op operand #1 must be tensor of integer values}}
  %0 = qc.gather %x, %i : (tensor<4x4xf32>, tensor<2xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f98(%x: tensor<4x4xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'qc.gather_elements' op data and indices must have the same rank}}
  %0 = qc.gather_elements %x, %i : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @f99(%x: tensor<4x4xf32>, %p: tensor<4xi64>, %n: none) {
  // expected-error @+1 {{'qc.pad' op unknown mode 'symmetric'}}
  %0 = qc.pad %x, %p, %n, %n {mode = "symmetric"} : (tensor<4x4xf32>, tensor<4xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

func.func @f100(%x: tensor<4x4xf32>, %p: tensor<2xi64>, %n: none) {
  // expected-error @+1 {{'qc.pad' op 'pads' has 2 values, expected 4}}
  %0 = qc.pad %x, %p, %n, %n : (tensor<4x4xf32>, tensor<2xi64>, none, none) -> tensor<*xf32>
  return
}

// -----

func.func @f101(%x: tensor<4x4xf32>, %p: tensor<4xi64>, %v: tensor<2xf32>, %n: none) {
  // expected-error @+1 {{'qc.pad' op 'constant_value' must be a scalar}}
  %0 = qc.pad %x, %p, %v, %n : (tensor<4x4xf32>, tensor<4xi64>, tensor<2xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f102(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>, %z: tensor<4xi64>, %n: none) {
  // expected-error @+1 {{'qc.resize' op unknown mode 'bilinear'}}
  %0 = qc.resize %x, %n, %s, %n {mode = "bilinear"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f103(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>, %z: tensor<4xi64>, %n: none) {
  // expected-error @+1 {{'qc.resize' op unknown coordinate_transformation_mode 'tf_half_pixel_for_nn'}}
  %0 = qc.resize %x, %n, %s, %n {coordinate_transformation_mode = "tf_half_pixel_for_nn"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f104(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>, %z: tensor<4xi64>, %n: none) {
  // expected-error @+1 {{'qc.resize' op unknown nearest_mode 'round'}}
  %0 = qc.resize %x, %n, %s, %n {nearest_mode = "round"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<*xf32>
  return
}

// -----

func.func @f105(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>, %z: tensor<4xi64>, %n: none) {
  // expected-error @+1 {{'qc.resize' op unknown keep_aspect_ratio_policy 'fit'}}
  %0 = qc.resize %x, %n, %n, %z {keep_aspect_ratio_policy = "fit"} : (tensor<1x1x2x2xf32>, none, none, tensor<4xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @f106(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>, %z: tensor<4xi64>, %n: none) {
  // expected-error @+1 {{'qc.resize' op only one of 'scales' and 'sizes' may be given}}
  %0 = qc.resize %x, %n, %s, %z : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, tensor<4xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @f107(%x: tensor<4xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'qc.expand' op 'shape' must be 1-D, got rank 0}}
  %0 = qc.expand %x, %s : (tensor<4xf32>, tensor<i64>) -> tensor<*xf32>
  return
}

// -----

func.func @f108(%x: tensor<4xf32>, %s: tensor<1x1xi64>) {
  // expected-error @+1 {{'qc.tile' op 'repeats' must be 1-D, got rank 2}}
  %0 = qc.tile %x, %s : (tensor<4xf32>, tensor<1x1xi64>) -> tensor<*xf32>
  return
}

// -----

func.func @f109(%x: tensor<1x8x2x2xf32>) {
  // expected-error @+1 {{'qc.depth_to_space' op 'mode' must be DCR or CRD}}
  %0 = qc.depth_to_space %x {blocksize = 2 : i64, mode = "RCD"} : (tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @f110(%x: tensor<1x8x2x2xf32>) {
  // expected-error @+1 {{'qc.depth_to_space' op 'blocksize' must be >= 1}}
  %0 = qc.depth_to_space %x {blocksize = 0 : i64} : (tensor<1x8x2x2xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f111(%x: tensor<8x2x2xf32>) {
  // expected-error @+1 {{'qc.space_to_depth' op input must be 4-D}}
  %0 = qc.space_to_depth %x {blocksize = 2 : i64} : (tensor<8x2x2xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f112(%x: tensor<1x8x2x2xf32>) {
  // expected-error @+1 {{'qc.space_to_depth' op 'blocksize' must be >= 1}}
  %0 = qc.space_to_depth %x {blocksize = -2 : i64} : (tensor<1x8x2x2xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f113(%x: tensor<2xf16>) {
  // expected-error @+1 {{'qc.cast' op result element type 'f32' differs from 'to' = INT32}}
  %0 = qc.cast %x {to = 6 : i64} : (tensor<2xf16>) -> tensor<2xf32>
  return
}

// -----

func.func @f114(%x: tensor<2xf32>) {
  // INT8 is a signless i8 in qc; ui8 is UINT8 (2).
  // expected-error @+1 {{'qc.cast' op result element type 'ui8' differs from 'to' = INT8}}
  %0 = qc.cast %x {to = 3 : i64} : (tensor<2xf32>) -> tensor<2xui8>
  return
}

// -----

func.func @f115(%x: tensor<2xf32>) {
  // expected-error @+1 {{'qc.cast' op unsupported target type STRING (8)}}
  %0 = qc.cast %x {to = 8 : i64} : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @f116(%x: tensor<2xf32>) {
  // expected-error @+1 {{'qc.cast' op unsupported target type UNKNOWN (99)}}
  %0 = qc.cast %x {to = 99 : i64} : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @f117(%x: tensor<2xf32>) {
  // expected-error @+1 {{'qc.shape' op 'result' must be 1-D, got rank 0}}
  %0 = qc.shape %x : (tensor<2xf32>) -> tensor<i64>
  return
}

// -----

func.func @f118(%s: tensor<2xi64>) {
  // expected-error @+1 {{'qc.constant_of_shape' op 'value' must hold one element}}
  %0 = qc.constant_of_shape %s {value = dense<[1.0, 2.0]> : tensor<2xf32>} : (tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @f119(%s: tensor<2xi64>) {
  // expected-error @+1 {{'qc.constant_of_shape' op 'value' element type differs from the result's}}
  %0 = qc.constant_of_shape %s {value = dense<1> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<?x?xf32>
  return
}

// -----

func.func @f120(%s: tensor<2xi64>) {
  // expected-error @+1 {{'qc.constant_of_shape' op without 'value' the result is f32}}
  %0 = qc.constant_of_shape %s : (tensor<2xi64>) -> tensor<?x?xi32>
  return
}

// -----

func.func @f121(%s: tensor<i64>) {
  // expected-error @+1 {{'qc.constant_of_shape' op 'input' must be 1-D, got rank 0}}
  %0 = qc.constant_of_shape %s : (tensor<i64>) -> tensor<f32>
  return
}

// -----

func.func @f122(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op per-axis scale has 4 values but axis 2 has size 3}}
  %0 = qc.quantize_linear %x, %sa, %za {axis = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4xf32>, tensor<4xi8>) -> tensor<1x4x3x3xi8>
  return
}

// -----

func.func @f123(%x: tensor<1x4x3x3xi8>, %s3: tensor<3xf32>, %n: none) {
  // expected-error @+1 {{'qc.dequantize_linear' op per-axis scale has 3 values but axis 1 has size 4}}
  %0 = qc.dequantize_linear %x, %s3, %n : (tensor<1x4x3x3xi8>, tensor<3xf32>, none) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @quantize_shape(%x: tensor<3x4xf32>, %s: tensor<f32>, %z: tensor<i8>) {
  // expected-error @+1 {{'qc.quantize_linear' op input and result shapes differ}}
  %0 = qc.quantize_linear %x, %s, %z : (tensor<3x4xf32>, tensor<f32>, tensor<i8>) -> tensor<1x4xi8>
  return
}

// -----

func.func @dequantize_shape(%x: tensor<3x4xi8>, %s: tensor<f32>, %z: tensor<i8>) {
  // expected-error @+1 {{'qc.dequantize_linear' op input and result shapes differ}}
  %0 = qc.dequantize_linear %x, %s, %z : (tensor<3x4xi8>, tensor<f32>, tensor<i8>) -> tensor<4x3xf32>
  return
}

// -----

func.func @f124(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op axis 4 is out of range for rank 4}}
  %0 = qc.quantize_linear %x, %sa, %za {axis = 4 : i64} : (tensor<1x4x3x3xf32>, tensor<4xf32>, tensor<4xi8>) -> tensor<1x4x3x3xi8>
  return
}

// -----

func.func @f125(%x: tensor<1x4x3x3xf32>, %s2: tensor<4x1xf32>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op per-axis scale must be 1-D}}
  %0 = qc.quantize_linear %x, %s2, %n : (tensor<1x4x3x3xf32>, tensor<4x1xf32>, none) -> tensor<1x4x3x3xui8>
  return
}

// -----

func.func @f126(%x: tensor<1x4x3x3xf32>, %sa: tensor<4xf32>, %z2: tensor<2xi8>) {
  // expected-error @+1 {{'qc.quantize_linear' op zero point and scale must have the same shape}}
  %0 = qc.quantize_linear %x, %sa, %z2 : (tensor<1x4x3x3xf32>, tensor<4xf32>, tensor<2xi8>) -> tensor<1x4x3x3xi8>
  return
}

// -----

func.func @f127(%w: tensor<4x8xf32>, %sb: tensor<4x3xf32>, %n: none) {
  // Blocks of 4 along axis 1 of [4, 8]: the scale must be [4, 2].
  // expected-error @+1 {{'qc.quantize_linear' op blocked scale dim 1 is 3, expected 2}}
  %0 = qc.quantize_linear %w, %sb, %n {block_size = 4 : i64} : (tensor<4x8xf32>, tensor<4x3xf32>, none) -> tensor<4x8xui8>
  return
}

// -----

func.func @f128(%w: tensor<10x2xi8>, %sb: tensor<2x2xf32>, %n: none) {
  // The block count rounds up: 10 values in blocks of 4 need 3 scales.
  // expected-error @+1 {{'qc.dequantize_linear' op blocked scale dim 0 is 2, expected 3}}
  %0 = qc.dequantize_linear %w, %sb, %n {axis = 0 : i64, block_size = 4 : i64} : (tensor<10x2xi8>, tensor<2x2xf32>, none) -> tensor<10x2xf32>
  return
}

// -----

func.func @f129(%w: tensor<4x8xf32>, %sb: tensor<8xf32>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op blocked scale must have the rank of the input}}
  %0 = qc.quantize_linear %w, %sb, %n {block_size = 4 : i64} : (tensor<4x8xf32>, tensor<8xf32>, none) -> tensor<4x8xui8>
  return
}

// -----

func.func @f130(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op 'block_size' must be >= 0}}
  %0 = qc.quantize_linear %x, %s, %z {block_size = -1 : i64} : (tensor<1x4x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xui8>
  return
}

// -----

func.func @f131(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op 'qtype' storage 'i8' does not match 'ui8'}}
  %0 = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 5.000000e-01:1>} : (tensor<1x4x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xui8>
  return
}

// -----

func.func @f132(%q: tensor<2xi8>, %s: tensor<f32>, %n: none) {
  // expected-error @+1 {{'qc.dequantize_linear' op 'qtype' storage 'i4' does not match 'i8'}}
  %0 = qc.dequantize_linear %q, %s, %n {qtype = !quant.uniform<i4:f32, 5.000000e-01>} : (tensor<2xi8>, tensor<f32>, none) -> tensor<2xf32>
  return
}

// -----

func.func @f133(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op 'qtype' expressed type 'f16' does not match 'f32'}}
  %0 = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<u8:f16, 5.000000e-01:128>} : (tensor<1x4x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xui8>
  return
}

// -----

func.func @f134(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op 'qtype' quantized dimension differs from 'axis'}}
  %0 = qc.quantize_linear %x, %sa, %za {qtype = !quant.uniform<i8:f32:0, {1.0,2.0,3.0,4.0}>} : (tensor<1x4x3x3xf32>, tensor<4xf32>, tensor<4xi8>) -> tensor<1x4x3x3xi8>
  return
}

// -----

func.func @f135(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op 'qtype' must be a quant dialect type}}
  %0 = qc.quantize_linear %x, %s, %z {qtype = i8} : (tensor<1x4x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xui8>
  return
}

// -----

func.func @f136(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op zero point type must equal the result element type}}
  %0 = qc.quantize_linear %x, %s, %z : (tensor<1x4x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x4x3x3xi8>
  return
}

// -----

func.func @f137(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op result element type 'f16' is not a quantized storage type}}
  %0 = qc.quantize_linear %x, %s, %n : (tensor<1x4x3x3xf32>, tensor<f32>, none) -> tensor<1x4x3x3xf16>
  return
}

// -----

func.func @f138(%x: tensor<1x4x3x3xf32>, %s: tensor<f32>, %z: tensor<ui8>, %sa: tensor<4xf32>, %za: tensor<4xi8>, %n: none) {
  // expected-error @+1 {{'qc.quantize_linear' op 'output_dtype' differs from the result element type}}
  %0 = qc.quantize_linear %x, %s, %n {output_dtype = 3 : i64} : (tensor<1x4x3x3xf32>, tensor<f32>, none) -> tensor<1x4x3x3xui8>
  return
}

// -----

func.func @f139(%q: tensor<2xi8>, %s: tensor<f32>, %z: tensor<ui8>) {
  // expected-error @+1 {{'qc.dequantize_linear' op zero point type must equal the input element type}}
  %0 = qc.dequantize_linear %q, %s, %z : (tensor<2xi8>, tensor<f32>, tensor<ui8>) -> tensor<2xf32>
  return
}

// -----

func.func @f140(%q: tensor<2xi8>, %s: tensor<f32>, %n: none) {
  // expected-error @+1 {{'qc.dequantize_linear' op result element type must equal the scale's}}
  %0 = qc.dequantize_linear %q, %s, %n : (tensor<2xi8>, tensor<f32>, none) -> tensor<2xf16>
  return
}
// -----

func.func @f141(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op result has 4 channels, expected 8}}
  %0 = qc.conv %x, %w, %n : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @f142(%x: tensor<2x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op result batch 1 differs from input batch 2}}
  %0 = qc.conv %x, %w, %n : (tensor<2x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<1x8x6x6xf32>
  return
}

// -----

func.func @f143(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %n: none) {
  // expected-error @+1 {{'qc.conv' op result rank 3 differs from input rank 4}}
  %0 = qc.conv %x, %w, %n : (tensor<1x4x8x8xf32>, tensor<8x4x3x3xf32>, none) -> tensor<8x6x6xf32>
  return
}

// -----

func.func @f144(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x3x3xf32>, %n: none) {
  // ConvTranspose: W.dim(1) x group = 2 x 2 output channels.
  // expected-error @+1 {{'qc.conv_transpose' op result has 2 channels, expected 4}}
  %0 = qc.conv_transpose %x, %w, %n {group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<1x2x10x10xf32>
  return
}

// -----

func.func @f145(%x: tensor<1x4x5x5xui8>, %w: tensor<8x4x3x3xi8>, %n: none) {
  // expected-error @+1 {{'qc.conv_integer' op result has 4 channels, expected 8}}
  %0 = qc.conv_integer %x, %w, %n, %n : (tensor<1x4x5x5xui8>, tensor<8x4x3x3xi8>, none, none) -> tensor<1x4x3x3xi32>
  return
}

// -----

func.func @f146(%x: tensor<2x3xf32>, %s: tensor<f32>, %z: tensor<f8E4M3FN>) {
  // An integer quant type cannot describe float8 storage of the same width.
  // expected-error @+1 {{'qc.quantize_linear' op 'qtype' storage 'i8' does not match 'f8E4M3FN'}}
  %0 = qc.quantize_linear %x, %s, %z {qtype = !quant.uniform<i8:f32, 5.000000e-01>} : (tensor<2x3xf32>, tensor<f32>, tensor<f8E4M3FN>) -> tensor<2x3xf8E4M3FN>
  return
}

// -----

func.func @f147(%x: tensor<1x4x3x4xf32>, %s: tensor<4xf32>, %z: tensor<4xi8>) {
  // axis -1 is dimension 3, the quant type says 1.
  // expected-error @+1 {{'qc.quantize_linear' op 'qtype' quantized dimension differs from 'axis'}}
  %0 = qc.quantize_linear %x, %s, %z {axis = -1 : i64, qtype = !quant.uniform<i8:f32:1, {1.0,2.0,3.0,4.0}>} : (tensor<1x4x3x4xf32>, tensor<4xf32>, tensor<4xi8>) -> tensor<1x4x3x4xi8>
  return
}

// -----

func.func @f148(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // A negative axis counts from the back: -1 concatenates dim 1, so dim 0 must agree.
  // expected-error @+1 {{'qc.concat' op inputs differ in non-concatenated dim 0}}
  %0 = qc.concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @f149(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qc.cast' op result element type 'i64' differs from 'to' = INT32}}
  %0 = "qc.cast"(%x) <{to = 6 : i64}> : (tensor<2x3xf32>) -> tensor<2x3xi64>
  return
}

// -----

func.func @f150(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'qc.cast' op requires attribute 'to'}}
  %0 = "qc.cast"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @f151(%x: tensor<2x3xf32>) {
  // An attribute of the wrong kind is refused by the parser's property conversion.
  // expected-error @+1 {{invalid properties {alpha = 1 : i64} for op qc.leaky_relu: Invalid attribute `alpha` in property conversion: 1 : i64}}
  %0 = "qc.leaky_relu"(%x) <{alpha = 1 : i64}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @requantize_shift_out_of_range(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{shift 63 is outside [1, 62]}}
  %0 = qc.requantize %acc {multiplier = array<i64: 1073741824>, shift = array<i64: 63>, clamp_min = -128, clamp_max = 127} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_clamp_outside_type(%acc: tensor<4xi32>) -> tensor<4xui8> {
  // expected-error @+1 {{clamp range [-1, 255] is not inside the result type's [0, 255]}}
  %0 = qc.requantize %acc {multiplier = array<i64: 1073741824>, shift = array<i64: 31>, clamp_min = -1, clamp_max = 255} : (tensor<4xi32>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @requantize_channels_differ(%acc: tensor<1x3xi32>) -> tensor<1x3xi8> {
  // expected-error @+1 {{2 multipliers for 3 channels along axis 1}}
  %0 = qc.requantize %acc {multiplier = array<i64: 1, 2>, shift = array<i64: 31, 31>, clamp_min = -128, clamp_max = 127} : (tensor<1x3xi32>) -> tensor<1x3xi8>
  return %0 : tensor<1x3xi8>
}

// -----

func.func @requantize_residual_without_multiplier(%acc: tensor<4xi32>, %r: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{a residual needs one residual multiplier per multiplier}}
  %0 = qc.requantize %acc, %r {multiplier = array<i64: 1073741824>, shift = array<i64: 31>, clamp_min = -128, clamp_max = 127} : (tensor<4xi32>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @requantize_unknown_rounding(%acc: tensor<4xi32>) -> tensor<4xi8> {
  // expected-error @+1 {{unknown rounding 'up'}}
  %0 = qc.requantize %acc {multiplier = array<i64: 1073741824>, shift = array<i64: 31>, clamp_min = -128, clamp_max = 127, rounding = "up"} : (tensor<4xi32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

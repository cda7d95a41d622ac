// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// Clip: only the present bounds become inputs; floats clamp with
// maximumf/minimumf (NaN propagates), integers with maxsi/minsi.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @clip
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[LO:.*]]: tensor<f32>, %[[HI:.*]]: tensor<f32>, %[[I:.*]]: tensor<4xi8>, %[[IHI:.*]]: tensor<i8>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[SCALAR]], #[[ID]]], {{.*}}} ins(%[[X]], %[[LO]], %[[HI]] :
// CHECK-NEXT: ^bb0(%[[V:.*]]: f32, %[[L:.*]]: f32, %[[H:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %[[V]], %[[L]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.minimumf %[[M]], %[[H]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[ID]]], {{.*}}} ins(%[[X]], %[[HI]] :
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.minimumf
// CHECK-NEXT: linalg.yield
// CHECK: ins(%[[I]], %[[IHI]] : tensor<4xi8>, tensor<i8>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.minsi %{{.*}}, %{{.*}} : i8
// CHECK-NOT: qc.clip
func.func @clip(%x: tensor<2x3xf32>, %lo: tensor<f32>, %hi: tensor<f32>, %i: tensor<4xi8>, %ihi: tensor<i8>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi8>) {
  %n = qc.none
  %0 = qc.clip %x, %lo, %hi : (tensor<2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = qc.clip %x, %n, %hi : (tensor<2x3xf32>, none, tensor<f32>) -> tensor<2x3xf32>
  %2 = qc.clip %i, %n, %ihi : (tensor<4xi8>, none, tensor<i8>) -> tensor<4xi8>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4xi8>
}

// -----

// Where broadcasts all three operands into a select.
// CHECK-DAG: #[[COND:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ZERO:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @where
// CHECK: linalg.generic {indexing_maps = [#[[COND]], #[[ZERO]], #{{.*}}, #{{.*}}], {{.*}}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<3xi1>, tensor<2x1xi64>, tensor<2x3xi64>)
// CHECK-NEXT: ^bb0(%[[C:.*]]: i1, %[[A:.*]]: i64, %[[B:.*]]: i64, %{{.*}}: i64):
// CHECK-NEXT: %[[S:.*]] = arith.select %[[C]], %[[A]], %[[B]] : i64
// CHECK-NEXT: linalg.yield %[[S]]
func.func @where(%c: tensor<3xi1>, %a: tensor<2x1xi64>, %b: tensor<2x3xi64>) -> tensor<2x3xi64> {
  %0 = qc.where %c, %a, %b : (tensor<3xi1>, tensor<2x1xi64>, tensor<2x3xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// Comparisons: ordered float predicates, signed integer predicates, and
// equality on bools.
// CHECK-LABEL: func.func @compare
// CHECK: arith.cmpf oeq, %{{.*}}, %{{.*}} : f32
// CHECK: arith.cmpf olt, %{{.*}}, %{{.*}} : f32
// CHECK: arith.cmpf ole, %{{.*}}, %{{.*}} : f32
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i32
// CHECK: arith.cmpi sge, %{{.*}}, %{{.*}} : i32
// CHECK: arith.cmpi eq, %{{.*}}, %{{.*}} : i1
// CHECK-NOT: qc.
func.func @compare(%a: tensor<4xf32>, %b: tensor<4xf32>, %i: tensor<4xi32>, %j: tensor<i32>, %p: tensor<4xi1>)
    -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = qc.equal %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = qc.less %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %2 = qc.less_or_equal %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %3 = qc.greater %i, %j : (tensor<4xi32>, tensor<i32>) -> tensor<4xi1>
  %4 = qc.greater_or_equal %i, %j : (tensor<4xi32>, tensor<i32>) -> tensor<4xi1>
  %5 = qc.equal %p, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Logical ops on bools; Not is xor with true.
// CHECK-LABEL: func.func @logical
// CHECK-DAG: %[[TRUE:.*]] = arith.constant true
// CHECK: arith.andi %{{.*}}, %{{.*}} : i1
// CHECK: arith.ori %{{.*}}, %{{.*}} : i1
// CHECK: arith.xori %{{.*}}, %{{.*}} : i1
// CHECK: arith.xori %{{.*}}, %[[TRUE]] : i1
func.func @logical(%a: tensor<4xi1>, %b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = qc.and %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %1 = qc.or %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %2 = qc.xor %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %3 = qc.not %a : (tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Variadic ops fold their (broadcast) operands left to right; Mean divides
// by the operand count.
// CHECK-LABEL: func.func @variadic
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[C:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[M0:.*]] = arith.maximumf %[[A]], %[[B]] : f32
// CHECK-NEXT: %[[M1:.*]] = arith.maximumf %[[M0]], %[[C]] : f32
// CHECK-NEXT: linalg.yield %[[M1]]
// CHECK: arith.minsi %{{.*}}, %{{.*}} : i64
// CHECK: %[[S0:.*]] = arith.addf
// CHECK-NEXT: %[[S1:.*]] = arith.addf %[[S0]]
// CHECK-NEXT: linalg.yield %[[S1]]
// CHECK: %[[T0:.*]] = arith.addf
// CHECK-NEXT: %[[T1:.*]] = arith.addf %[[T0]]
// CHECK-NEXT: %[[D:.*]] = arith.divf %[[T1]], %[[THREE]] : f32
// CHECK-NEXT: linalg.yield %[[D]]
func.func @variadic(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<2x1xf32>, %i: tensor<4xi64>, %j: tensor<4xi64>)
    -> (tensor<2x3xf32>, tensor<4xi64>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = qc.max %a, %b, %c : (tensor<2x3xf32>, tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %1 = qc.min %i, %j : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %2 = qc.sum %a, %b, %c : (tensor<2x3xf32>, tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %3 = qc.mean %a, %b, %c : (tensor<2x3xf32>, tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<4xi64>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Integer Mod (fmod = 0) takes the divisor's sign: r = a rem b, plus b when
// r != 0 and the signs of r and b differ. Divisors 0 and -1 become 1 (the
// result is 0, as in numpy) so remsi cannot trap. fmod = 1 is plain remf.
// CHECK-LABEL: func.func @mod
// CHECK-DAG: %[[M1:.*]] = arith.constant -1 : i32
// CHECK-DAG: %[[Z:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK: ^bb0(%[[A:.*]]: i32, %[[B:.*]]: i32, %{{.*}}: i32):
// CHECK-NEXT: %[[IS0:.*]] = arith.cmpi eq, %[[B]], %[[Z]] : i32
// CHECK-NEXT: %[[ISM1:.*]] = arith.cmpi eq, %[[B]], %[[M1]] : i32
// CHECK-NEXT: %[[TRIV:.*]] = arith.ori %[[IS0]], %[[ISM1]] : i1
// CHECK-NEXT: %[[SAFE:.*]] = arith.select %[[TRIV]], %[[ONE]], %[[B]] : i32
// CHECK-NEXT: %[[R:.*]] = arith.remsi %[[A]], %[[SAFE]] : i32
// CHECK-NEXT: %[[RN:.*]] = arith.cmpi slt, %[[R]], %[[Z]] : i32
// CHECK-NEXT: %[[BN:.*]] = arith.cmpi slt, %[[B]], %[[Z]] : i32
// CHECK-NEXT: %[[NZ:.*]] = arith.cmpi ne, %[[R]], %[[Z]] : i32
// CHECK-NEXT: %[[DIFF:.*]] = arith.xori %[[RN]], %[[BN]] : i1
// CHECK-NEXT: %[[ADJ:.*]] = arith.andi %[[DIFF]], %[[NZ]] : i1
// CHECK-NEXT: %[[SUM:.*]] = arith.addi %[[R]], %[[B]] : i32
// CHECK-NEXT: %[[RES:.*]] = arith.select %[[ADJ]], %[[SUM]], %[[R]] : i32
// CHECK-NEXT: linalg.yield %[[RES]]
// CHECK: ^bb0(%[[F:.*]]: f32, %[[G:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[FR:.*]] = arith.remf %[[F]], %[[G]] : f32
// CHECK-NEXT: linalg.yield %[[FR]]
func.func @mod(%a: tensor<4xi32>, %b: tensor<4xi32>, %f: tensor<4xf32>, %g: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %0 = qc.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = qc.mod %f, %g {fmod = 1 : i64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xi32>, tensor<4xf32>
}

// -----

// PRelu: slope (broadcast) times x where x < 0.
// CHECK-DAG: #[[SLOPE:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, 0)>
// CHECK-LABEL: func.func @prelu
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[SLOPE]], #{{.*}}]
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[NEG:.*]] = arith.cmpf olt, %[[X]], %{{.*}} : f32
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[X]], %[[S]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.select %[[NEG]], %[[M]], %[[X]] : f32
func.func @prelu(%x: tensor<3x4x5xf32>, %s: tensor<3x1x1xf32>) -> tensor<3x4x5xf32> {
  %0 = qc.prelu %x, %s : (tensor<3x4x5xf32>, tensor<3x1x1xf32>) -> tensor<3x4x5xf32>
  return %0 : tensor<3x4x5xf32>
}

// -----

// Elu, Selu, Celu, ThresholdedRelu with their attribute constants.
// CHECK-LABEL: func.func @exp_activations
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[A2:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG: %[[SELU_A:.*]] = arith.constant 1.67326319 : f32
// CHECK-DAG: %[[SELU_G:.*]] = arith.constant 1.05070102 : f32
// CHECK-DAG: %[[A05:.*]] = arith.constant 5.000000e-01 : f32
// Elu (alpha = 2): alpha * (exp(x) - 1) for x < 0
// CHECK: %[[E:.*]] = math.exp %[[X:.*]] : f32
// CHECK: %[[EM1:.*]] = arith.subf %[[E]], %[[ONE]] : f32
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[X]], %[[ZERO]] : f32
// CHECK: %[[AE:.*]] = arith.mulf %[[EM1]], %[[A2]] : f32
// CHECK: arith.select %[[NEG]], %[[AE]], %[[X]] : f32
// Selu: gamma * (x > 0 ? x : alpha * exp(x) - alpha)
// CHECK: %[[SE:.*]] = math.exp %[[SX:.*]] : f32
// CHECK: %[[SAE:.*]] = arith.mulf %[[SE]], %[[SELU_A]] : f32
// CHECK: %[[SN:.*]] = arith.subf %[[SAE]], %[[SELU_A]] : f32
// CHECK: %[[POS:.*]] = arith.cmpf ogt, %[[SX]], %[[ZERO]] : f32
// CHECK: %[[IN:.*]] = arith.select %[[POS]], %[[SX]], %[[SN]] : f32
// CHECK: arith.mulf %[[IN]], %[[SELU_G]] : f32
// Celu (alpha = 0.5): max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
// CHECK: %[[CD:.*]] = arith.divf %[[CX:.*]], %[[A05]] : f32
// CHECK: %[[CE:.*]] = math.exp %[[CD]] : f32
// CHECK: %[[CM1:.*]] = arith.subf %[[CE]], %[[ONE]] : f32
// CHECK: %[[CN:.*]] = arith.mulf %[[CM1]], %[[A05]] : f32
// CHECK: %[[CP:.*]] = arith.maximumf %[[CX]], %[[ZERO]] : f32
// CHECK: %[[CMIN:.*]] = arith.minimumf %[[CN]], %[[ZERO]] : f32
// CHECK: arith.addf %[[CP]], %[[CMIN]] : f32
// ThresholdedRelu (alpha = 2): x > alpha ? x : 0
// CHECK: %[[ABOVE:.*]] = arith.cmpf ogt, %[[TX:.*]], %[[A2]] : f32
// CHECK: arith.select %[[ABOVE]], %[[TX]], %[[ZERO]] : f32
func.func @exp_activations(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = qc.elu %x {alpha = 2.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qc.selu %x : (tensor<4xf32>) -> tensor<4xf32>
  %2 = qc.celu %x {alpha = 0.5 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %3 = qc.thresholded_relu %x {alpha = 2.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Softplus without overflow: max(x, 0) + log1p(exp(-|x|)); Mish is
// x * tanh(softplus(x)); Softsign is x / (1 + |x|).
// CHECK-LABEL: func.func @softplus_family
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[ABS:.*]] = math.absf %[[X]] : f32
// CHECK-NEXT: %[[NABS:.*]] = arith.negf %[[ABS]] : f32
// CHECK-NEXT: %[[E:.*]] = math.exp %[[NABS]] : f32
// CHECK-NEXT: %[[L:.*]] = math.log1p %[[E]] : f32
// CHECK-NEXT: %[[P:.*]] = arith.maximumf %[[X]], %[[ZERO]] : f32
// CHECK-NEXT: %[[SP:.*]] = arith.addf %[[P]], %[[L]] : f32
// CHECK-NEXT: linalg.yield %[[SP]]
// CHECK: math.log1p
// CHECK: %[[T:.*]] = math.tanh
// CHECK-NEXT: %[[MISH:.*]] = arith.mulf %{{.*}}, %[[T]] : f32
// CHECK-NEXT: linalg.yield %[[MISH]]
// CHECK: ^bb0(%[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[YA:.*]] = math.absf %[[Y]] : f32
// CHECK-NEXT: %[[DEN:.*]] = arith.addf %[[YA]], %[[ONE]] : f32
// CHECK-NEXT: %[[SS:.*]] = arith.divf %[[Y]], %[[DEN]] : f32
func.func @softplus_family(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = qc.softplus %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qc.mish %x : (tensor<4xf32>) -> tensor<4xf32>
  %2 = qc.softsign %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Sign: 1 / -1 / x (keeps 0 and NaN) for floats, 1 / -1 / 0 for integers.
// CHECK-LABEL: func.func @sign
// CHECK-DAG: %[[FONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[FMONE:.*]] = arith.constant -1.000000e+00 : f32
// CHECK-DAG: %[[IONE:.*]] = arith.constant 1 : i32
// CHECK-DAG: %[[IMONE:.*]] = arith.constant -1 : i32
// CHECK-DAG: %[[IZERO:.*]] = arith.constant 0 : i32
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[P:.*]] = arith.cmpf ogt, %[[X]]
// CHECK-NEXT: %[[N:.*]] = arith.cmpf olt, %[[X]]
// CHECK-NEXT: %[[R:.*]] = arith.select %[[N]], %[[FMONE]], %[[X]] : f32
// CHECK-NEXT: arith.select %[[P]], %[[FONE]], %[[R]] : f32
// CHECK: ^bb0(%[[I:.*]]: i32, %{{.*}}: i32):
// CHECK-NEXT: %[[IP:.*]] = arith.cmpi sgt, %[[I]], %[[IZERO]]
// CHECK-NEXT: %[[IN:.*]] = arith.cmpi slt, %[[I]], %[[IZERO]]
// CHECK-NEXT: %[[IR:.*]] = arith.select %[[IN]], %[[IMONE]], %[[IZERO]] : i32
// CHECK-NEXT: arith.select %[[IP]], %[[IONE]], %[[IR]] : i32
func.func @sign(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = qc.sign %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = qc.sign %i : (tensor<4xi32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// Left alone: dynamic shapes, float-only activations on integers, Mean on
// integers.
// CHECK-LABEL: func.func @left_alone
// CHECK: qc.clip %{{.*}} : (tensor<?xf32>, tensor<f32>, none) -> tensor<?xf32>
// CHECK: qc.elu %{{.*}} : (tensor<4xi32>) -> tensor<4xi32>
// CHECK: qc.mean %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
// CHECK: qc.where %{{.*}} : (tensor<?xi1>, tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
func.func @left_alone(%d: tensor<?xf32>, %lo: tensor<f32>, %i: tensor<4xi32>, %c: tensor<?xi1>)
    -> (tensor<?xf32>, tensor<4xi32>, tensor<4xi32>, tensor<?xf32>) {
  %n = qc.none
  %0 = qc.clip %d, %lo, %n : (tensor<?xf32>, tensor<f32>, none) -> tensor<?xf32>
  %2 = qc.elu %i : (tensor<4xi32>) -> tensor<4xi32>
  %3 = qc.mean %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %4 = qc.where %c, %d, %d : (tensor<?xi1>, tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  return %0, %2, %3, %4 : tensor<?xf32>, tensor<4xi32>, tensor<4xi32>, tensor<?xf32>
}

// RUN: %quantc-opt %s --convert-qc-to-linalg --split-input-file | FileCheck %s

// Softmax: max, exp(x - max), sum, divide (max-subtracted for stability).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:.*]]: tensor<2x5xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MINIT:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x5xf32>) outs(%[[MINIT]] : tensor<2xf32>)
// CHECK: arith.maximumf
// CHECK: %[[E:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]] : tensor<2x5xf32>, tensor<2xf32>)
// CHECK: %[[D:.*]] = arith.subf
// CHECK: math.exp %[[D]]
// CHECK: %[[SINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[E]] : tensor<2x5xf32>) outs(%[[SINIT]] : tensor<2xf32>)
// CHECK: arith.addf
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[E]], %[[SUM]] : tensor<2x5xf32>, tensor<2xf32>)
// CHECK: arith.divf
// CHECK: return %[[R]]
// CHECK-NOT: qc.softmax
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = qc.softmax %x : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// LogSoftmax along axis 0: x - max - log(sum(exp(x - max))).
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @log_softmax_axis0
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]{{.*}} outs(%{{.*}} : tensor<5xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[COL]], #[[COL]]], iterator_types = ["reduction", "parallel"]} ins(%{{.*}}, %[[MAX]] : tensor<2x5xf32>, tensor<5xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[MAX]], %[[SUM]] : tensor<2x5xf32>, tensor<5xf32>, tensor<5xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %[[M:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[SH:.*]] = arith.subf %[[V]], %[[M]] : f32
// CHECK: %[[L:.*]] = math.log %[[S]] : f32
// CHECK: arith.subf %[[SH]], %[[L]] : f32
func.func @log_softmax_axis0(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = qc.log_softmax %x {axis = 0 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Hardmax: index of the first maximum (strict >), then a one-hot compare.
// CHECK-LABEL: func.func @hardmax
// CHECK: %[[ARG:.*]]:2 = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xi64>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.generic {{.*}} ins(%[[ARG]]#1 : tensor<2xi64>) outs(%{{.*}} : tensor<2x5xf32>)
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[HIT:.*]] = arith.cmpi eq, %[[I64]], %{{.*}} : i64
// CHECK: arith.select %[[HIT]]
func.func @hardmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = qc.hardmax %x : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// BatchNormalization (inference): per channel a = scale / sqrt(var + eps),
// b = B - mean * a, then y = x * a + b with the channel broadcast.
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4x4xf32>, %[[S:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
// CHECK: %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
// CHECK: %[[AB:.*]]:2 = linalg.generic {{.*}} ins(%[[S]], %[[B]], %[[M]], %[[V]] : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK: ^bb0(%[[SC:.*]]: f32, %[[BI:.*]]: f32, %[[ME:.*]]: f32, %[[VA:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK: %[[VE:.*]] = arith.addf %[[VA]], %[[EPS]] : f32
// CHECK: %[[SD:.*]] = math.sqrt %[[VE]] : f32
// CHECK: %[[A:.*]] = arith.divf %[[SC]], %[[SD]] : f32
// CHECK: %[[MA:.*]] = arith.mulf %[[ME]], %[[A]] : f32
// CHECK: %[[SH:.*]] = arith.subf %[[BI]], %[[MA]] : f32
// CHECK: linalg.yield %[[A]], %[[SH]] : f32, f32
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CH]], #[[CH]], #{{.*}}]{{.*}} ins(%[[X]], %[[AB]]#0, %[[AB]]#1 : tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: qc.batch_normalization
func.func @batch_norm(%x: tensor<2x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  %y, %rm, %rv = qc.batch_normalization %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f32} : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4x4xf32>, none, none)
  return %y : tensor<2x3x4x4xf32>
}

// -----

// InstanceNormalization: mean and variance over the spatial dims per (n, c).
// CHECK-DAG: #[[NC:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @instance_norm
// CHECK-DAG: %[[N:.*]] = arith.constant 8.000000e+00 : f32
// CHECK-DAG: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[NC]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x3xf32>)
// CHECK: arith.divf %{{.*}}, %[[N]] : f32
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[NC]], #[[NC]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[MEAN]] : tensor<2x3x8xf32>, tensor<2x3xf32>)
// CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<2x3xf32>)
// CHECK: arith.addf %{{.*}}, %[[EPS]] : f32
// CHECK: math.sqrt
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[NC]], #[[NC]], #[[C]], #[[C]], #{{.*}}]{{.*}} ins(%{{.*}}, %[[MEAN]], %[[INV]], %{{.*}}, %{{.*}} : tensor<2x3x8xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>)
func.func @instance_norm(%x: tensor<2x3x8xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3x8xf32> {
  %0 = qc.instance_normalization %x, %s, %b : (tensor<2x3x8xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// LayerNormalization over dims [axis, rank); Scale [4] and B [3, 4]
// broadcast right-aligned over the normalized dims.
// CHECK-DAG: #[[OUTER:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[LAST:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[LAST2:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @layer_norm
// CHECK-DAG: %[[COUNT:.*]] = arith.constant 1.200000e+01 : f32
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[OUTER]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>)
// CHECK: arith.divf %{{.*}}, %[[COUNT]]
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[OUTER]], #[[OUTER]]], iterator_types = ["parallel", "reduction", "reduction"]}
// CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<2xf32>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[OUTER]], #[[OUTER]], #[[LAST]], #[[LAST2]], #{{.*}}]{{.*}} ins(%{{.*}}, %[[MEAN]], %[[INV]], %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<4xf32>, tensor<3x4xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %[[MU:.*]]: f32, %[[IS:.*]]: f32, %[[SC:.*]]: f32, %[[BI:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[D:.*]] = arith.subf %[[V]], %[[MU]] : f32
// CHECK: %[[NRM:.*]] = arith.mulf %[[D]], %[[IS]] : f32
// CHECK: %[[Y:.*]] = arith.mulf %[[NRM]], %[[SC]] : f32
// CHECK: arith.addf %[[Y]], %[[BI]] : f32
func.func @layer_norm(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>, %b: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  %y, %m, %i = qc.layer_normalization %x, %s, %b {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<3x4xf32>) -> (tensor<2x3x4xf32>, none, none)
  return %y : tensor<2x3x4xf32>
}

// -----

// f16 LayerNormalization computes in f32 (stash_type = 1) and returns the
// f32 Mean and InvStdDev results, reshaped to [outer, 1].
// CHECK-LABEL: func.func @layer_norm_f16_stats
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2x8xf16>) outs(%{{.*}} : tensor<2xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f16, %{{.*}}: f32):
// CHECK: arith.extf %[[IN]] : f16 to f32
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>)
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[MEAN]] : tensor<2x8xf16>, tensor<2xf32>)
// CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<2xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x8xf16>)
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: %[[M2:.*]] = tensor.expand_shape %[[MEAN]] {{\[}}[0, 1]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK: %[[I2:.*]] = tensor.expand_shape %[[INV]] {{\[}}[0, 1]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK: return %[[Y]], %[[M2]], %[[I2]]
func.func @layer_norm_f16_stats(%x: tensor<2x8xf16>, %s: tensor<8xf16>) -> (tensor<2x8xf16>, tensor<2x1xf32>, tensor<2x1xf32>) {
  %n = qc.none
  %y, %m, %i = qc.layer_normalization %x, %s, %n : (tensor<2x8xf16>, tensor<8xf16>, none) -> (tensor<2x8xf16>, tensor<2x1xf32>, tensor<2x1xf32>)
  return %y, %m, %i : tensor<2x8xf16>, tensor<2x1xf32>, tensor<2x1xf32>
}

// -----

// ReduceMean with keepdims: reduce into the kept dims, divide by the count,
// expand back.
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_mean_keepdims
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3.000000e+00 : f32
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x4xf32>)
// CHECK: arith.divf %{{.*}}, %[[THREE]] : f32
// CHECK: tensor.expand_shape %[[MEAN]] {{\[}}[0], [1, 2]] output_shape [2, 1, 4] : tensor<2x4xf32> into tensor<2x1x4xf32>
func.func @reduce_mean_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %axes = qc.constant dense<1> : tensor<1xi64>
  %0 = qc.reduce_mean %x, %axes : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// No axes: reduce everything (integer sum into a rank-0 tensor).
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @reduce_sum_all
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[ALL]]], iterator_types = ["reduction", "reduction"]} ins(%{{.*}} : tensor<2x3xi32>) outs(%{{.*}} : tensor<i32>)
// CHECK: arith.addi
// CHECK: return %[[R]] : tensor<i32>
func.func @reduce_sum_all(%x: tensor<2x3xi32>) -> tensor<i32> {
  %n = qc.none
  %0 = qc.reduce_sum %x, %n {keepdims = 0 : i64} : (tensor<2x3xi32>, none) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

// ReduceMax starts at -inf; ReduceMin of booleans is an AND starting at true.
// CHECK-LABEL: func.func @reduce_max_min
// CHECK-DAG: %[[TRUE:.*]] = arith.constant true
// CHECK-DAG: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NINF]] : f32)
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]
// CHECK: arith.maximumf
// CHECK: linalg.fill ins(%[[TRUE]] : i1)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.andi
func.func @reduce_max_min(%x: tensor<2x3xf32>, %b: tensor<2x3xi1>) -> (tensor<3xf32>, tensor<2xi1>) {
  %a0 = qc.constant dense<0> : tensor<1xi64>
  %a1 = qc.constant dense<-1> : tensor<1xi64>
  %0 = qc.reduce_max %x, %a0 {keepdims = 0 : i64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<3xf32>
  %1 = qc.reduce_min %b, %a1 {keepdims = 0 : i64} : (tensor<2x3xi1>, tensor<1xi64>) -> tensor<2xi1>
  return %0, %1 : tensor<3xf32>, tensor<2xi1>
}

// -----

// noop_with_empty_axes reduces over nothing: sqrt(x * x) elementwise, as
// ONNX's reference computes it.
// CHECK-LABEL: func.func @reduce_l2_noop
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]{{.*}} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: arith.mulf
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: math.sqrt
func.func @reduce_l2_noop(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %n = qc.none
  %0 = qc.reduce_l2 %x, %n {noop_with_empty_axes = 1 : i64} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// LogSumExp: m = max (0 where not finite), log(sum(exp(x - m))) + m.
// CHECK-LABEL: func.func @reduce_log_sum_exp
// CHECK-DAG: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: %[[MAX:.*]] = linalg.generic
// CHECK: arith.maximumf
// CHECK: %[[SHIFT:.*]] = linalg.generic {{.*}} ins(%[[MAX]] : tensor<2xf32>)
// CHECK: %[[ABS:.*]] = math.absf
// CHECK: %[[FIN:.*]] = arith.cmpf one, %[[ABS]], %[[INF]] : f32
// CHECK: arith.select %[[FIN]]
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[SHIFT]] : tensor<2x3xf32>, tensor<2xf32>)
// CHECK: math.exp
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[SUM]], %[[SHIFT]] : tensor<2xf32>, tensor<2xf32>)
// CHECK: math.log
// CHECK: tensor.expand_shape %[[R]]
func.func @reduce_log_sum_exp(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %a = qc.constant dense<1> : tensor<1xi64>
  %0 = qc.reduce_log_sum_exp %x, %a : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// Axes known only at run time, but the static shapes say which dims reduce.
// CHECK-DAG: #[[MID:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_runtime_axes
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[MID]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.mulf %[[A:.*]], %[[A]]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[MID]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.mulf
// CHECK-NOT: qc.reduce
func.func @reduce_runtime_axes(%x: tensor<3x4x5xf32>, %axes: tensor<1xi64>) -> (tensor<3x1x5xf32>, tensor<3x5xf32>) {
  %0 = qc.reduce_sum_square %x, %axes : (tensor<3x4x5xf32>, tensor<1xi64>) -> tensor<3x1x5xf32>
  %1 = qc.reduce_prod %x, %axes {keepdims = 0 : i64} : (tensor<3x4x5xf32>, tensor<1xi64>) -> tensor<3x5xf32>
  return %0, %1 : tensor<3x1x5xf32>, tensor<3x5xf32>
}

// -----

// ArgMax: value and index carried together; strict > keeps the first maximum.
// CHECK-LABEL: func.func @arg_max
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<3x4xf32>) outs(%{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xi64>)
// CHECK: ^bb0(%[[V:.*]]: f32, %[[BEST:.*]]: f32, %[[BI:.*]]: i64):
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[V]], %[[BEST]] : f32
// CHECK: arith.select %[[GT]], %[[V]], %[[BEST]] : f32
// CHECK: arith.select %[[GT]], %[[I64]], %[[BI]] : i64
// CHECK: return %[[R]]#1
func.func @arg_max(%x: tensor<3x4xf32>) -> tensor<3xi64> {
  %0 = qc.arg_max %x {axis = 1 : i64, keepdims = 0 : i64} : (tensor<3x4xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// ArgMin with select_last_index: <= keeps the last minimum; integers start
// at their maximum.
// CHECK-LABEL: func.func @arg_min_last
// CHECK: %[[IMAX:.*]] = arith.constant 2147483647 : i32
// CHECK: linalg.fill ins(%[[IMAX]] : i32)
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]
// CHECK: arith.cmpi sle
// CHECK: tensor.expand_shape %[[R]]#1 {{\[}}[0, 1]] output_shape [1, 4] : tensor<4xi64> into tensor<1x4xi64>
func.func @arg_min_last(%x: tensor<3x4xi32>) -> tensor<1x4xi64> {
  %0 = qc.arg_min %x {axis = 0 : i64, select_last_index = 1 : i64} : (tensor<3x4xi32>) -> tensor<1x4xi64>
  return %0 : tensor<1x4xi64>
}

// -----

// Left alone: dynamic shapes, unsigned integers, integer ReduceMean, and a
// LayerNormalization whose InvStdDev result has an unknown shape.
// CHECK-LABEL: func.func @left_alone
// CHECK: qc.softmax %{{.*}} : (tensor<?x5xf32>) -> tensor<?x5xf32>
// CHECK: qc.reduce_max %{{.*}} : (tensor<2x3xui8>, none) -> tensor<2xui8>
// CHECK: qc.reduce_mean %{{.*}} : (tensor<2x3xi32>, tensor<1xi64>) -> tensor<2xi32>
// CHECK: qc.layer_normalization
// CHECK-NOT: linalg.
func.func @left_alone(%d: tensor<?x5xf32>, %u: tensor<2x3xui8>, %i: tensor<2x3xi32>, %lx: tensor<2x8xf32>, %ls: tensor<8xf32>)
    -> (tensor<?x5xf32>, tensor<2xui8>, tensor<2xi32>, tensor<2x8xf32>, tensor<?x?xf32>) {
  %n = qc.none
  %0 = qc.softmax %d : (tensor<?x5xf32>) -> tensor<?x5xf32>
  %2 = qc.reduce_max %u, %n {keepdims = 0 : i64} : (tensor<2x3xui8>, none) -> tensor<2xui8>
  %a = qc.constant dense<1> : tensor<1xi64>
  %3 = qc.reduce_mean %i, %a {keepdims = 0 : i64} : (tensor<2x3xi32>, tensor<1xi64>) -> tensor<2xi32>
  %y, %m, %s = qc.layer_normalization %lx, %ls, %n : (tensor<2x8xf32>, tensor<8xf32>, none) -> (tensor<2x8xf32>, none, tensor<?x?xf32>)
  return %0, %2, %3, %y, %s : tensor<?x5xf32>, tensor<2xui8>, tensor<2xi32>, tensor<2x8xf32>, tensor<?x?xf32>
}

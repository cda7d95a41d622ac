"""Writes two small models whose layer inputs are strongly correlated, the
case data-aware weight rounding is for, with calibration and test data:
  conv.onnx   Conv (3x3, stride 2, pads 1, 2 groups) -> Relu, on images
              smooth along rows only (box-filtered noise)
  gemm.onnx   Gemm (transB) -> Relu -> MatMul, on rows mixing 4 latent factors
and conv_calib.npz / conv_test.npz, gemm_calib.npz / gemm_test.npz (samples
from the same distribution, different seeds)."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(11)


def weight(name, shape, scale, channel_axis=0):
    w = rng.standard_normal(shape) * scale
    # One large weight per output channel: max|w| / 127 is then a coarse
    # step for the others, and rounding is most of the layer's error.
    rows = np.moveaxis(w, channel_axis, 0).reshape(shape[channel_axis], -1)
    rows[np.arange(len(rows)), rng.integers(0, rows.shape[1], len(rows))] *= 10
    w = np.moveaxis(rows.reshape(np.moveaxis(w, channel_axis, 0).shape), 0, channel_axis)
    return numpy_helper.from_array(w.astype(np.float32), name)


def save(name, nodes, inits, x_shape, y_shape):
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, f"{out}/{name}.onnx")


save("conv", [
    helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1],
                     strides=[2, 2], group=2),
    helper.make_node("Relu", ["c1"], ["y"], name="relu1"),
], [weight("w1", (8, 2, 3, 3), 0.3), numpy_helper.from_array((rng.standard_normal(8) * 0.1).astype(np.float32), "b1")],
    [1, 4, 16, 16], [1, 8, 8, 8])

save("gemm", [
    helper.make_node("Gemm", ["x", "w1", "b1"], ["g1"], name="gemm1", transB=1),
    helper.make_node("Relu", ["g1"], ["r1"], name="relu1"),
    helper.make_node("MatMul", ["r1", "w2"], ["y"], name="matmul2"),
], [weight("w1", (12, 24), 0.3), numpy_helper.from_array((rng.standard_normal(12) * 0.1).astype(np.float32), "b1"), weight("w2", (12, 10), 0.3, channel_axis=1)],
    [16, 24], [16, 10])


def smooth_images(seed, n):
    g = np.random.default_rng(seed)
    x = g.standard_normal((n, 4, 16, 22))
    # A 1x7 box filter makes neighbouring pixels of a row alike, not those
    # of a column; mixing the channels makes the channels alike too.
    x = sum(x[:, :, :, j:j + 16] for j in range(7)) / 3
    mix = np.array([[1, 0.8, 0.2, 0], [0.8, 1, 0, 0.2], [0.2, 0, 1, 0.8], [0, 0.2, 0.8, 1]])
    return np.einsum("dc,nchw->ndhw", mix, x).astype(np.float32)


def latent_rows(seed, n):
    g = np.random.default_rng(seed)
    mixing = np.random.default_rng(5).standard_normal((4, 24))
    z = g.standard_normal((n * 16, 4))
    return (z @ mixing + 0.05 * g.standard_normal((n * 16, 24))).astype(np.float32)


for split, seed in (("calib", 1), ("test", 2)):
    np.savez(f"{out}/conv_{split}.npz", x=smooth_images(seed, 32))
    np.savez(f"{out}/gemm_{split}.npz", x=latent_rows(seed, 32))

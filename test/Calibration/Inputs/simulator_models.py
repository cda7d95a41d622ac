"""Writes sim.onnx and sim.npz: a small CNN where the simulator of `quantc
analyze` / `quantc calibrate` once disagreed with Q/DQ placement.
  conv0 (3x3) -> BatchNormalization -> conv1 (3x3 depthwise) -> GlobalAveragePool
conv1 reads conv0's result directly once BatchNormalization is folded. Its
filters each have one dominant tap (a coarse weight scale s_w) and its
biases are large, so the int32 bias grid s_x * s_w is coarse; the pool
averages the rounding noise of 64x64 positions away but not the bias's
rounding error, which is then a visible part of the output error."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(7)


def init(name, a):
    return numpy_helper.from_array(np.asarray(a, np.float32), name)


C = 8
inits = [
    init("w0", rng.standard_normal((C, 3, 3, 3)) * 0.5), init("b0", rng.standard_normal(C)),
    init("gamma", rng.uniform(2, 4, C)), init("beta", rng.standard_normal(C)),
    init("mean", rng.standard_normal(C) * 0.1), init("var", rng.uniform(0.5, 1.5, C)),
    init("w1", rng.standard_normal((C, 1, 3, 3)) * 0.1 + np.eye(9)[rng.integers(0, 9, C)].reshape(C, 1, 3, 3) * 3),
    init("b1", rng.uniform(2, 4, C) * rng.choice([-1, 1], C)),
]
nodes = [
    helper.make_node("Conv", ["x", "w0", "b0"], ["c0"], name="conv0", pads=[1, 1, 1, 1]),
    helper.make_node("BatchNormalization", ["c0", "gamma", "beta", "mean", "var"], ["bn0"], name="bn0"),
    helper.make_node("Conv", ["bn0", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1], group=C),
    helper.make_node("GlobalAveragePool", ["c1"], ["y"], name="pool"),
]
graph = helper.make_graph(nodes, "sim", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 64, 64])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, C, 1, 1])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, f"{out}/sim.onnx")
np.savez(f"{out}/sim.npz", x=rng.standard_normal((8, 3, 64, 64)).astype(np.float32))

"""Writes two small opset-12 CNNs whose weights are Constant nodes (as some
exporters write them): conv.onnx (Conv, Relu, Conv) and squeeze.onnx (the
same with a Squeeze, whose axes become an input at opset 13)."""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(3)


def constant(name, array):
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(array, name))


def model(with_squeeze):
    nodes = [
        constant("w1", rng.standard_normal((8, 3, 3, 3)).astype(np.float32) * 0.3),
        constant("b1", rng.standard_normal(8).astype(np.float32) * 0.1),
        constant("w2", rng.standard_normal((4, 8, 1, 1)).astype(np.float32) * 0.3),
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1], name="conv1"),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Conv", ["r1", "w2"], ["y" if not with_squeeze else "c2"], name="conv2"),
    ]
    shape = [1, 4, 8, 8]
    if with_squeeze:
        nodes.append(helper.make_node("Squeeze", ["c2"], ["y"], axes=[0], name="squeeze"))
        shape = [4, 8, 8]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
    m.ir_version = 7
    onnx.checker.check_model(m)
    return m


onnx.save(model(False), f"{out}/conv.onnx")
onnx.save(model(True), f"{out}/squeeze.onnx")
np.savez(f"{out}/data.npz", x=rng.standard_normal((4, 3, 8, 8)).astype(np.float32))

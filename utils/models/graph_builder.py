"""Small helper shared by the model generators in this directory.

Builds an ONNX graph node by node with unique, readable names, keeps the
weights as initializers and writes a checked model (opset 17, IR version 8,
so onnxruntime and Debian's libonnx 1.12 both accept it). Only numpy and
onnx are used; every random number comes from the numpy Generator given to
the builder, so a model is a pure function of its generator's arguments.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8


class GraphBuilder:
    def __init__(self, name, seed):
        self.name = name
        self.rng = np.random.default_rng(seed)
        self.nodes = []
        self.initializers = []
        self.inputs = []
        self.outputs = []
        self._counts = {}
        self._names = set()

    # -- naming -------------------------------------------------------------
    def unique(self, base):
        n = self._counts.get(base, 0)
        self._counts[base] = n + 1
        name = base if n == 0 and base not in self._names else f"{base}_{n}"
        while name in self._names:
            n += 1
            name = f"{base}_{n}"
        self._names.add(name)
        return name

    # -- graph pieces -------------------------------------------------------
    def input(self, name, elem_type, shape):
        self._names.add(name)
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def output(self, value, elem_type, shape, name=None):
        """Marks `value` as a graph output, renamed to `name` if given.

        The producing node's output is renamed in place (no Identity node) when
        nothing else reads it yet.
        """
        if name is not None and name != value:
            producer = next((n for n in self.nodes if value in n.output), None)
            used = any(value in n.input for n in self.nodes)
            if producer is None or used or name in self._names:
                value = self.node("Identity", [value], name=name, out=name)
            else:
                producer.output[list(producer.output).index(value)] = name
                self._names.add(name)
                value = name
        self.outputs.append(helper.make_tensor_value_info(value, elem_type, shape))
        return value

    def const(self, base, array):
        name = self.unique(base)
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def f32(self, base, array):
        return self.const(base, np.asarray(array, dtype=np.float32))

    def i64(self, base, array):
        return self.const(base, np.asarray(array, dtype=np.int64))

    def node(self, op_type, inputs, name=None, out=None, **attrs):
        """Adds one node with one output; returns the output's name."""
        node_name = self.unique(name or op_type)
        out = out or f"{node_name}_out"
        self._names.add(out)
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=node_name, **attrs))
        return out

    # -- initializers -------------------------------------------------------
    def he_normal(self, shape, fan_in, gain=2.0):
        """N(0, gain/fan_in): He (Kaiming) init for gain 2, LeCun for gain 1."""
        std = np.sqrt(gain / fan_in)
        return (self.rng.standard_normal(shape) * std).astype(np.float32)

    def uniform(self, shape, lo, hi):
        return self.rng.uniform(lo, hi, size=shape).astype(np.float32)

    def normal(self, shape, std, mean=0.0):
        return (mean + self.rng.standard_normal(shape) * std).astype(np.float32)

    # -- common layers ------------------------------------------------------
    def conv(self, x, cin, cout, k, stride=1, group=1, bias=True, name="conv", gain=2.0):
        pad = k // 2
        fan_in = (cin // group) * k * k
        w = self.f32(f"{name}.weight", self.he_normal((cout, cin // group, k, k), fan_in, gain))
        ins = [x, w]
        if bias:
            ins.append(self.f32(f"{name}.bias", self.normal((cout,), 0.05)))
        return self.node("Conv", ins, name=name, kernel_shape=[k, k], strides=[stride, stride],
                         pads=[pad, pad, pad, pad], dilations=[1, 1], group=group)

    def batchnorm(self, x, c, name="bn", gamma=(0.5, 1.0)):
        """BatchNormalization (inference) with random but sane statistics."""
        scale = self.f32(f"{name}.weight", self.uniform((c,), *gamma))
        bias = self.f32(f"{name}.bias", self.normal((c,), 0.1))
        mean = self.f32(f"{name}.running_mean", self.normal((c,), 0.1))
        var = self.f32(f"{name}.running_var", self.uniform((c,), 0.5, 1.5))
        return self.node("BatchNormalization", [x, scale, bias, mean, var], name=name,
                         epsilon=1e-5, momentum=0.9)

    def gemm(self, x, cin, cout, name="fc"):
        """Gemm(x, W^T) + b with W as [cout, cin] (how PyTorch exports Linear)."""
        w = self.f32(f"{name}.weight", self.he_normal((cout, cin), cin, gain=1.0))
        b = self.f32(f"{name}.bias", self.normal((cout,), 0.01))
        return self.node("Gemm", [x, w, b], name=name, alpha=1.0, beta=1.0, transB=1)

    # -- output -------------------------------------------------------------
    def model(self, doc=""):
        graph = helper.make_graph(self.nodes, self.name, self.inputs, self.outputs,
                                  initializer=self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="quantc-utils-models", producer_version="1")
        model.ir_version = IR_VERSION
        model.doc_string = doc
        return model


def save_checked(model, path):
    """Checks the model (with strict shape inference) and writes it.

    The inferred shapes are not stored: the importer infers them itself.
    """
    onnx.checker.check_model(model, full_check=True)
    onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    onnx.save(model, path)
    return model


def count_params(model):
    return sum(int(np.prod(t.dims)) for t in model.graph.initializer)


__all__ = ["GraphBuilder", "save_checked", "count_params", "TensorProto", "OPSET", "IR_VERSION"]

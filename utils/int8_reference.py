#!/usr/bin/env python3
"""An independent NumPy model of the integer code quantc makes from a QDQ model.

  int8_reference.py --model M.qdq.onnx --inputs in.npz --out ref.npz
  int8_reference.py --model M.qdq.onnx --quantc build/bin/quantc [--seed 0]
                    [--input-shape NAME=D0,D1,...] [--inputs in.npz] [--name NAME]
                    [--intermediates] [--plan]
  int8_reference.py --write-synthetic --model OUT.onnx [--quantc ...]

quantc (qc-fold-qdq) folds each DequantizeLinear -> op -> QuantizeLinear
chain of a QDQ model that has an integer form into integer kernels; what it
cannot fold runs in float. This script computes, from the model and its
inputs, what that integer code computes, bit for bit, written from the
semantics below rather than from quantc's code, so that a test can hold the
generated code to them.

Quantization parameters come from the Q/DQ nodes' scale and zero-point
initializers (float32 scales, int8/uint8 zero points, per tensor or per axis).
All integer arithmetic is int64; real-valued scale arithmetic is in double.

* fixed_point(scales): one shift for a list of real scales,
  shift = 31 - exponent(max) (one less where the largest would round to
  2^31), at most 62, at least 1 (else: no integer form);
  multiplier_i = round_half_even(scale_i * 2^shift).
* requantize: per channel c, t = (x - zx) * m_in[c] [+ (r - zr) * m_res[c]]
  with (m_in[c], m_res[c]), shift[c] = fixed_point([s_in[c] / s_y,
  s_res / s_y]); q = round_half_even(t / 2^shift) (exact, on integers)
  + z_y, clamped to the storage range narrowed by a fused Relu (lo = z_y) or
  Clip with constant bounds (Q(a), Q(b)): max with lo, then min with hi, as
  Clip is defined (inverted bounds give Q(b)).
* Conv/Gemm/MatMul on DQ'd 8-bit inputs (x per tensor; the weight constant,
  per output channel or per tensor; MatMul's B may be a per-tensor
  activation): acc[c] = sum (x - zx)(w - zw[c]), padding contributing 0, plus
  the bias at s_x * s_w[c] (an int32 bias at that scale as its integers,
  any other rounded half to even). When the value reaches a
  QuantizeLinear (directly, through a single-use Relu/Clip, or through a
  single-use Add of a same-shape per-tensor DQ'd residual, then optionally
  Relu/Clip) it is requantized there; else its result stays float:
  float32(acc) * float32(s_x * s_w[c]).
* Add of two DQ'd per-tensor tensors (+ Relu/Clip) -> Q: requantize with two
  terms. Relu/Clip between a DQ and a Q: requantize with the clamp.
  GlobalAveragePool between DQ and Q: requantize(sum - zx * count) at
  s_x / count.
* MaxPool, Reshape, Transpose, Flatten, Squeeze, Unsqueeze, Slice, Concat,
  zero Pad between a DQ and a Q of the same quantization: the op on the
  integers (Pad pads with the zero point, MaxPool with the storage minimum).
* What does not fold runs in float32 as quantc lowers it: QuantizeLinear
  (x / s in float32, rounded half to even, + z, saturated), DequantizeLinear
  ((q - z) * s in float32), elementwise arithmetic, Softmax and
  LayerNormalization with sequential (in index order) float32 sums, exp/erf
  from the C library. Other float ops (Conv, MatMul, Gemm in float, ...) are
  refused with an error naming the node.

Which chains fold follows quantc's rules (single uses, matching shapes, a
fixed-point form for every scale ratio), re-planned after dead float ops go
away until nothing more folds.

Compare mode (--quantc BIN) makes seeded random inputs (float inputs of rank
4: uniform [0, 1); other floats: N(0, 1); integer inputs that index an
initializer with Gather: uniform [0, its first dim); other integers [0, 10))
or takes --inputs, runs `BIN run M --inputs in.npz --output-npz out.npz`
and the reference, and prints per output

  <name>: bit_exact=yes|no max_abs=... mismatches=N/total

then `evaluated: integer_nodes=N float_nodes=M float_qdq=K folds: ...`
(ONNX nodes evaluated in integer form, other nodes and Q/DQ evaluated in
float, and the integer kernels by kind) and the verdict
`int8-reference <name>: PASS|FAIL`; exit status 1 on FAIL, 2 on bad usage
or an unsupported model. --intermediates adds every QuantizeLinear's output
to the model's outputs (in a temporary copy; what folds does not change, as
no fold rule looks at the uses of a Q's integer output) and compares those
too. --plan prints each integer kernel with its multipliers, shifts and
clamp range (compare with `quantc compile M --emit=qc`).
--write-synthetic first writes a small built-in QDQ model to --model (what
quantc's own QDQ models lack: residuals folded into a Conv, nonzero weight
zero points, rounding ties; see synthetic_model).
"""

import argparse
import ctypes
import ctypes.util
import math
import os
import subprocess
import sys
import tempfile
from collections import Counter

import numpy as np
import onnx
from onnx import helper, numpy_helper, shape_inference
from numpy.lib.stride_tricks import sliding_window_view


class Unsupported(Exception):
    """The model has something this reference does not evaluate."""


# --------------------------------------------------------------------------
# scalar helpers (Python floats are doubles; round() is half to even)
# --------------------------------------------------------------------------

def fixed_point(scales):
    """(multipliers, shift) of real `scales` at one shift, or None."""
    scales = [float(s) for s in scales]
    if not scales or any(not (s > 0) or not math.isfinite(s) for s in scales):
        return None
    largest = max(scales)
    _, exponent = math.frexp(largest)
    shift = 31 - exponent
    if round(math.ldexp(largest, shift)) >= 2 ** 31:
        shift -= 1
    shift = min(shift, 62)
    if shift < 1:
        return None
    return [round(math.ldexp(s, shift)) for s in scales], shift


def rounding_shift(t, shift):
    """round_half_to_even(t / 2**shift) of int64 `t`, exactly."""
    shift = np.asarray(shift, dtype=np.int64)
    floor = t >> shift
    rem = t - (floor << shift)
    half = np.int64(1) << (shift - 1)
    up = (rem > half) | ((rem == half) & ((floor & 1) == 1))
    return floor + up.astype(np.int64)


def quantize_scalar(v, out):
    """saturate(round_half_even(v / s_y) + z_y), in double (a Clip bound)."""
    q = float(np.rint(v / out.scale)) + out.zero_point
    return int(min(max(q, out.lowest), out.highest))


def along_axis(values, axis, rank):
    """A [C] array shaped to broadcast along `axis` of a rank-`rank` array."""
    values = np.asarray(values)
    if values.size == 1:
        return values.reshape(())
    return values.reshape([values.size] + [1] * (rank - axis - 1))


_libm = None


def libm_unary(name, x):
    """float32 `name`f from the C library (what quantc's JIT calls)."""
    global _libm
    if _libm is None:
        _libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
    fn = getattr(_libm, name + "f")
    fn.restype = ctypes.c_float
    fn.argtypes = [ctypes.c_float]
    flat = np.asarray(x, dtype=np.float32).ravel()
    out = np.fromiter((fn(float(v)) for v in flat), dtype=np.float32, count=flat.size)
    return out.reshape(np.shape(x))


# --------------------------------------------------------------------------
# quantization parameters
# --------------------------------------------------------------------------

class QParams:
    """A Q/DQ node's constant quantization: per tensor or per axis."""

    def __init__(self, scales, zero_points, axis, dtype):
        self.scales = scales            # Python floats (doubles of the f32 values)
        self.zero_points = zero_points  # Python ints
        self.axis = axis                # None: per tensor
        self.dtype = np.dtype(dtype)
        self.bits = self.dtype.itemsize * 8
        signed = np.issubdtype(self.dtype, np.signedinteger)
        self.lowest = -(1 << (self.bits - 1)) if signed else 0
        self.highest = (1 << (self.bits - 1)) - 1 if signed else (1 << self.bits) - 1

    @property
    def per_tensor(self):
        return self.axis is None

    @property
    def scale(self):
        return self.scales[0]

    @property
    def zero_point(self):
        return self.zero_points[0]

    def is_8bit(self):
        return self.dtype in (np.dtype(np.int8), np.dtype(np.uint8))

    def same(self, other):
        return (self.per_tensor and other.per_tensor and self.dtype == other.dtype
                and self.zero_point == other.zero_point and self.scale == other.scale)

    def describe(self):
        kind = "per-tensor" if self.per_tensor else f"per-axis({self.axis})"
        s = self.scale if self.per_tensor else f"[{len(self.scales)}]"
        z = self.zero_point if self.per_tensor else "..."
        return f"{self.dtype.name} {kind} s={s} z={z}"


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


# --------------------------------------------------------------------------
# the graph
# --------------------------------------------------------------------------

CONTRACTIONS = ("Conv", "Gemm", "MatMul")
DATA_MOVEMENT = ("MaxPool", "Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Slice",
                 "Pad", "Resize", "Concat")


class Graph:
    def __init__(self, model, feeds):
        g = model.graph
        self.model = model
        self.const = {}
        for init in g.initializer:
            self.const[init.name] = numpy_helper.to_array(init)
        self.nodes = []
        for node in g.node:
            if node.op_type == "Constant" and node.domain in ("", "ai.onnx"):
                self.const[node.output[0]] = constant_node_value(node)
            else:
                self.nodes.append(node)
        self.producer = {}
        for node in self.nodes:
            for out in node.output:
                if out:
                    self.producer[out] = node
        self.inputs = [i for i in g.input if i.name not in self.const]
        self.outputs = [o.name for o in g.output]
        self._infer(model, feeds)

    def _infer(self, model, feeds):
        """Static types of every value, with the inputs fixed to the feeds' shapes."""
        m = onnx.ModelProto()
        m.CopyFrom(model)
        for vi in m.graph.input:
            if vi.name in feeds:
                shape = vi.type.tensor_type.shape
                del shape.dim[:]
                for d in feeds[vi.name].shape:
                    shape.dim.add().dim_value = int(d)
        del m.graph.value_info[:]
        for o in m.graph.output:
            o.type.tensor_type.ClearField("shape")
        m = shape_inference.infer_shapes(m, strict_mode=False, data_prop=True)
        self.types = {}
        for vi in list(m.graph.input) + list(m.graph.value_info) + list(m.graph.output):
            t = vi.type.tensor_type
            if not t.HasField("shape"):
                self.types[vi.name] = (t.elem_type, None)
                continue
            dims = []
            for d in t.shape.dim:
                dims.append(d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else None)
            shape = None if any(d is None for d in dims) else tuple(dims)
            self.types[vi.name] = (t.elem_type, shape)
        for name, value in self.const.items():
            self.types[name] = (helper.np_dtype_to_tensor_dtype(value.dtype), tuple(value.shape))

    def static_type(self, name):
        """(elem_type, shape) when the shape is static, else None."""
        t = self.types.get(name)
        if t is None or t[1] is None:
            return None
        return t

    def shape(self, name):
        t = self.static_type(name)
        return t[1] if t else None

    def np_dtype(self, name):
        t = self.types.get(name)
        if t is None or not t[0]:
            return None
        return np.dtype(helper.tensor_dtype_to_np_dtype(t[0]))


def constant_node_value(node):
    for a in node.attribute:
        if a.name == "value":
            return numpy_helper.to_array(a.t)
        if a.name == "value_float":
            return np.array(a.f, dtype=np.float32)
        if a.name == "value_floats":
            return np.array(list(a.floats), dtype=np.float32)
        if a.name == "value_int":
            return np.array(a.i, dtype=np.int64)
        if a.name == "value_ints":
            return np.array(list(a.ints), dtype=np.int64)
    raise Unsupported(f"Constant node '{node.name}' has no supported value attribute")


def node_label(node):
    return f"{node.op_type} '{node.name or node.output[0]}'"


# --------------------------------------------------------------------------
# the folding plan: which Q/DQ chains become integer code
# --------------------------------------------------------------------------

class Fold:
    """One integer kernel: `kind`, the ONNX nodes it covers, how to evaluate it."""

    def __init__(self, kind, anchor, nodes, reads, **info):
        self.kind = kind
        self.anchor = anchor      # the value it computes (a Q's output or a contraction's)
        self.nodes = nodes        # the ONNX nodes it covers (Q and DQ not included)
        self.reads = reads        # the values it reads (integers, constants)
        self.__dict__.update(info)


class Planner:
    def __init__(self, graph):
        self.g = graph
        self.folds = {}  # anchor value -> Fold
        self._qp_cache = {}

    # ---- uses, with dead float ops gone -------------------------------
    def compute_uses(self):
        g = self.g
        live_nodes = set()
        needed = set()
        stack = list(g.outputs)
        self.users = {}
        while stack:
            v = stack.pop()
            if v in needed:
                continue
            needed.add(v)
            if v in self.folds:
                stack.extend(self.folds[v].reads)
                continue
            node = g.producer.get(v)
            if node is None or id(node) in live_nodes:
                continue
            live_nodes.add(id(node))
            stack.extend(i for i in node.input if i)
        self.uses = Counter()
        for node in g.nodes:
            if id(node) not in live_nodes:
                continue
            for out in node.output:
                if out in self.folds:
                    break
            else:
                for i in node.input:
                    if i:
                        self.uses[i] += 1
                        self.users.setdefault(i, []).append(node)
        for f in self.folds.values():
            for v in f.reads:
                self.uses[v] += 1
        for v in g.outputs:
            self.uses[v] += 1
            self.users.setdefault(v, []).append(None)  # the return

    def one_use(self, value):
        return self.uses[value] == 1

    def op_one_use(self, node):
        return sum(self.uses[o] for o in node.output if o) == 1

    def producer(self, value, op_type=None):
        node = self.g.producer.get(value)
        if node is None or (op_type and node.op_type != op_type):
            return None
        return node

    # ---- quantization parameters ---------------------------------------
    def qparams(self, node):
        """The constant quantization of a Q/DQ node (any integer storage), or None."""
        key = id(node)
        if key not in self._qp_cache:
            self._qp_cache[key] = self._qparams(node)
        return self._qp_cache[key]

    def _qparams(self, node):
        g = self.g
        is_q = node.op_type == "QuantizeLinear"
        scale_name = node.input[1]
        zp_name = node.input[2] if len(node.input) > 2 else ""
        if scale_name not in g.const or (zp_name and zp_name not in g.const):
            return None
        if is_q:
            dtype = (g.const[zp_name].dtype if zp_name else
                     np.dtype(helper.tensor_dtype_to_np_dtype(attr(node, "output_dtype", 0) or 2)))
        else:
            dtype = g.np_dtype(node.input[0])
        if dtype is None or not np.issubdtype(dtype, np.integer) or dtype.itemsize > 4:
            return None
        scale = g.const[scale_name]
        if not np.issubdtype(scale.dtype, np.floating):
            return None
        scales = [float(s) for s in scale.ravel()]
        if any(not (s > 0) or not math.isfinite(s) for s in scales):
            return None
        zps = [int(z) for z in g.const[zp_name].ravel()] if zp_name else [0] * len(scales)
        if len(zps) != len(scales):
            return None
        block = attr(node, "block_size", 0)
        if scale.size == 1 and scale.ndim <= 1 and block == 0:
            return QParams(scales[:1], zps[:1], None, dtype)
        data_shape = g.shape(node.input[0])
        if data_shape is None or block != 0 or scale.ndim != 1:
            return None
        axis = attr(node, "axis", 1)
        if axis < 0:
            axis += len(data_shape)
        if not 0 <= axis < len(data_shape):
            return None
        return QParams(scales, zps, axis, dtype)

    def qparams8(self, node):
        p = self.qparams(node)
        return p if p is not None and p.is_8bit() else None

    def dequantize_of(self, value):
        """The DQ of 8-bit values that makes `value`, or None."""
        dq = self.producer(value, "DequantizeLinear")
        return dq if dq is not None and self.qparams8(dq) else None

    def per_tensor_input(self, value):
        dq = self.dequantize_of(value)
        if dq is None:
            return None, None
        p = self.qparams8(dq)
        if not p.per_tensor or self.g.static_type(dq.input[0]) is None:
            return None, None
        return dq, p

    # ---- activations -----------------------------------------------------
    def absorb_activation(self, value, out, rng):
        """A single-use Relu / constant Clip before the Q: narrows rng, returns its input."""
        node = self.g.producer.get(value)
        if node is None or not self.op_one_use(node):
            return value, None
        if node.op_type == "Relu":
            rng[0] = max(rng[0], out.zero_point)
            return node.input[0], node
        if node.op_type == "Clip":
            lo, hi, ok = self.clip_bounds(node)
            if not ok:
                return value, None
            if lo is not None:
                rng[0] = max(rng[0], quantize_scalar(lo, out))
            if hi is not None:
                rng[1] = min(rng[1], quantize_scalar(hi, out))
            return node.input[0], node
        return value, None

    def clip_bounds(self, node):
        """(min, max, ok): constant one-element float bounds (None: absent)."""
        bounds = []
        for i, name in ((1, "min"), (2, "max")):
            if len(node.input) > i and node.input[i]:
                c = self.g.const.get(node.input[i])
                if c is None or c.size != 1 or not np.issubdtype(c.dtype, np.floating):
                    return None, None, False
                bounds.append(float(c.ravel()[0]))
            else:
                a = attr(node, name)
                bounds.append(float(np.float32(a)) if a is not None else None)
        return bounds[0], bounds[1], True

    # ---- biases --------------------------------------------------------
    def bias_values(self, value):
        """Real bias values from an int32 DQ or a float constant (doubles), or None."""
        g = self.g
        dq = self.producer(value, "DequantizeLinear")
        if dq is not None:
            values = g.const.get(dq.input[0])
            p = self.qparams(dq)
            if values is None or p is None or values.dtype != np.int32:
                return None
            if len(p.scales) != 1 and len(p.scales) != values.size:
                return None
            out = []
            for i, v in enumerate(values.ravel()):
                c = 0 if len(p.scales) == 1 else i
                integer = int(v) - int(p.zero_points[c])
                out.append((float(integer) * p.scales[c], integer, p.scales[c]))
            return out
        c = g.const.get(value)
        if c is None or not np.issubdtype(c.dtype, np.floating):
            return None
        return [(float(v), None, None) for v in c.ravel()]

    @staticmethod
    def bias_as_int32(bias, scales, channels):
        """bias: (real, integer or None, its scale or None) per element. An
        int32 bias already at the accumulator's scale (within 1e-6, the f32
        rounding of the stored scale) is taken as its integers; any other is
        rounded half to even from its real value."""
        if len(bias) != 1 and len(bias) != channels:
            return None
        out = []
        for c in range(channels):
            scale = scales[0] if len(scales) == 1 else scales[c]
            real, integer, own_scale = bias[0 if len(bias) == 1 else c]
            if integer is not None and abs(own_scale - scale) <= 1e-6 * scale:
                q = float(integer)
            else:
                q = float(np.rint(real / scale))
            if not abs(q) <= 2147483647.0:
                return None
            out.append(int(q))
        return out

    def constant_along_axis(self, value, result_shape, axis):
        g = self.g
        shape = g.shape(value)
        if shape is None or len(shape) > len(result_shape):
            return None
        offset = len(result_shape) - len(shape)
        for d, size in enumerate(shape):
            if size != 1 and d + offset != axis:
                return None
        n = int(np.prod(shape)) if shape else 1
        if n != 1 and n != result_shape[axis]:
            return None
        c = g.const.get(value)
        if c is None or not np.issubdtype(c.dtype, np.floating):
            return None
        return [(float(v), None, None) for v in c.ravel()]

    # ---- contractions --------------------------------------------------
    def quantized_operands(self, x, w, weight_axis, weight_may_vary):
        dx, dw = self.dequantize_of(x), self.dequantize_of(w)
        if dx is None or dw is None:
            return None
        px, pw = self.qparams8(dx), self.qparams8(dw)
        if not px.per_tensor:
            return None
        if not weight_may_vary and dw.input[0] not in self.g.const:
            return None
        if pw.axis is not None and pw.axis != weight_axis:
            return None
        return dx, dw, px, pw

    def accumulator(self, node, accept):
        """The integer form of a contraction (a dict), or None."""
        g = self.g
        result = g.static_type(node.output[0])
        if result is None:
            return None
        op = node.op_type
        if op == "Conv":
            if g.shape(node.input[1]) is None:
                return None
            ops = self.quantized_operands(node.input[0], node.input[1], 0, False)
            if ops is None:
                return None
            dx, dw, px, pw = ops
            axis, channels = 1, g.shape(node.input[1])[0]
            scales = [px.scale * s for s in pw.scales]
            bias32 = None
            if len(node.input) > 2 and node.input[2]:
                bias = self.bias_values(node.input[2])
                if bias is None:
                    return None
                bias32 = self.bias_as_int32(bias, scales, channels)
                if bias32 is None:
                    return None
            if not accept(scales, channels):
                return None
        elif op == "Gemm":
            if (g.shape(node.input[1]) is None or attr(node, "transA", 0) != 0
                    or np.float32(attr(node, "alpha", 1.0)) != np.float32(1.0)):
                return None
            trans_b = attr(node, "transB", 0) != 0
            ops = self.quantized_operands(node.input[0], node.input[1], 0 if trans_b else 1, False)
            if ops is None:
                return None
            dx, dw, px, pw = ops
            axis, channels = 1, result[1][1]
            scales = [px.scale * s for s in pw.scales]
            bias32 = None
            if len(node.input) > 2 and node.input[2]:
                c_shape = g.shape(node.input[2])
                bias = self.bias_values(node.input[2])
                if (c_shape is None or int(np.prod(c_shape)) != channels or bias is None
                        or np.float32(attr(node, "beta", 1.0)) != np.float32(1.0)):
                    return None
                bias32 = self.bias_as_int32(bias, scales, channels)
                if bias32 is None:
                    return None
            if not accept(scales, channels):
                return None
        else:  # MatMul
            b_shape = g.shape(node.input[1])
            if b_shape is None or len(result[1]) < 1:
                return None
            ops = self.quantized_operands(node.input[0], node.input[1],
                                          1 if len(b_shape) == 2 else None, True)
            if ops is None:
                return None
            dx, dw, px, pw = ops
            axis = len(result[1]) - 1
            channels = result[1][axis]
            scales = [px.scale * s for s in pw.scales]
            bias32 = None
            if not accept(scales, channels):
                return None
        return dict(node=node, dx=dx, dw=dw, px=px, pw=pw, axis=axis, channels=channels,
                    scales=scales, bias32=bias32)

    def requant_params(self, in_scales, residual_scale, out):
        """Per channel (multiplier, shift, residual multiplier), or None."""
        mult, shift, rmult = [], [], []
        for s in in_scales:
            pair = [s / out.scale] + ([residual_scale / out.scale] if residual_scale is not None else [])
            fixed = fixed_point(pair)
            if fixed is None:
                return None
            mult.append(fixed[0][0])
            shift.append(fixed[1])
            if residual_scale is not None:
                rmult.append(fixed[0][1])
        return mult, shift, rmult

    # ---- the patterns, anchored on a QuantizeLinear ---------------------
    def plan_q(self, q):
        out = self.qparams8(q)
        if out is None:
            return None
        for pattern in (self.contraction_fold, self.add_fold, self.activation_fold,
                        self.global_average_pool_fold, self.data_movement_fold):
            fold = pattern(q, out)
            if fold is not None:
                return fold
        return None

    def contraction_fold(self, q, out):
        g = self.g
        if not out.per_tensor or g.static_type(q.output[0]) is None:
            return None
        rng = [out.lowest, out.highest]
        v, act = self.absorb_activation(q.input[0], out, rng)
        residual = residual_p = extra_bias = add = None
        cand = self.producer(v, "Add")
        if cand is not None and self.op_one_use(cand):
            for i in range(2):
                other = g.producer.get(cand.input[1 - i])
                if other is None or other.op_type not in CONTRACTIONS or not self.op_one_use(other):
                    continue
                add_type = g.static_type(cand.output[0])
                operand = cand.input[i]
                if add_type is None:
                    return None
                dq = self.dequantize_of(operand)
                if (dq is not None and self.qparams8(dq).per_tensor
                        and g.static_type(operand) == add_type
                        and add_type == g.static_type(other.output[0])):
                    residual, residual_p = dq, self.qparams8(dq)
                else:
                    extra_bias = self.constant_along_axis(
                        operand, add_type[1], 1 if other.op_type == "Conv" else len(add_type[1]) - 1)
                    if extra_bias is None:
                        return None
                v = cand.input[1 - i]
                add = cand
                break
        contraction = g.producer.get(v)
        if contraction is None or contraction.op_type not in CONTRACTIONS or not self.op_one_use(contraction):
            return None
        if v != q.input[0] and g.static_type(v) != g.static_type(q.input[0]):
            return None
        residual_scale = residual_p.scale if residual is not None else None
        state = {}

        def accept(scales, channels):
            if extra_bias is not None:
                state["extra32"] = self.bias_as_int32(extra_bias, scales, channels)
                if state["extra32"] is None:
                    return False
            return self.requant_params(scales, residual_scale, out) is not None

        acc = self.accumulator(contraction, accept)
        if acc is None:
            return None
        mult, shift, rmult = self.requant_params(acc["scales"], residual_scale, out)
        nodes = [contraction] + ([add] if add is not None else []) + ([act] if act is not None else [])
        reads = [acc["dx"].input[0], acc["dw"].input[0]]
        if residual is not None:
            reads.append(residual.input[0])
        return Fold("contraction", q.output[0], nodes, reads, acc=acc,
                    extra32=state.get("extra32"), residual=residual, residual_p=residual_p,
                    out=out, mult=mult, shift=shift, rmult=rmult, clamp=tuple(rng), q=q)

    def add_fold(self, q, out):
        g = self.g
        if not out.per_tensor or g.static_type(q.output[0]) is None:
            return None
        rng = [out.lowest, out.highest]
        v, act = self.absorb_activation(q.input[0], out, rng)
        add = self.producer(v, "Add")
        if add is None or not self.op_one_use(add):
            return None
        a, pa = self.per_tensor_input(add.input[0])
        b, pb = self.per_tensor_input(add.input[1])
        if a is None or b is None:
            return None
        params = self.requant_params([pa.scale], pb.scale, out)
        if params is None:
            return None
        nodes = [add] + ([act] if act is not None else [])
        return Fold("add", q.output[0], nodes, [a.input[0], b.input[0]], a=a, pa=pa, b=b, pb=pb,
                    out=out, mult=params[0], shift=params[1], rmult=params[2], clamp=tuple(rng), q=q)

    def activation_fold(self, q, out):
        g = self.g
        result = g.static_type(q.output[0])
        if not out.per_tensor or result is None:
            return None
        rng = [out.lowest, out.highest]
        v, act = self.absorb_activation(q.input[0], out, rng)
        if v == q.input[0]:
            return None
        x, px = self.per_tensor_input(v)
        if x is None or g.shape(x.input[0]) != result[1]:
            return None
        params = self.requant_params([px.scale], None, out)
        if params is None:
            return None
        return Fold("activation", q.output[0], [act], [x.input[0]], x=x, px=px, out=out,
                    mult=params[0], shift=params[1], clamp=tuple(rng), q=q)

    def global_average_pool_fold(self, q, out):
        g = self.g
        pool = self.producer(q.input[0], "GlobalAveragePool")
        if (not out.per_tensor or g.static_type(q.output[0]) is None or pool is None
                or not self.op_one_use(pool)):
            return None
        x, px = self.per_tensor_input(pool.input[0])
        if x is None:
            return None
        shape = g.shape(x.input[0])
        if len(shape) < 3:
            return None
        count = int(np.prod(shape[2:]))
        scale = px.scale / float(count)
        params = self.requant_params([scale], None, out)
        if params is None:
            return None
        return Fold("global_average_pool", q.output[0], [pool], [x.input[0]], x=x, px=px,
                    count=count, out=out, mult=params[0], shift=params[1],
                    clamp=(out.lowest, out.highest), q=q)

    def preserves_scale(self, op):
        if op.op_type == "MaxPool":
            return len(op.output) < 2 or not op.output[1] or self.uses[op.output[1]] == 0
        if op.op_type in ("Relu", "Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Slice"):
            return True
        if op.op_type == "Pad":
            if (attr(op, "mode", b"constant") or b"constant") not in (b"constant", "constant"):
                return False
            if len(op.input) < 3 or not op.input[2]:
                return True
            c = self.g.const.get(op.input[2])
            return c is not None and c.size >= 1 and bool(np.all(c == c.ravel()[0])) and float(c.ravel()[0]) == 0.0
        if op.op_type == "Resize":
            return (attr(op, "mode", b"nearest") or b"nearest") in (b"nearest", "nearest")
        return False

    def data_movement_fold(self, q, out):
        op = self.g.producer.get(q.input[0])
        if (op is None or not self.one_use(op.output[0]) or op.op_type in ("Relu", "Clip")
                or not (self.preserves_scale(op) or op.op_type == "Concat")):
            return None
        n = len(op.input) if op.op_type == "Concat" else 1
        dqs = []
        for i in range(n):
            dq = self.dequantize_of(op.input[i])
            if dq is None or not self.qparams8(dq).same(out):
                return None
            dqs.append(dq)
        return Fold("data_movement", q.output[0], [op], [d.input[0] for d in dqs] +
                    [i for i in op.input[n:] if i], op=op, dqs=dqs, out=out, q=q)

    # ---- contractions whose result stays float --------------------------
    def feeds_quantize(self, value):
        for _ in range(3):
            users = self.users.get(value, [])
            if len(users) != 1:
                return any(u is not None and u.op_type == "QuantizeLinear" for u in users)
            user = users[0]
            if user is None:
                return False
            if user.op_type == "QuantizeLinear":
                return True
            if user.op_type not in ("Relu", "Clip", "Add"):
                return False
            value = user.output[0]
        return False

    def float_output_fold(self, node):
        g = self.g
        if self.feeds_quantize(node.output[0]):
            return None
        t = g.static_type(node.output[0])
        if t is None or t[0] != onnx.TensorProto.FLOAT:
            return None
        acc = self.accumulator(node, lambda scales, channels: True)
        if acc is None:
            return None
        return Fold("float_output", node.output[0], [node],
                    [acc["dx"].input[0], acc["dw"].input[0]], acc=acc)

    # ---- to a fixed point ---------------------------------------------
    def plan(self):
        while True:
            self.compute_uses()
            changed = False
            for node in self.g.nodes:
                out = node.output[0] if node.output else ""
                if out in self.folds or not self.is_live_unfolded(node):
                    continue
                fold = None
                if node.op_type == "QuantizeLinear":
                    fold = self.plan_q(node)
                elif node.op_type in CONTRACTIONS:
                    fold = self.float_output_fold(node)
                if fold is not None:
                    self.folds[fold.anchor] = fold
                    changed = True
                    # Uses change as soon as something folds (the greedy
                    # driver erases dead ops between rewrites).
                    self.compute_uses()
            if not changed:
                return self.folds

    def is_live_unfolded(self, node):
        return any(self.uses[o] > 0 for o in node.output if o)


# --------------------------------------------------------------------------
# ops on arrays (shared by the integer and float paths)
# --------------------------------------------------------------------------

def window_pads(in_sizes, kernel, strides, dilations, pads, auto_pad, ceil_mode=False):
    n = len(kernel)
    eff = [(k - 1) * d + 1 for k, d in zip(kernel, dilations)]
    auto_pad = auto_pad.decode() if isinstance(auto_pad, bytes) else (auto_pad or "NOTSET")
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        begin, end = [], []
        for i in range(n):
            out = -(-in_sizes[i] // strides[i])
            total = max(0, (out - 1) * strides[i] + eff[i] - in_sizes[i])
            small = total // 2
            big = total - small
            begin.append(small if auto_pad == "SAME_UPPER" else big)
            end.append(big if auto_pad == "SAME_UPPER" else small)
        pads = begin + end
    elif auto_pad == "VALID":
        pads = [0] * (2 * n)
    else:
        pads = list(pads) if pads else [0] * (2 * n)
    begin, end = list(pads[:n]), list(pads[n:])
    outs = []
    for i in range(n):
        span = in_sizes[i] + begin[i] + end[i] - eff[i]
        if ceil_mode:
            o = -(-span // strides[i]) + 1
            if (o - 1) * strides[i] >= in_sizes[i] + begin[i]:
                o -= 1
        else:
            o = span // strides[i] + 1
        # Extra padding at the end for ceil_mode windows.
        need = (o - 1) * strides[i] + eff[i] - (in_sizes[i] + begin[i] + end[i])
        end[i] += max(0, need)
        outs.append(o)
    return begin, end, outs, eff


def windows(x, kernel, strides, dilations, begin, end, outs, eff, pad_value):
    """[N, C, out..., k...] views of the padded windows of x [N, C, in...]."""
    n = len(kernel)
    xp = np.pad(x, [(0, 0), (0, 0)] + [(begin[i], end[i]) for i in range(n)],
                constant_values=pad_value)
    win = sliding_window_view(xp, eff, axis=tuple(range(2, 2 + n)))
    index = (slice(None), slice(None))
    index += tuple(slice(0, (outs[i] - 1) * strides[i] + 1, strides[i]) for i in range(n))
    index += tuple(slice(None, None, d) for d in dilations)
    return win[index]


def conv_attrs(node, x_shape, w_shape):
    n = len(x_shape) - 2
    kernel = list(attr(node, "kernel_shape", None) or w_shape[2:])
    strides = list(attr(node, "strides", None) or [1] * n)
    dilations = list(attr(node, "dilations", None) or [1] * n)
    pads = attr(node, "pads", None)
    return kernel, strides, dilations, pads, attr(node, "auto_pad", "NOTSET")


def exact_matmul(a, b):
    """a @ b of int64 arrays, through float64 BLAS: exact while every
    partial sum stays below 2**53."""
    k = a.shape[-1]
    bound = float(np.max(np.abs(a), initial=0)) * float(np.max(np.abs(b), initial=0)) * k
    if bound >= 2.0 ** 53:
        return np.matmul(a, b)  # int64 loops: exact, slower
    return np.rint(np.matmul(a.astype(np.float64), b.astype(np.float64))).astype(np.int64)


def int_conv(node, xs, ws):
    """sum (x - zx)(w - zw) of a Conv on the already zero-point-shifted int64
    xs [N, C, in...] and ws [M, C/G, k...]; padding contributes 0."""
    kernel, strides, dilations, pads, auto_pad = conv_attrs(node, xs.shape, ws.shape)
    group = attr(node, "group", 1)
    begin, end, outs, eff = window_pads(list(xs.shape[2:]), kernel, strides, dilations, pads, auto_pad)
    win = windows(xs, kernel, strides, dilations, begin, end, outs, eff, 0)
    n_sp = len(kernel)
    N, C = xs.shape[:2]
    M = ws.shape[0]
    cg, mg = C // group, M // group
    out = np.empty([N, M] + outs, dtype=np.int64)
    for g in range(group):
        part = win[:, g * cg:(g + 1) * cg]                # [N, cg, out..., k...]
        part = np.moveaxis(part, 1, 1 + n_sp)              # [N, out..., cg, k...]
        a = part.reshape(-1, cg * int(np.prod(kernel)))
        b = ws[g * mg:(g + 1) * mg].reshape(mg, -1).T
        r = exact_matmul(a, b).reshape([N] + outs + [mg])
        out[:, g * mg:(g + 1) * mg] = np.moveaxis(r, -1, 1)
    return out


def pool_max(node, x, pad_value):
    n = x.ndim - 2
    kernel = list(attr(node, "kernel_shape"))
    strides = list(attr(node, "strides", None) or [1] * n)
    dilations = list(attr(node, "dilations", None) or [1] * n)
    if attr(node, "storage_order", 0):
        raise Unsupported(f"{node_label(node)}: storage_order=1")
    begin, end, outs, eff = window_pads(list(x.shape[2:]), kernel, strides, dilations,
                                        attr(node, "pads", None), attr(node, "auto_pad", "NOTSET"),
                                        bool(attr(node, "ceil_mode", 0)))
    win = windows(x, kernel, strides, dilations, begin, end, outs, eff, pad_value)
    return win.max(axis=tuple(range(2 + n, 2 + 2 * n)))


def data_movement(node, x, others, pad_value=None):
    """Reshape/Transpose/... of `x` (other operands: constants); dtype kept."""
    op = node.op_type
    if op == "Reshape":
        shape = [int(d) for d in others[0]]
        if not attr(node, "allowzero", 0):
            shape = [x.shape[i] if d == 0 else d for i, d in enumerate(shape)]
        return x.reshape(shape)
    if op == "Transpose":
        perm = attr(node, "perm", None)
        return np.transpose(x, perm)
    if op == "Flatten":
        axis = attr(node, "axis", 1)
        if axis < 0:
            axis += x.ndim
        return x.reshape(int(np.prod(x.shape[:axis])), -1)
    if op == "Squeeze":
        axes = others[0] if others else attr(node, "axes", None)
        if axes is None:
            return np.squeeze(x)
        return np.squeeze(x, axis=tuple(int(a) % x.ndim for a in np.ravel(axes)))
    if op == "Unsqueeze":
        axes = others[0] if others else attr(node, "axes")
        rank = x.ndim + len(np.ravel(axes))
        y = x
        for a in sorted(int(a) % rank for a in np.ravel(axes)):
            y = np.expand_dims(y, a)
        return y
    if op == "Slice":
        if others:
            starts, ends = others[0], others[1]
            axes = others[2] if len(others) > 2 and others[2] is not None else range(len(starts))
            steps = others[3] if len(others) > 3 and others[3] is not None else [1] * len(starts)
        else:
            starts, ends = attr(node, "starts"), attr(node, "ends")
            axes = attr(node, "axes", None) or range(len(starts))
            steps = [1] * len(starts)
        index = [slice(None)] * x.ndim
        for s, e, a, st in zip(starts, ends, axes, steps):
            a = int(a) % x.ndim
            dim = x.shape[a]
            s, e, st = int(s), int(e), int(st)
            s = max(min(s + dim if s < 0 else s, dim if st > 0 else dim - 1), 0 if st > 0 else -1)
            e = max(min(e + dim if e < 0 else e, dim if st > 0 else dim - 1), 0 if st > 0 else -1)
            index[a] = slice(s, None if e < 0 else e, st)
        return x[tuple(index)]
    if op == "Pad":
        pads = [int(p) for p in others[0]]
        rank = x.ndim
        axes = list(range(rank))
        if len(others) > 2 and others[2] is not None:
            axes = [int(a) % rank for a in others[2]]
        width = [(0, 0)] * rank
        for i, a in enumerate(axes):
            width[a] = (pads[i], pads[i + len(axes)])
        if any(p < 0 for w in width for p in w):
            raise Unsupported(f"{node_label(node)}: negative pads")
        return np.pad(x, width, constant_values=pad_value)
    if op == "MaxPool":
        return pool_max(node, x, pad_value)
    raise Unsupported(f"{node_label(node)}: no integer data movement for {op}")


# --------------------------------------------------------------------------
# the evaluator
# --------------------------------------------------------------------------

class Reference:
    def __init__(self, model, feeds):
        self.g = Graph(model, feeds)
        self.feeds = feeds
        self.planner = Planner(self.g)
        self.folds = self.planner.plan()
        self.values = {}
        self.integer_nodes = Counter()
        self.float_nodes = Counter()
        self.fold_kinds = Counter()
        self.warnings = []

    # ---- values --------------------------------------------------------
    def value(self, name):
        if name in self.values:
            return self.values[name]
        g = self.g
        if name in self.feeds:
            v = self.feeds[name]
        elif name in g.const:
            v = g.const[name]
        elif name in self.folds:
            v = self.eval_fold(self.folds[name])
        else:
            node = g.producer.get(name)
            if node is None:
                raise Unsupported(f"value '{name}' has no producer")
            outs = self.eval_float(node)
            for o, val in zip(node.output, outs):
                if o:
                    self.values[o] = val
            return self.values[name]
        self.values[name] = v
        return v

    def run(self):
        return {name: self.value(name) for name in self.g.outputs}

    def int_operand(self, dq, params):
        """(x - zx) of a DQ's integers as int64 (zero point per axis broadcast)."""
        x = self.value(dq.input[0]).astype(np.int64)
        if params.per_tensor:
            return x - params.zero_point
        return x - along_axis(np.array(params.zero_points, dtype=np.int64), params.axis, x.ndim)

    # ---- integer kernels -----------------------------------------------
    def accumulate(self, acc):
        node, dx, dw, px, pw = acc["node"], acc["dx"], acc["dw"], acc["px"], acc["pw"]
        xs = self.int_operand(dx, px)
        ws = self.int_operand(dw, pw)
        op = node.op_type
        if op == "Conv":
            r = int_conv(node, xs, ws)
        elif op == "Gemm":
            if attr(node, "transB", 0):
                ws = ws.T
            r = exact_matmul(xs, ws)
        else:
            a, b = xs, ws
            if a.ndim == 1:
                a = a[None, :]
            if b.ndim == 1:
                b = b[:, None]
            r = exact_matmul(a, b)
            r = r.reshape(self.g.shape(node.output[0]))
        if acc["bias32"] is not None:
            r = r + along_axis(np.array(acc["bias32"], dtype=np.int64), acc["axis"], r.ndim)
        if r.size and (r.min() < -2 ** 31 or r.max() >= 2 ** 31):
            self.warnings.append(f"{node_label(node)}: accumulator leaves int32 "
                                 f"[{r.min()}, {r.max()}] (quantc's i32 would wrap)")
        return r

    def requantize(self, x, zx, mult, shift, axis, out, clamp, residual=None, zr=0, rmult=None):
        rank = x.ndim if residual is None else max(x.ndim, residual.ndim)
        m = along_axis(np.array(mult, dtype=np.int64), axis, rank)
        s = along_axis(np.array(shift, dtype=np.int64), axis, rank)
        t = (x.astype(np.int64) - zx) * m
        if residual is not None:
            t = t + (residual.astype(np.int64) - zr) * along_axis(np.array(rmult, dtype=np.int64), axis, rank)
        q = rounding_shift(t, s) + out.zero_point
        # max with lo, then min with hi, as Clip is defined: inverted Clip
        # bounds (min > max) give Q(max) everywhere.
        return np.minimum(np.maximum(q, clamp[0]), clamp[1]).astype(out.dtype)

    def eval_fold(self, f):
        self.fold_kinds[f.kind] += 1
        for n in f.nodes:
            self.integer_nodes[n.op_type] += 1
        if f.kind in ("contraction", "float_output"):
            acc = self.accumulate(f.acc)
            axis = f.acc["axis"]
            if f.kind == "float_output":
                scale = np.array([np.float32(s) for s in f.acc["scales"]], dtype=np.float32)
                return acc.astype(np.float32) * along_axis(scale, axis, acc.ndim)
            if f.extra32 is not None:
                acc = acc + along_axis(np.array(f.extra32, dtype=np.int64), axis, acc.ndim)
            residual = zr = None
            if f.residual is not None:
                residual = self.value(f.residual.input[0])
                zr = f.residual_p.zero_point
            return self.requantize(acc, 0, f.mult, f.shift, axis, f.out, f.clamp,
                                   residual, zr, f.rmult)
        if f.kind == "add":
            a = self.value(f.a.input[0])
            b = self.value(f.b.input[0])
            return self.requantize(a, f.pa.zero_point, f.mult, f.shift, 1, f.out, f.clamp,
                                   b, f.pb.zero_point, f.rmult)
        if f.kind == "activation":
            return self.requantize(self.value(f.x.input[0]), f.px.zero_point, f.mult, f.shift, 1,
                                   f.out, f.clamp)
        if f.kind == "global_average_pool":
            x = self.value(f.x.input[0]).astype(np.int64)
            s = x.sum(axis=tuple(range(2, x.ndim)), keepdims=True)
            return self.requantize(s, f.px.zero_point * f.count, f.mult, f.shift, 1, f.out, f.clamp)
        if f.kind == "data_movement":
            op = f.op
            if op.op_type == "Concat":
                xs = [self.value(d.input[0]) for d in f.dqs]
                return np.concatenate(xs, axis=attr(op, "axis"))
            x = self.value(f.dqs[0].input[0])
            others = [self.value(i) if i else None for i in op.input[1:]]
            if op.op_type == "Resize":
                raise Unsupported(f"{node_label(op)}: integer Resize is not modelled")
            pad = f.out.zero_point if op.op_type == "Pad" else f.out.lowest
            return data_movement(op, x, others, pad).astype(f.out.dtype)
        raise AssertionError(f.kind)

    # ---- float ops (what quantc leaves float) -------------------------
    def eval_float(self, node):
        op = node.op_type
        self.float_nodes[op] += 1
        ins = [self.value(i) if i else None for i in node.input]
        f32 = np.float32

        def fl(v):
            if v is None or v.dtype != np.float32:
                raise Unsupported(f"{node_label(node)}: float evaluation needs float32 inputs")
            return v

        if op == "QuantizeLinear":
            p = self.planner.qparams(node)
            if p is None:
                raise Unsupported(f"{node_label(node)}: non-constant or unsupported quantization")
            x = fl(ins[0])
            s = along_axis(np.array(p.scales, dtype=f32), p.axis or 0, x.ndim)
            z = along_axis(np.array(p.zero_points, dtype=f32), p.axis or 0, x.ndim)
            v = np.rint(x / s) + z
            v = np.fmin(np.fmax(v, f32(p.lowest)), f32(p.highest))
            return [v.astype(np.int64).astype(p.dtype)]
        if op == "DequantizeLinear":
            p = self.planner.qparams(node)
            if p is None:
                raise Unsupported(f"{node_label(node)}: non-constant or unsupported quantization")
            x = ins[0]
            s = along_axis(np.array(p.scales, dtype=f32), p.axis or 0, x.ndim)
            z = along_axis(np.array(p.zero_points, dtype=f32), p.axis or 0, x.ndim)
            v = x.astype(f32)
            if len(node.input) > 2 and node.input[2]:
                v = v - z
            return [(v * s).astype(f32)]
        if op in ("Add", "Sub", "Mul", "Div"):
            a, b = fl(ins[0]), fl(ins[1])
            fn = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Div": np.divide}[op]
            return [fn(a, b).astype(f32)]
        if op == "Relu":
            x = fl(ins[0])  # IEEE maximum(x, 0): NaN stays NaN, -0 becomes +0
            return [np.where(x > 0, x, np.where(np.isnan(x), x, f32(0)))]
        if op == "Clip":
            x = fl(ins[0])
            lo, hi, ok = self.planner.clip_bounds(node)
            if not ok:
                raise Unsupported(f"{node_label(node)}: Clip bounds that are not constants")
            if lo is not None:
                x = np.maximum(x, f32(lo))
            if hi is not None:
                x = np.minimum(x, f32(hi))
            return [x]
        if op == "Erf":
            return [libm_unary("erf", fl(ins[0]))]
        if op == "Exp":
            return [libm_unary("exp", fl(ins[0]))]
        if op == "Sqrt":
            return [np.sqrt(fl(ins[0]))]
        if op == "Identity":
            return [ins[0]]
        if op == "Gather":
            data, idx = ins[0], ins[1].astype(np.int64)
            axis = attr(node, "axis", 0) % data.ndim
            idx = np.where(idx < 0, idx + data.shape[axis], idx)
            return [np.take(data, idx, axis=axis)]
        if op == "Softmax":
            return [self.softmax(node, fl(ins[0]))]
        if op == "LayerNormalization":
            return self.layer_norm(node, fl(ins[0]), ins[1], ins[2] if len(ins) > 2 else None)
        if op == "Concat":
            return [np.concatenate(ins, axis=attr(node, "axis"))]
        if op in ("Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Slice"):
            return [data_movement(node, ins[0], ins[1:])]
        if op == "MaxPool":
            if len(node.output) > 1 and node.output[1]:
                raise Unsupported(f"{node_label(node)}: MaxPool Indices")
            return [pool_max(node, fl(ins[0]), -np.inf)]
        raise Unsupported(
            f"{node_label(node)} runs in float in quantc; this reference has no bit-exact float "
            f"model of {op} (inputs: {', '.join(node.input)})")

    @staticmethod
    def sequential_sum(x, axes):
        """Sum over `axes` in index order, one float32 add at a time (as quantc's
        reduction loops do), from 0."""
        x = np.moveaxis(x, axes, list(range(x.ndim - len(axes), x.ndim)))
        kept = x.shape[:x.ndim - len(axes)]
        x = x.reshape(kept + (-1,))
        s = np.zeros(kept, dtype=np.float32)
        for k in range(x.shape[-1]):
            s = s + x[..., k]
        return s

    def softmax(self, node, x):
        axis = attr(node, "axis", -1) % x.ndim
        m = np.max(x, axis=axis, keepdims=True)
        e = libm_unary("exp", x - m)
        s = np.expand_dims(self.sequential_sum(e, [axis]), axis)
        return (e / s).astype(np.float32)

    def layer_norm(self, node, x, scale, bias):
        if len(node.output) > 1 and any(node.output[1:]):
            raise Unsupported(f"{node_label(node)}: Mean/InvStdDev outputs")
        f32 = np.float32
        axis = attr(node, "axis", -1) % x.ndim
        eps = f32(attr(node, "epsilon", 1e-5))
        axes = list(range(axis, x.ndim))
        count = f32(float(np.prod(x.shape[axis:])))
        shape = x.shape[:axis] + (1,) * (x.ndim - axis)
        mean = (self.sequential_sum(x, axes) / count).reshape(shape)
        d = x - mean
        var = (self.sequential_sum(d * d, axes) / count).reshape(shape)
        inv = f32(1) / np.sqrt(var + eps)
        y = (d * inv) * scale
        if bias is not None:
            y = y + bias
        return [y.astype(f32)]

    # ---- report --------------------------------------------------------
    def summary(self):
        qdq = sum(n for op, n in self.float_nodes.items()
                  if op in ("QuantizeLinear", "DequantizeLinear"))
        other = sum(n for op, n in self.float_nodes.items()
                    if op not in ("QuantizeLinear", "DequantizeLinear"))
        kinds = " ".join(f"{k}={v}" for k, v in sorted(self.fold_kinds.items()))
        ints = ", ".join(f"{k} {v}" for k, v in sorted(self.integer_nodes.items()))
        floats = ", ".join(f"{k} {v}" for k, v in sorted(self.float_nodes.items()))
        return (f"evaluated: integer_nodes={sum(self.integer_nodes.values())} "
                f"float_nodes={other} float_qdq={qdq} folds: {kinds or 'none'}\n"
                f"  integer: {ints or '-'}\n  float: {floats or '-'}")

    def describe_plan(self):
        lines = []
        for f in self.folds.values():
            ops = "+".join(n.op_type for n in f.nodes)
            line = f"{f.kind} -> {f.anchor} [{ops}]"
            if hasattr(f, "mult"):
                line += f" multiplier={f.mult} shift={f.shift}"
                if getattr(f, "rmult", None):
                    line += f" residual_multiplier={f.rmult}"
                line += f" clamp={list(f.clamp)} out=({f.out.describe()})"
            if getattr(f, "acc", None) and f.acc["bias32"] is not None:
                line += f" bias={f.acc['bias32'][:4]}{'...' if len(f.acc['bias32']) > 4 else ''}"
            lines.append(line)
        return "\n".join(lines)


# --------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------

def synthetic_model():
    """A small hand-made QDQ model for what quantc's own QDQ models do not
    hold: a Conv with a residual Add and Relu folded into one requantize,
    asymmetric per-channel int8 and uint8 weights (nonzero weight zero
    points), a depthwise stride-2 Conv with asymmetric padding and a fused
    Clip, zero Pad, Slice, Concat, padded MaxPool, a Gemm with a float bias
    left float, and power-of-two scale ratios, whose exact ties
    (x.5 steps) tell half-to-even from other roundings."""
    rng = np.random.default_rng(7)
    inits, nodes = [], []

    def const(name, value):
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def q_dq(x, name, scale, zp, dtype):
        s = const(name + "_s", np.float32(scale))
        z = const(name + "_z", np.array(zp, dtype=dtype))
        nodes.append(helper.make_node("QuantizeLinear", [x, s, z], [name + "_q"]))
        nodes.append(helper.make_node("DequantizeLinear", [name + "_q", s, z], [name + "_dq"]))
        return name + "_dq"

    def weight(name, values, scales, zps, dtype, axis=0):
        w = const(name + "_w", values.astype(dtype))
        s = const(name + "_ws", np.asarray(scales, dtype=np.float32))
        z = const(name + "_wz", np.asarray(zps, dtype=dtype))
        nodes.append(helper.make_node("DequantizeLinear", [w, s, z], [name + "_wdq"], axis=axis))
        return name + "_wdq"

    # The Q/DQ that stay float (model inputs and outputs) have no negative
    # int8 zero point: quantc's float QuantizeLinear/DequantizeLinear
    # lowering (zeroPointAsF32Constant in passes/QCToLinalg/
    # ElementwisePatterns.cpp) reads one as 2^64 + z. Inside folded chains
    # there is one (aq).
    x = q_dq("x", "xq", 2.0 ** -4, 3, np.int8)
    r = q_dq("r", "rq", 2.0 ** -3, 5, np.int8)
    # Conv 3x3 (+ int32 bias) + residual Add + Relu -> one requantize.
    wa = weight("ca", rng.integers(-100, 100, (8, 4, 3, 3)), [2.0 ** -k for k in range(3, 11)],
                rng.integers(-4, 5, 8), np.int8)
    ba = const("ca_b", rng.integers(-300, 300, 8).astype(np.int32))
    bas = const("ca_bs", np.array([2.0 ** -4 * 2.0 ** -k for k in range(3, 11)], np.float32))
    nodes.append(helper.make_node("DequantizeLinear", [ba, bas], ["ca_bdq"], axis=0))
    nodes.append(helper.make_node("Conv", [x, wa, "ca_bdq"], ["ca"], pads=[1, 1, 1, 1]))
    nodes.append(helper.make_node("Add", ["ca", r], ["ca_add"]))
    nodes.append(helper.make_node("Relu", ["ca_add"], ["ca_relu"]))
    a = q_dq("ca_relu", "aq", 2.0 ** -3, -5, np.int8)
    # Add of two DQ'd tensors at half the resolution: ties.
    nodes.append(helper.make_node("Add", [a, r], ["sum_f"]))
    sum_dq = q_dq("sum_f", "sumq", 2.0 ** -2, 1, np.int8)
    nodes.append(helper.make_node("Identity", [sum_dq], ["sum"]))
    # Depthwise stride-2 Conv, uint8 weights at zero point 128, + Clip.
    wb = weight("cb", rng.integers(0, 256, (8, 1, 3, 3)), [2.0 ** -7], [128], np.uint8)
    nodes.append(helper.make_node("Conv", [a, wb], ["cb"], group=8, strides=[2, 2],
                                  pads=[0, 0, 1, 1]))
    lo, hi = const("clip_lo", np.float32(0.0)), const("clip_hi", np.float32(2.0))
    nodes.append(helper.make_node("Clip", ["cb", lo, hi], ["cb_clip"]))
    b = q_dq("cb_clip", "bq", 2.0 ** -4, 10, np.uint8)
    # Data movement at one quantization: Pad (zero point), Slice, Concat.
    pads = const("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))
    nodes.append(helper.make_node("Pad", [b, pads], ["pad"]))
    p = q_dq("pad", "padq", 2.0 ** -4, 10, np.uint8)
    starts, ends = const("starts", np.array([0, 0], np.int64)), const("ends", np.array([4, 4], np.int64))
    axes = const("axes", np.array([2, 3], np.int64))
    nodes.append(helper.make_node("Slice", [p, starts, ends, axes], ["slice"]))
    sl = q_dq("slice", "sliceq", 2.0 ** -4, 10, np.uint8)
    nodes.append(helper.make_node("Concat", [b, b], ["cat_f"], axis=1))
    cat = q_dq("cat_f", "catq", 2.0 ** -4, 10, np.uint8)
    nodes.append(helper.make_node("Identity", [cat], ["cat"]))
    # Padded MaxPool of the uint8 values.
    nodes.append(helper.make_node("MaxPool", [sl], ["mp_f"], kernel_shape=[2, 2], pads=[1, 1, 1, 1]))
    mp = q_dq("mp_f", "mpq", 2.0 ** -4, 10, np.uint8)
    nodes.append(helper.make_node("Identity", [mp], ["mp"]))
    # GlobalAveragePool over 4x4 at the input scale: ties of sum / 16.
    nodes.append(helper.make_node("GlobalAveragePool", [sl], ["gap"]))
    gq = q_dq("gap", "gapq", 2.0 ** -4, 10, np.uint8)
    nodes.append(helper.make_node("Flatten", [gq], ["flat"], axis=1))
    f = q_dq("flat", "flatq", 2.0 ** -4, 10, np.uint8)
    # Gemm with per-tensor weight and a float C: its result stays float.
    wg = weight("g", rng.integers(-127, 128, (8, 5)), [2.0 ** -6], [0], np.int8)
    c = const("g_c", rng.standard_normal(5).astype(np.float32))
    nodes.append(helper.make_node("Gemm", [f, wg, c], ["logits"]))
    graph = helper.make_graph(
        nodes, "int8_reference_synthetic",
        [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 4, 6, 6]),
         helper.make_tensor_value_info("r", onnx.TensorProto.FLOAT, [1, 8, 6, 6])],
        [helper.make_tensor_value_info("logits", onnx.TensorProto.FLOAT, [1, 5]),
         helper.make_tensor_value_info("sum", onnx.TensorProto.FLOAT, [1, 8, 6, 6]),
         helper.make_tensor_value_info("cat", onnx.TensorProto.FLOAT, [1, 16, 3, 3]),
         helper.make_tensor_value_info("mp", onnx.TensorProto.FLOAT, [1, 8, 5, 5])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    model.ir_version = 10
    onnx.checker.check_model(model)
    return model


def parse_shapes(items):
    shapes = {}
    for item in items or []:
        name, eq, dims = item.partition("=")
        if not eq or not name:
            raise ValueError(f"--input-shape expects NAME=D0,D1,..., got '{item}'")
        shapes[name] = [int(d) for d in dims.split(",")]
    return shapes


def random_inputs(model, seed, shapes):
    rng = np.random.default_rng(seed)
    inits = {i.name: i for i in model.graph.initializer}
    feeds = {}
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        t = vi.type.tensor_type
        dims = shapes.get(vi.name) or [d.dim_value if d.HasField("dim_value") else 0
                                        for d in t.shape.dim]
        if any(d <= 0 for d in dims):
            raise ValueError(f"input '{vi.name}' has dynamic dims {dims}: give --input-shape")
        dtype = np.dtype(helper.tensor_dtype_to_np_dtype(t.elem_type))
        if np.issubdtype(dtype, np.floating):
            if len(dims) == 4:
                feeds[vi.name] = rng.uniform(0.0, 1.0, dims).astype(dtype)
            else:
                feeds[vi.name] = rng.standard_normal(dims).astype(dtype)
        elif np.issubdtype(dtype, np.integer):
            high = 10
            for node in model.graph.node:
                if (node.op_type == "Gather" and len(node.input) > 1 and node.input[1] == vi.name
                        and node.input[0] in inits):
                    high = int(inits[node.input[0]].dims[attr(node, "axis", 0)])
            feeds[vi.name] = rng.integers(0, high, dims).astype(dtype)
        elif dtype == np.bool_:
            feeds[vi.name] = rng.integers(0, 2, dims).astype(np.bool_)
        else:
            raise ValueError(f"input '{vi.name}' has unsupported type {dtype}")
    return feeds


def with_quantize_outputs(model, feeds):
    """A copy of `model` that also returns each QuantizeLinear's output. A Q's
    integer output is never what a fold's single-use checks look at, so
    returning it changes nothing that folds."""
    graph = Graph(model, feeds)
    m = onnx.ModelProto()
    m.CopyFrom(model)
    have = {o.name for o in m.graph.output}
    for node in graph.nodes:
        if node.op_type != "QuantizeLinear" or node.output[0] in have:
            continue
        t = graph.static_type(node.output[0])
        if t is None:
            continue
        m.graph.output.append(helper.make_tensor_value_info(node.output[0], t[0], list(t[1])))
    return m


def compare(name, ours, theirs):
    """(bit_exact, line) for one output."""
    if theirs is None:
        return False, f"{name}: missing from quantc's outputs"
    if ours.shape != theirs.shape or ours.dtype != theirs.dtype:
        return False, (f"{name}: bit_exact=no shape/dtype differ: reference {ours.shape} "
                       f"{ours.dtype}, quantc {theirs.shape} {theirs.dtype}")
    if ours.dtype.kind == "f":
        uint = np.dtype(f"u{ours.dtype.itemsize}")
        same = ours.view(uint) == theirs.view(uint)
    else:
        same = ours == theirs
    diff = np.abs(ours.astype(np.float64) - theirs.astype(np.float64))
    max_abs = float(np.nanmax(diff)) if diff.size else 0.0
    mismatches = int(same.size - np.count_nonzero(same))
    exact = mismatches == 0
    return exact, (f"{name}: bit_exact={'yes' if exact else 'no'} max_abs={max_abs:.6g} "
                   f"mismatches={mismatches}/{same.size}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--write-synthetic", action="store_true",
                    help="first write the built-in synthetic QDQ model to --model")
    ap.add_argument("--inputs", help=".npz of the model's inputs (compare mode: instead of random ones)")
    ap.add_argument("--out", help="write the reference outputs to this .npz")
    ap.add_argument("--quantc", help="compare mode: the quantc binary to run the model with")
    ap.add_argument("--input-shape", action="append", default=[],
                    help="NAME=D0,D1,... for dynamic inputs (also passed to quantc run)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--name", help="name in the verdict line (default: the model's file name)")
    ap.add_argument("--intermediates", action="store_true",
                    help="also compare every QuantizeLinear's integer output (added to the "
                         "model's outputs in a temporary copy)")
    ap.add_argument("--plan", action="store_true",
                    help="print each integer fold with its multipliers, shifts and clamp")
    args = ap.parse_args(argv)

    if args.write_synthetic:
        onnx.save(synthetic_model(), args.model)
        print(f"int8-reference: wrote {args.model}")
    if not os.path.isfile(args.model):
        print(f"int8-reference: no model '{args.model}'", file=sys.stderr)
        return 2
    if not args.quantc and not (args.inputs and args.out):
        print("int8-reference: give --inputs and --out, or --quantc", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="int8ref-") as tmp:
        return run(args, tmp)


def run(args, tmp):
    model = onnx.load(args.model)
    name = args.name or os.path.basename(args.model)
    model_path = args.model
    try:
        shapes = parse_shapes(args.input_shape)
        if args.inputs:
            with np.load(args.inputs) as data:
                feeds = {k: data[k] for k in data.files}
        else:
            feeds = random_inputs(model, args.seed, shapes)
    except (ValueError, OSError) as e:
        print(f"int8-reference: {e}", file=sys.stderr)
        return 2

    original_outputs = [o.name for o in model.graph.output]
    if args.intermediates:
        model = with_quantize_outputs(model, feeds)
        model_path = os.path.join(tmp, "model.onnx")
        onnx.save(model, model_path)
    try:
        ref = Reference(model, feeds)
        if args.plan:
            print(ref.describe_plan())
        outputs = ref.run()
    except Unsupported as e:
        print(f"int8-reference {name}: unsupported: {e}", file=sys.stderr)
        return 2
    for w in ref.warnings:
        print(f"warning: {w}")
    if args.out:
        np.savez(args.out, **outputs)
    if not args.quantc:
        print(ref.summary())
        return 0

    in_npz = os.path.join(tmp, "inputs.npz")
    out_npz = os.path.join(tmp, "outputs.npz")
    np.savez(in_npz, **feeds)
    cmd = [args.quantc, "run", model_path, f"--inputs={in_npz}", f"--output-npz={out_npz}"]
    cmd += [f"--input-shape={s}" for s in args.input_shape]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not os.path.isfile(out_npz):
        err = (proc.stderr or proc.stdout).strip().splitlines()
        print(f"int8-reference {name}: FAIL quantc run exited {proc.returncode}: "
              f"{err[0] if err else ''}")
        return 1
    with np.load(out_npz) as data:
        theirs = {k: data[k] for k in data.files}
    ok = True
    inner = Counter()
    for out_name, ours in outputs.items():
        exact, line = compare(out_name, ours, theirs.get(out_name))
        ok &= exact
        if out_name in original_outputs:
            print(line)
        else:
            inner["exact" if exact else "differ"] += 1
            if not exact:
                print("  intermediate " + line)
    if args.intermediates:
        print(f"intermediates: {inner['exact']} bit-exact, {inner['differ']} differ "
              f"(QuantizeLinear outputs)")
    print(ref.summary())
    print(f"int8-reference {name}: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

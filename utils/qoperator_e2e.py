#!/usr/bin/env python3
"""onnxruntime's QOperator models through `quantc run`, against onnxruntime.

  qoperator_e2e.py --quantc build/bin/quantc [--activations uint8,int8] [--seed 0]
                   [--keep DIR]

Checks, one verdict line each:

  quantize_static  A small float CNN (Conv -> Conv -> residual Add -> Relu ->
                   AveragePool -> LeakyRelu -> GlobalAveragePool, a second
                   GlobalAveragePool, Concat, a 1x1 Conv, Sigmoid gating the
                   features by a broadcast Mul) quantized by onnxruntime's
                   quantize_static in QOperator format (per tensor, int8
                   weights; uint8 and int8 activations, --activations) on a
                   few random calibration batches. The check fails unless
                   the result holds every com.microsoft op of TARGET_OPS, so
                   it cannot pass on a model without them.
  contrib-forms    Hand-written contrib nodes quantize_static does not write:
                   int8 data, absent zero points, channels_last = 1 pools.

Both models run in onnxruntime (CPU, graph optimizations off, so the contrib
kernels run as written) and in `quantc run` on the same random inputs. An
output passes when every element is within one quantization step of
onnxruntime's: |quantc - ort| <= scale + 1e-6 for float outputs (scale of
the DequantizeLinear that makes the output), |quantc - ort| <= 1 for
integer outputs. Printed per check:

  qoperator <check>: PASS|FAIL max_diff=<n> LSB

Exit status 0 when all pass, 1 otherwise.
"""

import argparse
import os
import shutil
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import run_onnxruntime, run_quantc, safe_name  # noqa: E402

TARGET_OPS = {"QLinearAdd", "QLinearMul", "QLinearGlobalAveragePool", "QLinearConcat",
              "QLinearAveragePool", "QLinearSigmoid", "QLinearLeakyRelu"}
MS = "com.microsoft"


def float_model(rng):
    """The float CNN of the quantize_static check, input x: 1x3x16x16."""
    def weight(name, *shape):
        fan_in = int(np.prod(shape[1:]))
        w = rng.normal(0, 1 / np.sqrt(fan_in), shape).astype(np.float32)
        return numpy_helper.from_array(w, name)

    def bias(name, n):
        return numpy_helper.from_array(rng.normal(0, 0.1, n).astype(np.float32), name)

    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], "conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["c1", "w2", "b2"], ["c2"], "conv2", pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c1", "c2"], ["sum"], "residual"),
        helper.make_node("Relu", ["sum"], ["r"], "relu"),
        helper.make_node("AveragePool", ["r"], ["p"], "pool", kernel_shape=[2, 2],
                         strides=[2, 2]),
        helper.make_node("LeakyRelu", ["p"], ["l"], "leaky", alpha=0.1),
        helper.make_node("GlobalAveragePool", ["l"], ["g1"], "gap1"),
        helper.make_node("GlobalAveragePool", ["r"], ["g2"], "gap2"),
        helper.make_node("Concat", ["g1", "g2"], ["cat"], "concat", axis=1),
        helper.make_node("Conv", ["cat", "w3", "b3"], ["e"], "squeeze"),
        helper.make_node("Sigmoid", ["e"], ["gate"], "sigmoid"),
        helper.make_node("Mul", ["l", "gate"], ["y"], "scale"),
    ]
    graph = helper.make_graph(
        nodes, "qoperator_cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, 8, 8])],
        [weight("w1", 8, 3, 3, 3), bias("b1", 8), weight("w2", 8, 8, 3, 3), bias("b2", 8),
         weight("w3", 8, 16, 1, 1), bias("b3", 8)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def quantize_qoperator(float_path, out_path, activations, rng):
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                          quantize_static)

    class Batches(CalibrationDataReader):
        def __init__(self):
            self.batches = iter([{"x": rng.uniform(0, 1, (1, 3, 16, 16)).astype(np.float32)}
                                 for _ in range(8)])

        def get_next(self):
            return next(self.batches, None)

    # The activation type is explicit: onnxruntime's default changed from
    # uint8 to int8 over its versions. With uint8 activations its x86 kernels
    # without VNNI (vpmaddubsw) saturate pairs of u8 x s8 products at int16,
    # which 7-bit weights (reduce_range, onnxruntime's advice for such CPUs)
    # avoid: onnxruntime then computes what the ops define.
    quantize_static(float_path, out_path, Batches(), quant_format=QuantFormat.QOperator,
                    per_channel=False, weight_type=QuantType.QInt8,
                    activation_type={"uint8": QuantType.QUInt8,
                                     "int8": QuantType.QInt8}[activations],
                    reduce_range=activations == "uint8")


def contrib_model():
    """Contrib forms quantize_static does not write, input q: int8 1x4x6x6."""
    def scalar(name, value, dtype):
        return numpy_helper.from_array(np.array(value, dtype=dtype), name)

    nodes = [
        # int8 data without zero points (0, and the output stays int8);
        # onnxruntime needs the absent ones spelled out as "".
        helper.make_node("QLinearSigmoid", ["q", "s_in", "", "s_sig", ""], ["sig"], "sigmoid",
                         domain=MS),
        helper.make_node("QLinearLeakyRelu", ["q", "s_in", "z_in", "s_out", "z_out"],
                         ["leaky"], "leaky", domain=MS, alpha=0.25),
        # NHWC pools: the channels are the last dim.
        helper.make_node("QLinearGlobalAveragePool", ["q", "s_in", "z_in", "s_out", "z_out"],
                         ["gap"], "gap_nhwc", domain=MS, channels_last=1),
        helper.make_node("QLinearAveragePool", ["q", "s_in", "z_in", "s_out", "z_out"],
                         ["pool"], "pool_nhwc", domain=MS, channels_last=1,
                         kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1],
                         count_include_pad=1),
        # An input whose parameters equal the output's.
        helper.make_node("QLinearConcat", ["s_out", "z_out", "q", "s_in", "z_in",
                                           "leaky", "s_out", "z_out"],
                         ["cat"], "concat", domain=MS, axis=3),
        # A broadcast Add (NCHW pool) with no output zero point; onnxruntime
        # needs that one left out, not "".
        helper.make_node("QLinearGlobalAveragePool", ["q", "s_in", "z_in", "s_out", "z_out"],
                         ["gap_nchw"], "gap_nchw", domain=MS),
        helper.make_node("QLinearAdd", ["q", "s_in", "z_in", "gap_nchw", "s_out", "z_out",
                                        "s_add"], ["add"], "add", domain=MS),
    ]
    i8 = TensorProto.INT8
    graph = helper.make_graph(
        nodes, "contrib_forms", [helper.make_tensor_value_info("q", i8, [1, 4, 6, 6])],
        [helper.make_tensor_value_info("sig", i8, None),
         helper.make_tensor_value_info("gap", i8, None),
         helper.make_tensor_value_info("pool", i8, None),
         helper.make_tensor_value_info("cat", i8, None),
         helper.make_tensor_value_info("add", i8, None)],
        [scalar("s_in", 0.05, np.float32), scalar("z_in", -7, np.int8),
         scalar("s_out", 0.03, np.float32), scalar("z_out", 5, np.int8),
         scalar("s_sig", 1 / 256, np.float32), scalar("s_add", 0.06, np.float32)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid(MS, 1)])
    model.ir_version = 8
    return model


def ms_ops(model):
    return {n.op_type for n in model.graph.node if n.domain == MS}


def output_scales(model):
    """Scale of the DequantizeLinear producing each graph output (else None)."""
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    producer = {o: n for n in model.graph.node for o in n.output}
    scales = {}
    for out in model.graph.output:
        node = producer.get(out.name)
        if node is not None and node.op_type == "DequantizeLinear":
            scales[out.name] = float(inits[node.input[1]])
    return scales


def compare(label, model_path, feeds, quantc, workdir):
    """Runs both and prints the verdict; returns whether it passed."""
    model = onnx.load(model_path)
    os.makedirs(workdir, exist_ok=True)
    reference = run_onnxruntime(model_path, feeds)
    out_dir, reason = run_quantc(quantc, model_path, feeds, workdir, timeout=600)
    if reason:
        print(f"qoperator {label}: FAIL {reason}")
        return False
    scales = output_scales(model)
    ok, worst = True, 0.0
    for name, expected in reference.items():
        path = os.path.join(out_dir, safe_name(name) + ".npy")
        if not os.path.isfile(path):
            print(f"  output '{name}': missing")
            ok = False
            continue
        actual = np.load(path)
        if actual.shape != expected.shape or actual.dtype != expected.dtype:
            print(f"  output '{name}': {actual.dtype}{list(actual.shape)}, onnxruntime "
                  f"{expected.dtype}{list(expected.shape)}")
            ok = False
            continue
        diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
        if expected.dtype.kind == "f":
            step = scales.get(name)
            if step is None:
                print(f"  output '{name}': not made by a DequantizeLinear")
                ok = False
                continue
            good = bool((diff <= step + 1e-6).all())
            lsb = float(diff.max() / step) if diff.size else 0.0
        else:
            good = bool((diff <= 1).all())
            lsb = float(diff.max()) if diff.size else 0.0
        off = int(np.count_nonzero(diff > 0))
        print(f"  output '{name}' {expected.dtype}{list(expected.shape)}: "
              f"{'ok' if good else 'MISMATCH'} max_diff={lsb:.3g} LSB "
              f"({off} of {diff.size} differ)")
        ok &= good
        worst = max(worst, lsb)
    print(f"qoperator {label}: {'PASS' if ok else 'FAIL'} max_diff={worst:.3g} LSB")
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("--quantc", required=True, help="path of the quantc driver")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--activations", default="uint8,int8",
                   help="activation types of the quantize_static check (uint8,int8)")
    p.add_argument("--keep", metavar="DIR", help="keep the models and outputs in DIR")
    args = p.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    workdir = args.keep or tempfile.mkdtemp(prefix="quantc-qoperator-")
    os.makedirs(workdir, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    try:
        float_path = os.path.join(workdir, "cnn.float.onnx")
        onnx.save(float_model(rng), float_path)
        x = rng.uniform(0, 1, (1, 3, 16, 16)).astype(np.float32)
        ok = True
        for activations in args.activations.split(","):
            label = f"quantize_static {activations}"
            qop_path = os.path.join(workdir, f"cnn.qoperator.{activations}.onnx")
            quantize_qoperator(float_path, qop_path, activations, rng)
            found = ms_ops(onnx.load(qop_path))
            print(f"{label}: {MS} ops {', '.join(sorted(found))}")
            if not TARGET_OPS <= found:
                print(f"qoperator {label}: FAIL the model lacks "
                      f"{', '.join(sorted(TARGET_OPS - found))}")
                ok = False
                continue
            ok &= compare(label, qop_path, {"x": x}, args.quantc,
                          os.path.join(workdir, activations))

        contrib_path = os.path.join(workdir, "contrib.onnx")
        onnx.save(contrib_model(), contrib_path)
        q = rng.integers(-128, 128, (1, 4, 6, 6)).astype(np.int8)
        ok &= compare("contrib-forms", contrib_path, {"q": q}, args.quantc,
                      os.path.join(workdir, "contrib"))
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

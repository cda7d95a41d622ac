#!/usr/bin/env python3
"""Checks for test/Calibration/analyze.test.

--text A.txt --layers N: `quantc analyze`'s table has N layers ranked by
  their only-this SQNR (lowest first); prints how many have both times.
--table T --model M --quantc Q --work W: quantizes M with T and with T
  without its @bias lines, then checks in the QDQ ONNX model that
  - each @bias layer's bias moved by its correction (within one LSB of the
    int32 bias scale, s_x * s_w; a MatMul's, the float constant its Add
    adds, by the correction to float precision), and
  - no @float layer reads a DequantizeLinear output, and
  - each layer of the @weights file has exactly its rounded int8 values.
  With --test D.npz also: the QDQ model with the rounded weights is closer
  to the float model on D than the one with weights rounded to nearest
  (the table without its @weights line), both run by onnxruntime with its
  graph optimizations off, which computes the Q/DQ in float; and so with
  only the weights quantized (the float model with the QDQ model's weights).
  --least-gain G: whether the weights alone gain at least G dB.
--simulated A.json --model M --qdq Q --data D.npz: the simulator's output
  SQNR for the table (`quantc analyze --calib --format json`, "all_int8")
  equals, within --tolerance dB, that of the QDQ export Q run by
  onnxruntime with its graph optimizations off, against M, on D.
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def check_text(path, layers):
    rows, in_table = [], False
    for line in open(path):
        if line.startswith("rank"):
            in_table = True
            continue
        if in_table and line.strip():
            fields = line.split()
            rows.append((float(fields[3]), fields[-2] != "-" and fields[-1] != "-"))
    if len(rows) != layers:
        sys.exit(f"expected {layers} layers, found {len(rows)}")
    sqnr = [r[0] for r in rows]
    if sqnr != sorted(sqnr):
        sys.exit(f"not ranked by only-this SQNR: {sqnr}")
    print(f"analysis ok: {len(rows)} layers, ranked by only-this SQNR, "
          f"times for {sum(r[1] for r in rows)}")


def quantize(quantc, model, table, out):
    subprocess.run([quantc, "quantize", model, "--calib", table, "-o", out], check=True,
                   stdout=subprocess.DEVNULL)
    return onnx.load(out)


def biases(model):
    """Node name -> (dequantized bias, bias scale) of each Conv/Gemm with a quantized bias."""
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    dq = {n.output[0]: n for n in model.graph.node if n.op_type == "DequantizeLinear"}
    result = {}
    for n in model.graph.node:
        if n.op_type in ("Conv", "Gemm") and len(n.input) > 2 and n.input[2] in dq:
            d = dq[n.input[2]]
            q, scale = inits[d.input[0]].astype(np.float64), inits[d.input[1]].astype(np.float64)
            result[n.name] = (q * scale, scale)
    return result


def read_weights(path):
    """Layer -> int8 values of a quantc weights file (lib/Calibration/Table.h)."""
    data = open(path, "rb").read()
    magic = b"QCWEIGHTS1\n"
    if not data.startswith(magic):
        sys.exit(f"{path} is not a quantc weights file")
    at, layers = len(magic), {}
    while at < len(data):
        n = int.from_bytes(data[at:at + 4], "little")
        name = data[at + 4:at + 4 + n].decode()
        count = int.from_bytes(data[at + 4 + n:at + 12 + n], "little")
        at += 12 + n
        layers[name] = np.frombuffer(data[at:at + count], np.int8)
        at += count
    return layers


def dequantized_weights(model):
    """Node name -> the float weight (input 1) a DequantizeLinear makes from int8."""
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    dq = {n.output[0]: n for n in model.graph.node if n.op_type == "DequantizeLinear"}
    result = {}
    for n in model.graph.node:
        d = dq.get(n.input[1]) if len(n.input) > 1 else None
        if d is None or d.input[0] not in inits:
            continue
        q, scale = inits[d.input[0]].astype(np.float32), inits[d.input[1]].astype(np.float32)
        axis = next((a.i for a in d.attribute if a.name == "axis"), 1)
        if scale.ndim == 1:
            shape = [1] * q.ndim
            shape[axis] = -1
            scale = scale.reshape(shape)
        result[n.name] = q * scale
    return result


def with_weights(model_path, qdq_path, out):
    """The float model with the weights of the QDQ model (dequantized), so
    that its error is that of the weights alone."""
    model = onnx.load(model_path)
    weights = dequantized_weights(onnx.load(qdq_path))
    inits = {i.name: i for i in model.graph.initializer}
    for n in model.graph.node:
        if n.name in weights and n.input[1] in inits:
            inits[n.input[1]].CopyFrom(numpy_helper.from_array(weights[n.name], n.input[1]))
    onnx.save(model, out)
    return out


def int8_weights(model):
    """Node name -> int8 values of the weight (input 1) behind a DequantizeLinear."""
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    dq = {n.output[0]: n for n in model.graph.node if n.op_type == "DequantizeLinear"}
    return {n.name: inits[dq[n.input[1]].input[0]].ravel() for n in model.graph.node
            if len(n.input) > 1 and n.input[1] in dq and dq[n.input[1]].input[0] in inits}


def run_model(path, x, optimized=True):
    """The first output of the model at `path` on the samples `x`, in batches
    of the model's fixed batch size."""
    import onnxruntime as ort
    o = ort.SessionOptions()
    if not optimized:
        o.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(path, o, providers=["CPUExecutionProvider"])
    rows = session.get_inputs()[0].shape[0]
    rows = rows if isinstance(rows, int) else len(x)
    name = session.get_inputs()[0].name
    return np.concatenate([session.run(None, {name: x[i:i + rows]})[0] for i in range(0, len(x), rows)])


def check_rounding(args, lines, model):
    weights = [l.split("\t")[1] for l in lines if l.startswith("@weights\t")]
    if not weights:
        print("no @weights line")
        return
    rounded = read_weights(os.path.join(os.path.dirname(args.table), weights[0]))
    placed = int8_weights(model)
    applied = sum(1 for layer, values in rounded.items()
                  if layer in placed and np.array_equal(placed[layer], values))
    print(f"rounded weights applied: {applied} of {len(rounded)}")
    if not args.test:
        return
    nearest = os.path.join(args.work, "nearest.calib")
    with open(nearest, "w") as f:
        f.write("\n".join(l for l in lines if not l.startswith("@weights\t")) + "\n")
    quantize(args.quantc, args.model, nearest, os.path.join(args.work, "nearest.onnx"))
    with np.load(args.test) as data:
        x = data[data.files[0]]
    reference = run_model(args.model, x)
    sqnr = {}
    for label in ("nearest", "check"):
        qdq = os.path.join(args.work, label + ".onnx")
        y = run_model(qdq, x, optimized=False)
        w = run_model(with_weights(args.model, qdq, os.path.join(args.work, label + ".w.onnx")), x)
        sqnr[label] = [10 * np.log10((reference ** 2).sum() / ((reference - o) ** 2).sum())
                       for o in (y, w)]
    (near, near_w), (rounded, rounded_w) = sqnr["nearest"], sqnr["check"]
    print(f"test output SQNR, weights rounded to nearest -> data-aware: {near:.2f} -> "
          f"{rounded:.2f} dB; with only the weights quantized {near_w:.2f} -> {rounded_w:.2f} dB")
    print(f"data-aware rounding gains: {rounded - near:.1f} dB, weights alone "
          f"{rounded_w - near_w:.1f} dB")
    if args.least_gain is not None:
        print(f"gains at least 0 dB and, weights alone, {args.least_gain:g} dB: "
              f"{rounded > near and rounded_w - near_w >= args.least_gain}")

def matmul_biases(model):
    """MatMul node name -> the constant its only consumer, an Add, adds."""
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    users = {}
    for n in model.graph.node:
        for i in n.input:
            users.setdefault(i, []).append(n)
    result = {}
    for n in model.graph.node:
        consumers = users.get(n.output[0], []) if n.op_type == "MatMul" else []
        if len(consumers) == 1 and consumers[0].op_type == "Add":
            other = [i for i in consumers[0].input if i != n.output[0]]
            if len(other) == 1 and other[0] in inits:
                result[n.name] = inits[other[0]].astype(np.float64)
    return result


def check_table(args):
    lines = open(args.table).read().splitlines()
    corrections = {l.split("\t")[1]: np.array(l.split("\t")[2].split(), np.float64)
                   for l in lines if l.startswith("@bias\t")}
    floats = [l.split("\t")[1] for l in lines if l.startswith("@float\t")]
    model = quantize(args.quantc, args.model, args.table, os.path.join(args.work, "check.onnx"))
    if corrections:
        plain = os.path.join(args.work, "plain.calib")
        with open(plain, "w") as f:
            f.write("\n".join(l for l in lines if not l.startswith("@bias\t")) + "\n")
        base = quantize(args.quantc, args.model, plain, os.path.join(args.work, "plain.onnx"))
        after, before = biases(model), biases(base)
        # A MatMul's bias stays a float constant of its Add: moved by the
        # correction to f32 precision.
        for layer, bias in matmul_biases(model).items():
            after.setdefault(layer, (bias, 1e-6 * (np.abs(bias).max() + 1)))
        for layer, bias in matmul_biases(base).items():
            before.setdefault(layer, (bias, 0.0))
        applied = 0
        for layer, delta in corrections.items():
            if layer not in after or layer not in before:
                continue
            moved = after[layer][0] - before[layer][0]
            if np.all(np.abs(moved - delta) <= after[layer][1] * 1.01 + 1e-12):
                applied += 1
            else:
                print(f"{layer}: bias moved by {moved[:4]}..., correction {delta[:4]}...")
        print(f"bias corrections applied: {applied} of {len(corrections)}")
    if floats:
        producers = {o: n.op_type for n in model.graph.node for o in n.output}
        nodes = {n.name: n for n in model.graph.node}
        clean = sum(1 for f in floats if f in nodes and
                    all(producers.get(i) != "DequantizeLinear" for i in nodes[f].input))
        print(f"float layers without quantized inputs: {clean} of {len(floats)}")
    check_rounding(args, lines, model)


def check_simulated(args):
    import json
    simulated = json.load(open(args.simulated))["all_int8"]["sqnr"]
    with np.load(args.data) as d:
        x = d[d.files[0]]
    ref = run_model(args.model, x, optimized=False).astype(np.float64)
    out = run_model(args.qdq, x, optimized=False).astype(np.float64)
    placed = 10 * np.log10((ref ** 2).sum() / max(((ref - out) ** 2).sum(), 1e-300))
    verdict = "agrees" if abs(simulated - placed) <= args.tolerance else "DISAGREES"
    print(f"simulator {verdict} with the QDQ model: SQNR {simulated:.3f} vs {placed:.3f} dB")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--text")
    p.add_argument("--layers", type=int)
    p.add_argument("--table")
    p.add_argument("--model")
    p.add_argument("--quantc")
    p.add_argument("--work")
    p.add_argument("--test")
    p.add_argument("--least-gain", type=float)
    p.add_argument("--simulated")
    p.add_argument("--qdq")
    p.add_argument("--data")
    p.add_argument("--tolerance", type=float, default=0.05)
    args = p.parse_args()
    if args.simulated:
        check_simulated(args)
    if args.text:
        check_text(args.text, args.layers)
    if args.table:
        check_table(args)


if __name__ == "__main__":
    main()

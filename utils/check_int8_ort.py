#!/usr/bin/env python3
"""quantc's INT8 code against onnxruntime on the same QDQ model, in LSBs.

  check_int8_ort.py --quantc build/bin/quantc --model M.qdq.onnx [--inputs in.npz] [--max-lsb 1]

Every QuantizeLinear output of the model becomes an extra graph output (in
a temporary copy), so each quantized tensor is compared, not only the final
one. onnxruntime runs the graph as written (graph optimizations off: each
DequantizeLinear -> op -> QuantizeLinear is computed in float, as ONNX
defines it); quantc folds the same chains into integer kernels. For each
quantized tensor the largest difference in integer steps (LSBs) and the
share of elements that differ are printed; float model outputs get max abs
error and cosine. Inputs are the .npz given, else seeded random (float
inputs of rank 4: uniform [0, 1), other floats N(0, 1), integer inputs
uniform in [0, 100)).

The last line is `int8-ort <name>: PASS|FAIL max_lsb=N tensors=T differing=D`:
PASS when no quantized tensor differs by more than --max-lsb. Exit 1 on FAIL.

Through a deep network a 1-LSB difference in one layer feeds the next, so
whole-model differences compound. --per-kernel takes each quantized tensor
on its own instead: the part of the graph from the quantized tensors it
reads to it (onnx.utils.extract_model) is compiled by quantc and fed
onnxruntime's values of those inputs, so every kernel is compared on the
same inputs (`per-kernel` in the last line).
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnx.utils
import onnxruntime as ort

NUMPY_OF_ONNX = {1: np.float32, 2: np.uint8, 3: np.int8, 6: np.int32, 7: np.int64, 9: np.bool_}


def with_quantize_outputs(model):
    """A copy of the model returning every QuantizeLinear output too."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    existing = {o.name for o in m.graph.output}
    added = []
    for node in m.graph.node:
        if node.op_type == "QuantizeLinear" and node.output[0] not in existing:
            m.graph.output.append(onnx.helper.make_empty_tensor_value_info(node.output[0]))
            added.append(node.output[0])
    return m, added


def random_inputs(model, seed):
    rng = np.random.default_rng(seed)
    inputs = {}
    init = {t.name for t in model.graph.initializer}
    for value in model.graph.input:
        if value.name in init:
            continue
        t = value.type.tensor_type
        shape = [d.dim_value if d.dim_value > 0 else 1 for d in t.shape.dim]
        dtype = NUMPY_OF_ONNX.get(t.elem_type)
        if dtype is None:
            raise SystemExit(f"check_int8_ort: input {value.name}: unsupported type {t.elem_type}")
        if dtype == np.float32:
            x = rng.random(shape) if len(shape) == 4 else rng.standard_normal(shape)
        elif dtype == np.bool_:
            x = rng.random(shape) < 0.5
        else:
            x = rng.integers(0, 100, shape)
        inputs[value.name] = np.asarray(x).astype(dtype)
    return inputs


def kernel_inputs(model, tensor):
    """The tensors the kernel producing `tensor` reads: walking back from
    its QuantizeLinear through float nodes, the QuantizeLinear outputs and
    graph inputs where the walk stops (initializers are part of the cut)."""
    producer = {o: n for n in model.graph.node for o in n.output}
    init = {t.name for t in model.graph.initializer}
    graph_inputs = {i.name for i in model.graph.input}
    inputs, stack, seen = [], [producer[tensor].input[0]], set()
    while stack:
        t = stack.pop()
        if t in seen or t in init or t == "":
            continue
        seen.add(t)
        node = producer.get(t)
        if node is None:
            if t in graph_inputs:
                inputs.append(t)
            continue
        if node.op_type == "QuantizeLinear":
            inputs.append(t)
            continue
        stack.extend(node.input)
    return sorted(inputs)


def per_kernel(args, model, tensors, expected):
    worst, differing = 0, 0
    with tempfile.TemporaryDirectory(prefix="quantc-int8-kernel.") as tmp:
        full = args.model
        for tensor in tensors:
            inputs = kernel_inputs(model, tensor)
            if not inputs:
                print(f"  kernel {tensor}: computed from constants only, skipped")
                continue
            sub = os.path.join(tmp, "kernel.onnx")
            onnx.utils.extract_model(full, sub, inputs, [tensor])
            npz, out = os.path.join(tmp, "in.npz"), os.path.join(tmp, "out.npz")
            np.savez(npz, **{i: expected[i] for i in inputs})
            proc = subprocess.run([args.quantc, "run", sub, "--inputs", npz, "--output-npz", out],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if proc.returncode != 0:
                print(f"  {tensor}: quantc run failed: {proc.stdout.strip().splitlines()[-1]}")
                return 1 << 30, differing
            with np.load(out) as got:
                g = got[got.files[0]].astype(np.int64)
            diff = np.abs(expected[tensor].astype(np.int64) - g)
            lsb = int(diff.max()) if diff.size else 0
            print(f"  kernel {tensor}: max_lsb={lsb} differing={float((diff > 0).mean()):.4%}")
            worst = max(worst, lsb)
            differing += lsb > 0
    return worst, differing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quantc", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--inputs", help=".npz of the model's inputs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-lsb", type=int, default=1)
    ap.add_argument("--per-kernel", action="store_true",
                    help="compare each quantized tensor computed from onnxruntime's inputs")
    ap.add_argument("--name")
    args = ap.parse_args()
    name = args.name or os.path.basename(args.model)

    model, added = with_quantize_outputs(onnx.load(args.model))
    inputs = dict(np.load(args.inputs)) if args.inputs else random_inputs(model, args.seed)
    with tempfile.TemporaryDirectory(prefix="quantc-int8-ort.") as tmp:
        path = os.path.join(tmp, "model.onnx")
        onnx.save(model, path)
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
        names = [o.name for o in sess.get_outputs()]
        expected = dict(zip(names, sess.run(None, inputs)))
        np.savez(os.path.join(tmp, "in.npz"), **inputs)
        out = os.path.join(tmp, "out.npz")
        cmd = [args.quantc, "run", path, "--inputs", os.path.join(tmp, "in.npz"),
               "--output-npz", out]
        # Dynamic dims (a free batch) take the inputs' shapes.
        for value in model.graph.input:
            dims = value.type.tensor_type.shape.dim
            if value.name in inputs and any(d.dim_value <= 0 for d in dims):
                shape = ",".join(str(d) for d in inputs[value.name].shape)
                cmd.append(f"--input-shape={value.name}={shape}")
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            print(f"int8-ort {name}: FAIL quantc run exited {proc.returncode}: "
                  f"{proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ''}")
            return 1
        with np.load(out) as got_file:
            got = {k: got_file[k] for k in got_file.files}

    worst, differing = 0, 0
    for tensor in added:
        e, g = expected[tensor].astype(np.int64), got[tensor].astype(np.int64)
        diff = np.abs(e - g)
        lsb = int(diff.max()) if diff.size else 0
        share = float((diff > 0).mean()) if diff.size else 0.0
        worst = max(worst, lsb)
        differing += lsb > 0
        print(f"  {tensor}: max_lsb={lsb} differing={share:.4%}")
    for o in model.graph.output:
        if o.name in added:
            continue
        e, g = expected[o.name].astype(np.float64), got[o.name].astype(np.float64)
        cos = float((e * g).sum() / max(np.linalg.norm(e) * np.linalg.norm(g), 1e-30))
        print(f"  output {o.name}: max_abs={np.abs(e - g).max():.3g} cos={cos:.6f}")
    if args.per_kernel:
        worst, differing = per_kernel(args, model, added, {**inputs, **expected})
    verdict = "PASS" if worst <= args.max_lsb else "FAIL"
    mode = " per-kernel" if args.per_kernel else ""
    print(f"int8-ort {name}:{mode} {verdict} max_lsb={worst} tensors={len(added)} "
          f"differing={differing}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())

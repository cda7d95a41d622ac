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
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quantc", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--inputs", help=".npz of the model's inputs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-lsb", type=int, default=1)
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
    verdict = "PASS" if worst <= args.max_lsb else "FAIL"
    print(f"int8-ort {name}: {verdict} max_lsb={worst} tensors={len(added)} differing={differing}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())

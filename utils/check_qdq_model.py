#!/usr/bin/env python3
"""Checks a QDQ model written by `quantc quantize` with onnxruntime.

    check_qdq_model.py --float M.onnx --qdq M.qdq.onnx --data D.npz [--min-cosine 0.99]
                       [--uint8-activations]

Counts the QuantizeLinear/DequantizeLinear nodes and checks their zero
points: int8 zeros (what TensorRT's explicit quantization accepts) and int32
zeros for biases; with --uint8-activations, activations are uint8 with any
zero point instead. Runs both models in onnxruntime on each sample of D and
prints the smallest cosine similarity of the outputs twice: `min_cosine`
with graph optimizations off, which computes exactly what the Q/DQ nodes
say (the check), and `ort_int8_min_cosine` with all of them, where
onnxruntime fuses Q/DQ into its own integer kernels (reported only: on x86
without VNNI its int8 x int8 kernels may saturate intermediate sums).
Exit status 1 if a check fails.
"""
import argparse
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--float", dest="float_model", required=True)
    parser.add_argument("--qdq", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--min-cosine", type=float, default=0.99)
    parser.add_argument("--uint8-activations", action="store_true")
    args = parser.parse_args()
    model = onnx.load(args.qdq)
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    quantize = [n for n in model.graph.node if n.op_type == "QuantizeLinear"]
    dequantize = [n for n in model.graph.node if n.op_type == "DequantizeLinear"]
    bad_zero_points = 0
    for node in quantize + dequantize:
        zp = inits.get(node.input[2]) if len(node.input) > 2 else None
        if zp is None:
            bad_zero_points += 1
        elif zp.dtype == np.uint8 and args.uint8_activations:
            continue
        elif zp.dtype not in (np.int8, np.int32) or np.any(zp != 0):
            bad_zero_points += 1
    options = dict(providers=["CPUExecutionProvider"])
    reference = ort.InferenceSession(args.float_model, **options)
    exact = ort.SessionOptions()
    exact.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    quantized = ort.InferenceSession(args.qdq, exact, **options)
    fused = ort.InferenceSession(args.qdq, **options)
    data = dict(np.load(args.data))
    samples = next(iter(data.values())).shape[0]

    def min_cosine(session):
        worst = 1.0
        for s in range(samples):
            feeds = {k: v[s:s + 1] for k, v in data.items()}
            for f, q in zip(reference.run(None, feeds), session.run(None, feeds)):
                f, q = f.ravel().astype(np.float64), q.ravel().astype(np.float64)
                cosine = float(np.dot(f, q) / max(np.linalg.norm(f) * np.linalg.norm(q), 1e-30))
                worst = min(worst, cosine)
        return worst

    worst = min_cosine(quantized)
    worst_fused = min_cosine(fused)
    ok = bad_zero_points == 0 and worst >= args.min_cosine and quantize and dequantize
    print(f"quantize={len(quantize)} dequantize={len(dequantize)} "
          f"bad_zero_points={bad_zero_points} min_cosine={worst:.6f} "
          f"ort_int8_min_cosine={worst_fused:.6f} "
          f"{'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

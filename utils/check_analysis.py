#!/usr/bin/env python3
"""Checks for test/Calibration/analyze.test.

--text A.txt --layers N: `quantc analyze`'s table has N layers ranked by
  their only-this SQNR (lowest first); prints how many have both times.
--table T --model M --quantc Q --work W: quantizes M with T and with T
  without its @bias lines, then checks in the QDQ ONNX model that
  - each @bias layer's bias moved by its correction (within one LSB of the
    int32 bias scale, s_x * s_w), and
  - no @float layer reads a DequantizeLinear output.
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


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--text")
    p.add_argument("--layers", type=int)
    p.add_argument("--table")
    p.add_argument("--model")
    p.add_argument("--quantc")
    p.add_argument("--work")
    args = p.parse_args()
    if args.text:
        check_text(args.text, args.layers)
    if args.table:
        check_table(args)


if __name__ == "__main__":
    main()

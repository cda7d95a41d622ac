#!/usr/bin/env python3
"""Checks a calibration table's observed maxima against onnxruntime.

    check_calib_table.py --model M.onnx --data D.npz --table T.calib

Every tensor in the table becomes an extra output of the model, onnxruntime
runs the samples of D (one batch of the model's size at a time) and the
largest |x| of each tensor must equal the table's `max` column (relative
1e-5). Prints `tensors=N mismatches=N`; exit status 1 on any mismatch.
"""
import argparse
import sys

import numpy as np
import onnx
import onnxruntime as ort


def read_table(path):
    rows = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            rows[fields[0]] = {"amax": float(fields[1]), "max": float(fields[4])}
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--table", required=True)
    args = parser.parse_args()
    rows = read_table(args.table)
    model = onnx.load(args.model)
    graph_inputs = {i.name for i in model.graph.input}
    existing = {o.name for o in model.graph.output}
    for name in rows:
        if name not in existing and name not in graph_inputs:
            model.graph.output.append(onnx.ValueInfoProto(name=name))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    data = dict(np.load(args.data))
    batch = {i.name: (i.shape[0] if isinstance(i.shape[0], int) else 1)
             for i in session.get_inputs()}
    samples = next(iter(data.values())).shape[0]
    first = next(iter(batch.values()))
    names = [o.name for o in session.get_outputs()]
    maxima = {name: 0.0 for name in rows}
    for start in range(0, samples, first):
        feeds = {k: v[start:start + batch[k]] for k, v in data.items()}
        for name, value in zip(names, session.run(None, feeds)):
            if name in maxima:
                maxima[name] = max(maxima[name], float(np.abs(value).max()))
        for name in rows:
            if name in feeds:
                maxima[name] = max(maxima[name], float(np.abs(feeds[name]).max()))
    mismatches = 0
    for name, row in rows.items():
        want = maxima[name]
        if abs(row["max"] - want) > 1e-5 * max(want, 1e-30):
            mismatches += 1
            print(f"{name}: table max {row['max']:.9g}, onnxruntime {want:.9g}")
    print(f"tensors={len(rows)} mismatches={mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

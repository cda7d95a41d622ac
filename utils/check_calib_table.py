#!/usr/bin/env python3
"""Checks a calibration table's observed extremes against onnxruntime.

    check_calib_table.py --model M.onnx --data D.npz --table T.calib

Every tensor in the table becomes an extra output of the model, onnxruntime
runs the samples of D (one batch of the model's size at a time) and the
smallest and largest value of each tensor must equal the table's `min` and
`max` columns (relative 1e-5). Prints `tensors=N mismatches=N`; exit status
1 on any mismatch.
"""
import argparse
import sys

import numpy as np
import onnx
import onnxruntime as ort

from calib_table import read_table


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
    minima = {name: np.inf for name in rows}
    maxima = {name: -np.inf for name in rows}

    def observe(name, value):
        minima[name] = min(minima[name], float(value.min()))
        maxima[name] = max(maxima[name], float(value.max()))

    for start in range(0, samples, first):
        feeds = {k: v[start:start + batch[k]] for k, v in data.items()}
        for name, value in zip(names, session.run(None, feeds)):
            if name in rows:
                observe(name, value)
        for name in rows:
            if name in feeds:
                observe(name, feeds[name])
    mismatches = 0
    for name, row in rows.items():
        for key, want in (("min", minima[name]), ("max", maxima[name])):
            if abs(row[key] - want) > 1e-5 * max(abs(want), 1e-30):
                mismatches += 1
                print(f"{name}: table {key} {row[key]:.9g}, onnxruntime {want:.9g}")
    print(f"tensors={len(rows)} mismatches={mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

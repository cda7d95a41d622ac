#!/usr/bin/env python3
"""Peak memory of calibration against one float inference.

    check_calib_memory.py --quantc Q --model M.onnx --data D.npz
        [--input-shape input=1,1,28,28] [--max-ratio 2]

Runs `quantc run` on the first sample of D and `quantc calibrate` on all of
D (entropy), reads each process's peak resident memory from wait4, and
checks calibrate <= max_ratio * run + histograms + the data file (the .npz
is read whole). Prints the figures; exit status 1 if the check fails.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

from calib_table import read_table


def peak_rss_kib(args):
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(args)} failed")
    return usage.ru_maxrss  # KiB on Linux


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quantc", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--input-shape", action="append", default=[])
    parser.add_argument("--max-ratio", type=float, default=2.0)
    args = parser.parse_args()
    shapes = [f"--input-shape={s}" for s in args.input_shape]
    arrays = dict(np.load(args.data))
    with tempfile.TemporaryDirectory() as work:
        first = os.path.join(work, "first.npz")
        np.savez(first, **{k: v[:1] for k, v in arrays.items()})
        run = peak_rss_kib([args.quantc, "run", args.model, *shapes, f"--inputs={first}"])
        table = os.path.join(work, "model.calib")
        calibrate = peak_rss_kib([args.quantc, "calibrate", args.model, *shapes,
                                  f"--data={args.data}", "--method=entropy", f"-o={table}"])
        bins = sum(row["bins"] for row in read_table(table).values())
    histograms = bins * 8 / 1024
    data = os.path.getsize(args.data) / 1024
    limit = args.max_ratio * run + histograms + data
    samples = next(iter(arrays.values())).shape[0]
    ok = calibrate <= limit
    print(f"run_peak_kib={run} calibrate_peak_kib={calibrate} samples={samples} "
          f"histograms_kib={histograms:.0f} data_kib={data:.0f} ratio={calibrate / run:.2f} "
          f"{'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

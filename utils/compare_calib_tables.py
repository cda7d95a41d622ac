#!/usr/bin/env python3
"""Compares two calibration tables tensor by tensor.

    compare_calib_tables.py A.calib B.calib [--rtol 1e-5]

Both must list the same tensors with the same type and zero point, and
scale, amax, min and max equal within rtol. Prints `tensors=N
mismatches=N`; exit status 1 on a mismatch.
"""
import argparse
import sys

from calib_table import read_table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args()
    a, b = read_table(args.a), read_table(args.b)
    mismatches = 0 if a.keys() == b.keys() else 1
    for name in a.keys() & b.keys():
        ra, rb = a[name], b[name]
        close = all(abs(ra[k] - rb[k]) <= args.rtol * max(abs(ra[k]), abs(rb[k]), 1e-30)
                    for k in ("scale", "amax", "min", "max"))
        if ra["type"] != rb["type"] or ra["zero_point"] != rb["zero_point"] or not close:
            mismatches += 1
            print(f"{name}: {a[name]} vs {b[name]}")
    print(f"tensors={len(a)} mismatches={mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

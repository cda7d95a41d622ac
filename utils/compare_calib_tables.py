#!/usr/bin/env python3
"""Compares two calibration tables tensor by tensor.

    compare_calib_tables.py A.calib B.calib [--rtol 1e-5]

Both must list the same tensors with the same type and zero point, and
scale, amax, min and max equal within rtol. Prints `tensors=N
mismatches=N`; exit status 1 on a mismatch.
"""
import argparse
import sys


def read(path):
    rows = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            rows[fields[0]] = fields[1:7]
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--rtol", type=float, default=1e-5)
    args = parser.parse_args()
    a, b = read(args.a), read(args.b)
    mismatches = 0 if a.keys() == b.keys() else 1
    for name in a.keys() & b.keys():
        (ta, sa, za, *ra), (tb, sb, zb, *rb) = a[name], b[name]
        close = all(abs(float(x) - float(y)) <= args.rtol * max(abs(float(x)), abs(float(y)), 1e-30)
                    for x, y in zip([sa] + ra, [sb] + rb))
        if ta != tb or za != zb or not close:
            mismatches += 1
            print(f"{name}: {a[name]} vs {b[name]}")
    print(f"tensors={len(a)} mismatches={mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

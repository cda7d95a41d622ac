#!/usr/bin/env python3
"""Checks `quantc calib-amax` against independent NumPy references.

For each synthetic distribution (Gaussian, Laplace with outliers, half-normal
after ReLU, bimodal) the values are saved as an .npy of samples, quantc
computes amax by each method, and this script computes it its own way:

  max         np.abs(x).max()
  percentile  np.percentile(|x|, p) on the raw values
  entropy     the KL search of DESIGN.md on np.histogram(|x|, 2048 bins)
  mse         brute force: the amax on a fine grid with the least mean
              squared error of int8 symmetric fake quantization of the raw
              values

Prints one line per case and `mismatches=N` (amax off by more than --tolerance,
relative). Exit status 1 on any mismatch.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy as np


def distributions(rng, size):
    gaussian = rng.standard_normal(size)
    laplace = rng.laplace(0.0, 1.0, size)
    outliers = rng.choice(size, size // 10000, replace=False)
    laplace[outliers] = rng.choice([-1.0, 1.0], outliers.size) * rng.uniform(30, 60, outliers.size)
    relu = np.maximum(rng.standard_normal(size), 0.0)
    bimodal = np.where(rng.random(size) < 0.5, rng.normal(-3.0, 0.5, size), rng.normal(3.0, 0.5, size))
    return {"gaussian": gaussian, "laplace-outliers": laplace, "relu-half-normal": relu,
            "bimodal": bimodal}


def entropy_reference(values, levels=127, bins=2048):
    counts, edges = np.histogram(np.abs(values), bins=bins, range=(0.0, np.abs(values).max()))
    counts = counts.astype(np.float64)
    counts[0] = counts[1]
    groups = levels + 1
    best, best_i = np.inf, len(counts)
    for i in range(groups, len(counts) + 1):
        p = counts[:i].copy()
        p[-1] += counts[i:].sum()
        group = np.minimum(groups - 1, np.arange(i) * groups // i)
        nonzero = counts[:i] > 0
        mass = np.bincount(group[nonzero], weights=counts[:i][nonzero], minlength=groups)
        members = np.bincount(group[nonzero], minlength=groups)
        q = np.zeros(i)
        q[nonzero] = mass[group[nonzero]] / members[group[nonzero]]
        if (q[p > 0] <= 0).any():
            continue
        pn, qn = p / p.sum(), q / q.sum()
        mask = pn > 0
        kl = float(np.sum(pn[mask] * np.log(pn[mask] / qn[mask])))
        if kl <= best:
            best, best_i = kl, i
    return edges[best_i]


def mse_reference(values, levels=127):
    x = np.abs(values)
    top = x.max()
    best, best_amax = np.inf, top
    for amax in np.linspace(0.2 * top, top, 1601):
        scale = amax / levels
        q = np.minimum(np.round(x / scale), levels) * scale
        error = np.mean((x - q) ** 2)
        if error < best:
            best, best_amax = error, amax
    return best_amax


def reference(method, values, percentile):
    if method == "max":
        return float(np.abs(values).max())
    if method == "percentile":
        return float(np.percentile(np.abs(values), percentile))
    if method == "entropy":
        return float(entropy_reference(values))
    return float(mse_reference(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quantc", required=True)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--sample-size", type=int, default=2000)
    parser.add_argument("--tolerance", type=float, default=0.01)
    parser.add_argument("--percentile", type=float, default=99.99)
    args = parser.parse_args()
    rng = np.random.default_rng(20261122)
    mismatches = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, values in distributions(rng, args.samples * args.sample_size).items():
            values = values.astype(np.float32)
            path = os.path.join(tmp, name + ".npy")
            np.save(path, values.reshape(args.samples, args.sample_size))
            for method in ("max", "percentile", "entropy", "mse"):
                out = subprocess.run([args.quantc, "calib-amax", path, "--method", method,
                                      "--percentile", str(args.percentile)],
                                     capture_output=True, text=True, check=True).stdout
                got = float(re.search(r"amax=(\S+)", out).group(1))
                want = reference(method, values.astype(np.float64), args.percentile)
                error = abs(got - want) / max(want, 1e-30)
                ok = error <= args.tolerance
                mismatches += not ok
                print(f"{name} {method}: quantc {got:.6g} reference {want:.6g} "
                      f"relative {error:.2e} {'ok' if ok else 'MISMATCH'}")
    print(f"mismatches={mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

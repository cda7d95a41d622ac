#!/usr/bin/env python3
"""Imports deterministically corrupted ONNX models and checks quantc never crashes.

Each case truncates a real model, overwrites random bytes or inserts random
bytes; `quantc import` must either import it or exit 1 with an error, never
die from a signal or hang. Prints `runs=N crashed=N hung=N` and exits 1 on
any crash or hang.
"""
import argparse
import glob
import os
import random
import subprocess
import sys
import tempfile


def mutate(data: bytes, rng: random.Random, mode: int) -> bytes:
    d = bytearray(data)
    if mode == 0:
        return bytes(d[: rng.randint(0, len(d))])
    if mode == 1:
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(d))
            d[i] = rng.randrange(256)
        return bytes(d)
    i = rng.randrange(len(d) + 1)
    return bytes(d[:i]) + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))) + bytes(d[i:])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quantc", required=True)
    ap.add_argument("--models", nargs="+", required=True,
                    help="model files or directories of node tests")
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--timeout", type=int, default=60)
    args = ap.parse_args()

    files = []
    for m in args.models:
        if os.path.isdir(m):
            files += sorted(glob.glob(os.path.join(m, "*", "model.onnx")))
        else:
            files.append(m)
    if not files:
        print("no models found", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    crashed = hung = 0
    env = dict(os.environ, LLVM_DISABLE_SYMBOLIZATION="1")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "mutated.onnx")
        for case in range(args.cases):
            source = rng.choice(files)
            with open(source, "rb") as f:
                data = mutate(f.read(), rng, case % 3)
            with open(path, "wb") as f:
                f.write(data)
            try:
                r = subprocess.run([args.quantc, "import", path, "-o", os.devnull],
                                   capture_output=True, timeout=args.timeout, env=env)
            except subprocess.TimeoutExpired:
                hung += 1
                print(f"hung: case {case} from {source}")
                continue
            if r.returncode not in (0, 1):
                crashed += 1
                print(f"crashed ({r.returncode}): case {case} from {source}\n"
                      f"{r.stderr.decode(errors='replace')[-400:]}")
    print(f"runs={args.cases} crashed={crashed} hung={hung}")
    return 1 if crashed or hung else 0


if __name__ == "__main__":
    sys.exit(main())

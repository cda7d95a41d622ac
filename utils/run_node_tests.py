#!/usr/bin/env python3
"""Compiles and runs the ONNX backend node tests with `quantc run` (JIT).

For every case directory (model.onnx + test_data_set_*/input_*.pb and
output_*.pb), the inputs are converted to .npy, `quantc run` computes the
outputs, and they are compared with the expected ones (rtol/atol as given;
NaNs must match, integer and bool outputs must be equal).

Status per case:
  passed        all outputs match
  failed        ran, but an output differs or is missing
  unsupported   quantc exited 1 with an error (import or lowering limit)
  crashed       killed by a signal or any other exit status
  hung          over the timeout

Prints `passed=N failed=N unsupported=N crashed=N hung=N total=N`. With
--expected-failures FILE (lines `case_name  reason`), a listed case that
fails is counted as xfail, one that passes is reported as unexpectedly
passing; the exit status is non-zero on any unexpected failure, crash or hang.
With --min-passed N it is also non-zero when fewer than N cases pass (a
floor against regressions in coverage).
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_root():
    return os.environ.get("QUANTC_NODE_TESTS") or os.path.join(
        REPO, "..", "shared", "onnx-node-tests", "node")


class NotATensor(Exception):
    pass


def load_pb(path):
    """The tensor in a test-data .pb; NotATensor for sequences, optionals, ..."""
    t = onnx.TensorProto()
    try:
        with open(path, "rb") as f:
            t.ParseFromString(f.read())
        return numpy_helper.to_array(t)
    except Exception as e:
        raise NotATensor(f"{os.path.basename(path)} is not a plain tensor ({e})") from e


def safe_name(name):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def from_raw_bits(expected, actual):
    """quantc writes ml_dtypes types (bfloat16, float8*, int4, ...) as raw
    bits with a void descr ("|V2", "|V1"); view them as the expected type."""
    if (actual.dtype.kind == "V" and expected.dtype != actual.dtype
            and expected.dtype.itemsize == actual.dtype.itemsize):
        return actual.view(expected.dtype)
    return actual


def as_comparable(array):
    """ml_dtypes arrays as NumPy types: 4-bit integers as int8, the rest as
    float64 (exact for every such type)."""
    if array.dtype.type.__module__.split(".")[0] != "ml_dtypes":
        return array
    if array.dtype.name in ("int4", "uint4", "int2", "uint2"):
        return array.astype(np.int8)
    return array.astype(np.float64)


def compare(expected, actual, rtol, atol):
    actual = from_raw_bits(expected, actual)
    if expected.shape != actual.shape:
        return f"shape {actual.shape} != expected {expected.shape}"
    if expected.dtype != actual.dtype:
        return f"dtype {actual.dtype} != expected {expected.dtype}"
    expected, actual = as_comparable(expected), as_comparable(actual)
    if expected.dtype.kind in "biu":
        bad = np.count_nonzero(expected != actual)
        return f"{bad} of {expected.size} elements differ" if bad else None
    e = expected.astype(np.float64)
    a = actual.astype(np.float64)
    close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return None
    i = np.argmax(~close.ravel())
    return (f"{np.count_nonzero(~close)} of {e.size} elements differ, e.g. index {i}: "
            f"{a.ravel()[i]} vs expected {e.ravel()[i]}")


def run_case(case_dir, quantc, rtol, atol, timeout):
    try:
        return run_case_checked(case_dir, quantc, rtol, atol, timeout)
    except NotATensor as e:
        return os.path.basename(case_dir.rstrip("/")), "unsupported", str(e)


def run_case_checked(case_dir, quantc, rtol, atol, timeout):
    name = os.path.basename(case_dir.rstrip("/"))
    model_path = os.path.join(case_dir, "model.onnx")
    try:
        model = onnx.load(model_path, load_external_data=False)
    except Exception as e:  # a model onnx itself cannot load
        return name, "unsupported", f"onnx cannot load the model: {e}"
    initializers = {i.name for i in model.graph.initializer}
    input_names = [i.name for i in model.graph.input if i.name not in initializers]
    output_names = [o.name for o in model.graph.output]
    data_sets = sorted(glob.glob(os.path.join(case_dir, "test_data_set_*")))
    if not data_sets:
        return name, "unsupported", "no test data"
    env = dict(os.environ, LLVM_DISABLE_SYMBOLIZATION="1")
    for data_set in data_sets:
        with tempfile.TemporaryDirectory() as tmp:
            args = [quantc, "run", model_path, "--output-dir", os.path.join(tmp, "out")]
            inputs = sorted(glob.glob(os.path.join(data_set, "input_*.pb")),
                            key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
            for index, pb in enumerate(inputs):
                if index >= len(input_names):
                    break
                array = load_pb(pb)
                if not isinstance(array, np.ndarray) or array.dtype == object:
                    return name, "unsupported", "non-tensor or string input"
                path = os.path.join(tmp, f"in{index}.npy")
                if array.dtype.type.__module__.split(".")[0] == "ml_dtypes":
                    # quantc reads these types as raw bits with a void descr.
                    array = array.view(f"V{array.dtype.itemsize}")
                np.save(path, array)
                args.append(f"--input={input_names[index]}={path}")
            try:
                r = subprocess.run(args, capture_output=True, timeout=timeout, env=env)
            except subprocess.TimeoutExpired:
                return name, "hung", f"over {timeout} s"
            stderr = r.stderr.decode(errors="replace").strip()
            if r.returncode == 1:
                first = next((l for l in stderr.splitlines() if "error" in l), stderr[:200])
                return name, "unsupported", first
            if r.returncode != 0:
                return name, "crashed", f"exit {r.returncode}: {stderr[-300:]}"
            outputs = sorted(glob.glob(os.path.join(data_set, "output_*.pb")),
                             key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
            for index, pb in enumerate(outputs):
                expected = load_pb(pb)
                got_path = os.path.join(tmp, "out", safe_name(output_names[index]) + ".npy")
                if not os.path.exists(got_path):
                    return name, "failed", f"output '{output_names[index]}' missing"
                problem = compare(expected, np.load(got_path), rtol, atol)
                if problem:
                    return name, "failed", f"output '{output_names[index]}': {problem}"
    return name, "passed", ""


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quantc", default=os.path.join(REPO, "build", "bin", "quantc"))
    ap.add_argument("--root", default=default_root())
    ap.add_argument("--filter", help="regex on case names")
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--atol", type=float, default=1e-5)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--expected-failures", help="file of `case reason` lines")
    ap.add_argument("--json", help="write per-case results here")
    ap.add_argument("--min-passed", type=int, default=0,
                    help="fail when fewer cases than this pass")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every case")
    args = ap.parse_args()

    cases = sorted(d for d in glob.glob(os.path.join(args.root, "*")) if os.path.isdir(d))
    if args.filter:
        cases = [c for c in cases if re.search(args.filter, os.path.basename(c))]
    if not cases:
        print(f"no cases under {args.root}", file=sys.stderr)
        return 1
    expected_failures = {}
    if args.expected_failures:
        with open(args.expected_failures) as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    case, _, reason = line.partition(" ")
                    expected_failures[case] = reason.strip()

    results = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_case, c, args.quantc, args.rtol, args.atol, args.timeout)
                   for c in cases]
        for f in futures:
            results.append(f.result())

    counts = {k: 0 for k in ("passed", "failed", "unsupported", "crashed", "hung")}
    unexpected = []
    for name, status, detail in results:
        counts[status] += 1
        if args.verbose or status in ("failed", "crashed", "hung"):
            print(f"{status:12s} {name}  {detail}")
        if args.expected_failures:
            listed = name in expected_failures
            if status == "passed" and listed:
                unexpected.append(f"unexpectedly passed: {name}")
            elif status in ("failed", "crashed", "hung") and not listed:
                unexpected.append(f"unexpected {status}: {name}: {detail}")
    for line in unexpected:
        print(line)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([{"case": n, "status": s, "detail": d} for n, s, d in results], f, indent=1)
    total = len(results)
    print(" ".join(f"{k}={v}" for k, v in counts.items()) + f" total={total}")
    if counts["passed"] < args.min_passed:
        print(f"only {counts['passed']} cases passed, fewer than --min-passed {args.min_passed}")
        return 1
    if args.expected_failures:
        return 1 if unexpected else 0
    return 1 if counts["crashed"] or counts["hung"] else 0


if __name__ == "__main__":
    sys.exit(main())

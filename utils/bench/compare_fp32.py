#!/usr/bin/env python3
"""FP32 latency: quantc-compiled code vs onnxruntime, in one process.

  compare_fp32.py --model M.onnx [--threads 1,2] [--iters 50] [--warmup 5]
                  [--quantc build/bin/quantc] [--json out.json]

The model is compiled once with `quantc compile --emit lib` into a temporary
directory and called through its C ABI (lib/Runtime/quantc_model.h:
`P_info`, `P_run`, default prefix "model") with ctypes, on C-order numpy
buffers allocated once. onnxruntime runs the same inputs on the
CPUExecutionProvider with all graph optimizations, sequential execution,
intra_op_num_threads = T, inter_op_num_threads = 1 and outputs bound to
preallocated buffers (IOBinding), so neither side times allocation.

For every thread count T each engine gets --warmup untimed runs, then
--iters timed runs (time.perf_counter around one call); the table shows the
median and the minimum in ms and ratio = quantc median / onnxruntime median
(< 1: quantc is faster). quantc's parallel loops run on libomp, whose team
size is set to T with omp_set_num_threads before timing. Each quantc output
is also checked against onnxruntime's (max abs error in the JSON) so a fast
but wrong build is visible.

Inputs are random, as utils/e2e.py makes them (--seed). A benchmark: never
part of the tests. Exit status 1 when quantc cannot compile or run the model
(onnxruntime's timings are still printed).
"""

import argparse
import ctypes
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import helper

UTILS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(UTILS)
sys.path.insert(0, UTILS)
from e2e import random_inputs  # noqa: E402

def set_quantc_threads(threads):
    """Compiled models run parallel loops on the libomp they were linked with
    (found by rpath); set the team size of that very copy."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libomp.so" in line}
    if not paths:
        raise RuntimeError("the compiled model did not load libomp")
    for path in paths:
        ctypes.CDLL(path).omp_set_num_threads(ctypes.c_int(threads))
QC_ABI_VERSION = 1


class TensorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("dtype", ctypes.c_int32),
                ("rank", ctypes.c_int32), ("shape", ctypes.POINTER(ctypes.c_int64))]


class ModelInfo(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_int32), ("num_inputs", ctypes.c_int32),
                ("num_outputs", ctypes.c_int32), ("inputs", ctypes.POINTER(TensorInfo)),
                ("outputs", ctypes.POINTER(TensorInfo))]


def describe(t):
    return (t.name.decode(), helper.tensor_dtype_to_np_dtype(t.dtype),
            tuple(t.shape[i] for i in range(t.rank)))


class QuantcModel:
    """A compiled model loaded with ctypes; inputs/outputs are numpy arrays."""

    def __init__(self, lib_path, prefix, feeds):
        self.lib = ctypes.CDLL(lib_path, mode=ctypes.RTLD_LOCAL)
        info_fn = getattr(self.lib, f"{prefix}_info")
        info_fn.restype = ctypes.POINTER(ModelInfo)
        info_fn.argtypes = []
        self.run_fn = getattr(self.lib, f"{prefix}_run")
        self.run_fn.restype = ctypes.c_int32
        self.run_fn.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p)]
        info = info_fn().contents
        if info.abi_version != QC_ABI_VERSION:
            raise RuntimeError(f"ABI version {info.abi_version}, expected {QC_ABI_VERSION}")
        self.inputs = []
        for i in range(info.num_inputs):
            name, dtype, shape = describe(info.inputs[i])
            if name not in feeds:
                raise RuntimeError(f"the compiled model wants an input '{name}' not in the ONNX "
                                   f"model's inputs {sorted(feeds)}")
            value = feeds[name]
            if value.dtype != dtype or value.shape != shape:
                raise RuntimeError(f"input '{name}': compiled for {dtype} {shape}, "
                                   f"the data is {value.dtype} {value.shape}")
            self.inputs.append(np.ascontiguousarray(value))
        self.outputs = {}
        for i in range(info.num_outputs):
            name, dtype, shape = describe(info.outputs[i])
            self.outputs[name] = np.zeros(shape, dtype=dtype)
        # Keep a byte of storage behind empty tensors: the ABI wants non-NULL pointers.
        self._spare = np.zeros(64, np.uint8)
        ptr = lambda a: a.ctypes.data if a.nbytes else self._spare.ctypes.data  # noqa: E731
        self.in_ptrs = (ctypes.c_void_p * len(self.inputs))(*[ptr(a) for a in self.inputs])
        self.out_ptrs = (ctypes.c_void_p * len(self.outputs))(
            *[ptr(a) for a in self.outputs.values()])

    def __call__(self):
        status = self.run_fn(self.in_ptrs, self.out_ptrs)
        if status != 0:
            raise RuntimeError(f"{self.run_fn.__name__} returned status {status}")


class OrtModel:
    def __init__(self, model_path, feeds, threads):
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3
        self.sess = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
        self.binding = self.sess.io_binding()
        self.inputs = {k: np.ascontiguousarray(v) for k, v in feeds.items()}
        for name, value in self.inputs.items():
            self.binding.bind_cpu_input(name, value)
        # One run to learn the output shapes, then bind preallocated outputs.
        first = self.sess.run(None, self.inputs)
        self.outputs = {}
        for meta, value in zip(self.sess.get_outputs(), first):
            buf = np.empty_like(value)
            self.outputs[meta.name] = buf
            self.binding.bind_output(meta.name, "cpu", 0, buf.dtype, list(buf.shape),
                                     buf.ctypes.data)

    def __call__(self):
        self.sess.run_with_iobinding(self.binding)


def timeit(fn, warmup, iters):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return {"median_ms": statistics.median(times), "min_ms": min(times),
            "mean_ms": statistics.fmean(times), "iters": iters, "warmup": warmup}


def compile_lib(quantc, model_path, workdir, prefix):
    lib = os.path.join(workdir, "model.so")
    start = time.monotonic()
    proc = subprocess.run([quantc, "compile", model_path, "--emit", "lib", "-o", lib,
                           f"--prefix={prefix}"], capture_output=True, text=True)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        first = next((l for l in lines if "error" in l.lower()), lines[0] if lines else "")
        raise RuntimeError(f"quantc compile exited {proc.returncode}: {first.strip()}")
    return lib, seconds


def max_abs_diff(ref, got):
    worst = 0.0
    for name, expected in ref.items():
        actual = got.get(name)
        if actual is None or actual.shape != expected.shape:
            return float("inf")
        diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
        worst = max(worst, float(np.nanmax(diff)) if diff.size else 0.0)
    return worst


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("--model", required=True)
    p.add_argument("--threads", default="1", help="comma-separated thread counts (default 1)")
    p.add_argument("--iters", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--quantc", default=os.path.join(REPO, "build", "bin", "quantc"))
    p.add_argument("--prefix", default="model", help="C ABI symbol prefix")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--vocab", type=int, help="token id range for integer inputs")
    p.add_argument("--json", help="write the results here")
    args = p.parse_args()
    threads = [int(t) for t in args.threads.split(",") if t.strip()]
    if not threads or min(threads) < 1 or args.iters < 1 or args.warmup < 0:
        p.error("--threads needs positive counts, --iters >= 1, --warmup >= 0")

    model = onnx.load(args.model, load_external_data=False)
    feeds = random_inputs(model, args.seed, args.vocab)
    name = os.path.splitext(os.path.basename(args.model))[0]
    result = {"model": os.path.abspath(args.model), "host": platform.node(),
              "cpu_count": os.cpu_count(), "iters": args.iters, "warmup": args.warmup,
              "quantc_error": None, "runs": []}
    try:
        import onnxruntime
        result["onnxruntime_version"] = onnxruntime.__version__
    except ImportError:
        pass

    workdir = tempfile.mkdtemp(prefix="quantc-bench-")
    status = 0
    try:
        lib = None
        try:
            lib, seconds = compile_lib(args.quantc, args.model, workdir, args.prefix)
            result["quantc_compile_s"] = seconds
            print(f"quantc compile --emit lib: {seconds:.1f} s")
        except (RuntimeError, OSError) as e:
            result["quantc_error"] = str(e)
            print(f"quantc: {e}", file=sys.stderr)
            status = 1
        for t in threads:
            row = {"threads": t}
            ort_model = OrtModel(args.model, feeds, t)
            row["onnxruntime"] = timeit(ort_model, args.warmup, args.iters)
            if lib:
                try:
                    qc_model = QuantcModel(lib, args.prefix, feeds)
                    set_quantc_threads(t)
                    row["quantc"] = timeit(qc_model, args.warmup, args.iters)
                    row["quantc_max_abs_err"] = max_abs_diff(ort_model.outputs,
                                                             qc_model.outputs)
                    row["ratio"] = row["quantc"]["median_ms"] / row["onnxruntime"]["median_ms"]
                except (RuntimeError, OSError, AttributeError) as e:
                    result["quantc_error"] = str(e)
                    print(f"quantc: {e}", file=sys.stderr)
                    status, lib = 1, None
            result["runs"].append(row)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    na = "n/a"
    fmt = "{:<28} {:>7} {:>12} {:>10} {:>12} {:>10} {:>8} {:>10}"
    print(fmt.format("model", "threads", "ort med ms", "ort min", "quantc med", "quantc min",
                     "ratio", "max_abs"))
    for row in result["runs"]:
        o, q = row["onnxruntime"], row.get("quantc")
        print(fmt.format(name[:28], row["threads"], f"{o['median_ms']:.3f}",
                         f"{o['min_ms']:.3f}",
                         f"{q['median_ms']:.3f}" if q else na, f"{q['min_ms']:.3f}" if q else na,
                         f"{row['ratio']:.2f}" if q else na,
                         f"{row['quantc_max_abs_err']:.2g}" if q else na))
    if result["quantc_error"]:
        print(f"quantc not timed: {result['quantc_error']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main())

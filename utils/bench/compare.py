#!/usr/bin/env python3
"""FP32 and INT8 latency, quantc against onnxruntime, side by side in one run.

  compare.py [--models resnet18,resnet50,mobilenetv2,efficientnet-lite0,ppocr-det,bert-base,small]
             [--threads 1,2] [--iters 20] [--warmup 3] [--calib-samples 8]
             [--quantc build/bin/quantc] [--json out.json] [--work DIR]

For each model four engines run the same random inputs in this process:
  quantc FP32  the float model, `quantc compile --emit lib`;
  quantc INT8  `quantc calibrate` (max) + `quantc quantize`, the QDQ model
               compiled by quantc (its Q/DQ folded into integer kernels);
  ort FP32     onnxruntime, all graph optimizations;
  ort INT8     onnxruntime's quantize_static (QDQ, per-channel int8 weights,
               uint8 activations, MinMax) on the same calibration samples,
               run with all optimizations (its fused int8 kernels).
Timing, threads and the C ABI calls are compare_fp32.py's (medians of
--iters runs after --warmup). Printed per model and thread count: each
engine's median ms and the ratios quantc INT8 / ort INT8, quantc FP32 /
ort FP32 and quantc FP32 / quantc INT8 (the INT8 speed-up). --json writes
everything. Models: ResNet-18/50- and MobileNetV2-shaped and a
BERT-base-shaped encoder (seq 128) from utils/models/, EfficientNet-Lite0
(real ImageNet weights, exported with torch: $QUANTC_TORCH_PYTHON or the
venv of utils/eval/export_efficientnet.py), PP-OCRv4 det (real weights,
1x3x320x320), `small` = the test-sized ResNet. A benchmark: never part of
the tests.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx

BENCH = os.path.dirname(os.path.abspath(__file__))
UTILS = os.path.dirname(BENCH)
REPO = os.path.dirname(UTILS)
sys.path.insert(0, BENCH)
sys.path.insert(0, UTILS)
from compare_fp32 import (OrtModel, QuantcModel, compile_lib, max_abs_diff,  # noqa: E402
                          set_quantc_threads, timeit)
from e2e import random_inputs  # noqa: E402

# A python with torch and the EfficientNet-Lite0 packages (see
# utils/eval/export_efficientnet.py): the venv the README sets up, else the system's.
TORCH_PYTHON = os.environ.get("QUANTC_TORCH_PYTHON") or next(
    (p for p in ("/work/venv-torch/bin/python", "/usr/bin/python3") if os.path.exists(p)),
    sys.executable)

MODELS = {
    "small": ("resnet_style.py", ["--size", "small"]),
    "resnet18": ("resnet_style.py", ["--size", "resnet18"]),
    "resnet50": ("resnet_style.py", ["--size", "resnet50"]),
    "mobilenetv2": ("mobilenetv2_style.py", ["--size", "full"]),
    "bert-base": ("transformer_encoder.py", ["--size", "bert-base"]),
    "ppocr-det": (None, None),
    "efficientnet-lite0": (None, None),
}


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` exited {proc.returncode}: "
                           f"{proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ''}")
    return proc.stdout


def make_model(name, work):
    path = os.path.join(work, f"{name}.onnx")
    script, args = MODELS[name]
    if script:
        run([sys.executable, os.path.join(UTILS, "models", script)] + args + ["-o", path])
        return path
    if name == "efficientnet-lite0":
        # Real ImageNet weights, exported by the python that has torch.
        run([TORCH_PYTHON, os.path.join(UTILS, "eval", "export_efficientnet.py"), "-o", path])
        return path
    # PP-OCRv4 det at a fixed 320x320, as utils/e2e.py --real prepares it.
    keep = os.path.join(work, "det")
    run([sys.executable, os.path.join(UTILS, "e2e.py"), "--quantc",
         os.path.join(REPO, "build", "bin", "quantc"), "--real", "ppocr-det", "--shape",
         "x=1,3,320,320", "--keep", keep])
    shutil.copy(os.path.join(keep, "ppocr-det.static.onnx"), path)
    return path


def calibration_npz(model, path, samples, seed):
    """`samples` random inputs stacked along dimension 0 (the models' batch is 1)."""
    rows = [random_inputs(model, seed + i) for i in range(samples)]
    np.savez(path, **{k: np.concatenate([r[k] for r in rows]) for k in rows[0]})


def bench_model(name, args, work):
    float_path = make_model(name, work)
    model = onnx.load(float_path, load_external_data=False)
    feeds = random_inputs(model, args.seed)
    npz = os.path.join(work, f"{name}.calib.npz")
    calibration_npz(model, npz, args.calib_samples, args.seed + 100)
    table = os.path.join(work, f"{name}.calib")
    qdq = os.path.join(work, f"{name}.quantc.qdq.onnx")
    ort_qdq = os.path.join(work, f"{name}.ort.qdq.onnx")
    run([args.quantc, "calibrate", float_path, "--data", npz, "--method", "max", "-o", table])
    run([args.quantc, "quantize", float_path, "--calib", table, "-o", qdq])
    run([sys.executable, os.path.join(UTILS, "ort_quantize_qdq.py"), "--model", float_path,
         "--data", npz, "-o", ort_qdq])

    result = {"model": name, "errors": {}, "compile_s": {}, "runs": []}
    libs = {}
    for engine, path in (("quantc_fp32", float_path), ("quantc_int8", qdq)):
        libdir = os.path.join(work, engine + "-" + name)
        os.makedirs(libdir, exist_ok=True)
        try:
            libs[engine], result["compile_s"][engine] = compile_lib(args.quantc, path, libdir,
                                                                    engine)
        except (RuntimeError, OSError) as e:
            result["errors"][engine] = str(e)
    for t in args.threads:
        row = {"threads": t}
        ort_fp32 = OrtModel(float_path, feeds, t)
        ort_int8 = OrtModel(ort_qdq, feeds, t)
        row["ort_fp32"] = timeit(ort_fp32, args.warmup, args.iters)
        row["ort_int8"] = timeit(ort_int8, args.warmup, args.iters)
        for engine, lib in libs.items():
            try:
                m = QuantcModel(lib, engine, feeds)
                set_quantc_threads(t)
                row[engine] = timeit(m, args.warmup, args.iters)
                row[engine + "_max_abs_vs_ort_fp32"] = max_abs_diff(ort_fp32.outputs, m.outputs)
            except (RuntimeError, OSError, AttributeError) as e:
                result["errors"][engine] = str(e)
        result["runs"].append(row)
    return result


def ratio(row, a, b):
    if a in row and b in row:
        return row[a]["median_ms"] / row[b]["median_ms"]
    return None


ROW = "{:<18} {:>3} {:>11} {:>11} {:>11} {:>11} {:>10} {:>10} {:>10}"


def print_header():
    print(ROW.format("model", "thr", "qc fp32 ms", "qc int8 ms", "ort fp32 ms", "ort int8 ms",
                     "qc8/ort8", "qc32/ort32", "qc32/qc8"), flush=True)


def print_rows(m):
    na = "n/a"
    for row in m["runs"]:
        ms = [f"{row[e]['median_ms']:.2f}" if e in row else na
              for e in ("quantc_fp32", "quantc_int8", "ort_fp32", "ort_int8")]
        rs = [ratio(row, "quantc_int8", "ort_int8"), ratio(row, "quantc_fp32", "ort_fp32"),
              ratio(row, "quantc_fp32", "quantc_int8")]
        print(ROW.format(m["model"], row["threads"], *ms,
                         *[f"{r:.2f}" if r is not None else na for r in rs]))
    for engine, error in m["errors"].items():
        print(f"  {m['model']} {engine}: {error}")
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("--models",
                   default="resnet18,resnet50,mobilenetv2,efficientnet-lite0,ppocr-det,bert-base")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--iters", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--calib-samples", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--quantc", default=os.path.join(REPO, "build", "bin", "quantc"))
    p.add_argument("--json")
    p.add_argument("--work", help="keep models and libraries here")
    args = p.parse_args()
    args.threads = [int(t) for t in args.threads.split(",") if t.strip()]
    names = [m for m in args.models.split(",") if m]
    unknown = [m for m in names if m not in MODELS]
    if unknown:
        p.error(f"unknown models {unknown}; choose from {sorted(MODELS)}")

    work = args.work or tempfile.mkdtemp(prefix="quantc-compare.")
    os.makedirs(work, exist_ok=True)
    results = {"host": platform.node(), "cpu_count": os.cpu_count(), "iters": args.iters,
               "models": []}
    try:
        for name in names:
            print(f"== {name}", flush=True)
            try:
                results["models"].append(bench_model(name, args, work))
            except RuntimeError as e:
                print(f"  {name}: {e}", file=sys.stderr)
                results["models"].append({"model": name, "errors": {"setup": str(e)}, "runs": []})
            print_header()
            print_rows(results["models"][-1])
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)

    print("== all models")
    print_header()
    for m in results["models"]:
        print_rows(m)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

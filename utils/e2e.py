#!/usr/bin/env python3
"""End-to-end numerics: a model through `quantc run` (JIT) vs onnxruntime.

  e2e.py --quantc build/bin/quantc --model M.onnx [--rtol 1e-3 --atol 1e-4] [--seed 0]
  e2e.py --quantc build/bin/quantc --real ppocr-det [--shape x=1,3,320,320]

Random inputs are made to match the model's inputs (--seed): float inputs of
rank 4 with 1 or 3 channels are images, uniform in [0, 1); other floats are
N(0, 1); integer inputs that index an embedding table (the indices of a
Gather whose data is an initializer) are token ids uniform in [0, vocab)
with vocab the table's first dim (--vocab overrides), other integers are in
[0, 10); bools are fair coins. onnxruntime (CPUExecutionProvider, graph
optimizations off, so it runs the graph as written) is the reference.

Every output is compared: same shape and dtype; float outputs pass when
|quantc - ort| <= atol + rtol * |ort| element-wise (NaN where ort has NaN),
integer and bool outputs must be equal. Printed per output: max abs error,
max rel error (|err| / |ort| over the elements with |ort| > atol; the others
are governed by atol) and cosine similarity; the last line is

  e2e <model>: PASS|FAIL max_abs=... max_rel=... cos=...

(the maxima over all outputs, cos of the last output) or, when quantc does
not produce outputs, `e2e <model>: FAIL quantc run ...: <its first error
line>`. Exit status 0 on PASS, 1 on FAIL, 2 on bad usage or a missing
model.

--real NAME takes a real model from utils/find_model.py. Its dynamic input
dims are fixed with --shape NAME=D0,D1,... (default per model) in a
temporary copy whose output dims are set to those onnxruntime computes, then
re-inferred with onnx.shape_inference, so quantc sees static shapes. For
ppocr-det the input is an image, normalized as PaddleOCR does (scale 1/255,
mean 0.485/0.456/0.406, std 0.229/0.224/0.225, HWC -> NCHW): --image FILE
(.npy HxWx3 uint8), else scikit-image's `text` sample when scikit-image is
installed, else a deterministic synthetic page of dark text-like strokes.
"""

import argparse
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper

UTILS = os.path.dirname(os.path.abspath(__file__))

# Real models: default fixed input shapes and the kind of input they expect.
REAL = {
    "ppocr-det": {"shape": {"x": [1, 3, 320, 320]}, "input": "ocr-image"},
    "ppocr-rec": {"shape": {"x": [1, 3, 48, 320]}, "input": "ocr-image"},
    "ppocr-cls": {"shape": {"x": [1, 3, 48, 192]}, "input": "ocr-image"},
}

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def one_line(text):
    """The first non-empty line of `text` (for the one-line verdict)."""
    lines = [l.strip() for l in str(text).splitlines() if l.strip()]
    return lines[0] + (" ..." if len(lines) > 1 else "") if lines else ""


def safe_name(name):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def np_dtype(elem_type):
    return helper.tensor_dtype_to_np_dtype(elem_type)


# --------------------------------------------------------------------------
# the model's inputs
# --------------------------------------------------------------------------

def graph_inputs(model):
    """(name, elem_type, dims) of the real inputs (initializers excluded)."""
    inits = {i.name for i in model.graph.initializer}
    out = []
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        t = vi.type.tensor_type
        dims = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
        out.append((vi.name, t.elem_type, dims))
    return out


def embedding_vocab(model, input_name):
    """First dim of the initializer a Gather indexes with `input_name`, else None."""
    inits = {i.name: i for i in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type == "Gather" and len(node.input) > 1 and node.input[1] == input_name:
            axis = next((a.i for a in node.attribute if a.name == "axis"), 0)
            table = inits.get(node.input[0])
            if table is not None and len(table.dims) > 0:
                return int(table.dims[axis])
    return None


def random_inputs(model, seed, vocab=None):
    rng = np.random.default_rng(seed)
    feeds = {}
    for name, elem_type, dims in graph_inputs(model):
        if any(d is None or d <= 0 for d in dims):
            raise ValueError(f"input '{name}' has dynamic dims {dims}; fix them "
                             f"(this script's --shape works with --real)")
        dtype = np_dtype(elem_type)
        if dtype == np.bool_:
            feeds[name] = rng.integers(0, 2, dims).astype(np.bool_)
        elif np.issubdtype(dtype, np.integer):
            high = vocab or embedding_vocab(model, name) or 10
            feeds[name] = rng.integers(0, high, dims).astype(dtype)
        elif np.issubdtype(dtype, np.floating):
            if len(dims) == 4 and dims[1] in (1, 3):
                feeds[name] = rng.uniform(0.0, 1.0, dims).astype(dtype)
            else:
                feeds[name] = rng.standard_normal(dims).astype(dtype)
        else:
            raise ValueError(f"input '{name}' has an unsupported type "
                             f"{TensorProto.DataType.Name(elem_type)}")
    return feeds


# --------------------------------------------------------------------------
# real models
# --------------------------------------------------------------------------

def parse_shapes(items):
    shapes = {}
    for item in items or []:
        name, eq, dims = item.partition("=")
        if not eq or not name:
            raise ValueError(f"--shape expects NAME=D0,D1,..., got '{item}'")
        try:
            shapes[name] = [int(d) for d in dims.split(",")]
        except ValueError:
            raise ValueError(f"--shape expects integer dims, got '{item}'") from None
    return shapes


def set_dims(value_info, dims):
    shape = value_info.type.tensor_type.shape
    shape.ClearField("dim")
    for d in dims:
        shape.dim.add().dim_value = int(d)


def make_static(model, shapes, output_shapes=None):
    """A copy of `model` with fixed input (and output) dims, shapes re-inferred."""
    static = onnx.ModelProto()
    static.CopyFrom(model)
    known = {name for name, _, _ in graph_inputs(static)}
    for name in shapes:
        if name not in known:
            raise ValueError(f"--shape names '{name}', but the model's inputs are "
                             f"{sorted(known)}")
    for vi in static.graph.input:
        if vi.name in shapes:
            set_dims(vi, shapes[vi.name])
    for vi in static.graph.output:
        if output_shapes and vi.name in output_shapes:
            set_dims(vi, output_shapes[vi.name])
    # Stale intermediate shapes (with the old symbolic dims) would contradict.
    static.graph.ClearField("value_info")
    return onnx.shape_inference.infer_shapes(static, strict_mode=True)


def text_like_image(h, w, seed):
    """A deterministic light page with rows of dark, stroke-built glyphs (uint8 HxWx3)."""
    rng = np.random.default_rng(seed)
    img = np.full((h, w, 3), 235, np.float32) + rng.normal(0, 6, (h, w, 1))
    y = int(h * 0.08)
    while y < h * 0.9:
        line_h = int(rng.integers(max(8, h // 24), max(10, h // 10)))
        x = int(rng.integers(2, max(3, w // 10)))
        end = int(w * rng.uniform(0.6, 0.95))
        ink = rng.uniform(10, 70)
        stroke = max(1, line_h // 8)
        while x + line_h // 2 < end:
            gw = int(rng.integers(line_h // 3, line_h // 2 + 2))
            # each glyph: a few vertical, horizontal and diagonal strokes
            for _ in range(int(rng.integers(2, 5))):
                kind = rng.integers(0, 3)
                if kind == 0:
                    cx = x + int(rng.integers(0, gw))
                    img[y:y + line_h, cx:cx + stroke] = ink
                elif kind == 1:
                    cy = y + int(rng.integers(0, line_h))
                    img[cy:cy + stroke, x:x + gw] = ink
                else:
                    for t in range(line_h):
                        cx = x + t * gw // line_h
                        img[y + t, cx:cx + stroke] = ink
            x += gw + int(rng.integers(1, max(2, line_h // 4)))
            if rng.random() < 0.15:
                x += line_h // 2  # a word gap
        y += line_h + int(rng.integers(line_h // 2, line_h * 2))
    return np.clip(img[:h, :w], 0, 255).astype(np.uint8)


def sample_image(h, w, seed, path=None):
    """(uint8 HxWx3 image, where it came from)."""
    if path:
        img = np.load(path)
        source = path
    else:
        try:
            from skimage import data  # optional
            img = data.text()
            source = "scikit-image data.text()"
        except Exception:
            return text_like_image(h, w, seed), "synthetic text-like strokes"
    img = np.asarray(img)
    if img.ndim == 2:
        img = np.repeat(img[:, :, None], 3, axis=2)
    img = img[:, :, :3].astype(np.float32)
    # Bilinear resize to h x w (PaddleOCR's DetResizeForTest uses cv2.resize).
    ys = (np.arange(h) + 0.5) * img.shape[0] / h - 0.5
    xs = (np.arange(w) + 0.5) * img.shape[1] / w - 0.5
    y0 = np.clip(np.floor(ys).astype(int), 0, img.shape[0] - 1)
    x0 = np.clip(np.floor(xs).astype(int), 0, img.shape[1] - 1)
    y1 = np.clip(y0 + 1, 0, img.shape[0] - 1)
    x1 = np.clip(x0 + 1, 0, img.shape[1] - 1)
    wy = np.clip(ys - y0, 0, 1)[:, None, None]
    wx = np.clip(xs - x0, 0, 1)[None, :, None]
    top = img[y0][:, x0] * (1 - wx) + img[y0][:, x1] * wx
    bottom = img[y1][:, x0] * (1 - wx) + img[y1][:, x1] * wx
    out = top * (1 - wy) + bottom * wy
    return np.clip(np.rint(out), 0, 255).astype(np.uint8), source


def ocr_input(dims, seed, image_path=None):
    n, c, h, w = dims
    if c != 3:
        raise ValueError(f"an OCR image input needs 3 channels, got shape {dims}")
    img, source = sample_image(h, w, seed, image_path)
    x = (img.astype(np.float32) / 255.0 - MEAN) / STD
    x = np.ascontiguousarray(x.transpose(2, 0, 1)[None].repeat(n, axis=0), dtype=np.float32)
    return x, source


# --------------------------------------------------------------------------
# running
# --------------------------------------------------------------------------

def run_onnxruntime(model_path, feeds):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.log_severity_level = 3
    sess = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(names, feeds)))


def run_quantc(quantc, model_path, feeds, workdir, timeout, extra=()):
    """(outputs by name, None) or (None, a one-line reason)."""
    args = [quantc, "run", model_path, *extra]
    for name, value in feeds.items():
        path = os.path.join(workdir, f"input.{safe_name(name)}.npy")
        np.save(path, value)
        args += ["--input", f"{name}={path}"]
    out_dir = os.path.join(workdir, "quantc-out")
    args += ["--output-dir", out_dir]
    start = time.monotonic()
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"quantc run timed out after {timeout} s"
    except OSError as e:
        return None, f"cannot start quantc: {e}"
    elapsed = time.monotonic() - start
    stderr = proc.stderr.strip()
    if stderr:
        sys.stdout.flush()
        sys.stderr.write(stderr + "\n")
        sys.stderr.flush()
    if proc.returncode != 0:
        if proc.returncode < 0:
            try:
                sig = signal.Signals(-proc.returncode).name
            except ValueError:
                sig = str(-proc.returncode)
            what = f"quantc run crashed ({sig})"
        else:
            what = f"quantc run exited {proc.returncode}"
        lines = [l for l in stderr.splitlines() if l.strip()]
        first = next((l for l in lines if "error" in l.lower()), lines[0] if lines else "")
        return None, f"{what}: {first.strip()}" if first else f"{what} without a message"
    print(f"quantc run: {elapsed:.1f} s (compile + run)")
    return out_dir, None


def compare(name, expected, actual, rtol, atol):
    """(ok, max_abs, max_rel, cosine, message)."""
    if actual.shape != expected.shape:
        return False, math.inf, math.inf, math.nan, f"shape {actual.shape} != {expected.shape}"
    if actual.dtype != expected.dtype:
        return False, math.inf, math.inf, math.nan, f"dtype {actual.dtype} != {expected.dtype}"
    if expected.size == 0:
        return True, 0.0, 0.0, 1.0, "empty"
    if expected.dtype.kind in "biu":
        e = expected.astype(np.float64)
        a = actual.astype(np.float64)
        bad = int(np.count_nonzero(expected != actual))
        err = np.abs(a - e)
        max_abs = float(err.max())
        rel_mask = np.abs(e) > 0
        max_rel = float((err[rel_mask] / np.abs(e[rel_mask])).max()) if rel_mask.any() else 0.0
        cos = cosine(e, a)
        return bad == 0, max_abs, max_rel, cos, f"{bad} of {e.size} differ" if bad else "equal"
    e = expected.astype(np.float64)
    a = actual.astype(np.float64)
    nan_e, nan_a = np.isnan(e), np.isnan(a)
    if (nan_e != nan_a).any():
        i = int(np.argmax((nan_e != nan_a).ravel()))
        return False, math.inf, math.inf, math.nan, (
            f"NaN mismatch at flat index {i}: quantc {a.ravel()[i]} vs ort {e.ravel()[i]}")
    finite = ~nan_e
    e, a = e[finite], a[finite]
    with np.errstate(invalid="ignore"):
        err = np.abs(a - e)
        err = np.where(a == e, 0.0, err)  # equal infinities
    max_abs = float(err.max()) if err.size else 0.0
    rel_mask = np.abs(e) > atol
    max_rel = float((err[rel_mask] / np.abs(e[rel_mask])).max()) if rel_mask.any() else 0.0
    close = err <= atol + rtol * np.abs(e)
    ok = bool(close.all())
    msg = "all close"
    if not ok:
        i = int(np.argmax(~close))
        msg = (f"{int(np.count_nonzero(~close))} of {e.size} elements not close, first at "
               f"flat index {i}: quantc {a[i]:.7g} vs ort {e[i]:.7g}")
    return ok, max_abs, max_rel, cosine(e, a), msg


def cosine(e, a):
    e = e.ravel().astype(np.float64)
    a = a.ravel().astype(np.float64)
    if not (np.isfinite(e).all() and np.isfinite(a).all()):
        return math.nan
    ne, na = np.linalg.norm(e), np.linalg.norm(a)
    if ne == 0 and na == 0:
        return 1.0
    if ne == 0 or na == 0:
        return 0.0
    return float(np.dot(e, a) / (ne * na))


# --------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    p.add_argument("--quantc", required=True, help="path of the quantc driver")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--model", help="an ONNX model with static input shapes")
    src.add_argument("--real", choices=sorted(REAL), help="a real model (utils/find_model.py)")
    p.add_argument("--shape", action="append", metavar="NAME=D0,D1,...",
                   help="fix an input's dims (with --real; repeatable)")
    p.add_argument("--image", help="with --real ppocr-det: an HxWx3 uint8 .npy image")
    p.add_argument("--rtol", type=float, default=1e-3)
    p.add_argument("--atol", type=float, default=1e-4)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--vocab", type=int, help="token id range [0, VOCAB) for integer inputs")
    p.add_argument("--timeout", type=float, default=600, help="seconds for quantc run")
    p.add_argument("--name", help="the model's name in the report (default: file name)")
    p.add_argument("--reference", metavar="M.onnx",
                   help="with --model: the model onnxruntime runs instead (e.g. its QDQ export)")
    p.add_argument("--quantc-arg", action="append", default=[], metavar="ARG",
                   help="an extra argument of quantc run (repeatable), e.g. --calib=T")
    p.add_argument("--keep", metavar="DIR",
                   help="keep the inputs, reference and quantc outputs in DIR")
    args = p.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    workdir = args.keep or tempfile.mkdtemp(prefix="quantc-e2e-")
    os.makedirs(workdir, exist_ok=True)
    try:
        return e2e(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def e2e(args, workdir):
    if args.model:
        label = args.name or os.path.splitext(os.path.basename(args.model))[0]
        if not os.path.isfile(args.model):
            print(f"e2e {label}: FAIL no such model '{args.model}'")
            return 2
        model_path = args.model
        model = onnx.load(model_path)
        if args.shape:
            print("e2e: --shape is for --real models; give --model static shapes", file=sys.stderr)
            return 2
        try:
            feeds = random_inputs(model, args.seed, args.vocab)
        except ValueError as e:
            print(f"e2e {label}: FAIL {e}")
            return 1
        try:
            reference = run_onnxruntime(args.reference or model_path, feeds)
        except Exception as e:  # onnxruntime raises its own exception types
            print(f"e2e {label}: FAIL onnxruntime cannot run the model: {one_line(e)}")
            return 1
    else:
        label = args.name or args.real
        sys.path.insert(0, UTILS)
        from find_model import find_model
        try:
            original = find_model(args.real)
        except LookupError as e:
            print(f"e2e {label}: FAIL {e}")
            return 2
        spec = REAL[args.real]
        try:
            shapes = dict(spec["shape"])
            shapes.update(parse_shapes(args.shape))
            model = onnx.load(original)
            static = make_static(model, shapes)
            feeds = {}
            for name, elem_type, dims in graph_inputs(static):
                if spec["input"] == "ocr-image" and np_dtype(elem_type) == np.float32:
                    feeds[name], source = ocr_input(dims, args.seed, args.image)
                    print(f"input '{name}' {dims}: {source}")
            rest = random_inputs(static, args.seed, args.vocab) if len(feeds) < len(
                graph_inputs(static)) else {}
            feeds.update({k: v for k, v in rest.items() if k not in feeds})
        except (ValueError, onnx.shape_inference.InferenceError) as e:
            print(f"e2e {label}: FAIL cannot make the model static: {one_line(e)}")
            return 1
        # Fix the output dims too: to what onnxruntime computes for these inputs.
        static_path = os.path.join(workdir, f"{safe_name(label)}.static.onnx")
        onnx.save(static, static_path)
        try:
            reference = run_onnxruntime(static_path, feeds)
            static = make_static(model, shapes,
                                 {k: list(v.shape) for k, v in reference.items()})
            onnx.checker.check_model(static)
        except Exception as e:  # onnxruntime's and onnx's own error types
            print(f"e2e {label}: FAIL cannot make the model static: {one_line(e)}")
            return 1
        onnx.save(static, static_path)
        model, model_path = static, static_path

    if args.keep:
        for name, value in reference.items():
            np.save(os.path.join(workdir, f"ort.{safe_name(name)}.npy"), value)

    out_dir, reason = run_quantc(args.quantc, model_path, feeds, workdir, args.timeout,
                                  args.quantc_arg)
    if reason:
        print(f"e2e {label}: FAIL {reason}")
        return 1

    ok = True
    max_abs = max_rel = 0.0
    cos = math.nan
    for name, expected in reference.items():
        path = os.path.join(out_dir, safe_name(name) + ".npy")
        if not os.path.isfile(path):
            print(f"  output '{name}': missing ({path})")
            ok = False
            max_abs = max_rel = math.inf
            cos = math.nan
            continue
        actual = np.load(path)
        good, a, r, cos, msg = compare(name, expected, actual, args.rtol, args.atol)
        print(f"  output '{name}' {expected.dtype}{list(expected.shape)}: "
              f"{'ok' if good else 'MISMATCH'} max_abs={a:.3g} max_rel={r:.3g} "
              f"cos={cos:.6f} ({msg})")
        ok &= good
        max_abs, max_rel = max(max_abs, a), max(max_rel, r)
    print(f"e2e {label}: {'PASS' if ok else 'FAIL'} max_abs={max_abs:.3g} max_rel={max_rel:.3g} "
          f"cos={cos:.6f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

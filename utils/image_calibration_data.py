#!/usr/bin/env python3
"""Writes test images and the model input quantc should make of them.

    image_calibration_data.py --out DIR --count N --size HxW
        --spec 'resize=..;mean=..;std=..' --shape 1,3,64,64 --npz REF.npz

Writes N small RGB images to DIR, alternating PNG and JPEG (sizes and
contents vary, some wider and some taller than high), and REF.npz holding
the input quantc calibrate must build from them with the preprocessing spec:
decoded with Pillow, resized with bilinear interpolation at half-pixel
centers (shorter side to `resize`, then a center crop; or straight to the
model's size), divided by `scale`, normalized by mean/std, laid out as the
model input. An independent NumPy version of quantc's image path.
"""
import argparse
import os

import numpy as np
from PIL import Image


def parse_spec(spec):
    out = {"scale": 255.0, "mean": [0.0], "std": [1.0], "resize": 0, "layout": "nchw",
           "color": "rgb"}
    for item in filter(None, spec.split(";")):
        key, value = item.split("=")
        if key in ("mean", "std"):
            out[key] = [float(v) for v in value.split(",")]
        elif key in ("layout", "color"):
            out[key] = value
        else:
            out[key] = float(value)
    return out


def bilinear(pixels, ys, xs):
    h, w = pixels.shape[:2]
    y = np.clip(ys - 0.5, 0, h - 1)
    x = np.clip(xs - 0.5, 0, w - 1)
    y0 = np.floor(y).astype(int)
    x0 = np.floor(x).astype(int)
    y1 = np.minimum(y0 + 1, h - 1)
    x1 = np.minimum(x0 + 1, w - 1)
    fy = (y - y0)[:, None, None]
    fx = (x - x0)[None, :, None]
    p = pixels.astype(np.float64)
    top = p[y0][:, x0] * (1 - fx) + p[y0][:, x1] * fx
    bottom = p[y1][:, x0] * (1 - fx) + p[y1][:, x1] * fx
    return top * (1 - fy) + bottom * fy


def preprocess(path, spec, shape):
    nchw = spec["layout"] == "nchw"
    c, h, w = (shape[1], shape[2], shape[3]) if nchw else (shape[3], shape[1], shape[2])
    image = np.asarray(Image.open(path).convert("L" if c == 1 else "RGB"))
    if image.ndim == 2:
        image = image[:, :, None]
    ih, iw = image.shape[:2]
    top, left, span_y, span_x = 0.0, 0.0, float(ih), float(iw)
    if spec["resize"]:
        factor = spec["resize"] / min(ih, iw)
        span_y, span_x = h / factor, w / factor
        top, left = (ih - span_y) / 2, (iw - span_x) / 2
    ys = top + (np.arange(h) + 0.5) * span_y / h
    xs = left + (np.arange(w) + 0.5) * span_x / w
    v = bilinear(image, ys, xs)
    if spec["color"] == "bgr":
        v = v[:, :, ::-1]
    mean = np.array(spec["mean"] * (c if len(spec["mean"]) == 1 else 1))
    std = np.array(spec["std"] * (c if len(spec["std"]) == 1 else 1))
    v = (v / spec["scale"] - mean) / std
    return (v.transpose(2, 0, 1) if nchw else v).astype(np.float32)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=6)
    parser.add_argument("--spec", default="")
    parser.add_argument("--shape", required=True)
    parser.add_argument("--npz", required=True)
    parser.add_argument("--input", default="input")
    args = parser.parse_args()
    shape = [int(d) for d in args.shape.split(",")]
    spec = parse_spec(args.spec)
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(11)
    samples = []
    for i in range(args.count):
        h, w = (40 + 7 * i, 90 - 5 * i) if i % 2 else (100 - 3 * i, 50 + 9 * i)
        gy, gx = np.mgrid[0:h, 0:w]
        pixels = np.stack([(gx * 255 // w), (gy * 255 // h), rng.integers(0, 256, (h, w))], -1)
        path = os.path.join(args.out, f"image{i:02d}." + ("png" if i % 2 == 0 else "jpg"))
        Image.fromarray(pixels.astype(np.uint8)).save(path, quality=90)
        samples.append(preprocess(path, spec, shape))
    np.savez(args.npz, **{args.input: np.stack(samples)})


if __name__ == "__main__":
    main()

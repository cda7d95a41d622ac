#!/usr/bin/env python3
"""Fashion-MNIST from Debian's dataset-fashion-mnist package, numpy only.

    fmnist_data.py --calib-npz calib.npz --count 1000   # first N train images
    fmnist_data.py --info                                # where the data is, sizes

The package installs the original idx files, gzipped, into
/usr/share/datasets/fashion-mnist (override with --data-dir or the
FMNIST_DIR environment variable). Images are returned as float32 NCHW
[N, 1, 28, 28], normalized like the training script does:
x = (pixel / 255 - MEAN) / STD with the train set's MEAN and STD below.
The calibration .npz holds one array, named `input` like the model input.
"""
import argparse
import gzip
import os
import sys

import numpy as np

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"
# Mean and standard deviation of the 60,000 train images' pixels in [0, 1].
MEAN = 0.2860
STD = 0.3530
CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
_FILES = {
    ("train", "images"): "train-images-idx3-ubyte.gz",
    ("train", "labels"): "train-labels-idx1-ubyte.gz",
    ("test", "images"): "t10k-images-idx3-ubyte.gz",
    ("test", "labels"): "t10k-labels-idx1-ubyte.gz",
}


def data_dir(path=None):
    return path or os.environ.get("FMNIST_DIR") or DEFAULT_DIR


def available(path=None):
    d = data_dir(path)
    return all(os.path.isfile(os.path.join(d, f)) for f in _FILES.values())


def read_idx(path):
    """Reads an idx file (optionally gzipped): big-endian header, uint8 data."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an idx file of unsigned bytes")
    ndim = raw[3]
    dims = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {data.size} bytes of data for shape {dims}")
    return data.reshape(dims)


def load_raw(split, path=None):
    """uint8 images [N, 28, 28] and uint8 labels [N] of 'train' or 'test'."""
    d = data_dir(path)
    images = read_idx(os.path.join(d, _FILES[(split, "images")]))
    labels = read_idx(os.path.join(d, _FILES[(split, "labels")]))
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{split}: {images.shape[0]} images, {labels.shape[0]} labels")
    return images, labels


def normalize(images):
    """uint8 [N, 28, 28] -> float32 [N, 1, 28, 28], (x / 255 - MEAN) / STD."""
    x = images.astype(np.float32) / np.float32(255.0)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    return np.ascontiguousarray(x[:, None, :, :], dtype=np.float32)


def load(split, count=None, path=None):
    """Normalized images [N, 1, 28, 28] float32 and int64 labels [N]; first `count`."""
    images, labels = load_raw(split, path)
    if count is not None:
        images, labels = images[:count], labels[:count]
    return normalize(images), labels.astype(np.int64)


def write_calib_npz(out, count, path=None, name="input"):
    """Writes the first `count` train images as out[name], shape [count, 1, 28, 28]."""
    x, _ = load("train", count, path)
    if x.shape[0] != count:
        raise ValueError(f"asked for {count} calibration images, the train set has {x.shape[0]}")
    np.savez(out, **{name: x})
    return x.shape


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help=f"default: $FMNIST_DIR or {DEFAULT_DIR}")
    parser.add_argument("--calib-npz", help="write the first --count train images here")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--name", default="input", help="array name in the .npz")
    parser.add_argument("--info", action="store_true")
    args = parser.parse_args()
    if not available(args.data_dir):
        print(f"fmnist_data: no Fashion-MNIST in {data_dir(args.data_dir)} "
              "(apt-get install dataset-fashion-mnist)", file=sys.stderr)
        return 1
    if args.info:
        for split in ("train", "test"):
            images, labels = load_raw(split, args.data_dir)
            print(f"{split}: images {images.shape} labels {labels.shape} "
                  f"classes {np.bincount(labels).tolist()}")
    if args.calib_npz:
        shape = write_calib_npz(args.calib_npz, args.count, args.data_dir, args.name)
        print(f"fmnist_data: wrote {args.calib_npz}: {args.name} {list(shape)} float32")
    return 0


if __name__ == "__main__":
    sys.exit(main())

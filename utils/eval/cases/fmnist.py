"""Fashion-MNIST cases: the CNN and the MobileNetV2 of utils/eval/models.

Calibration: the first 1000 train images (as accuracy.py); test: the 10,000
test images (quick: the first 2000), from Debian's dataset-fashion-mnist via
fmnist_data.py. Metrics: `drop` (FP32 top-1 minus this top-1, in points,
FP32's from the fp32 outputs), `top1` (% vs the true labels), `agree` (% of
images whose argmax matches FP32's).
"""
import os
import sys
from pathlib import Path

import numpy as np

from . import Case

EVAL = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(EVAL))
import fmnist_data  # noqa: E402

CALIB_COUNT = 1000
QUICK_TEST_COUNT = 2000


def _save(path, x):
    """Writes {'input': x} to path unless it is there already (atomic rename)."""
    if not path.exists():
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, input=x)
        os.replace(tmp, path)
    return path


def _top1(logits, labels):
    return 100.0 * float(np.mean(np.argmax(logits, axis=1) == labels))


def _prepare(work, quick, name, title, model_file):
    if not fmnist_data.available():
        raise FileNotFoundError(f"no Fashion-MNIST in {fmnist_data.data_dir()} "
                                "(apt-get install dataset-fashion-mnist)")
    model = EVAL / "models" / model_file
    if not model.exists():
        raise FileNotFoundError(f"{model} is missing (utils/eval/train_*.py writes it)")
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    count = QUICK_TEST_COUNT if quick else None
    test_x, labels = fmnist_data.load("test", count)
    calib = _save(work / f"fmnist.calib{CALIB_COUNT}.npz",
                  fmnist_data.load("train", CALIB_COUNT)[0])
    test = _save(work / f"fmnist.test{len(labels)}.npz", test_x)

    def score(outputs, fp32):
        outputs, fp32 = np.asarray(outputs), np.asarray(fp32)
        if len(outputs) != len(labels) or len(fp32) != len(labels):
            raise ValueError(f"{name}: {len(outputs)} outputs, {len(fp32)} fp32 outputs, "
                             f"{len(labels)} labels")
        top1 = _top1(outputs, labels)
        agree = 100.0 * float(np.mean(np.argmax(outputs, 1) == np.argmax(fp32, 1)))
        return {"drop": _top1(fp32, labels) - top1, "top1": top1, "agree": agree}

    return Case(
        name=name, title=f"{title} ({model_file}), {len(labels)} test images",
        model=model, calib=calib, test=test,
        input_shapes={"input": [1, 1, 28, 28]},
        metrics=["drop", "top1", "agree"], score=score,
        check="top-1 drop <= 0.3 points",
        budget="agreement=99.7",
        notes=[f"calibration: first {CALIB_COUNT} train images; "
               f"test: first {len(labels)} test images"])


def prepare_cnn(work, quick):
    return _prepare(work, quick, "fmnist_cnn", "Fashion-MNIST CNN", "fmnist_cnn.onnx")


def prepare_mobilenetv2(work, quick):
    return _prepare(work, quick, "fmnist_mobilenetv2", "Fashion-MNIST MobileNetV2",
                    "fmnist_mobilenetv2.onnx")


CASES = {"fmnist_cnn": prepare_cnn, "fmnist_mobilenetv2": prepare_mobilenetv2}

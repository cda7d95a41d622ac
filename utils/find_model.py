#!/usr/bin/env python3
"""Print the path of a real model that a pip package ships.

  find_model.py NAME      NAME: ppocr-det | ppocr-rec | ppocr-cls

Exits 1 with a message when the model is not installed (run
utils/install-deps.sh). The package is only located, never imported.
"""

import importlib.util
import os
import sys

# name -> (pip module that ships it, path inside the module's directory)
MODELS = {
    "ppocr-det": ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_det_infer.onnx"),
    "ppocr-rec": ("rapidocr_onnxruntime", "models/ch_PP-OCRv4_rec_infer.onnx"),
    "ppocr-cls": ("rapidocr_onnxruntime", "models/ch_ppocr_mobile_v2.0_cls_infer.onnx"),
}


def find_model(name):
    """Return the model's path, or raise LookupError saying why not."""
    if name not in MODELS:
        raise LookupError(f"unknown model '{name}' (known: {', '.join(MODELS)})")
    module, rel = MODELS[name]
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise LookupError(f"{name}: python package '{module}' is not installed for "
                          f"{sys.executable}; run utils/install-deps.sh")
    path = os.path.join(os.path.dirname(spec.origin), rel)
    if not os.path.isfile(path):
        raise LookupError(f"{name}: {path} is missing from package '{module}'")
    return path


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    try:
        print(find_model(argv[1]))
    except LookupError as e:
        print(f"find_model: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

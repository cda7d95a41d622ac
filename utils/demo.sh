#!/usr/bin/env bash
# The first thing to run: install dependencies, build quantc, import the real
# PP-OCRv4 text detection model and print the qc ops it became and the import
# time. (Compiling and calibrating are planned; this demo grows with them.)
set -euo pipefail
cd "$(dirname "$0")/.."

bash utils/install-deps.sh
bash utils/build.sh quantc

BUILD_DIR=${QUANTC_BUILD_DIR:-build}
PYTHON=${PYTHON:-python3}
mkdir -p "$BUILD_DIR/demo"
out="$BUILD_DIR/demo/ppocr-det.mlir"
echo "== quantc import $("$PYTHON" utils/find_model.py ppocr-det)"
"$PYTHON" utils/import_model.py --quantc "$BUILD_DIR/bin/quantc" ppocr-det -o "$out" --op-histogram
echo "== wrote $out"

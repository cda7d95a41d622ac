#!/usr/bin/env bash
# The first thing to run: install dependencies, build quantc, then take the
# real PP-OCRv4 text detection model through it:
#   1. import: the qc ops the model became;
#   2. compile and run (JIT) on a 320x320 text image, compared with
#      onnxruntime (accuracy);
#   3. compile to a shared library and time it against onnxruntime FP32,
#      side by side in one process (speed).
#   4. int8 post-training quantization on real data: the bundled
#      Fashion-MNIST CNN calibrated (entropy, mse) on 1000 train images,
#      exported as QDQ and compiled to INT8 code by quantc, top-1 on the
#      10,000 test images against FP32;
#   5. what runs in INT8 (quantc report) and the INT8 model's speed against
#      FP32, both compiled by quantc.
set -euo pipefail
cd "$(dirname "$0")/.."

bash utils/install-deps.sh
bash utils/build.sh quantc quantc-run QCRuntimeExeMain

BUILD_DIR=${QUANTC_BUILD_DIR:-build}
PYTHON=${PYTHON:-python3}
QUANTC="$BUILD_DIR/bin/quantc"
work="$BUILD_DIR/demo"
mkdir -p "$work"

echo "== 1. quantc import $("$PYTHON" utils/find_model.py ppocr-det)"
"$PYTHON" utils/import_model.py --quantc "$QUANTC" ppocr-det -o "$work/ppocr-det.mlir" --op-histogram

echo "== 2. accuracy: quantc (FP32) vs onnxruntime on the same input"
"$PYTHON" utils/e2e.py --quantc "$QUANTC" --real ppocr-det --shape x=1,3,320,320 --keep "$work/det"

echo "== 3. speed: quantc FP32 vs onnxruntime FP32"
"$PYTHON" utils/bench/compare_fp32.py --quantc "$QUANTC" --model "$work/det/ppocr-det.static.onnx" \
  --threads 1,2 --iters 10 --warmup 2

echo "== 4. int8 PTQ: Fashion-MNIST CNN, quantc calibrate + quantize, INT8 top-1 vs FP32"
"$PYTHON" utils/eval/accuracy.py --quantc "$QUANTC" --methods entropy,mse --no-ort --quantc-int8 \
  --work "$work/fmnist"

echo "== 5. the mse model: what runs in INT8, and its speed against FP32 (batch 64)"
fmnist=utils/eval/models/fmnist_cnn.onnx
qdq=$(ls "$work"/fmnist/*quantc-mse.qdq.onnx)
"$QUANTC" report "$qdq" --input-shape input=1,1,28,28 -o "$work/fmnist/report.txt"
head -n 2 "$work/fmnist/report.txt"
for model in "$fmnist" "$qdq"; do
  echo "$(basename "$model"): $("$QUANTC" run "$model" --input-shape input=64,1,28,28 \
    --random-inputs --bench 50 | grep latency)"
done

#!/usr/bin/env python3
"""A QDQ model from onnxruntime's quantize_static, to test quantc on QDQ
models it did not make.

  ort_quantize_qdq.py --model M.onnx --data calib.npz -o M.ort.onnx
      [--activations u8|s8] [--per-tensor] [--no-preprocess]

Calibration (MinMax) reads the .npz's arrays, one sample at a time along
dimension 0. quant_pre_process (shape inference, BatchNormalization folded
into Conv) runs first unless --no-preprocess. Weights are int8, per output
channel unless --per-tensor; activations uint8 (onnxruntime's default) or
int8 (asymmetric). Prints the QuantizeLinear/DequantizeLinear counts.
"""

import argparse
import os
import sys
import tempfile

import numpy as np
import onnx
import onnx.version_converter
from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType,
                                      quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process


class NpzReader(CalibrationDataReader):
    def __init__(self, path):
        with np.load(path) as data:
            self.arrays = {k: data[k] for k in data.files}
        self.count = min(len(a) for a in self.arrays.values())
        self.next = 0

    def get_next(self):
        if self.next >= self.count:
            return None
        i, self.next = self.next, self.next + 1
        return {k: a[i:i + 1] for k, a in self.arrays.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--activations", choices=["u8", "s8"], default="u8")
    ap.add_argument("--per-tensor", action="store_true")
    ap.add_argument("--no-preprocess", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="quantc-ort-quant.") as tmp:
        source = args.model
        # Per-channel DequantizeLinear needs opset 13; onnxruntime's
        # quantizer writes it whatever the model imports.
        model = onnx.load(source)
        opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 13)
        if opset < 13:
            source = os.path.join(tmp, "opset13.onnx")
            onnx.save(onnx.version_converter.convert_version(model, 13), source)
        if not args.no_preprocess:
            preprocessed = os.path.join(tmp, "pre.onnx")
            quant_pre_process(source, preprocessed)
            source = preprocessed
        quantize_static(source, args.output, NpzReader(args.data), quant_format=QuantFormat.QDQ,
                        per_channel=not args.per_tensor,
                        activation_type=QuantType.QUInt8 if args.activations == "u8"
                        else QuantType.QInt8,
                        weight_type=QuantType.QInt8)
    ops = [n.op_type for n in onnx.load(args.output).graph.node]
    print(f"ort_quantize_qdq: {os.path.basename(args.output)}: "
          f"quantize={ops.count('QuantizeLinear')} dequantize={ops.count('DequantizeLinear')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

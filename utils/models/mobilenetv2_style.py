#!/usr/bin/env python3
"""Writes a MobileNetV2-style ONNX image classifier with random weights.

  mobilenetv2_style.py --size small|full [--batchnorm] [--seed 0] -o OUT.onnx

Topology as exported from PyTorch with BatchNormalization folded into the
convolutions (Conv with bias; --batchnorm keeps Conv+BatchNormalization
instead): Conv3x3/2 + ReLU6 stem, inverted residual blocks (1x1 expand Conv +
ReLU6 when the expansion t > 1, depthwise 3x3 Conv with group=C + ReLU6,
linear 1x1 project Conv, residual Add when stride is 1 and the channel count
is kept), 1x1 Conv + ReLU6 head, GlobalAveragePool, Flatten, Gemm. ReLU6 is
Clip with min/max as inputs (opset 11+ form).

  small  input 1x3x64x64, 5 block groups with t in {1,4} (stride-2 blocks,
         residual blocks, a channel-changing stride-1 block), 10 classes
  full   input 1x3x224x224, the MobileNetV2 1.0 table (3.5M parameters),
         1000 classes

Opset 17, IR version 8, static shapes; checked with onnx.checker.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from graph_builder import GraphBuilder, TensorProto, count_params, save_checked  # noqa: E402

# (expansion t, output channels c, repeats n, first stride s), as in the paper.
FULL_TABLE = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
              (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
SMALL_TABLE = [(1, 8, 1, 1), (4, 12, 2, 2), (4, 16, 2, 2), (4, 24, 1, 1), (4, 32, 2, 2)]

SIZES = {
    #         image stem table        head  classes
    "small": (64,   8,   SMALL_TABLE, 64,   10),
    "full":  (224,  32,  FULL_TABLE,  1280, 1000),
}


class MobileNet:
    def __init__(self, g, batchnorm):
        self.g = g
        self.batchnorm = batchnorm
        self.clip_min = g.f32("relu6.min", 0.0)
        self.clip_max = g.f32("relu6.max", 6.0)

    def conv(self, x, cin, cout, k, stride, name, group=1, relu6=True, gain=2.0):
        g = self.g
        y = g.conv(x, cin, cout, k, stride, group=group, bias=not self.batchnorm,
                   name=f"{name}.conv", gain=gain)
        if self.batchnorm:
            y = g.batchnorm(y, cout, name=f"{name}.bn",
                            gamma=(0.5, 1.0) if relu6 else (0.3, 0.6))
        if relu6:
            y = g.node("Clip", [y, self.clip_min, self.clip_max], name=f"{name}.relu6")
        return y

    def inverted_residual(self, x, cin, cout, stride, t, name):
        hidden = cin * t
        y = x
        if t != 1:
            y = self.conv(y, cin, hidden, 1, 1, f"{name}.expand")
        y = self.conv(y, hidden, hidden, 3, stride, f"{name}.dw", group=hidden)
        # Linear bottleneck: no activation; LeCun gain keeps the sum O(1).
        y = self.conv(y, hidden, cout, 1, 1, f"{name}.project", relu6=False, gain=1.0)
        if stride == 1 and cin == cout:
            y = self.g.node("Add", [x, y], name=f"{name}.add")
        return y


def build(size, seed, batchnorm):
    image, stem, table, head, classes = SIZES[size]
    g = GraphBuilder(f"mobilenetv2_style_{size}", seed)
    net = MobileNet(g, batchnorm)
    x = g.input("input", TensorProto.FLOAT, [1, 3, image, image])
    y = net.conv(x, 3, stem, 3, 2, "features.0")
    c = stem
    index = 1
    for t, cout, n, s in table:
        for i in range(n):
            y = net.inverted_residual(y, c, cout, s if i == 0 else 1, t, f"features.{index}")
            c = cout
            index += 1
    y = net.conv(y, c, head, 1, 1, f"features.{index}")
    y = g.node("GlobalAveragePool", [y], name="avgpool")
    y = g.node("Flatten", [y], name="flatten", axis=1)
    y = g.gemm(y, head, classes, name="classifier")
    g.output(y, TensorProto.FLOAT, [1, classes], name="logits")
    return g.model(doc=f"mobilenetv2_style.py --size {size}"
                       f"{' --batchnorm' if batchnorm else ''} --seed {seed}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", choices=sorted(SIZES), default="small")
    p.add_argument("--batchnorm", action="store_true",
                   help="keep BatchNormalization nodes instead of folded conv biases")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    model = build(args.size, args.seed, args.batchnorm)
    save_checked(model, args.output)
    print(f"wrote {args.output}: {len(model.graph.node)} nodes, "
          f"{count_params(model)} parameters")


if __name__ == "__main__":
    main()

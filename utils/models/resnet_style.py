#!/usr/bin/env python3
"""Writes a ResNet-style ONNX image classifier with random (He-initialized) weights.

  resnet_style.py --size small|resnet18|resnet50 [--seed 0] -o OUT.onnx

Topology as torchvision exports it (BatchNormalization kept, not folded):
Conv7x7/2+BN+Relu stem, MaxPool3x3/2, four stages of residual blocks (basic
blocks for small/resnet18, bottleneck blocks with the stride on the 3x3 conv
for resnet50; the first block of a stage that changes shape has a 1x1
Conv+BN projection shortcut), residual Add + Relu, GlobalAveragePool,
Flatten, Gemm.

  small     input 1x3x64x64, widths 8-16-32-64, 2 basic blocks per stage,
            10 classes: the ResNet-18 topology at test size (used by lit tests)
  resnet18  input 1x3x224x224, widths 64-128-256-512, [2,2,2,2] basic blocks
  resnet50  input 1x3x224x224, widths 64-128-256-512 (x4 out), [3,4,6,3]
            bottleneck blocks

--block basic|bottleneck overrides the block kind (e.g. a small bottleneck
net). BN statistics are random but sane (var in [0.5,1.5], gamma in
[0.5,1]); the last BN of each residual branch gets a smaller gamma, as in
trained nets, so activations stay O(1) through the residual sum. Opset 17,
IR version 8, static shapes; the model is checked with onnx.checker.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from graph_builder import GraphBuilder, TensorProto, count_params, save_checked  # noqa: E402

SIZES = {
    #            image  stem  widths               blocks        block         classes
    "small":    (64,    8,    (8, 16, 32, 64),     (2, 2, 2, 2), "basic",      10),
    "resnet18": (224,   64,   (64, 128, 256, 512), (2, 2, 2, 2), "basic",      1000),
    "resnet50": (224,   64,   (64, 128, 256, 512), (3, 4, 6, 3), "bottleneck", 1000),
}

RESIDUAL_GAMMA = (0.2, 0.5)


def conv_bn(g, x, cin, cout, k, stride, name, relu=True, gamma=(0.5, 1.0)):
    y = g.conv(x, cin, cout, k, stride, bias=False, name=f"{name}.conv")
    y = g.batchnorm(y, cout, name=f"{name}.bn", gamma=gamma)
    return g.node("Relu", [y], name=f"{name}.relu") if relu else y


def shortcut(g, x, cin, cout, stride, name):
    if stride == 1 and cin == cout:
        return x
    return conv_bn(g, x, cin, cout, 1, stride, f"{name}.downsample", relu=False)


def basic_block(g, x, cin, width, stride, name):
    y = conv_bn(g, x, cin, width, 3, stride, f"{name}.1")
    y = conv_bn(g, y, width, width, 3, 1, f"{name}.2", relu=False, gamma=RESIDUAL_GAMMA)
    s = g.node("Add", [y, shortcut(g, x, cin, width, stride, name)], name=f"{name}.add")
    return g.node("Relu", [s], name=f"{name}.relu"), width


def bottleneck_block(g, x, cin, width, stride, name):
    cout = width * 4
    y = conv_bn(g, x, cin, width, 1, 1, f"{name}.1")
    y = conv_bn(g, y, width, width, 3, stride, f"{name}.2")
    y = conv_bn(g, y, width, cout, 1, 1, f"{name}.3", relu=False, gamma=RESIDUAL_GAMMA)
    s = g.node("Add", [y, shortcut(g, x, cin, cout, stride, name)], name=f"{name}.add")
    return g.node("Relu", [s], name=f"{name}.relu"), cout


def build(size, seed, block=None):
    image, stem, widths, blocks, kind, classes = SIZES[size]
    kind = block or kind
    g = GraphBuilder(f"resnet_style_{size}", seed)
    x = g.input("input", TensorProto.FLOAT, [1, 3, image, image])

    y = conv_bn(g, x, 3, stem, 7, 2, "stem")
    y = g.node("MaxPool", [y], name="stem.maxpool", kernel_shape=[3, 3], strides=[2, 2],
               pads=[1, 1, 1, 1])
    c = stem
    make_block = basic_block if kind == "basic" else bottleneck_block
    for stage, (width, n) in enumerate(zip(widths, blocks), start=1):
        for i in range(n):
            stride = 2 if (i == 0 and stage > 1) else 1
            y, c = make_block(g, y, c, width, stride, f"layer{stage}.{i}")

    y = g.node("GlobalAveragePool", [y], name="avgpool")
    y = g.node("Flatten", [y], name="flatten", axis=1)
    y = g.gemm(y, c, classes, name="fc")
    g.output(y, TensorProto.FLOAT, [1, classes], name="logits")
    return g.model(doc=f"resnet_style.py --size {size} --block {kind} --seed {seed}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", choices=sorted(SIZES), default="small")
    p.add_argument("--block", choices=["basic", "bottleneck"], default=None,
                   help="override the block kind of --size")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    model = build(args.size, args.seed, args.block)
    save_checked(model, args.output)
    print(f"wrote {args.output}: {len(model.graph.node)} nodes, "
          f"{count_params(model)} parameters")


if __name__ == "__main__":
    main()

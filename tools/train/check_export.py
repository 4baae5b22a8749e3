#!/usr/bin/python3
"""Checks an exported model folder against Hugging Face's GPT-2 layout, independently of export.

1. The safetensors file is read with our own reader; its header must be 8-byte aligned and hold
   exactly GPT-2's tensor names with GPT-2's (Conv1D, input-major) shapes.
2. A plain numpy forward pass over the exported tensors (numpy_gpt2.py, written from the HF
   GPT-2 layout alone) must give the logits of the trained PyTorch model, loaded from the raw
   checkpoint the training saved (its own `nn.Linear` layout, not through the export code) —
   a transposed or mis-split weight shows up here.
3. The loss of the numpy model on a few held-out windows is printed as a sanity check.

usage: /usr/bin/python3 tools/train/check_export.py models/lmtt-tiny-gpt2 \
           [--checkpoint /tmp/lmtt-train/model.pt] [--data /tmp/lmtt-corpus]
"""

import argparse
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Gpt2, GptConfig  # noqa: E402
from numpy_gpt2 import expected_shapes, numpy_forward  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402


def compare(model, tensors, config, windows):
    """(max |logit difference|, mean numpy loss) of `model` vs the numpy forward on `windows`."""
    worst, losses = 0.0, []
    for row in windows:
        reference = numpy_forward(tensors, config, row[:-1])
        with torch.no_grad():
            logits = model(torch.from_numpy(row[None, :-1])).double().numpy()[0]
        worst = max(worst, float(np.abs(reference - logits).max()))
        shifted = reference - reference.max(-1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
        losses.append(-log_probs[np.arange(len(row) - 1), row[1:]].mean())
    return worst, float(np.mean(losses))


def validation_windows(data_dir, length, vocab_size, count=4):
    rng = np.random.default_rng(0)
    path = os.path.join(data_dir, "val.bin")
    if not os.path.exists(path):
        return [rng.integers(0, vocab_size, size=length + 1) for _ in range(count)]
    val = np.fromfile(path, dtype="<u2").astype(np.int64)
    return [val[s : s + length + 1] for s in rng.integers(0, len(val) - length - 1, size=count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--checkpoint", default="/tmp/lmtt-train/model.pt")
    parser.add_argument("--data", default="/tmp/lmtt-corpus")
    args = parser.parse_args()
    with open(os.path.join(args.folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    path = os.path.join(args.folder, "model.safetensors")
    with open(path, "rb") as f:
        (header_length,) = struct.unpack("<Q", f.read(8))
    tensors, _ = read_safetensors(path)
    problems = []
    if header_length % 8:
        problems.append(f"header length {header_length} is not a multiple of 8")
    shapes = {k: list(v.shape) for k, v in tensors.items()}
    if shapes != expected_shapes(config):
        odd = sorted(k for k in set(shapes) | set(expected_shapes(config))
                     if shapes.get(k) != expected_shapes(config).get(k))
        problems.append(f"tensor names/shapes differ from GPT-2's: {odd}")
    dtypes = sorted({str(v.dtype) for v in tensors.values()})

    model = Gpt2(GptConfig(vocab_size=config["vocab_size"], n_positions=config["n_positions"],
                           n_embd=config["n_embd"], n_layer=config["n_layer"],
                           n_head=config["n_head"], layer_norm_epsilon=config["layer_norm_epsilon"]))
    model.load_state_dict(torch.load(args.checkpoint, map_location="cpu"), strict=True)
    model.eval()
    windows = validation_windows(args.data, config["n_positions"], config["vocab_size"])
    worst, loss = compare(model, tensors, config, windows)
    tolerance = 1e-3 if "float32" in dtypes else 5e-2
    if worst > tolerance:
        problems.append(f"numpy and PyTorch logits differ by up to {worst:.2e}")
    size = sum(os.path.getsize(os.path.join(args.folder, f)) for f in os.listdir(args.folder))
    print(f"{len(tensors)} tensors ({', '.join(dtypes)}), header {header_length} bytes; numpy "
          f"(exported file) vs PyTorch (training checkpoint) max |logit diff| {worst:.2e} over "
          f"{len(windows)} windows of {config['n_positions']}; numpy loss on them {loss:.4f}; "
          f"folder {size / 1e6:.2f} MB")
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

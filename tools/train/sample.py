#!/usr/bin/python3
"""Greedy continuations from an exported model folder, for the model card.

Loads `config.json` + `model.safetensors` + `tokenizer.json` from the folder (through
`export_hf.load_exported` and the Python BPE), and for each prompt appends the most likely next
token `--tokens` times, stopping at `<|endoftext|>`.

usage: /usr/bin/python3 tools/train/sample.py models/lmtt-tiny-gpt2 ["prompt" ...]
"""

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_hf import load_exported  # noqa: E402
from gpt2_bpe import Gpt2Bpe  # noqa: E402

PROMPTS = [
    "Thank you very",
    "In the beginning God created",
    "It is a truth universally acknowledged, that a single man in possession of a good fortune,",
    "The Congress of the United States",
    # Repeated text (invented for this test): induction should complete the second copy.
    "Tobias Wren kept the lighthouse at Gull Rock for forty years. When the storm came, "
    "Tobias Wren kept the",
    "zebra quartz violin marmalade 1937 lantern. zebra quartz violin",
]


@torch.no_grad()
def greedy(model, bpe, prompt, tokens):
    ids = bpe.encode(prompt)
    start = len(ids)
    for _ in range(tokens):
        context = torch.tensor([ids[-model.config.n_positions :]])
        next_id = int(model(context)[0, -1].argmax())
        if next_id == bpe.end_of_text:
            break
        ids.append(next_id)
    return bpe.decode(ids[start:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("prompts", nargs="*")
    parser.add_argument("--tokens", type=int, default=24)
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = load_exported(args.folder)
    bpe = Gpt2Bpe(os.path.join(args.folder, "tokenizer.json"))
    for prompt in args.prompts or PROMPTS:
        print(f"{prompt!r} -> {greedy(model, bpe, prompt, args.tokens)!r}")


if __name__ == "__main__":
    main()

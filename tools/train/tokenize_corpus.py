#!/usr/bin/env python3
"""Tokenises the corpus with the model's BPE and splits it into training and validation tokens.

The token stream (documents separated by `<|endoftext|>`, as in the corpus file) is cut into
chunks of `--chunk` tokens; every `--val-every`-th chunk is held out for validation, so the held
out prose is spread over all sources. Tokens are written as little-endian uint16
(`train.bin`, `val.bin`) next to a `tokens.json` recording sizes and SHA-256s.

usage: python3 tools/train/tokenize_corpus.py --corpus /tmp/lmtt-corpus/corpus.txt \
           --tokenizer models/lmtt-tiny-gpt2/tokenizer.json --out /tmp/lmtt-corpus
"""

import argparse
import hashlib
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt2_bpe import END_OF_TEXT, Gpt2Bpe  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="/tmp/lmtt-corpus/corpus.txt")
    parser.add_argument("--tokenizer", required=True, help="path of tokenizer.json")
    parser.add_argument("--out", default="/tmp/lmtt-corpus")
    parser.add_argument("--chunk", type=int, default=8192)
    parser.add_argument("--val-every", type=int, default=40)
    args = parser.parse_args()

    with open(args.corpus, "rb") as f:
        raw = f.read()
    bpe = Gpt2Bpe(args.tokenizer)
    if bpe.vocab_size > 1 << 16:
        raise ValueError("uint16 token files need a vocabulary of at most 65536")
    started = time.time()
    ids = []
    for n, document in enumerate(raw.decode("utf-8").split(END_OF_TEXT)):
        if n > 0:
            ids.append(bpe.end_of_text)
        ids.extend(bpe.encode(document))
    tokens = np.asarray(ids, dtype=np.uint16)
    seconds = time.time() - started

    chunks = np.arange(len(tokens)) // args.chunk
    held_out = chunks % args.val_every == args.val_every - 1
    train, val = tokens[~held_out], tokens[held_out]
    os.makedirs(args.out, exist_ok=True)
    meta = {
        "corpus": os.path.abspath(args.corpus),
        "corpus_sha256": hashlib.sha256(raw).hexdigest(),
        "tokenizer_sha256": hashlib.sha256(open(args.tokenizer, "rb").read()).hexdigest(),
        "vocab_size": bpe.vocab_size,
        "end_of_text_id": bpe.end_of_text,
        "split": f"chunks of {args.chunk} tokens; every {args.val_every}th chunk is validation",
        "tokens": int(len(tokens)),
        "bytes_per_token": round(len(raw) / len(tokens), 3),
    }
    for name, part in (("train", train), ("val", val)):
        data = part.astype("<u2").tobytes()
        with open(os.path.join(args.out, f"{name}.bin"), "wb") as f:
            f.write(data)
        meta[name] = {"tokens": int(len(part)), "sha256": hashlib.sha256(data).hexdigest()}
    with open(os.path.join(args.out, "tokens.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    rate = len(raw) / seconds / 1e6
    print(f"{len(tokens):,d} tokens ({meta['bytes_per_token']} bytes/token) in {seconds:.1f} s "
          f"({rate:.1f} MB/s): train {len(train):,d}, val {len(val):,d}")


if __name__ == "__main__":
    main()

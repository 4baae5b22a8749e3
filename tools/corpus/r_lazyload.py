"""Reads character vectors out of an R package's lazy-load data base without R.

An installed R package keeps its data sets in `data/Rdata.rdx` + `data/Rdata.rdb`:

- `Rdata.rdx` is a gzip-compressed serialised R list whose `variables` element maps each data
  set's name to `c(offset, length)` in the `.rdb` file;
- at that place in `Rdata.rdb` sits a 4-byte big-endian uncompressed length followed by a zlib
  stream (R's default compression), holding one serialised R object.

Serialised objects use R's XDR format (big-endian): a header, then items that each start with a
32-bit flags word (type in the low byte, has-attributes bit 9, has-tag bit 10). Only the item
types that plain data vectors and their attribute lists use are handled; anything else raises,
so a surprising file fails loudly rather than yielding wrong text.
"""

import gzip
import struct
import zlib

NILSXP, SYMSXP, LISTSXP = 0, 1, 2
CHARSXP, LGLSXP, INTSXP, REALSXP, STRSXP, VECSXP = 9, 10, 13, 14, 16, 19
REFSXP, NILVALUE_SXP = 255, 254
HAS_ATTR, HAS_TAG = 1 << 9, 1 << 10
LATIN1_LEVEL = 1 << 2  # a CHARSXP's encoding bit, in the flags above bit 12
NA_LENGTH = -1


class Unserializer:
    """Decodes one XDR-serialised R object from bytes."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.refs = []

    def _int(self):
        (value,) = struct.unpack_from(">i", self.data, self.pos)
        self.pos += 4
        return value

    def _length(self):
        length = self._int()
        if length == -1:  # long vector: two more words give the length
            upper, lower = self._int(), self._int()
            length = (upper << 32) + lower
        return length

    def read_object(self):
        """Reads the header and the one object that follows it."""
        if self.data[:2] != b"X\n":
            raise ValueError("not an XDR-format R serialisation")
        self.pos = 2
        version = self._int()
        self._int()  # R version that wrote it
        self._int()  # oldest R version that can read it
        if version == 3:
            native_encoding_length = self._int()
            self.pos += native_encoding_length
        elif version != 2:
            raise ValueError(f"unsupported serialisation version {version}")
        return self._item()

    def _item(self):
        flags = self._int()
        kind = flags & 0xFF
        if kind == NILVALUE_SXP:
            return None
        if kind == REFSXP:
            index = flags >> 8 or self._int()
            return self.refs[index - 1]
        if kind == SYMSXP:
            name = self._item()
            self.refs.append(name)
            return name
        if kind == LISTSXP:
            return self._pairlist(flags)
        if kind == CHARSXP:
            length = self._int()
            if length == NA_LENGTH:
                return None
            encoding = "latin-1" if (flags >> 12) & LATIN1_LEVEL else "utf-8"
            text = self.data[self.pos : self.pos + length].decode(encoding)
            self.pos += length
            return text
        if kind in (LGLSXP, INTSXP):
            n = self._length()
            values = list(struct.unpack_from(f">{n}i", self.data, self.pos))
            self.pos += 4 * n
            return self._with_attributes(flags, values)
        if kind == REALSXP:
            n = self._length()
            values = list(struct.unpack_from(f">{n}d", self.data, self.pos))
            self.pos += 8 * n
            return self._with_attributes(flags, values)
        if kind in (STRSXP, VECSXP):
            n = self._length()
            values = [self._item() for _ in range(n)]
            return self._with_attributes(flags, values)
        raise ValueError(f"R object type {kind} is not supported by this reader")

    def _pairlist(self, flags):
        """A pairlist (used for attributes) as a dict from tag to value."""
        out = {}
        while True:
            if flags & HAS_ATTR:
                self._item()
            tag = self._item() if flags & HAS_TAG else None
            out[tag] = self._item()
            flags = self._int()
            if flags & 0xFF == NILVALUE_SXP:
                return out
            if flags & 0xFF != LISTSXP:
                raise ValueError("pairlist continues with a non-pairlist item")

    def _with_attributes(self, flags, values):
        if flags & HAS_ATTR:
            attributes = self._item()
            names = attributes.get("names")
            if names is not None:
                return dict(zip(names, values))
        return values


def unserialize(data):
    """The R object serialised in `data`."""
    return Unserializer(data).read_object()


def read_lazyload_data(package_dir):
    """All data sets of an installed R package, by name, decoded."""
    with gzip.open(f"{package_dir}/data/Rdata.rdx", "rb") as f:
        index = unserialize(f.read())
    if index.get("compressed") not in ([True], [1]):
        raise ValueError("only zlib-compressed lazy-load data bases are supported")
    with open(f"{package_dir}/data/Rdata.rdb", "rb") as f:
        rdb = f.read()
    out = {}
    for name, (offset, length) in sorted(index["variables"].items()):
        blob = rdb[offset : offset + length]
        (expected,) = struct.unpack(">I", blob[:4])
        raw = zlib.decompress(blob[4:])
        if len(raw) != expected:
            raise ValueError(f"{name}: decompressed {len(raw)} bytes, expected {expected}")
        out[name] = unserialize(raw)
    return out

"""A small reader and writer for the safetensors format, for numpy arrays.

A safetensors file is: an 8-byte little-endian unsigned header length N; N bytes of JSON
mapping each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative
to the end of the header, tensors packed back to back in order) and optionally
"__metadata__" (string to string); then the raw little-endian tensor bytes. This writer pads
the JSON with spaces so the data starts 8-byte aligned, and lays tensors out in name order.
"""

import json
import struct

import numpy as np

DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "I64": np.dtype("<i8"),
          "I32": np.dtype("<i4")}
NAMES = {dtype: name for name, dtype in DTYPES.items()}


def write_safetensors(path, tensors, metadata=None):
    """Writes `tensors` (name -> numpy array of a dtype in DTYPES) to `path`."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name])
        dtype = array.dtype.newbyteorder("<")
        if dtype not in NAMES:
            raise ValueError(f"{name}: unsupported dtype {array.dtype}")
        data = array.astype(dtype, copy=False).tobytes()
        header[name] = {"dtype": NAMES[dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def read_safetensors(path):
    """(name -> numpy array, metadata dict) read from `path`, with the layout checked."""
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8 : 8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = memoryview(raw)[8 + length :]
    tensors, end = {}, 0
    for name, spec in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = spec["data_offsets"]
        dtype = DTYPES[spec["dtype"]]
        count = int(np.prod(spec["shape"], dtype=np.int64))
        if begin != end or stop - begin != count * dtype.itemsize:
            raise ValueError(f"{name}: data_offsets {spec['data_offsets']} do not fit")
        tensors[name] = np.frombuffer(data[begin:stop], dtype=dtype).reshape(spec["shape"])
        end = stop
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the last tensor")
    return tensors, metadata

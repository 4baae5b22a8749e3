import { describe, expect, it } from 'vitest';
import { isLmttError } from '../errors.js';
import { roundTo, writeSafetensors } from '../../test/support/safetensors-writer.js';
import { createRng } from '../../test/support/rng.js';
import { readSafetensorsHeader, requireTensor, type WeightDType } from './safetensors.js';

function reader(bytes: Uint8Array) {
  return (offset: number, length: number) =>
    Promise.resolve(bytes.subarray(offset, offset + length));
}

/** Parses `bytes`, telling the parser their size unless `fileSize` is `'unknown'`. */
function parse(bytes: Uint8Array, fileSize: number | 'unknown' = bytes.length) {
  const size = fileSize === 'unknown' ? undefined : fileSize;
  return readSafetensorsHeader('model.safetensors', reader(bytes), size);
}

/** A file with any header text and `dataLength` zero bytes of data. */
function rawFile(header: unknown, dataLength = 0): Uint8Array {
  const json = new TextEncoder().encode(
    typeof header === 'string' ? header : JSON.stringify(header),
  );
  const bytes = new Uint8Array(8 + json.length + dataLength);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  return bytes;
}

/** Decodes stored values independently of the writer's encoder. */
function decode(dtype: WeightDType, bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = dtype === 'F32' ? 4 : 2;
  return Array.from({ length: bytes.length / size }, (_, i) => {
    if (dtype === 'F32') return view.getFloat32(i * size, true);
    const bits = view.getUint16(i * size, true);
    if (dtype === 'BF16') {
      const widened = new DataView(new ArrayBuffer(4));
      widened.setUint32(0, bits << 16);
      return widened.getFloat32(0);
    }
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0) return sign * mantissa * 2 ** -24;
    if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
    return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  });
}

async function expectBad(
  bytes: Uint8Array,
  message: RegExp,
  fileSize: number | 'unknown' = bytes.length,
) {
  const error: unknown = await parse(bytes, fileSize).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLmttError(error, 'BAD_SAFETENSORS'), String(error)).toBe(true);
  expect((error as Error).message).toMatch(/^model\.safetensors/);
  expect((error as Error).message).toMatch(message);
}

describe('readSafetensorsHeader', () => {
  it.each<WeightDType>(['F32', 'F16', 'BF16'])(
    'round-trips %s tensors of odd sizes, scalars and empty tensors',
    async (dtype) => {
      const rng = createRng(7);
      const values = (n: number) => Array.from({ length: n }, () => 3 * rng.normal());
      const shapes: Record<string, number[]> = {
        a: [3, 5],
        'h.0.b': [7],
        scalar: [],
        empty: [0, 4],
      };
      const data = Object.fromEntries(
        Object.entries(shapes).map(([name, shape]) => [
          name,
          values(shape.reduce((p, s) => p * s, 1)),
        ]),
      );
      const bytes = writeSafetensors(
        Object.fromEntries(
          Object.entries(shapes).map(([name, shape]) => [
            name,
            { dtype, shape, data: data[name]! },
          ]),
        ),
        { format: 'pt', note: 'tiny' },
      );
      const header = await parse(bytes);

      expect(header.file).toBe('model.safetensors');
      expect(header.dataStart % 8).toBe(0);
      expect(header.metadata).toEqual({ format: 'pt', note: 'tiny' });
      expect(header.otherTensors.size).toBe(0);
      expect([...header.tensors.keys()].sort()).toEqual(Object.keys(shapes).sort());
      for (const [name, shape] of Object.entries(shapes)) {
        const entry = requireTensor(header, name);
        expect(entry).toMatchObject({ name, dtype, shape });
        const stored = decode(dtype, bytes.subarray(entry.offset, entry.offset + entry.length));
        expect(stored).toEqual(data[name]!.map((x) => roundTo(dtype, x)));
      }
    },
  );

  it('accepts a file without metadata and checks truncation without a file size', async () => {
    const bytes = writeSafetensors({ w: { dtype: 'F32', shape: [2], data: [1, 2] } });
    const header = await parse(bytes, 'unknown');
    expect(header.metadata).toEqual({});
    expect(header.tensors.get('w')).toEqual({
      name: 'w',
      dtype: 'F32',
      shape: [2],
      offset: header.dataStart,
      length: 8,
    });
    await expectBad(
      bytes.subarray(0, bytes.length - 1),
      /truncated.*last byte of the data/,
      'unknown',
    );
  });

  it('keeps tensors of other dtypes aside and refuses them only when asked for', async () => {
    const bytes = writeSafetensors({
      'h.0.attn.bias': { dtype: 'U8', shape: [1, 1, 2, 2], data: [1, 0, 1, 1] },
      position_ids: { dtype: 'I64', shape: [3], data: [0, 1, 2] },
      'h.0.ln_1.weight': { dtype: 'F16', shape: [2], data: [1, 1] },
    });
    const header = await parse(bytes);
    expect([...header.tensors.keys()]).toEqual(['h.0.ln_1.weight']);
    expect(header.otherTensors.get('position_ids')).toMatchObject({ dtype: 'I64', length: 24 });
    expect(() => requireTensor(header, 'h.0.attn.bias')).toThrow(
      expect.objectContaining({
        code: 'UNSUPPORTED_DTYPE',
        message:
          "tensor 'h.0.attn.bias' in model.safetensors has dtype U8; lmtt reads weights in F32, F16 or BF16",
      }),
    );
    expect(() => requireTensor(header, 'wte.weight')).toThrow(
      expect.objectContaining({
        code: 'BAD_SAFETENSORS',
        message: "model.safetensors has no tensor named 'wte.weight'",
      }),
    );
  });

  it('rejects a file shorter than the header length field', async () => {
    await expectBad(new Uint8Array(5), /5 bytes, shorter than the 8-byte header length/, 5);
    await expectBad(
      new Uint8Array(5),
      /truncated: the 8-byte header length needs 8 bytes/,
      'unknown',
    );
  });

  it('rejects a header length beyond the file or absurdly large', async () => {
    const bytes = writeSafetensors({ w: { dtype: 'F32', shape: [4], data: [1, 2, 3, 4] } });
    const cut = bytes.subarray(0, 20);
    await expectBad(cut, /header length \d+ runs past the end of the 20-byte file/, 20);
    await expectBad(
      cut,
      /truncated: the JSON header needs \d+ bytes at offset 8, got 12/,
      'unknown',
    );
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    await expectBad(huge, /header length is 1099511627776 bytes.*is this a safetensors file/);
  });

  it('rejects a header that is not a JSON object', async () => {
    await expectBad(rawFile('{"w": {"dtype": "F32",'), /not valid UTF-8 JSON/);
    await expectBad(rawFile([1, 2]), /header is not a JSON object/);
    const invalidUtf8 = rawFile('{"w":1}');
    invalidUtf8[10] = 0xff;
    await expectBad(invalidUtf8, /not valid UTF-8 JSON/);
  });

  it.each([
    [
      'a missing dtype',
      { w: { shape: [1], data_offsets: [0, 4] } },
      /tensor 'w' has no string 'dtype'/,
    ],
    [
      'a bad shape',
      { w: { dtype: 'F32', shape: [2, -1], data_offsets: [0, 4] } },
      /tensor 'w' has shape \[2,-1\]; expected an array of non-negative integers/,
    ],
    [
      'reversed offsets',
      { w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } },
      /tensor 'w' has data_offsets \[4,0\]; expected \[begin, end\]/,
    ],
    [
      'a byte count that does not match the shape',
      { w: { dtype: 'F16', shape: [3, 2], data_offsets: [0, 8] } },
      /tensor 'w' \(F16, shape \[3, 2\]\) needs 12 bytes but data_offsets \[0, 8\] span 8/,
    ],
    [
      'offsets past the data section',
      { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } },
      /tensor 'w' ends at data byte 16, past the 8-byte data section/,
    ],
    [
      'overlapping tensors',
      {
        a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
        b: { dtype: 'F16', shape: [2], data_offsets: [2, 6] },
      },
      /tensors 'a' \[0, 4\) and 'b' \[2, 6\) overlap/,
    ],
    [
      'non-string metadata',
      { __metadata__: { step: 3 } },
      /'__metadata__.step' is 3, not a string/,
    ],
  ])('rejects %s', async (_, header, message) => {
    await expectBad(rawFile(header, 8), message);
  });

  it('reports a failing read with its cause', async () => {
    const cause = new Error('EIO');
    const error: unknown = await readSafetensorsHeader('x.safetensors', () =>
      Promise.reject(cause),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'BAD_SAFETENSORS',
      message: 'x.safetensors: could not read the 8-byte header length',
      cause,
    });
  });
});

describe('roundTo', () => {
  it('rounds to nearest, ties to even, in F16 and BF16', () => {
    expect(roundTo('BF16', 1 + 2 ** -8)).toBe(1);
    expect(roundTo('BF16', 1 + 3 * 2 ** -8)).toBe(1 + 2 ** -6);
    expect(roundTo('BF16', -(1 + 2 ** -8 + 2 ** -20))).toBe(-(1 + 2 ** -7));
    expect(roundTo('F16', 1 + 2 ** -11)).toBe(1);
    expect(roundTo('F16', 1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(roundTo('F16', 0.1)).toBe(0.0999755859375);
  });

  it('handles F16 subnormals and overflow', () => {
    expect(roundTo('F16', 2 ** -25)).toBe(0);
    expect(roundTo('F16', 3 * 2 ** -25)).toBe(2 ** -23);
    expect(roundTo('F16', 5e-8)).toBe(2 ** -24);
    expect(roundTo('F16', 65519)).toBe(65504);
    expect(roundTo('F16', 65520)).toBe(Infinity);
    expect(roundTo('F16', -1e6)).toBe(-Infinity);
  });

  it('agrees with truncating float32 bits for BF16 and with Math.fround for F32', () => {
    const rng = createRng(3);
    const bits = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < 1000; i++) {
      const x = Math.fround(rng.normal() * 2 ** (rng.uniform() * 40 - 20));
      bits.setFloat32(0, x);
      const u = bits.getUint32(0);
      bits.setUint32(0, ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) << 16);
      expect(roundTo('BF16', x)).toBe(bits.getFloat32(0));
      expect(roundTo('F32', x)).toBe(x);
    }
  });

  it('stores the bit patterns of the format', () => {
    const bytes = writeSafetensors({
      h: { dtype: 'F16', shape: [5], data: [1, -2, 65504, 2 ** -24, -0] },
      b: { dtype: 'BF16', shape: [2], data: [1, -Infinity] },
    });
    const header = new DataView(bytes.buffer).getUint32(0, true);
    const view = new DataView(bytes.buffer, 8 + header);
    const words = Array.from({ length: 7 }, (_, i) => view.getUint16(2 * i, true));
    expect(words).toEqual([0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x3f80, 0xff80]);
  });
});

import { LmttError } from '../errors.js';

/** The float dtypes the engine reads weights in. */
export type WeightDType = 'F32' | 'F16' | 'BF16';

/** One tensor of a `.safetensors` file whose dtype the engine reads. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: WeightDType;
  readonly shape: readonly number[];
  /** absolute byte offset of the tensor's data in the file */
  readonly offset: number;
  /** Byte length of the tensor's data. */
  readonly length: number;
}

/**
 * A tensor whose dtype the engine does not read (`I64`, `U8`, `BOOL`, `F64`,
 * `F8_E4M3`, ...), e.g. an integer buffer a checkpoint carries along. Kept so
 * that asking for it fails with `UNSUPPORTED_DTYPE` rather than "missing".
 */
export interface OtherTensorEntry {
  readonly name: string;
  /** The dtype as the file spells it. */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** absolute byte offset of the tensor's data in the file */
  readonly offset: number;
  readonly length: number;
}

/** The parsed, validated header of one `.safetensors` file. */
export interface SafetensorsHeader {
  /** The file's name, as given to {@link readSafetensorsHeader}. */
  readonly file: string;
  /** Absolute byte offset where the data section starts (8 + header length). */
  readonly dataStart: number;
  /** The F32, F16 and BF16 tensors, by name. */
  readonly tensors: ReadonlyMap<string, TensorEntry>;
  /** Tensors of every other dtype, by name; see {@link requireTensor}. */
  readonly otherTensors: ReadonlyMap<string, OtherTensorEntry>;
  /** The `__metadata__` map (e.g. `{ format: 'pt' }`), empty when absent. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The safetensors library refuses headers above 100 MB; so do we. */
const MAX_HEADER_LENGTH = 100_000_000;

const WEIGHT_DTYPES: ReadonlySet<string> = new Set<WeightDType>(['F32', 'F16', 'BF16']);

/** Bits per element of every dtype the safetensors format defines. */
const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
};

/**
 * Reads and validates the header of a `.safetensors` file without reading
 * any tensor data.
 *
 * Checks that the header length fits the file, the header is a UTF-8 JSON
 * object, every entry has a dtype, a shape of non-negative integers and
 * `data_offsets` whose span equals the element count times the dtype size,
 * that tensors lie inside the data section and do not overlap. Gaps between
 * tensors are allowed. A dtype the format does not (yet) define is kept in
 * `otherTensors` with only its bounds checked.
 *
 * @param file - Name used in error messages and kept in the result, e.g. `model.safetensors`.
 * @param read - Reads `length` bytes at absolute `offset`; may return fewer at the end of the file.
 * @param fileSize - Size of the file in bytes. Without it, one extra 1-byte
 *   read at the end of the data section checks that the file is not truncated.
 * @throws LmttError `BAD_SAFETENSORS` naming the file and what is wrong.
 * @example
 * const header = await readSafetensorsHeader(file.name, (o, n) => file.read(o, n), file.size);
 * const wte = requireTensor(header, 'wte.weight'); // { dtype: 'F32', shape: [50257, 768], offset, length }
 */
export async function readSafetensorsHeader(
  file: string,
  read: (offset: number, length: number) => Promise<Uint8Array>,
  fileSize?: number,
): Promise<SafetensorsHeader> {
  const fail = (what: string, cause?: unknown): LmttError =>
    new LmttError('BAD_SAFETENSORS', `${file} is not a valid safetensors file: ${what}`, {
      cause,
    });
  const readExactly = async (offset: number, length: number, what: string) => {
    let bytes: Uint8Array;
    try {
      bytes = await read(offset, length);
    } catch (error) {
      throw new LmttError('BAD_SAFETENSORS', `${file}: could not read ${what}`, { cause: error });
    }
    if (bytes.length < length) {
      throw fail(
        `the file is truncated: ${what} needs ${length} bytes at offset ${offset}, got ${bytes.length}`,
      );
    }
    return bytes.subarray(0, length);
  };

  if (fileSize !== undefined && fileSize < 8) {
    throw fail(`the file is ${fileSize} bytes, shorter than the 8-byte header length`);
  }
  const prefix = await readExactly(0, 8, 'the 8-byte header length');
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength < 2 || headerLength > MAX_HEADER_LENGTH) {
    throw fail(
      `the header length is ${headerLength} bytes (expected 2 to ${MAX_HEADER_LENGTH}); is this a safetensors file?`,
    );
  }
  const dataStart = 8 + headerLength;
  if (fileSize !== undefined && dataStart > fileSize) {
    throw fail(
      `the header length ${headerLength} runs past the end of the ${fileSize}-byte file (truncated download?)`,
    );
  }

  const headerBytes = await readExactly(8, headerLength, 'the JSON header');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (error) {
    throw fail(`the header is not valid UTF-8 JSON (${(error as Error).message})`, error);
  }
  if (!isRecord(json)) throw fail('the header is not a JSON object');

  const dataSize = fileSize === undefined ? undefined : fileSize - dataStart;
  const tensors = new Map<string, TensorEntry>();
  const otherTensors = new Map<string, OtherTensorEntry>();
  const spans: { name: string; begin: number; end: number }[] = [];
  let metadata: Record<string, string> = {};

  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(value, fail);
      continue;
    }
    const { dtype, shape, begin, end } = parseEntry(name, value, fail);
    if (dataSize !== undefined && end > dataSize) {
      throw fail(
        `tensor '${name}' ends at data byte ${end}, past the ${dataSize}-byte data section (truncated file?)`,
      );
    }
    spans.push({ name, begin, end });
    const entry = { name, shape, offset: dataStart + begin, length: end - begin };
    if (WEIGHT_DTYPES.has(dtype)) tensors.set(name, { ...entry, dtype: dtype as WeightDType });
    else otherTensors.set(name, { ...entry, dtype });
  }

  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < spans.length; i++) {
    const previous = spans[i - 1]!;
    const current = spans[i]!;
    if (current.begin < previous.end) {
      throw fail(
        `tensors '${previous.name}' [${previous.begin}, ${previous.end}) and '${current.name}' [${current.begin}, ${current.end}) overlap`,
      );
    }
  }
  const dataEnd = spans.reduce((max, span) => Math.max(max, span.end), 0);
  if (dataSize === undefined && dataEnd > 0) {
    await readExactly(dataStart + dataEnd - 1, 1, 'the last byte of the data section');
  }

  return { file, dataStart, tensors, otherTensors, metadata };
}

/**
 * The entry of tensor `name`, which must exist and be F32, F16 or BF16.
 *
 * @throws LmttError `UNSUPPORTED_DTYPE` when the tensor has another dtype,
 *   `BAD_SAFETENSORS` when the file has no such tensor.
 */
export function requireTensor(header: SafetensorsHeader, name: string): TensorEntry {
  const entry = header.tensors.get(name);
  if (entry) return entry;
  const other = header.otherTensors.get(name);
  if (other) {
    throw new LmttError(
      'UNSUPPORTED_DTYPE',
      `tensor '${name}' in ${header.file} has dtype ${other.dtype}; lmtt reads weights in F32, F16 or BF16`,
    );
  }
  throw new LmttError('BAD_SAFETENSORS', `${header.file} has no tensor named '${name}'`);
}

type Fail = (what: string, cause?: unknown) => LmttError;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (!isRecord(value)) throw fail(`'__metadata__' is not a JSON object`);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw fail(`'__metadata__.${key}' is ${JSON.stringify(item)}, not a string`);
    }
  }
  return value as Record<string, string>;
}

function parseEntry(name: string, value: unknown, fail: Fail) {
  if (!isRecord(value)) throw fail(`the entry for tensor '${name}' is not a JSON object`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') throw fail(`tensor '${name}' has no string 'dtype'`);
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) {
    throw fail(
      `tensor '${name}' has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`,
    );
  }
  if (!isOffsetPair(offsets)) {
    throw fail(
      `tensor '${name}' has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end`,
    );
  }
  const [begin, end] = offsets;
  const bits = DTYPE_BITS[dtype];
  if (bits !== undefined) {
    const elements = shape.reduce((product: number, size: number) => product * size, 1);
    const totalBits = elements * bits;
    if (!Number.isSafeInteger(totalBits) || totalBits % 8 !== 0) {
      throw fail(
        `tensor '${name}' of shape [${shape.join(', ')}] and dtype ${dtype} has no whole byte size`,
      );
    }
    if (end - begin !== totalBits / 8) {
      throw fail(
        `tensor '${name}' (${dtype}, shape [${shape.join(', ')}]) needs ${totalBits / 8} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
      );
    }
  }
  return { dtype, shape: shape as number[], begin, end };
}

function isOffsetPair(value: unknown): value is [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every(isNonNegativeInteger) &&
    value[0]! <= value[1]!
  );
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

import { decodeBase64, encodeBase64 } from './base64.js';
import { FLOAT16_MAX, fromFloat16, toFloat16 } from './float16.js';
import type { IssueList } from './issues.js';
import { elementPath, TraceValidationError } from './issues.js';

/** Element types of a typed array in a trace file. */
export type ArrayDType = 'f32' | 'f16' | 'i32' | 'u8';

/**
 * A typed array in a trace file: little-endian elements of `dtype`, row-major
 * for `shape`, base64 in `data`. With `causal: a`, axes a and a + 1 are
 * (pos, key_pos) of equal size and only the entries with key_pos <= pos are
 * stored (the others are 0), in row-major order.
 */
export interface ArrayJson {
  readonly dtype: ArrayDType;
  readonly shape: readonly number[];
  readonly causal?: number;
  readonly data: string;
}

/** Raw elements of each dtype, as bits. */
type Words = Uint32Array | Uint16Array | Uint8Array;

const ITEM_BYTES: Record<ArrayDType, number> = { f32: 4, f16: 2, i32: 4, u8: 1 };

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Number of elements of a shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** `[32, 32]` */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The sizes around causal axis `axis`: outer, T, inner (shape = [...outer, T, T, ...inner]). */
function causalSplit(shape: readonly number[], axis: number): [number, number, number] {
  return [elementCount(shape.slice(0, axis)), shape[axis]!, elementCount(shape.slice(axis + 2))];
}

/** Elements stored for `shape`, packed on `causal` when given. */
function storedCount(shape: readonly number[], causal: number | undefined): number {
  if (causal === undefined) return elementCount(shape);
  const [outer, t, inner] = causalSplit(shape, causal);
  return outer * ((t * (t + 1)) / 2) * inner;
}

/** The entries with key_pos <= pos, or `undefined` when an entry above is not all-zero bits. */
function packCausal<W extends Words>(
  words: W,
  shape: readonly number[],
  axis: number,
): W | undefined {
  const [outer, t, inner] = causalSplit(shape, axis);
  const packed = new (words.constructor as new (n: number) => W)(storedCount(shape, axis));
  let o = 0;
  for (let b = 0; b < outer; b++) {
    for (let q = 0; q < t; q++) {
      const row = (b * t + q) * t * inner;
      packed.set(words.subarray(row, row + (q + 1) * inner), o);
      o += (q + 1) * inner;
      for (let i = row + (q + 1) * inner; i < row + t * inner; i++)
        if (words[i] !== 0) return undefined;
    }
  }
  return packed;
}

/** The full array of a causally packed one (zeros above the diagonal). */
function unpackCausal<W extends Words>(packed: W, shape: readonly number[], axis: number): W {
  const [outer, t, inner] = causalSplit(shape, axis);
  const words = new (packed.constructor as new (n: number) => W)(elementCount(shape));
  let o = 0;
  for (let b = 0; b < outer; b++) {
    for (let q = 0; q < t; q++) {
      const row = (b * t + q) * t * inner;
      words.set(packed.subarray(o, o + (q + 1) * inner), row);
      o += (q + 1) * inner;
    }
  }
  return words;
}

/** Reverses the byte order of every `size`-byte element, in place. */
function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

/** The little-endian bytes of `words`. */
function littleEndian(words: Words): Uint8Array {
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  if (HOST_LITTLE_ENDIAN || words.BYTES_PER_ELEMENT === 1) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, words.BYTES_PER_ELEMENT);
  return copy;
}

/** Options of the encoders. */
export interface EncodeOptions {
  /**
   * Pack on this (pos, key_pos) axis pair when every entry with key_pos > pos
   * is +0; otherwise the array is stored whole.
   */
  readonly causalAxis?: number;
}

function encodeWords(
  dtype: ArrayDType,
  words: Words,
  shape: readonly number[],
  path: string,
  options: EncodeOptions,
): ArrayJson {
  if (words.length !== elementCount(shape)) {
    const message = `expected ${elementCount(shape)} values for shape ${formatShape(shape)}, got ${words.length}`;
    throw new TraceValidationError([{ path, message }]);
  }
  const axis = options.causalAxis;
  const packed = axis === undefined ? undefined : packCausal(words, shape, axis);
  const data = encodeBase64(littleEndian(packed ?? words));
  return packed === undefined
    ? { dtype, shape: [...shape], data }
    : { dtype, shape: [...shape], causal: axis, data };
}

/** `values` as a float32 array of `shape`: exact. */
export function encodeFloat32(
  values: Float32Array,
  shape: readonly number[],
  path: string,
  options: EncodeOptions = {},
): ArrayJson {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  return encodeWords('f32', words, shape, path, options);
}

/**
 * `values` as a float16 array of `shape`: each rounded to the nearest float16.
 *
 * @throws TraceValidationError for a finite value beyond ±65504, which float16 cannot keep.
 */
export function encodeFloat16(
  values: Float32Array,
  shape: readonly number[],
  path: string,
  options: EncodeOptions = {},
): ArrayJson {
  const bits = toFloat16(values);
  for (let i = 0; i < bits.length; i++) {
    if ((bits[i]! & 0x7fff) === 0x7c00 && Number.isFinite(values[i]!)) {
      const message = `${values[i]} is beyond the float16 range (±${FLOAT16_MAX})`;
      throw new TraceValidationError([{ path: elementPath(path, shape, i), message }]);
    }
  }
  return encodeWords('f16', bits, shape, path, options);
}

/** `values` as an int32 array of `shape`: exact. */
export function encodeInt32(values: Int32Array, shape: readonly number[], path: string): ArrayJson {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  return encodeWords('i32', words, shape, path, {});
}

/** `values` as a uint8 array of `shape`: exact. */
export function encodeUint8(values: Uint8Array, shape: readonly number[], path: string): ArrayJson {
  return encodeWords('u8', values, shape, path, {});
}

/** The raw elements of `json` if it is an array of `shape` in one of `dtypes`. */
function decodeWords(
  json: ArrayJson,
  dtypes: readonly ArrayDType[],
  shape: readonly number[],
  path: string,
  issues: IssueList,
): Words | undefined {
  const { dtype, causal } = json;
  if (!dtypes.includes(dtype)) {
    issues.add(path, `expected dtype ${dtypes.join(' or ')}, got ${dtype}`);
    return undefined;
  }
  if (json.shape.length !== shape.length || json.shape.some((d, i) => d !== shape[i])) {
    issues.add(path, `expected shape ${formatShape(shape)}, got ${formatShape(json.shape)}`);
    return undefined;
  }
  if (causal !== undefined && !(causal + 1 < shape.length && shape[causal] === shape[causal + 1])) {
    issues.add(path, `causal axis ${causal} needs axes ${causal} and ${causal + 1} of equal size`);
    return undefined;
  }
  const bytes = decodeBase64(json.data);
  if (bytes === undefined) {
    issues.add(path, 'data is not base64');
    return undefined;
  }
  const size = ITEM_BYTES[dtype];
  const expected = storedCount(shape, causal);
  if (bytes.length !== expected * size) {
    const packed = causal === undefined ? '' : ` packed causally on axis ${causal}`;
    const got = bytes.length % size === 0 ? `${bytes.length / size}` : `${bytes.length} bytes`;
    issues.add(
      path,
      `expected ${expected} values for shape ${formatShape(shape)}${packed}, got ${got}`,
    );
    return undefined;
  }
  if (!HOST_LITTLE_ENDIAN) swapBytes(bytes, size);
  const words: Words =
    size === 4 ? new Uint32Array(bytes.buffer) : size === 2 ? new Uint16Array(bytes.buffer) : bytes;
  return causal === undefined ? words : unpackCausal(words, shape, causal);
}

/**
 * The float values of `json` (stored as f32 or f16) if it has `shape`;
 * otherwise records why not and returns `undefined`.
 */
export function decodeFloat32(
  json: ArrayJson,
  shape: readonly number[],
  path: string,
  issues: IssueList,
): Float32Array | undefined {
  const words = decodeWords(json, ['f32', 'f16'], shape, path, issues);
  if (words === undefined) return undefined;
  return json.dtype === 'f16' ? fromFloat16(words as Uint16Array) : new Float32Array(words.buffer);
}

/** The int32 values of `json` if it is i32 of `shape`; otherwise records why not. */
export function decodeInt32(
  json: ArrayJson,
  shape: readonly number[],
  path: string,
  issues: IssueList,
): Int32Array | undefined {
  const words = decodeWords(json, ['i32'], shape, path, issues);
  return words === undefined ? undefined : new Int32Array(words.buffer);
}

/** The uint8 values of `json` if it is u8 of `shape`; otherwise records why not. */
export function decodeUint8(
  json: ArrayJson,
  shape: readonly number[],
  path: string,
  issues: IssueList,
): Uint8Array | undefined {
  const words = decodeWords(json, ['u8'], shape, path, issues);
  return words === undefined ? undefined : new Uint8Array(words.buffer);
}

import type { WeightDType } from '../../src/weights/safetensors.js';

/** The dtypes the writer can store: the engine's float dtypes and a few others for parser tests. */
export type WriterDType = WeightDType | 'F64' | 'I64' | 'I32' | 'U8' | 'BOOL';

/** One tensor to write: values in row-major order, `shape` elements in all. */
export interface WriterTensor {
  readonly dtype: WriterDType;
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

interface FloatFormat {
  readonly mantissaBits: number;
  /** Exponent of the smallest normal number; also the exponent bias minus 1. */
  readonly minExponent: number;
  readonly maxExponent: number;
}

const F16: FloatFormat = { mantissaBits: 10, minExponent: -14, maxExponent: 15 };
const BF16: FloatFormat = { mantissaBits: 7, minExponent: -126, maxExponent: 127 };

const BYTES: Readonly<Record<WriterDType, number>> = {
  F32: 4,
  F16: 2,
  BF16: 2,
  F64: 8,
  I64: 8,
  I32: 4,
  U8: 1,
  BOOL: 1,
};

const scratch = new DataView(new ArrayBuffer(8));

/** floor(log2(m)) for a positive finite double, read from its exponent bits. */
function floorLog2(m: number): number {
  scratch.setFloat64(0, m);
  return ((scratch.getUint32(0) >>> 20) & 0x7ff) - 1023;
}

function roundHalfEven(y: number): number {
  const r = Math.round(y);
  return r - y === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function roundToFormat(x: number, format: FloatFormat): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const magnitude = Math.abs(x);
  const exponent = Math.max(floorLog2(magnitude), format.minExponent);
  const quantum = 2 ** (exponent - format.mantissaBits);
  const rounded = roundHalfEven(magnitude / quantum) * quantum;
  return Math.sign(x) * (rounded >= 2 ** (format.maxExponent + 1) ? Infinity : rounded);
}

/**
 * The value `x` has once stored as `dtype` (round to nearest, ties to even;
 * overflow to infinity), as a float64, so a reference can use stored weights
 * exactly. Integer dtypes truncate toward zero.
 *
 * @example
 * roundTo('BF16', 1 + 2 ** -8); // 1 (a tie, to the even mantissa)
 */
export function roundTo(dtype: WriterDType, x: number): number {
  switch (dtype) {
    case 'F64':
      return x;
    case 'F32':
      return Math.fround(x);
    case 'F16':
      return roundToFormat(x, F16);
    case 'BF16':
      return roundToFormat(x, BF16);
    default:
      return Math.trunc(x);
  }
}

/** The 16-bit pattern of `x` (already representable) in a 1-sign, e-exponent, m-mantissa format. */
function encode16(x: number, format: FloatFormat): number {
  const exponentOnes = (0xffff >>> (format.mantissaBits + 1)) << format.mantissaBits;
  if (Number.isNaN(x)) return exponentOnes | (1 << (format.mantissaBits - 1));
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(x);
  if (magnitude === Infinity) return sign | exponentOnes;
  if (magnitude === 0) return sign;
  const exponent = floorLog2(magnitude);
  if (exponent < format.minExponent) {
    return sign | (magnitude / 2 ** (format.minExponent - format.mantissaBits));
  }
  const biased = exponent - format.minExponent + 1;
  const mantissa = (magnitude / 2 ** exponent - 1) * 2 ** format.mantissaBits;
  return sign | (biased << format.mantissaBits) | mantissa;
}

/** Bytes `tensor` takes in a file. */
export function tensorByteLength(tensor: WriterTensor): number {
  return tensor.shape.reduce((product, size) => product * size, 1) * BYTES[tensor.dtype];
}

function writeValue(view: DataView, offset: number, dtype: WriterDType, x: number): void {
  switch (dtype) {
    case 'F32':
      return view.setFloat32(offset, x, true);
    case 'F16':
      return view.setUint16(offset, encode16(roundToFormat(x, F16), F16), true);
    case 'BF16':
      return view.setUint16(offset, encode16(roundToFormat(x, BF16), BF16), true);
    case 'F64':
      return view.setFloat64(offset, x, true);
    case 'I64':
      return view.setBigInt64(offset, BigInt(Math.trunc(x)), true);
    case 'I32':
      return view.setInt32(offset, x, true);
    case 'U8':
    case 'BOOL':
      return view.setUint8(offset, x);
  }
}

/**
 * A `.safetensors` file holding `tensors` in the given order: an 8-byte
 * little-endian header length, the JSON header (with `__metadata__` when
 * given) padded with spaces so the data starts 8-byte aligned, then the data.
 *
 * @example
 * const bytes = writeSafetensors({ 'wte.weight': { dtype: 'F16', shape: [2, 2], data: [1, 2, 3, 4] } });
 */
export function writeSafetensors(
  tensors: Readonly<Record<string, WriterTensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let dataLength = 0;
  for (const [name, { dtype, shape, data }] of Object.entries(tensors)) {
    const elements = shape.reduce((product, size) => product * size, 1);
    if (data.length !== elements) {
      throw new Error(
        `tensor ${name}: shape [${shape.join(', ')}] needs ${elements} values, got ${data.length}`,
      );
    }
    const length = elements * BYTES[dtype];
    header[name] = { dtype, shape, data_offsets: [dataLength, dataLength + length] };
    dataLength += length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = json.length + ((8 - (json.length % 8)) % 8);
  const bytes = new Uint8Array(8 + headerLength + dataLength);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.fill(0x20, 8, 8 + headerLength);
  bytes.set(json, 8);

  let offset = 8 + headerLength;
  for (const { dtype, data } of Object.values(tensors)) {
    for (let i = 0; i < data.length; i++) {
      writeValue(view, offset, dtype, data[i]!);
      offset += BYTES[dtype];
    }
  }
  return bytes;
}

import { describe, expect, it } from 'vitest';
import {
  FLOAT16_MAX,
  float16Bits,
  float16Value,
  fromFloat16,
  roundToFloat16,
  toFloat16,
} from './float16.js';

/** The float32 next to `x` (x > 0) upwards or downwards. */
function float32Neighbour(x: number, up: boolean): number {
  const f = new Float32Array([x]);
  const bits = new Uint32Array(f.buffer);
  bits[0]! += up ? 1 : -1;
  return f[0]!;
}

describe('float16', () => {
  it('reads back every float16 bit pattern exactly', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = float16Value(bits);
      const isNaN = (bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0;
      if (isNaN)
        expect(Number.isNaN(value) && Number.isNaN(float16Value(float16Bits(value)))).toBe(true);
      else expect(float16Bits(value)).toBe(bits);
    }
  });

  it('rounds to nearest, ties to even, between every pair of neighbours', () => {
    for (let bits = 0; bits < 0x7bff; bits++) {
      const low = float16Value(bits);
      const high = float16Value(bits + 1);
      const middle = (low + high) / 2; // exact in float32: 12 significant bits
      expect(float16Bits(middle)).toBe(bits % 2 === 0 ? bits : bits + 1);
      expect(float16Bits(float32Neighbour(middle, false))).toBe(bits);
      expect(float16Bits(float32Neighbour(middle, true))).toBe(bits + 1);
      expect(float16Bits(-middle)).toBe(0x8000 | (bits % 2 === 0 ? bits : bits + 1));
    }
  });

  it('handles the edges of the range', () => {
    expect(float16Value(float16Bits(FLOAT16_MAX))).toBe(65504);
    expect(float16Bits(65519.99)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00);
    expect(float16Bits(-1e9)).toBe(0xfc00);
    expect(float16Bits(Infinity)).toBe(0x7c00);
    expect(float16Bits(2 ** -24)).toBe(1);
    expect(float16Bits(2 ** -25)).toBe(0); // a tie, to even
    expect(float16Bits(1.5 * 2 ** -25)).toBe(1);
    expect(float16Bits(1e-10)).toBe(0);
    expect(float16Bits(-0)).toBe(0x8000);
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // a tie, to even
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(Number.isNaN(float16Value(float16Bits(NaN)))).toBe(true);
  });

  it('converts arrays both ways', () => {
    const values = new Float32Array([0, 1, -2.5, 0.1, 1e-6, 12345.678]);
    const rounded = roundToFloat16(values);
    expect(fromFloat16(toFloat16(values))).toEqual(rounded);
    expect(roundToFloat16(rounded)).toEqual(rounded);
    expect(rounded[3]).toBeCloseTo(0.1, 3);
    expect(rounded[3]).not.toBe(values[3]);
  });
});

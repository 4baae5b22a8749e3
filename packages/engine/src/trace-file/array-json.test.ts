import { describe, expect, it } from 'vitest';
import {
  decodeFloat32,
  decodeInt32,
  encodeFloat16,
  encodeFloat32,
  encodeInt32,
} from './array-json.js';
import { roundToFloat16 } from './float16.js';
import { IssueList, TraceValidationError } from './issues.js';

/** [2, 3, 3] with zeros above the diagonal of axes 1, 2. */
function causalMaps(): Float32Array {
  const values = new Float32Array(18);
  for (let b = 0; b < 2; b++)
    for (let t = 0; t < 3; t++)
      for (let s = 0; s <= t; s++) values[(b * 3 + t) * 3 + s] = b + t / 3 + s / 7 + 0.01;
  return values;
}

describe('typed arrays in a file', () => {
  it('packs causal maps to the lower triangle and unpacks them exactly', () => {
    const values = causalMaps();
    const json = encodeFloat32(values, [2, 3, 3], 'x', { causalAxis: 1 });
    expect(json).toMatchObject({ dtype: 'f32', shape: [2, 3, 3], causal: 1 });
    expect(Buffer.from(json.data, 'base64').length).toBe(2 * 6 * 4);
    const issues = new IssueList();
    expect(decodeFloat32(json, [2, 3, 3], 'x', issues)).toEqual(values);
    expect(issues.ok).toBe(true);
  });

  it('stores a map whole when an entry above the diagonal is not zero', () => {
    const values = causalMaps();
    values[1] = 0.5;
    const json = encodeFloat16(values, [2, 3, 3], 'x', { causalAxis: 1 });
    expect(json.causal).toBeUndefined();
    expect(decodeFloat32(json, [2, 3, 3], 'x', new IssueList())).toEqual(roundToFloat16(values));
  });

  it('refuses a float16 value beyond its range, naming the element', () => {
    const values = new Float32Array([1, 2, 3, 70000]);
    expect(() => encodeFloat16(values, [2, 2], 'lens.logits')).toThrow(TraceValidationError);
    expect(() => encodeFloat16(values, [2, 2], 'lens.logits')).toThrow(
      'lens.logits[1, 1]: 70000 is beyond the float16 range (±65504)',
    );
  });

  it('reports dtype, shape, length and base64 problems with the path', () => {
    const ints = encodeInt32(new Int32Array([1, 2, 3, 4]), [2, 2], 'ids');
    const cases: [() => unknown, string][] = [
      [() => decodeFloat32(ints, [2, 2], 'a', issues), 'a: expected dtype f32 or f16, got i32'],
      [() => decodeInt32(ints, [4], 'b', issues), 'b: expected shape [4], got [2, 2]'],
      [
        () => decodeInt32({ ...ints, shape: [2, 3] }, [2, 3], 'c', issues),
        'c: expected 6 values for shape [2, 3], got 4',
      ],
      [() => decodeInt32({ ...ints, data: 'AQ' }, [2, 2], 'd', issues), 'd: data is not base64'],
      [
        () => decodeInt32({ ...ints, data: 'AQI=' }, [2, 2], 'e', issues),
        'e: expected 4 values for shape [2, 2], got 2 bytes',
      ],
      [
        () => decodeInt32({ ...ints, causal: 1 }, [2, 2], 'f', issues),
        'f: causal axis 1 needs axes 1 and 2 of equal size',
      ],
    ];
    const issues = new IssueList();
    for (const [decode, message] of cases) {
      expect(decode()).toBeUndefined();
      const issue = issues.items.at(-1)!;
      expect(`${issue.path}: ${issue.message}`).toBe(message);
    }
  });
});

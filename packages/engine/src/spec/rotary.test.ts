import { describe, expect, it } from 'vitest';
import { rotaryInverseFrequencies, rotaryTableData } from './rotary.js';

describe('rotary tables', () => {
  it('hold cos and sin of t * f[i], repeated over both halves of the width', () => {
    const positions = { kind: 'rotary', theta: 10000 } as const;
    expect(Array.from(rotaryInverseFrequencies(positions, 4))).toEqual([1, 0.01]);
    const { cos, sin } = rotaryTableData(positions, 4, 3); // [3, 1, 4]
    const f = [1, Math.fround(0.01)];
    for (let t = 0; t < 3; t++) {
      const angles = f.map((x) => Math.fround(t * x));
      const row = (table: Float32Array) => Array.from(table.subarray(t * 4, (t + 1) * 4));
      expect(row(cos)).toEqual([...angles, ...angles].map((a) => Math.fround(Math.cos(a))));
      expect(row(sin)).toEqual([...angles, ...angles].map((a) => Math.fround(Math.sin(a))));
    }
  });
});

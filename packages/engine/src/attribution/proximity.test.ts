import { describe, expect, it } from 'vitest';
import { createRng } from '../../test/support/rng.js';
import { contributions, EPS, normalizeProximities, proximity } from './proximity.js';

const sum = (values: ArrayLike<number>): number => Array.from(values).reduce((a, b) => a + b, 0);

describe('proximity', () => {
  it('is ||y|| - ||y - x|| for a part along the whole (p = 1)', () => {
    // y = (3, 0): (1, 0) leaves (2, 0), so 3 - 2 = 1; (2, 0) leaves (1, 0), so 3 - 1 = 2
    expect(proximity([1, 0], [3, 0])).toBe(1);
    expect(proximity([2, 0], [3, 0], 1)).toBe(2);
  });

  it('floors an opposing part at eps', () => {
    // y = (3, 0), x = (-1, 0): 3 - |3 + 1| = -1 < 0
    expect(proximity([-1, 0], [3, 0])).toBe(EPS);
    expect(proximity([-1, 0], [3, 0], 1, 0.5)).toBe(0.5);
    expect(EPS).toBe(1e-5);
  });

  it('uses the Euclidean norm for p = 2', () => {
    // y = (3, 4), ||y||_2 = 5; x = (3, 0) leaves (0, 4): 5 - 4 = 1; x = (0, 4) leaves (3, 0): 5 - 3 = 2
    expect(proximity([3, 0], [3, 4], 2)).toBe(1);
    expect(proximity([0, 4], [3, 4], 2)).toBe(2);
    // with p = 1 the same parts give 7 - 4 = 3 and 7 - 3 = 4
    expect(proximity([3, 0], [3, 4], 1)).toBe(3);
    expect(proximity([0, 4], [3, 4], 1)).toBe(4);
  });

  it('rejects a part of another length', () => {
    expect(() => proximity([1, 2, 3], [1, 2])).toThrow(RangeError);
  });
});

describe('normalizeProximities', () => {
  it('divides by the sum', () => {
    expect(Array.from(normalizeProximities([1, 2, 1]))).toEqual([0.25, 0.5, 0.25]);
  });

  it('keeps all zeros as zeros', () => {
    expect(Array.from(normalizeProximities([0, 0]))).toEqual([0, 0]);
  });
});

describe('contributions', () => {
  it('shares a whole between parts along it (p = 1)', () => {
    // whole (3, 0); parts (1, 0), (2, 0): proximities 1 and 2 → 1/3 and 2/3
    const shares = contributions(new Float64Array([1, 0, 2, 0]), new Float64Array([3, 0]));
    expect(shares).toBeInstanceOf(Float64Array);
    expect(shares[0]).toBeCloseTo(1 / 3, 15);
    expect(shares[1]).toBeCloseTo(2 / 3, 15);
  });

  it('gives an opposing part only the eps floor', () => {
    // whole (3, 0) = (4, 0) + (-1, 0): proximities 3 - 1 = 2 and eps
    const shares = contributions(new Float32Array([4, 0, -1, 0]), new Float32Array([3, 0]));
    expect(shares[0]).toBeCloseTo(2 / (2 + EPS), 15);
    expect(shares[1]).toBeCloseTo(EPS / (2 + EPS), 15);
    const coarse = contributions(new Float32Array([4, 0, -1, 0]), new Float32Array([3, 0]), {
      eps: 2,
    });
    expect(Array.from(coarse)).toEqual([0.5, 0.5]); // both floored at 2
  });

  it('uses the Euclidean norm for p = 2', () => {
    // whole (3, 4) = (3, 0) + (0, 4): proximities 1 and 2 (p = 2), 3 and 4 (p = 1)
    const parts = new Float64Array([3, 0, 0, 4]);
    const whole = new Float64Array([3, 4]);
    const l2 = contributions(parts, whole, { p: 2 });
    expect(l2[0]).toBeCloseTo(1 / 3, 15);
    expect(l2[1]).toBeCloseTo(2 / 3, 15);
    const l1 = contributions(parts, whole);
    expect(l1[0]).toBeCloseTo(3 / 7, 15);
    expect(l1[1]).toBeCloseTo(4 / 7, 15);
  });

  it('rejects parts that are not whole rows', () => {
    expect(() => contributions(new Float64Array(5), new Float64Array(2))).toThrow(RangeError);
    expect(() => contributions(new Float64Array(0), new Float64Array(0))).toThrow(RangeError);
  });

  it('sums to 1 and agrees with proximity() on random parts', () => {
    const rng = createRng(1);
    for (const p of [1, 2] as const) {
      for (let trial = 0; trial < 50; trial++) {
        const d = 1 + Math.floor(rng.uniform() * 16);
        const n = 1 + Math.floor(rng.uniform() * 8);
        const parts = Float32Array.from({ length: n * d }, () => rng.normal());
        const whole = new Float32Array(d); // [d] the sum of the parts
        for (let i = 0; i < n * d; i++) whole[i % d]! += parts[i]!;
        const shares = contributions(parts, whole, { p });
        expect(Math.abs(sum(shares) - 1)).toBeLessThan(1e-12);
        const proximities = Array.from({ length: n }, (_, i) =>
          proximity(parts.subarray(i * d, (i + 1) * d), whole, p),
        );
        const expected = normalizeProximities(proximities);
        for (let i = 0; i < n; i++) expect(shares[i]).toBeCloseTo(expected[i]!, 14);
      }
    }
  });
});

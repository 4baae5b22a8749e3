import { describe, expect, it } from 'vitest';
import { createRng } from '../../test/support/rng.js';
import { l2DistanceExpanded, lpDistance, lpNorm } from './norms.js';

describe('lpNorm and lpDistance', () => {
  it('compute L1 and L2 by hand', () => {
    expect(lpNorm([3, -4], 1)).toBe(7);
    expect(lpNorm([3, -4], 2)).toBe(5);
    // (3, 0) - (1, 0) = (2, 0)
    expect(lpDistance([3, 0], [1, 0], 1)).toBe(2);
    // (3, 4) - 2 * (0, 0.5) = (3, 3): L1 6, L2 sqrt(18)
    expect(lpDistance([3, 4], [0, 0.5], 1, 2)).toBe(6);
    expect(lpDistance([3, 4], [0, 0.5], 2, 2)).toBeCloseTo(Math.sqrt(18), 14);
  });

  it('read the part at an offset, so rows of a matrix need no copy', () => {
    // row 1 of [[9, 9], [1, 0]] is (1, 0); (3, 0) - 2 * (1, 0) = (1, 0)
    expect(lpDistance([3, 0], [9, 9, 1, 0], 1, 2, 2)).toBe(1);
  });
});

describe('l2DistanceExpanded', () => {
  it('works a hand case', () => {
    // y = (3, 0), x = (1, 0), a = 2: ||y||^2 = 9, y·x = 3, ||x||^2 = 1
    // 9 - 2*2*3 + 4*1 = 1, and directly (3, 0) - (2, 0) = (1, 0)
    expect(l2DistanceExpanded(9, 3, 1, 2)).toBe(1);
    expect(l2DistanceExpanded(9, 3, 1)).toBe(2); // a = 1: (2, 0)
  });

  it('clamps a square that rounding pushes below zero', () => {
    // y = x would give 1 - 2 + 1 = 0; a dot product rounded up gives -2e-12, not NaN
    expect(l2DistanceExpanded(1, 1 + 1e-12, 1)).toBe(0);
  });

  it('equals the direct distance ||y - a x||_2 on random vectors', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 200; trial++) {
      const d = 1 + Math.floor(rng.uniform() * 64);
      const y = Float64Array.from({ length: d }, () => rng.normal());
      const x = Float64Array.from({ length: d }, () => rng.normal());
      const a = rng.uniform();
      let yy = 0;
      let yx = 0;
      let xx = 0;
      for (let i = 0; i < d; i++) {
        yy += y[i]! * y[i]!;
        yx += y[i]! * x[i]!;
        xx += x[i]! * x[i]!;
      }
      const direct = lpDistance(y, x, 2, a);
      expect(Math.abs(l2DistanceExpanded(yy, yx, xx, a) - direct)).toBeLessThan(1e-12 * (1 + yy));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { l1AttentionProximities, l1KernelAvailable } from './l1-proximity-kernel.js';

/** Deterministic values in [-1, 1). */
function random(n: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: n }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 30 - 1;
  });
}

/** float64 `max(eps, ||y||_1 - ||y - a x||_1)` for every (t, s <= t, h): [T, T, H]. */
function direct(
  wholes: Float32Array,
  pattern: Float32Array,
  vo: Float32Array,
  T: number,
  H: number,
  d: number,
  eps: number,
): Float64Array {
  const out = new Float64Array(T * T * H);
  for (let t = 0; t < T; t++) {
    for (let s = 0; s <= t; s++) {
      for (let h = 0; h < H; h++) {
        const a = pattern[(h * T + t) * T + s]!;
        let sum = 0;
        for (let i = 0; i < d; i++) {
          const y = wholes[t * d + i]!;
          sum += Math.abs(y) - Math.abs(y - a * vo[(s * H + h) * d + i]!);
        }
        out[(t * T + s) * H + h] = Math.max(eps, sum);
      }
    }
  }
  return out;
}

describe('the fused L1 proximity kernel', () => {
  it('runs here', () => {
    expect(l1KernelAvailable()).toBe(true);
  });

  it('computes hand-checked proximities', () => {
    // y = [3, -1]; a = 0.5. x = [2, 2]: part [1, 1], ||y|| = 4 = ||y - part|| -> eps.
    // x' = [2, -2]: part [1, -1], ||y - part|| = ||[2, 0]|| = 2 -> 4 - 2 = 2.
    const common = { wholes: Float32Array.of(3, -1), T: 1, H: 2, d: 2, eps: 1e-5, chunkBytes: 1e6 };
    const out = l1AttentionProximities({
      ...common,
      pattern: Float32Array.of(0.5, 0.5), // [H, T, T]
      vo: Float32Array.of(2, 2, 2, -2), // [T, H, d]
    });
    expect(Array.from(out)).toEqual([1e-5, 2].map(Math.fround));
  });

  for (const [T, H, d] of [
    [5, 3, 13],
    [7, 2, 40],
    [4, 4, 64],
  ] as const) {
    it(`matches a float64 computation with padding (T=${T}, H=${H}, d=${d}), in any chunking`, () => {
      const wholes = random(T * d, 1 + d); // [T, d]
      const pattern = random(H * T * T, 2 + d).map(Math.abs); // [H, T, T]
      const vo = random(T * H * d, 3 + d); // [T, H, d]
      const input = { wholes, pattern, vo, T, H, d, eps: 1e-5 };
      const expected = direct(wholes, pattern, vo, T, H, d, 1e-5);
      const whole = l1AttentionProximities({ ...input, chunkBytes: 1e9 });
      for (let t = 0; t < T; t++) {
        for (let s = 0; s <= t; s++) {
          for (let h = 0; h < H; h++) {
            const i = (t * T + s) * H + h;
            expect(whole[i]).toBeCloseTo(expected[i]!, 5);
          }
        }
      }
      for (const chunkBytes of [1, H * 64 * 4 * 2])
        expect(l1AttentionProximities({ ...input, chunkBytes })).toEqual(whole);
    });
  }
});

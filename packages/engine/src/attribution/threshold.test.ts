import { describe, expect, it } from 'vitest';
import { createRng } from '../../test/support/rng.js';
import { thresholdAndRenormalize } from './threshold.js';

const sum = (values: ArrayLike<number>): number => Array.from(values).reduce((a, b) => a + b, 0);

describe('thresholdAndRenormalize', () => {
  it('drops values at or below tau and renormalises the rest', () => {
    // 0.1 <= 0.1 is dropped; 0.6 and 0.3 become 0.6/0.9 and 0.3/0.9
    const kept = thresholdAndRenormalize([0.6, 0.3, 0.1], 0.1);
    expect(kept[0]).toBeCloseTo(2 / 3, 15);
    expect(kept[1]).toBeCloseTo(1 / 3, 15);
    expect(kept[2]).toBe(0);
  });

  it('leaves shares that all pass unchanged', () => {
    expect(Array.from(thresholdAndRenormalize([0.25, 0.75], 0.04))).toEqual([0.25, 0.75]);
  });

  it('returns all zeros when every value is at or below tau', () => {
    expect(Array.from(thresholdAndRenormalize([0.05, 0.02, 0.04], 0.05))).toEqual([0, 0, 0]);
  });

  it('renormalises per node, not across every token as the reference did', () => {
    // Two FFN nodes, parts (mlp, residual): A = (0.5, 0.5), B = (0.97, 0.03); tau = 0.04.
    const nodes = [
      [0.5, 0.5],
      [0.97, 0.03],
    ];
    const perNode = nodes.map((node) => Array.from(thresholdAndRenormalize(node, 0.04)));
    // Per node: A keeps both, B keeps only its MLP, which becomes 1.
    expect(perNode).toEqual([
      [0.5, 0.5],
      [1, 0],
    ]);
    // The reference divided by the kept total of all nodes, 0.5 + 0.5 + 0.97 = 1.97:
    // A = (0.254, 0.254), B = (0.492, 0): no node sums to 1.
    const keptTotal = nodes.flat().reduce((total, v) => total + (v > 0.04 ? v : 0), 0);
    const global = nodes.map((node) => node.map((v) => (v > 0.04 ? v / keptTotal : 0)));
    expect(global[1]![0]).toBeCloseTo(0.97 / 1.97, 12);
    expect(global[1]![0]).not.toBeCloseTo(perNode[1]![0]!, 2);
    expect(sum(global[0]!)).not.toBeCloseTo(1, 2);
  });

  it('keeps random shares summing to 1 unless all are dropped', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rng.uniform() * 12);
      const raw = Array.from({ length: n }, () => Math.exp(2 * rng.normal()));
      const total = sum(raw);
      const shares = raw.map((v) => v / total);
      const tau = 0.3 * rng.uniform();
      const kept = thresholdAndRenormalize(shares, tau);
      const anyKept = shares.some((v) => v > tau);
      expect(Math.abs(sum(kept) - (anyKept ? 1 : 0))).toBeLessThan(1e-12);
      kept.forEach((v, i) => {
        if (shares[i]! <= tau) expect(v).toBe(0);
        else expect(v).toBeGreaterThanOrEqual(shares[i]! * (1 - 1e-12));
      });
    }
  });
});

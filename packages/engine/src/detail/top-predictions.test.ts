import { describe, expect, it } from 'vitest';
import { topPredictions } from './top-predictions.js';

describe('topPredictions', () => {
  it('ranks each row by logit and normalises over the whole vocabulary', () => {
    // Row 0: logits [0, ln 3, 0, ln 2] -> probs [1, 3, 1, 2] / 7.
    // Row 1: a tie between ids 1 and 2 keeps the lower id first.
    const logits = Float32Array.of(0, Math.log(3), 0, Math.log(2), 0, 5, 5, -1);
    const top = topPredictions({ dtype: 'float32', dims: [2, 4], data: logits }, 3);
    expect(Array.from(top.ids)).toEqual([1, 3, 0, 1, 2, 0]);
    const z = 2 * Math.exp(5) + 1 + Math.exp(-1);
    const expected = [3 / 7, 2 / 7, 1 / 7, Math.exp(5) / z, Math.exp(5) / z, 1 / z];
    expected.forEach((p, i) => expect(top.probs[i]).toBeCloseTo(p, 6));
  });

  it('agrees with a full sort on random logits, and caps k at the vocabulary', () => {
    const V = 500;
    const data = Float32Array.from({ length: 3 * V }, (_, i) => Math.sin(i * 12.9898) * 43.75);
    const top = topPredictions({ dtype: 'float32', dims: [3, V], data }, 20);
    for (let t = 0; t < 3; t++) {
      const row = Array.from(data.subarray(t * V, (t + 1) * V));
      const sorted = row.map((x, id) => ({ x, id })).sort((a, b) => b.x - a.x || a.id - b.id);
      expect(Array.from(top.ids.subarray(t * 20, (t + 1) * 20))).toEqual(
        sorted.slice(0, 20).map((e) => e.id),
      );
    }
    const all = topPredictions(
      { dtype: 'float32', dims: [1, 4], data: Float32Array.of(1, 2, 3, 4) },
      10,
    );
    expect(all.ids.length).toBe(4);
    expect(all.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('takes the log normaliser when given, with the same answer', () => {
    const data = Float32Array.from({ length: 2 * 300 }, (_, i) => Math.cos(i * 7.31) * 9);
    const logits = { dtype: 'float32' as const, dims: [2, 300], data };
    const logsumexp = Float32Array.from([0, 1], (t) => {
      const row = Array.from(data.subarray(t * 300, (t + 1) * 300));
      const max = Math.max(...row);
      return max + Math.log(row.reduce((sum, x) => sum + Math.exp(x - max), 0));
    });
    const given = topPredictions(logits, 5, { dtype: 'float32', dims: [2], data: logsumexp });
    const summed = topPredictions(logits, 5);
    expect(given.ids).toEqual(summed.ids);
    given.probs.forEach((p, i) => expect(p).toBeCloseTo(summed.probs[i]!, 6));
  });
});

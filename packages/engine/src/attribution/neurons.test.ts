import { describe, expect, it } from 'vitest';
import { createRng } from '../../test/support/rng.js';
import { neuronContributions, topNeurons } from './neurons.js';
import { contributions } from './proximity.js';

describe('neuronContributions', () => {
  it('shares an FFN node between neurons and the residual by hand', () => {
    // resid_mid (1, 0); neurons 1 * (2, 0) and 1 * (0, 5); resid_post (3, 5), ||.||_1 = 8.
    // neuron 0 leaves (1, 5): 8 - 6 = 2; neuron 1 leaves (3, 0): 8 - 3 = 5;
    // residual leaves (2, 5): 8 - 7 = 1 → 2/8, 5/8, 1/8
    const { neurons, residual } = neuronContributions({
      post: new Float64Array([1, 1]),
      wOut: new Float64Array([2, 0, 0, 5]),
      residMid: new Float64Array([1, 0]),
      residPost: new Float64Array([3, 5]),
    });
    expect(Array.from(neurons)).toEqual([0.25, 0.625]);
    expect(residual).toBe(0.125);
  });

  it('scales each neuron by its activation and floors opposing ones', () => {
    // post = (2, -1), W_out rows (1, 0), (1, 0): updates (2, 0) and (-1, 0); resid_mid (2, 0);
    // resid_post (3, 0): neuron 0: 3 - 1 = 2; neuron 1: 3 - 4 → eps; residual: 3 - 1 = 2
    const { neurons, residual } = neuronContributions(
      {
        post: new Float32Array([2, -1]),
        wOut: new Float32Array([1, 0, 1, 0]),
        residMid: new Float32Array([2, 0]),
        residPost: new Float32Array([3, 0]),
      },
      { eps: 0 },
    );
    expect(Array.from(neurons)).toEqual([0.5, 0]);
    expect(residual).toBe(0.5);
  });

  it('equals contributions() over the explicit parts, for p = 1 and p = 2', () => {
    const rng = createRng(21);
    const dMlp = 12;
    const d = 5;
    const post = Float64Array.from({ length: dMlp }, () => Math.max(0, rng.normal()));
    const wOut = Float64Array.from({ length: dMlp * d }, () => rng.normal()); // [d_mlp, d]
    const residMid = Float64Array.from({ length: d }, () => rng.normal()); // [d]
    const residPost = Float64Array.from(residMid); // [d] resid_mid + sum of updates
    const parts = new Float64Array((dMlp + 1) * d); // [d_mlp + 1, d]: the updates, then resid_mid
    for (let i = 0; i < dMlp; i++) {
      for (let j = 0; j < d; j++) {
        parts[i * d + j] = post[i]! * wOut[i * d + j]!;
        residPost[j]! += parts[i * d + j]!;
      }
    }
    parts.set(residMid, dMlp * d);
    for (const p of [1, 2] as const) {
      const { neurons, residual } = neuronContributions({ post, wOut, residMid, residPost }, { p });
      const expected = contributions(parts, residPost, { p });
      for (let i = 0; i < dMlp; i++) expect(neurons[i]).toBeCloseTo(expected[i]!, 14);
      expect(residual).toBeCloseTo(expected[dMlp]!, 14);
      expect(neurons.reduce((a, b) => a + b, residual)).toBeCloseTo(1, 12);
    }
  });

  it('rejects a W_out of the wrong size', () => {
    const node = {
      post: new Float64Array(3),
      wOut: new Float64Array(5),
      residMid: new Float64Array(2),
      residPost: new Float64Array(2),
    };
    expect(() => neuronContributions(node)).toThrow(RangeError);
  });
});

describe('topNeurons', () => {
  it('lists the largest shares first, ties by lower index', () => {
    const shares = new Float64Array([0.1, 0.3, 0.05, 0.3, 0.25]);
    expect(topNeurons(shares, 3)).toEqual([
      { neuron: 1, share: 0.3 },
      { neuron: 3, share: 0.3 },
      { neuron: 4, share: 0.25 },
    ]);
  });

  it('returns fewer when k exceeds the neurons, none for k = 0', () => {
    expect(topNeurons([0.4, 0.6], 5).map(({ neuron }) => neuron)).toEqual([1, 0]);
    expect(topNeurons([0.4, 0.6], 0)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { createRng } from '../../test/support/rng.js';
import { assembleLayerContributions, type LayerProximities } from './layer-contributions.js';

/** T = 2, H = 2: hand-made proximities with junk above the diagonal. */
function handProximities(junk: number): LayerProximities {
  return {
    // [T, T, H]: t = 0: s = 0 (1, 3), s = 1 (junk); t = 1: s = 0 (1, 1), s = 1 (2, 2)
    attnProximity: new Float64Array([1, 3, junk, junk, 1, 1, 2, 2]),
    attnResidualProximity: new Float64Array([4, 2]),
    ffnProximity: new Float64Array([1, 3]),
    ffnResidualProximity: new Float64Array([3, 1]),
  };
}

describe('assembleLayerContributions', () => {
  it('normalises each node by hand', () => {
    const layer = assembleLayerContributions(5, handProximities(0));
    expect(layer.layer).toBe(5);
    // t = 0: total 1 + 3 + 4 = 8 → heads 1/8, 3/8; attention[0, 0] = 1/2; residual 1/2
    // t = 1: total 1 + 1 + 2 + 2 + 2 = 8 → heads 1/8, 1/8, 2/8, 2/8; attention 1/4, 1/2; residual 1/4
    expect(Array.from(layer.heads!)).toEqual([1 / 8, 3 / 8, 0, 0, 1 / 8, 1 / 8, 2 / 8, 2 / 8]);
    expect(Array.from(layer.attention)).toEqual([0.5, 0, 0.25, 0.5]);
    expect(Array.from(layer.attentionResidual)).toEqual([0.5, 0.25]);
    // FFN: (1, 3) / 4 and (3, 1) / 4
    expect(Array.from(layer.ffn)).toEqual([0.25, 0.75]);
    expect(Array.from(layer.ffnResidual)).toEqual([0.75, 0.25]);
  });

  it('normalises a parallel block (no ffnResidualProximity) over one node per position', () => {
    const { ffnResidualProximity: _absent, ...parallel } = handProximities(0);
    const layer = assembleLayerContributions(1, parallel);
    // t = 0: total 1 + 3 + 4 + 1 (FFN) = 9; t = 1: 1 + 1 + 2 + 2 + 2 + 3 (FFN) = 11
    expect(Array.from(layer.heads!)).toEqual(
      [1 / 9, 3 / 9, 0, 0, 1 / 11, 1 / 11, 2 / 11, 2 / 11].map(Math.fround),
    );
    expect(Array.from(layer.attentionResidual)).toEqual([4 / 9, 2 / 11].map(Math.fround));
    expect(Array.from(layer.ffn)).toEqual([1 / 9, 3 / 11].map(Math.fround));
    expect(Array.from(layer.ffnResidual)).toEqual([0, 0]);
    for (let t = 0; t < 2; t++) {
      const attention = layer.attention[t * 2]! + layer.attention[t * 2 + 1]!;
      expect(attention + layer.attentionResidual[t]! + layer.ffn[t]!).toBeCloseTo(1, 6);
    }
  });

  it('ignores entries for s > t whatever they hold', () => {
    const clean = assembleLayerContributions(0, handProximities(0));
    for (const junk of [NaN, Infinity, -1, 1e30]) {
      expect(assembleLayerContributions(0, handProximities(junk))).toEqual(clean);
    }
  });

  it('sums to 1 per node on random proximities', () => {
    const rng = createRng(5);
    const T = 9;
    const H = 3;
    const random = () => Math.exp(3 * rng.normal());
    const layer = assembleLayerContributions(0, {
      attnProximity: Float32Array.from({ length: T * T * H }, random),
      attnResidualProximity: Float64Array.from({ length: T }, random),
      ffnProximity: Float64Array.from({ length: T }, random),
      ffnResidualProximity: Float32Array.from({ length: T }, random),
    });
    for (let t = 0; t < T; t++) {
      let attention = layer.attentionResidual[t]!;
      for (let s = 0; s < T; s++) {
        let headSum = 0;
        for (let h = 0; h < H; h++) headSum += layer.heads![(t * T + s) * H + h]!;
        expect(layer.attention[t * T + s]).toBeCloseTo(headSum, 6);
        if (s > t) expect(layer.attention[t * T + s]).toBe(0);
        attention += layer.attention[t * T + s]!;
      }
      expect(attention).toBeCloseTo(1, 6);
      expect(layer.ffn[t]! + layer.ffnResidual[t]!).toBeCloseTo(1, 6);
    }
  });

  it('gives a node whose proximities are all 0 zero shares', () => {
    const layer = assembleLayerContributions(0, {
      attnProximity: new Float64Array([0]),
      attnResidualProximity: new Float64Array([0]),
      ffnProximity: new Float64Array([0]),
      ffnResidualProximity: new Float64Array([0]),
    });
    expect([layer.attention[0], layer.attentionResidual[0], layer.ffn[0]]).toEqual([0, 0, 0]);
  });

  it('rejects sizes that do not fit [T, T, H] and [T]', () => {
    const sizes = (attn: number, ffn: number): LayerProximities => ({
      attnProximity: new Float64Array(attn),
      attnResidualProximity: new Float64Array(2),
      ffnProximity: new Float64Array(ffn),
      ffnResidualProximity: new Float64Array(2),
    });
    expect(() => assembleLayerContributions(0, sizes(10, 2))).toThrow(RangeError);
    expect(() => assembleLayerContributions(0, sizes(0, 2))).toThrow(RangeError);
    expect(() => assembleLayerContributions(0, sizes(8, 3))).toThrow(RangeError);
  });
});

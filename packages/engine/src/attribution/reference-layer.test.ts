import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceGpt2 } from '../../test/support/reference-gpt2.js';
import { createRng, type Rng } from '../../test/support/rng.js';
import { writeTinyGpt2 } from '../../test/support/tiny-gpt2.js';
import { l2DistanceExpanded, lpNorm } from './norms.js';
import { proximity } from './proximity.js';
import {
  projectedValues,
  referenceLayerContributions,
  type LayerActivations,
} from './reference-layer.js';

const randoms = (rng: Rng, n: number, scale = 1) =>
  Float64Array.from({ length: n }, () => scale * rng.normal());

/** A random attention layer with grouped-query attention, its output computed the usual way. */
function randomLayer(seed: number, T: number, H: number, Hkv: number, dHead: number, d: number) {
  const rng = createRng(seed);
  const residPre = randoms(rng, T * d); // [T, d]
  const v = randoms(rng, T * Hkv * dHead); // [T, H_kv, d_head]
  const wO = randoms(rng, H * dHead * d, 0.5); // [H * d_head, d]
  const bO = randoms(rng, d, 0.1); // [d]
  const pattern = new Float64Array(H * T * T); // [H, T, T], causal softmax rows
  for (let h = 0; h < H; h++) {
    for (let t = 0; t < T; t++) {
      const row = (h * T + t) * T;
      let total = 0;
      for (let s = 0; s <= t; s++) total += pattern[row + s] = Math.exp(2 * rng.normal());
      for (let s = 0; s <= t; s++) pattern[row + s]! /= total;
    }
  }
  // attn_out[t] = concat_h (sum_s pattern[h, t, s] v[s, kv(h)]) @ W_O + b_O
  const attnOut = new Float64Array(T * d); // [T, d]
  for (let t = 0; t < T; t++) {
    const z = new Float64Array(H * dHead); // [H * d_head]
    for (let h = 0; h < H; h++) {
      const kv = Math.floor(h / (H / Hkv));
      for (let s = 0; s <= t; s++) {
        for (let k = 0; k < dHead; k++) {
          z[h * dHead + k]! += pattern[(h * T + t) * T + s]! * v[(s * Hkv + kv) * dHead + k]!;
        }
      }
    }
    for (let i = 0; i < d; i++) {
      let value = bO[i]!;
      for (let j = 0; j < H * dHead; j++) value += z[j]! * wO[j * d + i]!;
      attnOut[t * d + i] = value;
    }
  }
  const residMid = residPre.map((x, i) => x + attnOut[i]!); // [T, d]
  const mlpOut = randoms(rng, T * d); // [T, d]
  const residPost = residMid.map((x, i) => x + mlpOut[i]!); // [T, d]
  const activations: LayerActivations = {
    residPre,
    residMid,
    residPost,
    mlpOut,
    pattern,
    v,
    wO,
    nHeads: H,
    nKvHeads: Hkv,
  };
  return { activations, attnOut, bO };
}

/** Largest |reconstructed - attn_out| where reconstructed = sum of (s <= t, h) parts + b_O. */
function decompositionError(
  activations: LayerActivations,
  attnOut: Float64Array,
  bO: Float64Array,
  T: number,
): number {
  const { pattern, v, wO, nHeads: H } = activations;
  const d = bO.length;
  const values = projectedValues(v, wO, { ...activations, nTokens: T }); // [T, H, d]
  let worst = 0;
  for (let t = 0; t < T; t++) {
    const sum = Float64Array.from(bO); // [d]
    for (let s = 0; s <= t; s++) {
      for (let h = 0; h < H; h++) {
        const a = pattern[(h * T + t) * T + s]!;
        for (let i = 0; i < d; i++) sum[i]! += a * values[(s * H + h) * d + i]!;
      }
    }
    for (let i = 0; i < d; i++) worst = Math.max(worst, Math.abs(sum[i]! - attnOut[t * d + i]!));
  }
  return worst;
}

describe('projectedValues', () => {
  it('projects each value through its head rows of W_O', () => {
    // T = 1, one head, d_head = 1, d_model = 2: v = 2, W_O = (1, 3)
    const out = projectedValues(new Float64Array([2]), new Float64Array([1, 3]), {
      nTokens: 1,
      nHeads: 1,
    });
    expect(Array.from(out)).toEqual([2, 6]);
  });

  it('lets query heads share their kv head (GQA)', () => {
    // T = 1, H = 2, H_kv = 1, d_head = 1, d = 2: both heads read v = 3;
    // W_O rows: head 0 (1, 0), head 1 (0, 2) → (3, 0) and (0, 6)
    const out = projectedValues(new Float64Array([3]), new Float64Array([1, 0, 0, 2]), {
      nTokens: 1,
      nHeads: 2,
      nKvHeads: 1,
    });
    expect(Array.from(out)).toEqual([3, 0, 0, 6]);
  });

  it('rejects sizes that do not fit', () => {
    const shape = { nTokens: 2, nHeads: 4, nKvHeads: 3 };
    expect(() => projectedValues(new Float64Array(6), new Float64Array(8), shape)).toThrow(
      RangeError,
    );
  });
});

describe('referenceLayerContributions', () => {
  it('computes a one-token layer by hand', () => {
    // resid_pre (1, 0); v = 2, W_O = (1, 1): the head part is (2, 2); resid_mid (3, 2).
    // p = 1: ||mid|| = 5; head: 5 - |(1, 0)| = 4; residual: 5 - |(2, 2)| = 1 → 0.8, 0.2.
    // mlp_out (0, 1), resid_post (3, 3): ||post|| = 6; mlp: 6 - |(3, 2)| = 1;
    // residual: 6 - |(0, 1)| = 5 → 1/6, 5/6.
    const { proximities, contributions } = referenceLayerContributions(
      {
        residPre: new Float64Array([1, 0]),
        residMid: new Float64Array([3, 2]),
        residPost: new Float64Array([3, 3]),
        mlpOut: new Float64Array([0, 1]),
        pattern: new Float64Array([1]),
        v: new Float64Array([2]),
        wO: new Float64Array([1, 1]),
        nHeads: 1,
      },
      { layer: 2 },
    );
    expect(Array.from(proximities.attnProximity)).toEqual([4]);
    expect(Array.from(proximities.attnResidualProximity)).toEqual([1]);
    expect(Array.from(proximities.ffnProximity)).toEqual([1]);
    expect(Array.from(proximities.ffnResidualProximity!)).toEqual([5]);
    expect(contributions.layer).toBe(2);
    expect(contributions.attention[0]).toBeCloseTo(0.8, 7);
    expect(contributions.attentionResidual[0]).toBeCloseTo(0.2, 7);
    expect(contributions.ffn[0]).toBeCloseTo(1 / 6, 7);
    expect(contributions.ffnResidual[0]).toBeCloseTo(5 / 6, 7);
  });

  it('decomposes attention exactly: the parts plus b_O are attn_out (GQA)', () => {
    const T = 6;
    const { activations, attnOut, bO } = randomLayer(11, T, 4, 2, 3, 8);
    expect(decompositionError(activations, attnOut, bO, T)).toBeLessThan(1e-12);
  });

  it('decomposes a GPT-2 layer exactly, with W_O = attn.c_proj.weight', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lmtt-attribution-'));
    try {
      const model = await writeTinyGpt2(dir, { seed: 4, nLayers: 2 });
      const ids = [5, 17, 260, 42, 42, 101, 7];
      const T = ids.length;
      const { layers } = referenceGpt2(model, ids);
      for (const [l, layer] of layers.entries()) {
        const activations: LayerActivations = {
          residPre: layer.resid_pre.data,
          residMid: layer.resid_mid.data,
          residPost: layer.resid_post.data,
          mlpOut: layer.mlp_out.data,
          pattern: layer['attn.pattern'].data,
          v: layer['attn.v'].data,
          wO: model.weights.get(`h.${l}.attn.c_proj.weight`)!,
          nHeads: model.config.n_head,
        };
        const bO = model.weights.get(`h.${l}.attn.c_proj.bias`)!;
        expect(decompositionError(activations, layer.attn_out.data, bO, T)).toBeLessThan(1e-12);
        const { contributions } = referenceLayerContributions(activations, { layer: l });
        for (let t = 0; t < T; t++) {
          let total = contributions.attentionResidual[t]!;
          for (let s = 0; s < T; s++) total += contributions.attention[t * T + s]!;
          expect(total).toBeCloseTo(1, 6);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('agrees with proximity() on explicit part vectors, for p = 1 and p = 2', () => {
    const T = 5;
    const H = 4;
    const d = 6;
    const { activations } = randomLayer(12, T, H, 1, 2, d);
    const { residPre, residMid, residPost, mlpOut, pattern, v, wO } = activations;
    const values = projectedValues(v, wO, { ...activations, nTokens: T }); // [T, H, d]
    const row = (x: Float64Array | Float32Array, t: number) => x.subarray(t * d, (t + 1) * d);
    for (const p of [1, 2] as const) {
      const { proximities, contributions } = referenceLayerContributions(activations, { p });
      for (let t = 0; t < T; t++) {
        for (let s = 0; s < T; s++) {
          for (let h = 0; h < H; h++) {
            const got = proximities.attnProximity[(t * T + s) * H + h];
            if (s > t) {
              expect(got).toBe(0);
              expect(contributions.heads![(t * T + s) * H + h]).toBe(0);
              continue;
            }
            const a = pattern[(h * T + t) * T + s]!;
            const part = values.subarray((s * H + h) * d, (s * H + h + 1) * d).map((x) => a * x);
            expect(got).toBeCloseTo(proximity(part, row(residMid!, t), p), 12);
          }
        }
        const mid = row(residMid!, t);
        const post = row(residPost, t);
        expect(proximities.attnResidualProximity[t]).toBe(proximity(row(residPre, t), mid, p));
        expect(proximities.ffnProximity[t]).toBe(proximity(row(mlpOut, t), post, p));
        expect(proximities.ffnResidualProximity![t]).toBe(proximity(mid, post, p));
      }
    }
  });

  it('matches the dot-product form of the L2 proximity that an ONNX graph uses', () => {
    const T = 7;
    const H = 4;
    const d = 10;
    const { activations } = randomLayer(13, T, H, 2, 3, d);
    const { residMid, pattern, v, wO } = activations;
    const values = projectedValues(v, wO, { ...activations, nTokens: T }); // [T, H, d]
    const { proximities } = referenceLayerContributions(activations, { p: 2 });
    for (let t = 0; t < T; t++) {
      const y = residMid!.subarray(t * d, (t + 1) * d); // [d]
      const yy = lpNorm(y, 2) ** 2;
      for (let s = 0; s <= t; s++) {
        for (let h = 0; h < H; h++) {
          const x = values.subarray((s * H + h) * d, (s * H + h + 1) * d); // [d]
          let yx = 0;
          for (let i = 0; i < d; i++) yx += y[i]! * x[i]!;
          const xx = lpNorm(x, 2) ** 2;
          const a = pattern[(h * T + t) * T + s]!;
          const expanded = Math.max(1e-5, Math.sqrt(yy) - l2DistanceExpanded(yy, yx, xx, a));
          expect(proximities.attnProximity[(t * T + s) * H + h]).toBeCloseTo(expanded, 10);
        }
      }
    }
  });

  it('rejects activations whose sizes disagree', () => {
    const { activations } = randomLayer(14, 3, 2, 2, 2, 4);
    expect(() =>
      referenceLayerContributions({ ...activations, mlpOut: new Float64Array(5) }),
    ).toThrow(RangeError);
    expect(() => referenceLayerContributions({ ...activations, wO: new Float64Array(12) })).toThrow(
      RangeError,
    );
  });
});

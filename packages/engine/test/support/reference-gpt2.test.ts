import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  erf,
  referenceGpt2,
  type Array64,
  type ReferenceModel,
} from './reference-gpt2.js';
import { writeTinyGpt2, type TinyGpt2 } from './tiny-gpt2.js';

/** Largest absolute difference of two same-shaped arrays. */
function maxDiff(a: Array64 | Float64Array, b: Array64 | Float64Array): number {
  const x = 'data' in a ? a.data : a;
  const y = 'data' in b ? b.data : b;
  expect(x.length).toBe(y.length);
  return x.reduce((max, v, i) => Math.max(max, Math.abs(v - y[i]!)), 0);
}

describe('referenceGpt2', () => {
  let dir: string;
  let model: TinyGpt2;
  const ids = [299, 5, 17, 260, 42, 42, 101, 7, 256, 33, 180, 298];
  const T = ids.length;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lmtt-reference-'));
    model = await writeTinyGpt2(dir, { seed: 11, nLayers: 3, activation: 'gelu' });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('returns every activation with TransformerLens shapes', () => {
    const forward = referenceGpt2(model, ids);
    expect(forward.layers).toHaveLength(3);
    const layer = forward.layers[0]!;
    expect(layer.resid_pre.dims).toEqual([T, 32]);
    expect(layer['attn.pattern'].dims).toEqual([4, T, T]);
    expect(layer['attn.v'].dims).toEqual([T, 4, 8]);
    expect(layer['mlp.post'].dims).toEqual([T, 128]);
    expect(forward.ln_final.dims).toEqual([T, 32]);
    expect(forward.logits.dims).toEqual([T, 300]);
    expect(forward.logits.data.every(Number.isFinite)).toBe(true);
  });

  it('satisfies the residual identities', () => {
    const { layers } = referenceGpt2(model, ids);
    const sum = (a: Array64, b: Array64) => a.data.map((v, i) => v + b.data[i]!);
    for (const [l, layer] of layers.entries()) {
      expect(maxDiff(layer.resid_mid, sum(layer.resid_pre, layer.attn_out))).toBeLessThan(1e-12);
      expect(maxDiff(layer.resid_post, sum(layer.resid_mid, layer.mlp_out))).toBeLessThan(1e-12);
      if (l > 0) expect(maxDiff(layer.resid_pre, layers[l - 1]!.resid_post)).toBe(0);
    }
  });

  it('has causal attention rows that sum to 1 and are far from uniform', () => {
    for (const layer of referenceGpt2(model, ids).layers) {
      const pattern = layer['attn.pattern'].data; // [n_heads, T, T]
      for (let h = 0; h < 4; h++) {
        for (let t = 0; t < T; t++) {
          const row = pattern.subarray((h * T + t) * T, (h * T + t + 1) * T); // [T]
          expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
          expect(row.subarray(t + 1).every((p) => p === 0)).toBe(true);
        }
        const last = pattern.subarray((h * T + T - 1) * T, (h * T + T) * T); // [T]
        expect(Math.max(...last) - Math.min(...last)).toBeGreaterThan(0.1);
      }
    }
  });

  it('decomposes attn_out exactly into pattern-weighted values through W_O (DESIGN §2.2)', () => {
    const d = 32;
    const nHeads = 4;
    const dHead = 8;
    for (const [l, layer] of referenceGpt2(model, ids).layers.entries()) {
      const pattern = layer['attn.pattern'].data; // [n_heads, T, T]
      const v = layer['attn.v'].data; // [T, n_heads, d_head], value bias included
      const wO = model.weights.get(`h.${l}.attn.c_proj.weight`)!; // [n_heads * d_head, d]
      const bO = model.weights.get(`h.${l}.attn.c_proj.bias`)!; // [d]
      const rebuilt = new Float64Array(T * d); // [T, d]
      for (let t = 0; t < T; t++) {
        rebuilt.set(bO, t * d);
        for (let s = 0; s <= t; s++) {
          for (let h = 0; h < nHeads; h++) {
            const p = pattern[(h * T + t) * T + s]!;
            for (let e = 0; e < dHead; e++) {
              const ve = v[(s * nHeads + h) * dHead + e]!;
              for (let i = 0; i < d; i++)
                rebuilt[t * d + i]! += p * ve * wO[(h * dHead + e) * d + i]!;
            }
          }
        }
      }
      expect(maxDiff(rebuilt, layer.attn_out)).toBeLessThan(1e-12);
    }
  });

  it('is causal: a later token does not change earlier positions', () => {
    const a = referenceGpt2(model, ids);
    const b = referenceGpt2(model, [...ids.slice(0, -1), 3]);
    const early = (x: Array64) => x.data.subarray(0, (T - 1) * x.dims[1]!);
    expect(maxDiff(early(a.logits), early(b.logits))).toBe(0);
    expect(maxDiff(a.logits.data.subarray(-300), b.logits.data.subarray(-300))).toBeGreaterThan(0);
  });

  it('matches a one-layer model computed by hand', () => {
    // d_model 2, 1 head (d_head 2), d_mlp 2, relu, eps 0 so that LayerNorm of
    // [a, b] with w = 1, b = 0 is exactly [1, -1] when a > b and [-1, 1] when a < b.
    const a = Math.log(3) / (2 * Math.SQRT2);
    const weights = new Map(
      Object.entries({
        'wte.weight': [1, 0, 0, 1, 1, 1], // tokens 0, 1, 2 = [1, 0], [0, 1], [1, 1]
        'wpe.weight': [0.5, 0, 0, 0.5],
        'h.0.ln_1.weight': [1, 1],
        'h.0.ln_1.bias': [0, 0],
        // columns q | k | v: W_Q = a·I, W_K = I, W_V = I; value bias [1, 0]
        'h.0.attn.c_attn.weight': [a, 0, 1, 0, 1, 0, 0, a, 0, 1, 0, 1],
        'h.0.attn.c_attn.bias': [0, 0, 0, 0, 1, 0],
        'h.0.attn.c_proj.weight': [1, 0, 0, 2],
        'h.0.attn.c_proj.bias': [0, 0.5],
        'h.0.ln_2.weight': [1, 1],
        'h.0.ln_2.bias': [0, 0],
        'h.0.mlp.c_fc.weight': [1, 0, 0, 1],
        'h.0.mlp.c_fc.bias': [0, 0.5],
        'h.0.mlp.c_proj.weight': [1, 1, 0, 2],
        'h.0.mlp.c_proj.bias': [0.25, 0],
        'ln_f.weight': [2, 1],
        'ln_f.bias': [0, 0],
      }).map(([name, values]) => [name, Float64Array.from(values)]),
    );
    const handModel: ReferenceModel = {
      config: {
        n_embd: 2,
        n_head: 1,
        n_layer: 1,
        n_positions: 2,
        n_inner: 2,
        vocab_size: 3,
        layer_norm_epsilon: 0,
        activation_function: 'relu',
      },
      weights,
    };
    const { layers, ln_final, logits } = referenceGpt2(handModel, [0, 1]);
    const layer = layers[0]!;
    const expectClose = (x: Array64, expected: number[]) =>
      expect(maxDiff(x.data, Float64Array.from(expected))).toBeLessThan(1e-12);

    // resid_pre = wte + wpe = [1.5, 0], [0, 1.5]; ln_1 gives x0 = [1, -1], x1 = [-1, 1].
    expectClose(layer.resid_pre, [1.5, 0, 0, 1.5]);
    // q = a·x, k = x: scores at t = 1 are a·(x1·x0)/sqrt(2) = -sqrt(2)·a and +sqrt(2)·a,
    // which differ by 2·sqrt(2)·a = ln 3, so the row is softmax = [1/4, 3/4].
    expectClose(layer['attn.pattern'], [1, 0, 0.25, 0.75]);
    // v = x + [1, 0]: v0 = [2, -1], v1 = [0, 1].
    expectClose(layer['attn.v'], [2, -1, 0, 1]);
    // z0 = v0 = [2, -1], z1 = v0/4 + 3·v1/4 = [0.5, 0.5]; z @ diag(1, 2) + [0, 0.5].
    expectClose(layer.attn_out, [2, -1.5, 0.5, 1.5]);
    expectClose(layer.resid_mid, [3.5, -1.5, 0.5, 3]);
    // ln_2 gives [1, -1], [-1, 1]; + [0, 0.5], then relu.
    expectClose(layer['mlp.pre'], [1, -0.5, -1, 1.5]);
    expectClose(layer['mlp.post'], [1, 0, 0, 1.5]);
    // [1, 0] @ [[1, 1], [0, 2]] = [1, 1]; [0, 1.5] @ … = [0, 3]; + [0.25, 0].
    expectClose(layer.mlp_out, [1.25, 1, 0.25, 3]);
    expectClose(layer.resid_post, [4.75, -0.5, 0.75, 6]);
    // ln_f: [1, -1]·[2, 1] = [2, -1] and [-1, 1]·[2, 1] = [-2, 1]; logits = ln_final @ wte^T.
    expectClose(ln_final, [2, -1, -2, 1]);
    expectClose(logits, [2, -1, 1, -2, 1, -1]);
  });
});

describe('activations', () => {
  it('computes erf to within a few ulps', () => {
    const known: [number, number][] = [
      [0, 0],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [2.9, 0.9999589021219005],
      [3, 0.9999779095030014],
      [3.5, 0.9999992569016276],
      [4, 0.9999999845827421],
      [5, 0.9999999999984626],
      [-0.94, -0.8162710189760625],
      [-1.5, -0.9661051464753108],
      [-2.5, -0.999593047982555],
    ];
    for (const [x, value] of known) {
      expect(Math.abs(erf(x) - value)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(value));
    }
  });

  it('distinguishes gelu (erf), gelu_new (tanh) and relu', () => {
    expect(activate('gelu', 1)).toBeCloseTo(0.8413447460685429, 15);
    expect(activate('gelu_new', 1)).toBeCloseTo(0.8411919906082768, 15);
    expect(activate('relu', -0.5)).toBe(0);
    expect(activate('gelu', -10)).toBeCloseTo(0, 15);
  });
});

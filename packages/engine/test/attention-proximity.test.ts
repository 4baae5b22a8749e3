import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForwardResult } from '../src/model/forward.js';
import type { Model } from '../src/model/model.js';
import { loadModel } from '../src/node.js';
import { attentionProximities, chunkSize } from '../src/trace/attention-proximities.js';
import { writeTinyGpt2 } from './support/tiny-gpt2.js';
import type { TinyGpt2 } from './support/tiny-gpt2.js';

let root: string;
let tiny: TinyGpt2;
let model: Model;
let forward: ForwardResult;
const H = 4;
const D = 32;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-proximity-'));
  tiny = await writeTinyGpt2(join(root, 'm'), { seed: 21, nHeads: H, dModel: D });
  model = await loadModel(tiny.dir, { device: 'cpu' });
  forward = await model.run([5, 17, 200, 17, 42, 99, 5, 17, 3]);
});
afterAll(async () => {
  await model.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Direct float64 proximities of layer l: [T, T, H], s <= t only. */
function direct(l: number, p: 1 | 2): Float64Array {
  const layer = forward.layers[l]!;
  const T = forward.ids.length;
  const dHead = D / H;
  const wO = tiny.weights.get(`h.${l}.attn.c_proj.weight`)!; // [d, d], rows h*d_head.. are head h
  const norm = (x: number[]) =>
    p === 1 ? x.reduce((a, b) => a + Math.abs(b), 0) : Math.hypot(...x);
  const out = new Float64Array(T * T * H);
  for (let t = 0; t < T; t++) {
    const y = Array.from(layer.resid_mid!.data.subarray(t * D, (t + 1) * D));
    for (let s = 0; s <= t; s++) {
      for (let h = 0; h < H; h++) {
        const a = layer['attn.pattern'].data[(h * T + t) * T + s]!;
        const part = new Array<number>(D).fill(0);
        for (let i = 0; i < dHead; i++) {
          const vi = layer['attn.v'].data[(s * H + h) * dHead + i]!;
          for (let j = 0; j < D; j++) part[j]! += a * vi * wO[(h * dHead + i) * D + j]!;
        }
        const prox = norm(y) - norm(y.map((yj, j) => yj - part[j]!));
        out[(t * T + s) * H + h] = Math.max(1e-5, prox);
      }
    }
  }
  return out;
}

function maxRelativeGap(actual: Float32Array, expected: Float64Array, T: number): number {
  let gap = 0;
  let scale = 0;
  for (let t = 0; t < T; t++) {
    for (let s = 0; s <= t; s++) {
      for (let h = 0; h < H; h++) {
        const i = (t * T + s) * H + h;
        gap = Math.max(gap, Math.abs(actual[i]! - expected[i]!));
        scale = Math.max(scale, Math.abs(expected[i]!));
      }
    }
  }
  return gap / scale;
}

describe('attention proximities', () => {
  for (const [distance, p, kernel] of [
    ['l1', 1, 'onnx'],
    ['l1', 1, 'wasm'],
    ['l2', 2, 'onnx'],
  ] as const) {
    it(`match a direct float64 computation (${distance}, ${kernel})`, async () => {
      const T = forward.ids.length;
      for (const l of [0, 1]) {
        const got = await attentionProximities(model, l, forward.layers[l]!, {
          distance,
          eps: 1e-5,
          chunkBytes: 1e9,
          kernel,
        });
        expect(maxRelativeGap(got, direct(l, p), T), `layer ${l}`).toBeLessThan(1e-4);
      }
    });
  }

  it('uses the fused kernel for L1 on the CPU by default', async () => {
    const options = { distance: 'l1', eps: 1e-5, chunkBytes: 1e9 } as const;
    const auto = await attentionProximities(model, 1, forward.layers[1]!, options);
    const wasm = await attentionProximities(model, 1, forward.layers[1]!, {
      ...options,
      kernel: 'wasm',
    });
    expect(auto).toEqual(wasm);
  });

  it('gives the same results in chunks of one key and in one chunk (ONNX: to float32 summation order)', async () => {
    const layer = forward.layers[1]!;
    const options = { distance: 'l1', eps: 1e-5, kernel: 'onnx' } as const;
    const whole = await attentionProximities(model, 1, layer, { ...options, chunkBytes: 1e9 });
    const chunked = await attentionProximities(model, 1, layer, { ...options, chunkBytes: 1 });
    const T = forward.ids.length;
    for (let t = 0; t < T; t++) {
      for (let s = 0; s <= t; s++) {
        for (let h = 0; h < H; h++) {
          const i = (t * T + s) * H + h;
          expect(Math.abs(chunked[i]! - whole[i]!)).toBeLessThanOrEqual(2e-6 * Math.abs(whole[i]!));
        }
      }
    }
  });

  it('gives bit-identical results in chunks of one key and in one chunk (fused kernel)', async () => {
    const layer = forward.layers[1]!;
    const options = { distance: 'l1', eps: 1e-5, kernel: 'wasm' } as const;
    const whole = await attentionProximities(model, 1, layer, { ...options, chunkBytes: 1e9 });
    const chunked = await attentionProximities(model, 1, layer, { ...options, chunkBytes: 1 });
    expect(chunked).toEqual(whole);
  });

  it('sizes chunks of keys to the memory budget, against the queries at or after them', () => {
    expect(chunkSize(0, 100, 10, 1)).toBe(1);
    // (T - s0) C perPair <= budget: 90 * 4 * 10 = 3600 <= 4000 < 90 * 5 * 10
    expect(chunkSize(10, 100, 10, 4000)).toBe(4);
    expect(chunkSize(98, 100, 1, 1e9)).toBe(2);
  });
});

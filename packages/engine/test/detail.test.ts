import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logitLens } from '../src/detail/lens.js';
import { promotedTokens } from '../src/detail/promoted.js';
import type { ForwardResult } from '../src/model/forward.js';
import type { Model } from '../src/model/model.js';
import { loadModel } from '../src/node.js';
import { referenceGpt2 } from './support/reference-gpt2.js';
import type { ReferenceForward } from './support/reference-gpt2.js';
import { writeTinyGpt2 } from './support/tiny-gpt2.js';
import type { TinyGpt2 } from './support/tiny-gpt2.js';

let root: string;
let tiny: TinyGpt2;
let model: Model;
let forward: ForwardResult;
let reference: ReferenceForward;
const ids = [40, 41, 42, 43, 40, 41];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-detail-'));
  tiny = await writeTinyGpt2(join(root, 'm'), { seed: 31 });
  model = await loadModel(tiny.dir, { device: 'cpu' });
  forward = await model.run(ids);
  reference = referenceGpt2(tiny, ids);
});
afterAll(async () => {
  await model.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Token ids of `scores` sorted by value, highest first. */
function ranking(scores: ArrayLike<number>): number[] {
  return Array.from(scores, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
}

function row(data: Float64Array, n: number, width: number): Float64Array {
  return data.subarray(n * width, (n + 1) * width);
}

describe('logit lens', () => {
  it('the forward pass gives each position’s softmax log normaliser', () => {
    const [T, V] = forward.logits.dims as [number, number];
    expect(forward.logsumexp?.dims).toEqual([T]);
    for (let t = 0; t < T; t++) {
      const row = Array.from(forward.logits.data.subarray(t * V, (t + 1) * V));
      const max = Math.max(...row);
      const expected = max + Math.log(row.reduce((sum, x) => sum + Math.exp(x - max), 0));
      expect(forward.logsumexp!.data[t]).toBeCloseTo(expected, 4);
    }
  });

  it('of the last residual state with the final norm equals the model prediction', async () => {
    const V = 300;
    const [lens] = await logitLens(model, forward, [{ kind: 'resid_post', layer: 1, pos: 5 }], {
      k: 5,
    });
    const logits = row(reference.logits.data, 5, V);
    expect(lens!.map((t) => t.id)).toEqual(ranking(logits).slice(0, 5));
    const z = Math.max(...logits);
    const sum = Array.from(logits).reduce((a, x) => a + Math.exp(x - z), 0);
    expect(lens![0]!.prob).toBeCloseTo(Math.exp(logits[lens![0]!.id]! - z) / sum, 5);
    expect(lens!.map((t) => t.rank)).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports each top token’s rank in the previous state', async () => {
    const [lens] = await logitLens(model, forward, [{ kind: 'resid_post', layer: 0, pos: 2 }], {
      k: 3,
      normalize: false,
    });
    // previous of resid_post[0] is resid_mid[0]; raw projection onto wte (tied)
    const wte = tiny.weights.get('wte.weight')!;
    const mid = row(reference.layers[0]!.resid_mid.data, 2, 32);
    const before = Array.from({ length: 300 }, (_, v) =>
      mid.reduce((a, x, j) => a + x * wte[v * 32 + j]!, 0),
    );
    const order = ranking(before);
    for (const token of lens!) expect(token.previousRank).toBe(order.indexOf(token.id));
  });

  it('refuses nodes outside the prompt', async () => {
    await expect(
      logitLens(model, forward, [{ kind: 'resid_mid', layer: 0, pos: 99 }]),
    ).rejects.toThrow(RangeError);
  });
});

describe('promoted and suppressed tokens', () => {
  it('are the top and bottom of update · W_U', async () => {
    const update = forward.layers[1]!.mlp_out;
    const t = 3;
    const vector = update.data.slice(t * 32, (t + 1) * 32);
    const [result] = await promotedTokens(
      model,
      { dtype: 'float32', dims: [1, 32], data: vector },
      4,
    );
    const wte = tiny.weights.get('wte.weight')!;
    const scores = Array.from({ length: 300 }, (_, v) =>
      vector.reduce((a, x, j) => a + x * wte[v * 32 + j]!, 0),
    );
    const order = ranking(scores);
    expect(result!.promoted.map((s) => s.id)).toEqual(order.slice(0, 4));
    expect(result!.suppressed.map((s) => s.id)).toEqual(order.slice(-4).reverse());
    expect(result!.promoted[0]!.logit).toBeCloseTo(scores[order[0]!]!, 4);
  });
});

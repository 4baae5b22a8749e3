/**
 * Behaviour of the embedded default model (models/lmtt-tiny-gpt2) through
 * the engine: it predicts plausible prose, it has an induction head, and the
 * routes of a repeated sequence go through it (DESIGN §6).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../src/model/model.js';
import type { ForwardResult } from '../src/model/forward.js';
import { loadModel, trace } from '../src/node.js';
import { edgeAt, routeEdges } from '../src/schema/index.js';
import type { Trace, TraceEvent } from '../src/schema/index.js';
import { createRng } from './support/rng.js';

const MODEL = fileURLToPath(new URL('../../../models/lmtt-tiny-gpt2', import.meta.url));
const HALF = 32;

let model: Model;
beforeAll(async () => {
  model = await loadModel(MODEL, { device: 'cpu' });
});
afterAll(() => model.dispose());

/** Top-k next tokens after `prompt`, as display texts. */
async function next(prompt: string, k = 5): Promise<string[]> {
  const result = await model.run(prompt);
  const V = model.spec.dVocab;
  const T = result.ids.length;
  const row = result.logits.data.subarray((T - 1) * V, T * V);
  const top = Array.from(row.keys())
    .sort((a, b) => row[b]! - row[a]!)
    .slice(0, k);
  return model.display(top).map((t) => t.text);
}

/** BOS, then a sequence of ids drawn uniformly from the whole vocabulary, repeated twice. */
function repeated(seed: number): number[] {
  const rng = createRng(seed);
  const bos = model.tokenizer.bosTokenId ?? model.spec.bosTokenId!;
  const first = Array.from({ length: HALF }, () => Math.floor(rng.uniform() * bos));
  return [bos, ...first, ...first];
}

/** Mean cross-entropy of predicting ids[t + 1] at positions [from, to). */
function loss(result: ForwardResult, from: number, to: number): number {
  const V = model.spec.dVocab;
  let total = 0;
  for (let t = from; t < to; t++) {
    const row = result.logits.data.subarray(t * V, (t + 1) * V);
    const max = row.reduce((a, b) => Math.max(a, b), -Infinity);
    const logSum = Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0)) + max;
    total += logSum - row[result.ids[t + 1]!]!;
  }
  return total / (to - from);
}

/** Mean attention from each second-copy token to the token after its first occurrence. */
function inductionScores(result: ForwardResult): { layer: number; head: number; score: number }[] {
  const T = result.ids.length;
  return result.layers.flatMap((layer, l) =>
    Array.from({ length: model.spec.nHeads }, (_, h) => {
      let score = 0;
      for (let t = 1 + HALF; t < T; t++)
        score += layer['attn.pattern'].data[(h * T + t) * T + (t - HALF + 1)]!;
      return { layer: l, head: h, score: score / (T - 1 - HALF) };
    }),
  );
}

describe('the embedded model', () => {
  it('continues simple prose sensibly', async () => {
    expect(await next('Thank you very', 3)).toContain(' much');
    expect(await next('the President of the United', 3)).toContain(' States');
    expect(await next('the children of', 3)).toContain(' Israel');
    expect(await next('I am very glad to', 3)).toContain(' be');
  });

  it('copies a repeated random sequence: second-copy loss below half the first', async () => {
    const ids = repeated(1);
    const result = await model.run(ids);
    const first = loss(result, 1, HALF);
    const second = loss(result, HALF + 1, 2 * HALF);
    expect(second).toBeLessThan(first / 2);
  });

  it('has an induction head', async () => {
    const best = inductionScores(await model.run(repeated(2))).sort(
      (a, b) => b.score - a.score,
    )[0]!;
    expect(best.score).toBeGreaterThan(0.3);
  });

  it('routes a second-copy prediction through the induction head from the first copy', async () => {
    const ids = repeated(3);
    const forward = await model.run(ids);
    const head = inductionScores(forward).sort((a, b) => b.score - a.score)[0]!;
    const events: TraceEvent[] = [];
    for await (const event of trace(model, ids, { detail: 'full' })) events.push(event);
    const last = events.at(-1)!;
    if (last.type !== 'done') throw new Error(JSON.stringify(last));
    const result: Trace = last.trace;
    expect(result.tokens.map((t) => t.id)).toEqual(ids);
    const T = ids.length;
    const t = T - 2; // a second-copy position
    const source = t - HALF + 1; // the token after its first occurrence
    const route = Array.from(routeEdges(result.routes, t), (e) => edgeAt(e, T));
    const edge = route.find(
      (e) => e.kind === 'attention' && e.to.layer === head.layer && e.from.pos === source,
    );
    expect(edge, `no route edge ${source} -> ${t} at layer ${head.layer}`).toBeDefined();
    const heads = result.contributions[head.layer]!.heads!;
    const H = model.spec.nHeads;
    const shares = Array.from({ length: H }, (_, h) => heads[(edge!.to.pos * T + source) * H + h]!);
    expect(shares.indexOf(Math.max(...shares))).toBe(head.head);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '../src/model/model.js';
import { loadModel, trace } from '../src/node.js';
import type { Trace, TraceFull, TraceSummary } from '../src/schema/index.js';
import { edgeIndex } from '../src/schema/index.js';
import { liveSource } from '../src/trace/live-source.js';
import type { LiveState } from '../src/trace/live-source.js';
import type { TraceOptions } from '../src/trace/trace-options.js';
import { staticSource } from '../src/trace-query/static-source.js';
import type { TraceSource } from '../src/trace-query/trace-source.js';
import { writeTinyGpt2 } from './support/tiny-gpt2.js';
import { writeTinyNeox } from './support/tiny-neox.js';

const PROMPT = 'When Mary and John went';
let root: string;
let model: Model;
let full: TraceFull;
let summary: TraceSummary;
let state: LiveState | undefined;

async function run(options: TraceOptions): Promise<Trace> {
  for await (const event of trace(model, PROMPT, options)) {
    if (event.type === 'error') throw new Error(event.message);
    if (event.type === 'done') return event.trace;
  }
  throw new Error('no done event');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-live-'));
  const tiny = await writeTinyGpt2(join(root, 'm'), { seed: 7, nLayers: 3 });
  model = await loadModel(tiny.dir, { device: 'cpu' });
  full = (await run({ detail: 'full', topNeurons: 4 })) as TraceFull;
  summary = (await run({ topNeurons: 4, retain: (s) => (state = s) })) as TraceSummary;
});
afterAll(async () => {
  await model.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Every kind of question, with the same arguments, to two sources. */
async function answers(source: TraceSource, full: TraceFull) {
  const T = full.tokens.length;
  const L = full.model.nLayers;
  const last = T - 1;
  return {
    edge: await source.edgeHeads(
      edgeIndex(
        {
          kind: 'attention',
          from: { kind: 'resid_post', layer: 0, pos: 1 },
          to: { kind: 'resid_mid', layer: 1, pos: last },
        },
        T,
      ),
    ),
    overview: await source.headOverview(last),
    map: await source.headMap(L - 1, 1),
    neurons: await source.neurons(1, last),
    lens: await Promise.all([
      source.lens({ kind: 'embed', layer: -1, pos: 2 }),
      source.lens({
        kind: full.model.blocks === 'parallel' ? 'resid_post' : 'resid_mid',
        layer: 0,
        pos: last,
      }),
      source.lens({ kind: 'resid_post', layer: L - 1, pos: last }),
    ]),
    updates: await Promise.all([
      source.update({ block: 'attn', layer: 0, pos: last }),
      source.update({ block: 'mlp', layer: L - 1, pos: 1 }),
      source.update({ block: 'head', layer: 1, pos: last, part: 2 }),
      source.update({ block: 'neuron', layer: L - 1, pos: last, part: 1 }),
    ]),
  };
}

/**
 * `actual` equals `expected` with numbers to float32 precision: a full trace
 * stores shares as float32, and a one-row projection sums in another order
 * than a batch of 256.
 */
function expectClose(actual: unknown, expected: unknown, path = 'answer'): void {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    const gap = Math.abs((actual as number) - expected);
    expect(gap, path).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(expected));
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected))
      expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
  } else {
    expect(actual, path).toEqual(expected);
  }
}

describe('liveSource', () => {
  it('answers every question as the full trace does, from a summary (recomputing)', async () => {
    const live = await answers(liveSource(model, summary), full);
    expectClose(live, await answers(staticSource(full), full));
  });

  it('starts from the state a trace retained, with the same answers', async () => {
    expect(state?.forward.layers).toHaveLength(full.model.nLayers);
    expect(state?.contributions.every((layer) => layer.heads)).toBe(true);
    const live = await answers(liveSource(model, summary, { state }), full);
    expectClose(live, await answers(staticSource(full), full));
  });

  it('rejects bad arguments with the static source’s codes, and honours an aborted signal', async () => {
    const source = liveSource(model, summary);
    await expect(source.headMap(99, 0)).rejects.toMatchObject({ code: 'BAD_PARAM' });
    await expect(source.lens({ kind: 'mlp', layer: 0, pos: 0 })).rejects.toMatchObject({
      code: 'BAD_PARAM',
    });
    await expect(source.update({ block: 'head', layer: 0, pos: 0 })).rejects.toMatchObject({
      code: 'BAD_PARAM',
    });
    const residual = edgeIndex(
      {
        kind: 'residual',
        from: { kind: 'embed', layer: -1, pos: 1 },
        to: { kind: 'resid_mid', layer: 0, pos: 1 },
      },
      full.tokens.length,
    );
    await expect(source.edgeHeads(residual)).rejects.toMatchObject({ code: 'NOT_ATTENTION_EDGE' });
    await expect(source.neurons(0, 0, AbortSignal.abort())).rejects.toThrow();
  });

  it('answers a parallel-block model (GPT-NeoX) as its full trace does', async () => {
    const tiny = await writeTinyNeox(join(root, 'neox'), { seed: 31 });
    const neox = await loadModel(tiny.dir, { device: 'cpu' });
    try {
      const options = { topNeurons: 4 } as const;
      const traces: Trace[] = [];
      for (const detail of ['full', 'summary'] as const) {
        for await (const event of trace(neox, PROMPT, { ...options, detail })) {
          if (event.type === 'error') throw new Error(event.message);
          if (event.type === 'done') traces.push(event.trace);
        }
      }
      const [neoxFull, neoxSummary] = traces as [TraceFull, TraceSummary];
      expect(neoxFull.model.blocks).toBe('parallel');
      expectClose(
        await answers(liveSource(neox, neoxSummary), neoxFull),
        await answers(staticSource(neoxFull), neoxFull),
      );
      await expect(
        liveSource(neox, neoxSummary).lens({ kind: 'resid_mid', layer: 0, pos: 0 }),
      ).rejects.toMatchObject({ code: 'BAD_PARAM' });
    } finally {
      await neox.dispose();
    }
  });
});

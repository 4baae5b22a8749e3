import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceLayerContributions } from '../src/attribution/reference-layer.js';
import type { Model } from '../src/model/model.js';
import { loadModel } from '../src/node.js';
import { edgeAt, routeEdges } from '../src/schema/index.js';
import type { Trace, TraceEvent, TraceFull } from '../src/schema/index.js';
import { trace } from '../src/trace/trace.js';
import type { TraceOptions } from '../src/trace/trace-options.js';
import { decodeTrace, encodeTrace } from '../src/trace-file/index.js';
import { referenceGpt2 } from './support/reference-gpt2.js';
import { writeTinyGpt2 } from './support/tiny-gpt2.js';
import type { TinyGpt2 } from './support/tiny-gpt2.js';

let root: string;
let tiny: TinyGpt2;
let model: Model;
const PROMPT = 'the cat and the dog and the cat';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-trace-'));
  tiny = await writeTinyGpt2(join(root, 'm'), { seed: 41, nLayers: 3 });
  model = await loadModel(tiny.dir, { device: 'cpu' });
});
afterAll(async () => {
  await model.dispose();
  await rm(root, { recursive: true, force: true });
});

async function collect(prompt: string, options: TraceOptions = {}): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  for await (const event of trace(model, prompt, options)) events.push(event);
  return events;
}

function done(events: TraceEvent[]): Trace {
  const last = events.at(-1)!;
  if (last.type !== 'done') throw new Error(`trace ended with ${JSON.stringify(last)}`);
  return last.trace;
}

describe('trace', () => {
  it('streams tokens, each layer, predictions, graph, routes, done, in that order', async () => {
    const events = await collect(PROMPT);
    const order = events
      .map((e) => (e.type === 'layer' ? `layer ${e.layer}` : e.type))
      .filter((t) => t !== 'progress');
    expect(order).toEqual([
      'tokens',
      'layer 0',
      'layer 1',
      'layer 2',
      'predictions',
      'graph',
      'routes',
      'done',
    ]);
    expect(done(events).kind).toBe('summary');
  });

  it('matches the float64 reference contributions, which sum to 1 per node', async () => {
    const result = done(await collect(PROMPT, { detail: 'full' })) as TraceFull;
    const ids = result.tokens.map((t) => t.id);
    const reference = referenceGpt2(tiny, ids);
    const T = ids.length;
    for (const [l, layer] of reference.layers.entries()) {
      const expected = referenceLayerContributions(
        {
          residPre: layer.resid_pre.data,
          residMid: layer.resid_mid.data,
          residPost: layer.resid_post.data,
          mlpOut: layer.mlp_out.data,
          pattern: layer['attn.pattern'].data,
          v: layer['attn.v'].data,
          wO: tiny.weights.get(`h.${l}.attn.c_proj.weight`)!,
          nHeads: 4,
        },
        { layer: l },
      ).contributions;
      const got = result.contributions[l]!;
      for (const key of [
        'attention',
        'attentionResidual',
        'ffn',
        'ffnResidual',
        'heads',
      ] as const) {
        const a = got[key]!;
        const b = expected[key]!;
        for (let i = 0; i < b.length; i++)
          expect(Math.abs(a[i]! - b[i]!), `${key}[${i}] layer ${l}`).toBeLessThan(1e-4);
      }
      for (let t = 0; t < T; t++) {
        let attention = got.attentionResidual[t]!;
        for (let s = 0; s < T; s++) attention += got.attention[t * T + s]!;
        expect(attention).toBeCloseTo(1, 5);
        expect(got.ffn[t]! + got.ffnResidual[t]!).toBeCloseTo(1, 5);
      }
    }
  });

  it('gives routes through edges above the threshold only', async () => {
    const events = await collect(PROMPT, { threshold: 0.05 });
    const graph = events.find((e) => e.type === 'graph');
    const result = done(events);
    const T = result.tokens.length;
    if (graph?.type !== 'graph') throw new Error('no graph event');
    for (let t = 0; t < T; t++) {
      const edges = routeEdges(result.routes, t);
      expect(edges.length).toBeGreaterThan(0);
      for (const e of edges) {
        expect(graph.weights[e]!).toBeGreaterThan(0.05);
        expect(edgeAt(e, T).to.pos).toBeLessThanOrEqual(t);
      }
    }
  });

  it('writes a full trace that validates and round-trips through its file format', async () => {
    const result = done(
      await collect(PROMPT, { detail: 'full', topK: 5, topNeurons: 4 }),
    ) as TraceFull;
    expect(result.lens.ids.length).toBe((1 + 2 * 3) * result.tokens.length * 5);
    expect(result.neurons.indices.length).toBe(3 * result.tokens.length * 4);
    const decoded = decodeTrace(encodeTrace(result)) as TraceFull;
    expect(decoded.kind).toBe('full');
    expect(decoded.tokens).toEqual(result.tokens);
    expect(decoded.contributions[1]!.attention).toEqual(result.contributions[1]!.attention);
    expect(decoded.routes).toEqual(result.routes);
    expect(decoded.lens.ids).toEqual(result.lens.ids);
  });

  it('gives the same id to the same request and another to other settings', async () => {
    const a = done(await collect('hello there'));
    const b = done(await collect('hello there'));
    const c = done(await collect('hello there', { threshold: 0.1 }));
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
  });

  it('ends with one error event on bad input or cancellation', async () => {
    const empty = await collect('');
    expect(empty).toEqual([{ type: 'error', code: 'EMPTY_PROMPT', message: expect.any(String) }]);
    const badThreshold = await collect('hi', { threshold: Number.NaN });
    expect(badThreshold.at(-1)).toMatchObject({ type: 'error', code: 'BAD_OPTION' });
    const controller = new AbortController();
    const events: TraceEvent[] = [];
    for await (const event of trace(model, PROMPT, { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'layer') controller.abort();
    }
    expect(events.filter((e) => e.type === 'layer')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'ABORTED' });
  });
});

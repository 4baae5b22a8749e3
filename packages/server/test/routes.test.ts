import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeEvent, decodeTrace } from '@lmtt/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config/parse-config.js';
import { createServices } from '../src/services/services.js';
import {
  noGpuDevices,
  parseSse,
  postTrace,
  testEngine,
  tinyServer,
  tinyServerForTest,
} from './support/tiny-server.js';
import type { TinyServer } from './support/tiny-server.js';

let server: TinyServer;
const PROMPT = 'the cat sat on the mat';

beforeAll(async () => {
  server = await tinyServer({ max_user_string_length: 200, max_prompt_tokens: 40 });
  await mkdir(join(server.root, 'data'));
});
afterAll(async () => {
  await server?.close();
});

async function json(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toContain('application/json');
  return (await response.json()) as Record<string, unknown>;
}

async function expectError(response: Response | Promise<Response>, status: number, code: string) {
  const r = await response;
  expect(r.status).toBe(status);
  expect(await json(r)).toMatchObject({ code });
  return r;
}

async function traceOf(body: unknown) {
  const response = await server.app.request('/api/traces', postTrace(body));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  return parseSse(await response.text());
}

describe('health and readiness', () => {
  it('reports caches, queue and the default model', async () => {
    const body = await json(await server.app.request('/api/health'));
    expect(body).toMatchObject({
      status: 'ok',
      defaultModel: { name: 'tiny', available: true },
      queue: { running: 0, queued: 0, concurrency: 1 },
      traces: { entries: expect.any(Number) },
      models: { budgetBytes: server.config.model_cache_bytes },
    });
  });

  it('is ready when the default model is there, and says why not otherwise', async () => {
    expect(await json(await server.app.request('/api/ready'))).toEqual({ ready: true });
    const missing = parseConfig(
      { models: { gone: join(server.root, 'nope') }, default_model: 'gone' },
      server.root,
    );
    const app = createApp({ services: createServices(missing, { deviceTester: noGpuDevices }) });
    await expectError(app.request('/api/ready'), 503, 'NOT_READY');
    const health = await json(await app.request('/api/health'));
    expect(health).toMatchObject({ defaultModel: { name: 'gone', available: false } });
    await expectError(
      app.request('/api/traces', postTrace({ prompt: 'hi' })),
      404,
      'MODEL_NOT_FOUND',
    );
  });
});

describe('GET /api/models', () => {
  it('lists configured models without their paths', async () => {
    const body = await json(await server.app.request('/api/models'));
    expect(body).toMatchObject({
      default: 'tiny',
      customModels: false,
      models: [{ name: 'tiny', source: 'local', available: true, family: 'gpt2', nLayers: 2 }],
    });
    expect(JSON.stringify(body)).not.toContain(server.root);
  });
});

describe('POST /api/traces', () => {
  it('streams tokens, layers in order, then done, and caches the trace', async () => {
    const events = await traceOf({ prompt: PROMPT });
    const types = events.map((e) => e.event).filter((t) => t !== 'progress');
    expect(types).toEqual(['tokens', 'layer', 'layer', 'predictions', 'graph', 'routes', 'done']);
    const decoded = events.map((e) => decodeEvent(e.data));
    expect(decoded.map((e) => e.type)).toEqual(events.map((e) => e.event));
    const done = decoded.at(-1)!;
    if (done.type !== 'done') throw new Error('no done');
    expect(done.trace.kind).toBe('summary');
    expect(done.trace.id).toMatch(/^[0-9a-f]{64}$/);
    expect(done.trace.model.id).toBe('tiny'); // the configured name, never the folder's path

    const again = await traceOf({ prompt: PROMPT });
    expect(again.map((e) => e.event)).toEqual(['done']);
    const file = await server.app.request(`/api/traces/${done.trace.id}`);
    expect(file.status).toBe(200);
    expect(decodeTrace(await file.text()).id).toBe(done.trace.id);
    const stats = await json(await server.app.request('/api/health'));
    expect(stats).toMatchObject({ traces: { entries: 1 }, models: { loaded: [server.modelDir] } });
  });

  it('answers bad requests with JSON errors before streaming', async () => {
    const post = (body: unknown) => server.app.request('/api/traces', postTrace(body));
    await expectError(post('{nope'), 400, 'BAD_JSON');
    await expectError(post([1]), 400, 'BAD_REQUEST');
    await expectError(post({ prompt: 3 }), 400, 'BAD_REQUEST');
    await expectError(post({ prompt: 'x', extra: 1 }), 400, 'BAD_REQUEST');
    await expectError(post({ prompt: 'x', settings: { threshold: '1' } }), 400, 'BAD_REQUEST');
    await expectError(post({ prompt: 'x', settings: { bogus: 1 } }), 400, 'BAD_REQUEST');
    await expectError(post({ prompt: 'x', settings: { threshold: -1 } }), 400, 'BAD_OPTION');
    await expectError(post({ prompt: 'x', settings: { topK: 0.5 } }), 400, 'BAD_OPTION');
    await expectError(post({ prompt: 'x', settings: { detail: 'all' } }), 400, 'BAD_OPTION');
    await expectError(post({ prompt: '   ' }), 400, 'EMPTY_PROMPT');
    await expectError(post({ prompt: 'x'.repeat(201) }), 400, 'PROMPT_TOO_LONG');
    await expectError(post({ prompt: 'ab '.repeat(60).slice(0, 199) }), 400, 'PROMPT_TOO_LONG');
    await expectError(post({ prompt: 'x', model: 'gpt5' }), 404, 'UNKNOWN_MODEL');
    await expectError(post({ prompt: 'x', model: '/etc' }), 404, 'UNKNOWN_MODEL');
    await expectError(post({ prompt: 'x', model: '../tiny' }), 404, 'UNKNOWN_MODEL');
    const big = await post({ prompt: 'x'.repeat(server.config.max_body_bytes + 1) });
    await expectError(big, 413, 'BODY_TOO_LARGE');
  });

  it('ends a trace that runs past job_timeout_ms with a TIMEOUT event', async () => {
    const slow = await tinyServerForTest({ job_timeout_ms: 30 }, testEngine('hanging'));
    const response = await slow.app.request('/api/traces', postTrace({ prompt: 'x' }));
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual(['error']);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ code: 'TIMEOUT' });
  });

  it('answers 504 when loading the model outlasts the request, and starts no job', async () => {
    const slow = await tinyServerForTest({ request_timeout_ms: 20 }, testEngine('slow-load'));
    await expectError(slow.app.request('/api/traces', postTrace({ prompt: 'x' })), 504, 'TIMEOUT');
    while (slow.services.engine.modelStats().loaded.length === 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(slow.services.scheduler.stats()).toMatchObject({
      running: 0,
      queued: 0,
      completed: 0,
    });
  });

  it('answers 429 with Retry-After when the queue is full', async () => {
    const busy = await tinyServerForTest({ max_queue: 0 }, testEngine('sleeping'));
    const first = await busy.app.request('/api/traces', postTrace({ prompt: 'one' }));
    const second = await expectError(
      busy.app.request('/api/traces', postTrace({ prompt: 'two' })),
      429,
      'QUEUE_FULL',
    );
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expectError(busy.app.request('/api/ready'), 503, 'NOT_READY');
    expect(parseSse(await first.text()).map((e) => e.event)).toEqual(['error']);
  });
});

describe('GET /api/traces/:id and detail', () => {
  let id: string;
  beforeAll(async () => {
    const events = await traceOf({ prompt: 'one two three', settings: { topK: 3, topNeurons: 2 } });
    const done = decodeEvent(events.at(-1)!.data);
    if (done.type !== 'done') throw new Error('no done');
    id = done.trace.id;
  });

  it('answers a summary, a full trace computed on demand, and a summary of it', async () => {
    const full = decodeTrace(
      await (await server.app.request(`/api/traces/${id}?detail=full`)).text(),
    );
    expect(full.kind).toBe('full');
    const summary = decodeTrace(
      await (await server.app.request(`/api/traces/${id}?detail=summary`)).text(),
    );
    expect(summary.kind).toBe('summary');
    const fullAgain = await server.app.request(`/api/traces/${full.id}?detail=summary`);
    expect(decodeTrace(await fullAgain.text()).kind).toBe('summary');
  });

  it('answers every detail table', async () => {
    const get = async (path: string) => json(await server.app.request(`/api/traces/${id}${path}`));
    const heads = await get('/edges/1/heads');
    expect(heads).toMatchObject({ layer: 0, pos: 1, keyPos: 0 });
    expect(heads['heads']).toHaveLength(4);
    const map = await get('/heads/1/2');
    expect(map['pattern']).toHaveLength((map['pattern'] as unknown[]).length);
    expect((map['pattern'] as number[][])[0]).toHaveLength((map['pattern'] as unknown[]).length);
    const neurons = await get('/neurons/0/1');
    expect(neurons['neurons']).toHaveLength(2);
    const lens = await get('/lens?kind=resid_mid&layer=1&pos=0');
    expect(lens['tokens']).toHaveLength(3);
    expect(await get('/lens?kind=embed&pos=0')).toMatchObject({
      node: { kind: 'embed', layer: -1 },
    });
    for (const query of ['block=attn', 'block=mlp', 'block=head&part=3', 'block=neuron&part=1']) {
      const update = await get(`/promoted?${query}&layer=1&pos=2`);
      expect(update['promoted']).toHaveLength(3);
      expect(update['suppressed']).toHaveLength(3);
    }
  });

  it('answers bad ids and parameters with JSON errors', async () => {
    const req = (path: string) => server.app.request(path);
    await expectError(req('/api/traces/nothex'), 400, 'BAD_TRACE_ID');
    await expectError(req(`/api/traces/${'a'.repeat(64)}`), 404, 'TRACE_NOT_FOUND');
    await expectError(req(`/api/traces/${id}?detail=huge`), 400, 'BAD_OPTION');
    const T = decodeTrace(await (await req(`/api/traces/${id}`)).text()).tokens.length;
    const residualEdge = (T * (T + 1)) / 2;
    await expectError(
      req(`/api/traces/${id}/edges/${residualEdge}/heads`),
      400,
      'NOT_ATTENTION_EDGE',
    );
    await expectError(req(`/api/traces/${id}/edges/99999/heads`), 400, 'BAD_PARAM');
    await expectError(req(`/api/traces/${id}/heads/2/0`), 400, 'BAD_PARAM');
    await expectError(req(`/api/traces/${id}/heads/0/-1`), 400, 'BAD_PARAM');
    await expectError(req(`/api/traces/${id}/neurons/0/99`), 400, 'BAD_PARAM');
    await expectError(req(`/api/traces/${id}/lens?kind=mlp&layer=0&pos=0`), 400, 'BAD_PARAM');
    await expectError(req(`/api/traces/${id}/promoted?block=x&layer=0&pos=0`), 400, 'BAD_PARAM');
    await expectError(req(`/api/traces/${id}/promoted?block=head&layer=0&pos=0`), 400, 'BAD_PARAM');
    await expectError(req('/api/nope'), 404, 'NOT_FOUND');
  });
});

describe('datasets', () => {
  it('serves the preloaded dataset and refuses others unless allowed', async () => {
    const dir = join(server.root, 'data');
    await writeFile(join(dir, 'prompts.txt'), 'first prompt\nsecond prompt\n');
    await writeFile(join(dir, 'other.json'), '["a", "b"]');
    await writeFile(join(dir, 'broken.json'), '{');
    const closed = createApp({
      services: createServices(
        parseConfig(
          {
            models: { tiny: server.modelDir },
            dataset_dir: 'data',
            preloaded_dataset_filename: 'prompts.txt',
          },
          server.root,
        ),
      ),
    });
    expect(await json(await closed.request('/api/datasets'))).toEqual({
      preloaded: 'prompts.txt',
      files: [],
    });
    expect(await json(await closed.request('/api/datasets/prompts.txt'))).toEqual({
      name: 'prompts.txt',
      prompts: ['first prompt', 'second prompt'],
    });
    await expectError(closed.request('/api/datasets/other.json'), 403, 'DATASETS_DISABLED');
    await expectError(closed.request('/api/datasets/..%2Fsecret.txt'), 400, 'BAD_DATASET_NAME');
    await expectError(closed.request('/api/datasets/.hidden.txt'), 400, 'BAD_DATASET_NAME');

    const open = createApp({
      services: createServices(
        parseConfig(
          {
            models: { tiny: server.modelDir },
            dataset_dir: 'data',
            allow_loading_dataset_files: true,
          },
          server.root,
        ),
      ),
    });
    expect(await json(await open.request('/api/datasets'))).toEqual({
      preloaded: null,
      files: ['broken.json', 'other.json', 'prompts.txt'],
    });
    expect(await json(await open.request('/api/datasets/other.json'))).toMatchObject({
      prompts: ['a', 'b'],
    });
    await expectError(open.request('/api/datasets/missing.txt'), 404, 'DATASET_NOT_FOUND');
    await expectError(open.request('/api/datasets/broken.json'), 422, 'BAD_DATASET');
    await expectError(
      open.request('/api/datasets/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd'),
      400,
      'BAD_DATASET_NAME',
    );
  });

  it('traces only dataset prompts in demo mode', async () => {
    const demo = createApp({
      services: createServices(
        parseConfig(
          {
            models: { tiny: server.modelDir },
            dataset_dir: 'data',
            preloaded_dataset_filename: 'prompts.txt',
            demo_mode: true,
          },
          server.root,
        ),
      ),
    });
    await expectError(
      demo.request('/api/traces', postTrace({ prompt: 'free text' })),
      403,
      'PROMPT_NOT_ALLOWED',
    );
    const ok = await demo.request('/api/traces', postTrace({ prompt: 'first prompt' }));
    expect(ok.status).toBe(200);
    expect(parseSse(await ok.text()).at(-1)!.event).toBe('done');
  });
});

describe('errors', () => {
  it('hides internal details unless debug is on', async () => {
    const failing = testEngine('failing-load');
    const quiet = await tinyServerForTest({}, failing);
    const loud = await tinyServerForTest({ debug: true }, failing);
    const a = await quiet.app.request('/api/traces', postTrace({ prompt: 'x' }));
    expect(a.status).toBe(500);
    expect(await a.json()).toEqual({ code: 'INTERNAL', message: 'internal server error' });
    const b = await loud.app.request('/api/traces', postTrace({ prompt: 'x' }));
    expect(((await b.json()) as { message: string }).message).toContain('secret detail');
  });
});

import { decodeEvent } from '@lmtt/engine';
import type { TraceSummary } from '@lmtt/engine';
import { edgeIndex } from '@lmtt/engine/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { healthOf, parseSse, postTrace, testEngine, tinyServer } from './support/tiny-server.js';
import type { TinyServer } from './support/tiny-server.js';

// Detail questions about a trace whose cache holds only its summary are
// answered on demand by the engine workers (live sources), never by
// computing a full trace; the answers equal those of the full trace.

const SETTINGS = { topK: 3, topNeurons: 2 };
const L = 2;
const H = 4;

let server: TinyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function summaryOf(tiny: TinyServer, prompt: string): Promise<TraceSummary> {
  const response = await tiny.app.request('/api/traces', postTrace({ prompt, settings: SETTINGS }));
  const done = decodeEvent(parseSse(await response.text()).at(-1)!.data);
  if (done.type !== 'done' || done.trace.kind !== 'summary') throw new Error('no summary');
  return done.trace;
}

/** A path of every detail endpoint, over every layer, position, head and part. */
function detailPaths(T: number): string[] {
  const paths: string[] = [];
  for (let pos = 0; pos < T; pos++) {
    paths.push(`/heads?pos=${pos}`, `/lens?kind=embed&pos=${pos}`);
    for (let layer = 0; layer < L; layer++) {
      paths.push(
        `/neurons/${layer}/${pos}`,
        `/lens?kind=resid_mid&layer=${layer}&pos=${pos}`,
        `/lens?kind=resid_post&layer=${layer}&pos=${pos}`,
        `/promoted?block=attn&layer=${layer}&pos=${pos}`,
        `/promoted?block=mlp&layer=${layer}&pos=${pos}`,
      );
      for (let part = 0; part < H; part++)
        paths.push(`/promoted?block=head&layer=${layer}&pos=${pos}&part=${part}`);
      for (let part = 0; part < SETTINGS.topNeurons; part++)
        paths.push(`/promoted?block=neuron&layer=${layer}&pos=${pos}&part=${part}`);
      for (let key = 0; key <= pos; key++) {
        const edge = edgeIndex(
          {
            from: { kind: layer === 0 ? 'embed' : 'resid_post', layer: layer - 1, pos: key },
            to: { kind: 'resid_mid', layer, pos },
            kind: 'attention',
          },
          T,
        );
        paths.push(`/edges/${edge}/heads`);
      }
    }
  }
  for (let layer = 0; layer < L; layer++)
    for (let head = 0; head < H; head++) paths.push(`/heads/${layer}/${head}`);
  return paths;
}

async function answers(tiny: TinyServer, id: string, paths: readonly string[]) {
  const out: unknown[] = [];
  for (const path of paths) {
    const response = await tiny.app.request(`/api/traces/${id}${path}`);
    expect(response.status, path).toBe(200);
    out.push(await response.json());
  }
  return out;
}

/** Deep equality, numbers to float32 precision (a full trace stores its shares as float32). */
function expectClose(actual: unknown, expected: unknown, at: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, at).toBe('number');
    const tolerance = 1e-6 * Math.max(1, Math.abs(expected));
    expect(Math.abs((actual as number) - expected), at).toBeLessThanOrEqual(tolerance);
    return;
  }
  if (typeof expected !== 'object' || expected === null) {
    expect(actual, at).toEqual(expected);
    return;
  }
  expect(Object.keys(actual as object).sort(), at).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected))
    expectClose((actual as Record<string, unknown>)[key], value, `${at}.${key}`);
}

/** The kinds of the traces the cache holds. */
function cachedKinds(tiny: TinyServer, ids: readonly string[]): string[] {
  return ids.flatMap((id) => tiny.services.traceCache.get(id)?.trace.kind ?? []);
}

/** The same answers from the full trace, computed by `?detail=full` and then cached. */
async function fullAnswers(tiny: TinyServer, id: string, paths: readonly string[]) {
  const full = await tiny.app.request(`/api/traces/${id}?detail=full`);
  expect(full.status).toBe(200);
  await full.text();
  return answers(tiny, id, paths);
}

describe('detail on demand', () => {
  it('answers every endpoint of a summary from its retained state, as the full trace does', async () => {
    server = await tinyServer();
    const summary = await summaryOf(server, 'one two three four');
    const paths = detailPaths(summary.tokens.length);
    const live = await answers(server, summary.id, paths);

    // No full trace was computed: one job ran, the cache holds the summary only.
    expect(server.services.scheduler.stats().completed).toBe(1);
    expect(server.services.traceCache.stats().entries).toBe(1);
    expect(cachedKinds(server, [summary.id])).toEqual(['summary']);
    const status = await healthOf(server);
    expect(status.live).toMatchObject({ entries: 1, hits: paths.length, misses: 0, pending: 0 });
    expect(status.live.bytes).toBeGreaterThan(0);
    expect(status.live.budgetBytes).toBe(server.config.live_cache_bytes);

    const full = await fullAnswers(server, summary.id, paths);
    expect(server.services.traceCache.stats().entries).toBe(2);
    // The full trace answered on the main thread: the workers were not asked again.
    expect((await healthOf(server)).live.hits).toBe(paths.length);
    paths.forEach((path, i) => expectClose(live[i], full[i], path));
  });

  it('recomputes the state once it was evicted, with the same answers', async () => {
    server = await tinyServer({ live_cache_bytes: 1 });
    const summary = await summaryOf(server, 'one two three four');
    const paths = detailPaths(summary.tokens.length).filter((_, i) => i % 7 === 0);
    expect((await healthOf(server)).live).toMatchObject({ entries: 0, evictions: 1 });
    const live = await answers(server, summary.id, paths);
    expect(cachedKinds(server, [summary.id])).toEqual(['summary']);
    expect(server.services.scheduler.stats().completed).toBe(1);
    expect((await healthOf(server)).live).toMatchObject({ entries: 0, misses: paths.length });

    const full = await fullAnswers(server, summary.id, paths);
    paths.forEach((path, i) => expectClose(live[i], full[i], path));
  });

  it('keeps the most recent states within the budget and remakes an evicted one', async () => {
    server = await tinyServer();
    const first = await summaryOf(server, 'one two three four');
    const bytes = (await healthOf(server)).live.bytes;
    await server.close();
    server = await tinyServer({ live_cache_bytes: Math.ceil(bytes * 1.5) });
    const a = await summaryOf(server, 'one two three four');
    expect(a.id).toBe(first.id);
    const b = await summaryOf(server, 'five six seven eight');
    expect((await healthOf(server)).live).toMatchObject({ entries: 1, evictions: 1 });
    const path = '/lens?kind=resid_post&layer=1&pos=2';
    const [fromB] = await answers(server, b.id, [path]);
    const [fromA] = await answers(server, a.id, [path]);
    expect((await healthOf(server)).live).toMatchObject({ entries: 1, hits: 1, misses: 1 });
    expect(fromA).not.toEqual(fromB);
    expect(cachedKinds(server, [a.id, b.id])).toEqual(['summary', 'summary']);
  });

  it('answers after the worker that kept the state crashed and was replaced', async () => {
    server = await tinyServer({}, testEngine('crashing'));
    const summary = await summaryOf(server, 'one two three four');
    const paths = detailPaths(summary.tokens.length).filter((_, i) => i % 5 === 0);
    const before = await answers(server, summary.id, paths);
    const crash = await server.app.request('/api/traces', postTrace({ prompt: 'crash now' }));
    expect(parseSse(await crash.text()).at(-1)!.event).toBe('error');
    const crashed = await healthOf(server);
    expect(crashed.workers).toMatchObject([{ started: false, crashes: 1 }]);
    expect(crashed.live.entries).toBe(0);

    const after = await answers(server, summary.id, paths);
    paths.forEach((path, i) => expectClose(after[i], before[i], path));
    expect((await healthOf(server)).live.entries).toBe(1);
    expect(cachedKinds(server, [summary.id])).toEqual(['summary']);
  });

  it('keeps the 400 and 404 codes of bad questions, and computes nothing for them', async () => {
    server = await tinyServer();
    const { id, tokens } = await summaryOf(server, 'one two three');
    const T = tokens.length;
    const expectError = async (path: string, status: number, code: string) => {
      const response = await server!.app.request(path);
      expect(response.status, path).toBe(status);
      expect(await response.json(), path).toMatchObject({ code });
    };
    const residualEdge = (T * (T + 1)) / 2;
    await expectError(`/api/traces/${id}/edges/${residualEdge}/heads`, 400, 'NOT_ATTENTION_EDGE');
    await expectError(`/api/traces/${id}/edges/99999/heads`, 400, 'BAD_PARAM');
    await expectError(`/api/traces/${id}/edges/x/heads`, 400, 'BAD_PARAM');
    await expectError(`/api/traces/${id}/heads?pos=${T}`, 400, 'BAD_PARAM');
    await expectError(`/api/traces/${id}/heads/2/0`, 400, 'BAD_PARAM');
    await expectError(`/api/traces/${id}/heads/0/-1`, 400, 'BAD_PARAM');
    await expectError(`/api/traces/${id}/neurons/0/99`, 400, 'BAD_PARAM');
    await expectError(`/api/traces/${id}/lens?kind=mlp&layer=0&pos=0`, 400, 'BAD_PARAM');
    await expectError(`/api/traces/${id}/lens?kind=resid_mid&layer=5&pos=0`, 400, 'BAD_PARAM');
    await expectError(`/api/traces/${id}/promoted?block=x&layer=0&pos=0`, 400, 'BAD_PARAM');
    await expectError(`/api/traces/${id}/promoted?block=head&layer=0&pos=0`, 400, 'BAD_PARAM');
    await expectError(
      `/api/traces/${id}/promoted?block=head&layer=0&pos=0&part=4`,
      400,
      'BAD_PARAM',
    );
    await expectError(
      `/api/traces/${id}/promoted?block=neuron&layer=0&pos=0&part=2`,
      400,
      'BAD_PARAM',
    );
    await expectError(`/api/traces/${'a'.repeat(64)}/edges/x/heads`, 404, 'TRACE_NOT_FOUND');
    await expectError(
      `/api/traces/${'a'.repeat(64)}/lens?kind=embed&pos=0`,
      404,
      'TRACE_NOT_FOUND',
    );
    await expectError('/api/traces/nothex/heads?pos=0', 400, 'BAD_TRACE_ID');
    expect(server.services.scheduler.stats().completed).toBe(1);
    expect(cachedKinds(server, [id])).toEqual(['summary']);
  });

  it('refuses questions beyond max_detail_queue with 429 and Retry-After', async () => {
    server = await tinyServer({ max_detail_queue: 1 });
    const { id } = await summaryOf(server, 'one two three');
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, pos) =>
        server!.app.request(`/api/traces/${id}/lens?kind=embed&pos=${pos % 3}`),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(await response.json()).toMatchObject({ code: 'QUEUE_FULL' });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await healthOf(server)).live).toMatchObject({ pending: 0, maxPending: 1 });
    expect((await healthOf(server)).live.rejected).toBeGreaterThan(0);
  });

  it('drops the question of a client that left', async () => {
    server = await tinyServer();
    const { id } = await summaryOf(server, 'one two three');
    const left = new AbortController();
    left.abort();
    const response = await server.app.request(`/api/traces/${id}/heads/1/2`, {
      signal: left.signal,
    });
    expect(response.status).toBe(499);
    expect(await response.json()).toMatchObject({ code: 'ABORTED' });
    expect((await healthOf(server)).live).toMatchObject({ pending: 0, hits: 1 });
    const again = await server.app.request(`/api/traces/${id}/heads/1/2`);
    expect(again.status).toBe(200);
  });
});

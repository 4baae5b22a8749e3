import { BroadcastChannel } from 'node:worker_threads';
import { decodeEvent } from '@lmtt/engine';
import type { TraceEvent } from '@lmtt/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/node/serve.js';
import type { RunningServer } from '../src/node/serve.js';
import { GATE_CHANNEL } from './support/engines/gate-channel.js';
import type { GateMessage } from './support/engines/gate-channel.js';
import { parseSse, postTrace, testEngine, tinyServer } from './support/tiny-server.js';
import type { TinyServer } from './support/tiny-server.js';

/**
 * The test's end of the gated engine (`support/engines/gated.ts`), which runs
 * in the engine worker: each layer of a `slow` prompt waits for a permit.
 */
function gatedTrace() {
  const started: string[] = [];
  const ended: { prompt: string; last: string }[] = [];
  const channel = new BroadcastChannel(GATE_CHANNEL);
  channel.unref();
  channel.onmessage = (message) => {
    const data = (message as { data: GateMessage }).data;
    if (data.type === 'started') started.push(data.prompt);
    if (data.type === 'ended') ended.push({ prompt: data.prompt, last: data.last });
  };
  return {
    started,
    ended,
    /** Lets `n` more layers through. */
    release(n = 1) {
      channel.postMessage({ type: 'release', count: n } satisfies GateMessage);
    },
    close: () => channel.close(),
  };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('over a real socket', () => {
  let tiny: TinyServer;
  let running: RunningServer;
  const gated = gatedTrace();

  beforeAll(async () => {
    tiny = await tinyServer({ max_queue: 4 }, testEngine('gated'), { nLayers: 3 });
    running = await startServer({ host: '127.0.0.1', port: 0, services: tiny.services });
  });
  afterAll(async () => {
    gated.close();
    await running?.close();
    await tiny?.close();
  });

  const post = (body: unknown, signal?: AbortSignal) =>
    fetch(new URL('api/traces', running.url), { ...postTrace(body), signal });

  it('delivers layer events while the trace is still computing, done last', async () => {
    const response = await post({ prompt: 'slow and steady' });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const seen = () => parseSse(text).map((e) => e.event);
    // The first layer is held at the gate: tokens must already be here.
    while (!seen().includes('tokens')) text += decoder.decode((await reader.read()).value);
    expect(seen()).not.toContain('done');
    gated.release();
    while (!seen().includes('layer')) text += decoder.decode((await reader.read()).value);
    expect(seen()).not.toContain('done');
    gated.release(2);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    const events = parseSse(text).map((e) => decodeEvent(e.data));
    const order = events.map((e) => e.type).filter((t) => t !== 'progress');
    expect(order).toEqual([
      'tokens',
      'layer',
      'layer',
      'layer',
      'predictions',
      'graph',
      'routes',
      'done',
    ]);
    expect(
      events
        .filter((e): e is Extract<TraceEvent, { type: 'layer' }> => e.type === 'layer')
        .map((e) => e.layer),
    ).toEqual([0, 1, 2]);
  });

  it('cancels the job of a client that disconnects, then starts the next queued job', async () => {
    const controller = new AbortController();
    const first = await post({ prompt: 'slow to cancel' }, controller.signal);
    const reader = first.body!.getReader();
    await reader.read();
    const second = await post({ prompt: 'quick after cancel' });
    expect(tiny.services.scheduler.stats()).toMatchObject({ running: 1, queued: 1 });
    controller.abort();
    await until(() => tiny.services.scheduler.stats().cancelled >= 1);
    gated.release();
    const events = parseSse(await second.text()).map((e) => e.event);
    expect(events.at(-1)).toBe('done');
    await until(() => gated.ended.some((e) => e.prompt === 'slow to cancel'));
    expect(gated.ended.find((e) => e.prompt === 'slow to cancel')!.last).toBe('error:ABORTED');
    expect(tiny.services.scheduler.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it('shares one computation between identical concurrent requests', async () => {
    const before = gated.started.length;
    const a = post({ prompt: 'slow shared' });
    const b = post({ prompt: 'slow shared' });
    const [ra, rb] = await Promise.all([a, b]);
    gated.release(3);
    const [ta, tb] = await Promise.all([ra.text(), rb.text()]);
    expect(parseSse(ta).map((e) => e.event)).toEqual(parseSse(tb).map((e) => e.event));
    expect(parseSse(ta).at(-1)!.event).toBe('done');
    await until(() => gated.ended.some((e) => e.prompt === 'slow shared'));
    expect(gated.started.length - before).toBe(1);
  });
});

/** Live heap after a full collection (the test process runs with --expose-gc). */
async function heapAfterGc(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (see vitest.config.ts)');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return process.memoryUsage().heapUsed;
}

describe('load on loopback', () => {
  it('gives 50 concurrent clients a complete trace or a 429, stays healthy, and keeps no memory beyond its caches', async () => {
    const tiny = await tinyServer({ max_queue: 8, concurrency: 1 });
    const running = await startServer({ host: '127.0.0.1', port: 0, services: tiny.services });
    try {
      // Warm up (model loaded, code paths compiled), then take the baseline.
      const warm = await fetch(
        new URL('api/traces', running.url),
        postTrace({ prompt: 'warm up' }),
      );
      await warm.text();
      const baseline = await heapAfterGc();
      let healthChecks = 0;
      let stop = false;
      const health = (async () => {
        while (!stop) {
          const r = await fetch(new URL('api/health', running.url));
          expect(r.status).toBe(200);
          await r.json();
          healthChecks++;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const clients = Array.from({ length: 50 }, async (_, i) => {
        const r = await fetch(
          new URL('api/traces', running.url),
          postTrace({ prompt: `client ${i % 20} says hello` }),
        );
        if (r.status === 429) {
          expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(await r.json()).toMatchObject({ code: 'QUEUE_FULL' });
          return 'busy';
        }
        expect(r.status).toBe(200);
        const events = parseSse(await r.text());
        const last = decodeEvent(events.at(-1)!.data);
        expect(last.type).toBe('done');
        return 'done';
      });
      const outcomes = await Promise.all(clients);
      stop = true;
      await health;
      expect(outcomes.filter((o) => o === 'done').length).toBeGreaterThan(0);
      expect(healthChecks).toBeGreaterThan(0);
      const stats = tiny.services.scheduler.stats();
      expect(stats).toMatchObject({ running: 0, queued: 0 });
      const cached = tiny.services.traceCache.stats().bytes;
      expect(cached).toBeLessThanOrEqual(tiny.config.trace_cache_bytes);
      // What stays is the trace cache (bounded, counted) and noise; jobs, streams
      // and sockets of the 50 clients are gone.
      const growth = (await heapAfterGc()) - baseline;
      expect(growth).toBeLessThan(cached + 16 * 1024 ** 2);
    } finally {
      await running.close();
      await tiny.close();
    }
  });
});

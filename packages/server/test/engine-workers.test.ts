import { decodeEvent } from '@lmtt/engine';
import { describe, expect, it } from 'vitest';
import { startServer } from '../src/node/serve.js';
import { BUSY_MS } from './support/engines/busy.js';
import {
  healthOf,
  parseSse,
  postTrace,
  testEngine,
  tinyServerForTest,
} from './support/tiny-server.js';

describe('engine workers', () => {
  it('keep the main thread responsive while a trace blocks its worker', async () => {
    const tiny = await tinyServerForTest({}, testEngine('busy'), { nLayers: 3 });
    const running = await startServer({ host: '127.0.0.1', port: 0, services: tiny.services });
    try {
      // Load the model first, so that the measurement covers tracing only.
      await (await fetch(new URL('api/traces', running.url), postTrace({ prompt: 'warm' }))).text();
      let tracing = true;
      const latencies: number[] = [];
      const health = (async () => {
        while (tracing) {
          const started = performance.now();
          const response = await fetch(new URL('api/health', running.url));
          expect(response.status).toBe(200);
          await response.json();
          latencies.push(performance.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const started = performance.now();
      const response = await fetch(
        new URL('api/traces', running.url),
        postTrace({ prompt: 'busy all the way' }),
      );
      const events = parseSse(await response.text());
      const traceMs = performance.now() - started;
      tracing = false;
      await health;
      expect(decodeEvent(events.at(-1)!.data).type).toBe('done');
      // The worker blocked for BUSY_MS at each of 3 layers. On the main thread
      // that would have held most health checks about that long, and let only
      // a few through between layers. Bounds are loose for a busy machine.
      expect(traceMs).toBeGreaterThan(3 * BUSY_MS);
      latencies.sort((a, b) => a - b);
      expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(BUSY_MS / 8);
      expect(latencies.length).toBeGreaterThan((3 * traceMs) / BUSY_MS);
    } finally {
      await running.close();
    }
  });

  it('fail the job of a worker that crashes with WORKER_CRASHED, replace it and stay up', async () => {
    const tiny = await tinyServerForTest({}, testEngine('crashing'));
    const crashed = await tiny.app.request('/api/traces', postTrace({ prompt: 'crash please' }));
    const events = parseSse(await crashed.text());
    expect(events.map((e) => e.event)).toEqual(['tokens', 'error']);
    expect(JSON.parse(events[1]!.data)).toMatchObject({
      type: 'error',
      code: 'WORKER_CRASHED',
      message: expect.not.stringContaining('test engine crashed'),
    });
    const health = await healthOf(tiny);
    expect(health.queue).toMatchObject({ running: 0, queued: 0 });
    expect(health.workers).toEqual([{ started: false, jobs: 0, loaded: [], crashes: 1 }]);
    expect(health.models.loaded).toEqual([]);

    const after = await tiny.app.request('/api/traces', postTrace({ prompt: 'after the crash' }));
    expect(parseSse(await after.text()).at(-1)!.event).toBe('done');
    const healed = await healthOf(tiny);
    expect(healed.workers).toEqual([
      { started: true, jobs: 0, loaded: [tiny.modelDir], crashes: 1 },
    ]);
  });

  it('replace a worker whose trace does not stop after its timeout, and free its job slot', async () => {
    const tiny = await tinyServerForTest(
      { job_timeout_ms: 100 },
      { ...testEngine('stuck'), cancelGraceMs: 100 },
    );
    const response = await tiny.app.request('/api/traces', postTrace({ prompt: 'never ends' }));
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual(['error']);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ code: 'TIMEOUT' });
    const health = await healthOf(tiny);
    expect(health.queue).toMatchObject({ running: 0, queued: 0 });
    expect(health.workers).toMatchObject([{ started: false, jobs: 0, crashes: 1 }]);
  });

  it('run one worker per job slot, each with the models its jobs used', async () => {
    // Busy traces take a second or more: the two jobs surely overlap.
    const tiny = await tinyServerForTest({ concurrency: 2 }, testEngine('busy'));
    const traces = ['busy one', 'busy two'].map(async (prompt) => {
      const response = await tiny.app.request('/api/traces', postTrace({ prompt }));
      return parseSse(await response.text()).at(-1)!.event;
    });
    expect(await Promise.all(traces)).toEqual(['done', 'done']);
    const health = await healthOf(tiny);
    expect(health.workers).toEqual([
      { started: true, jobs: 0, loaded: [tiny.modelDir], crashes: 0 },
      { started: true, jobs: 0, loaded: [tiny.modelDir], crashes: 0 },
    ]);
    expect(health.models).toMatchObject({ loaded: [tiny.modelDir], entries: 2 });
  });
});

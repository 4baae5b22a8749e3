import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrowserEngine } from './browser-engine.js';
import type { EngineReply, EngineRequest, TraceJob } from './engine-protocol.js';

const JOB: TraceJob = {
  model: 'http://127.0.0.1/models/tiny',
  modelName: 'tiny',
  device: 'wasm',
  dtype: 'fp32',
  prompt: 'a b',
  settings: {},
  detail: 'summary',
};

/** A stand-in for the engine worker: records requests, answers as the test says. */
class FakeWorker extends EventTarget {
  static last: FakeWorker | undefined;
  readonly requests: EngineRequest[] = [];
  terminated = false;

  constructor(
    readonly url: URL,
    readonly options: WorkerOptions,
  ) {
    super();
    FakeWorker.last = this;
  }

  postMessage(request: EngineRequest): void {
    this.requests.push(request);
  }

  terminate(): void {
    this.terminated = true;
  }

  reply(reply: EngineReply): void {
    this.dispatchEvent(new MessageEvent('message', { data: reply }));
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeWorker.last = undefined;
});

/** Starts a trace and collects what it yields, or the error it throws. */
function collect(engine: BrowserEngine, options: Parameters<BrowserEngine['trace']>[1] = {}) {
  const events: unknown[] = [];
  const done = (async () => {
    for await (const event of engine.trace(JOB, options)) events.push(event);
  })().then(
    () => undefined,
    (error: unknown) => error,
  );
  return { events, done };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('BrowserEngine', () => {
  it('starts a module worker on the first trace, reports loading, yields events until the end', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const engine = new BrowserEngine();
    const loads: unknown[] = [];
    const run = collect(engine, { onLoad: (progress) => loads.push(progress) });
    await tick();
    const worker = FakeWorker.last!;
    expect(worker.options.type).toBe('module');
    expect(worker.requests).toEqual([{ type: 'trace', id: 1, job: JOB }]);
    const progress = { phase: 'create sessions', loaded: 1, total: 6 };
    worker.reply({ type: 'load', id: 1, progress });
    worker.reply({ type: 'event', id: 1, event: { type: 'progress' } as never });
    worker.reply({ type: 'end', id: 1 });
    expect(await run.done).toBeUndefined();
    expect(loads).toEqual([progress]);
    expect(run.events).toEqual([{ type: 'progress' }]);
  });

  it('throws the worker’s failure with its code', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const run = collect(new BrowserEngine());
    await tick();
    FakeWorker.last!.reply({
      type: 'failed',
      id: 1,
      code: 'UNSUPPORTED_DTYPE',
      message: 'fp16 runs on GPU devices only',
    });
    expect(await run.done).toMatchObject({
      name: 'BrowserEngineError',
      code: 'UNSUPPORTED_DTYPE',
      message: 'fp16 runs on GPU devices only',
    });
  });

  it('cancels through the AbortSignal: tells the worker and stops at once', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const abort = new AbortController();
    const run = collect(new BrowserEngine(), { signal: abort.signal });
    await tick();
    abort.abort();
    expect(await run.done).toMatchObject({ code: 'ABORTED' });
    expect(FakeWorker.last!.requests.at(-1)).toEqual({ type: 'cancel', id: 1 });
  });

  it('asks the worker detail questions: answers, failures with their codes, cancellation', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const engine = new BrowserEngine();
    await expect(engine.query('t1', { method: 'headOverview', args: [0] })).rejects.toMatchObject({
      code: 'TRACE_GONE',
    }); // no worker, no trace
    collect(engine);
    await tick();
    const worker = FakeWorker.last!;
    const lens = engine.query('t1', {
      method: 'lens',
      args: [{ kind: 'embed', layer: -1, pos: 0 }],
    });
    const bad = engine.query('t1', { method: 'headMap', args: [9, 0] });
    const [, lensAsked, badAsked] = worker.requests as { id: number }[];
    expect(worker.requests[1]).toMatchObject({
      type: 'query',
      traceId: 't1',
      query: { method: 'lens' },
    });
    worker.reply({ type: 'answer', id: lensAsked!.id, value: { tokens: [] } });
    worker.reply({ type: 'failed', id: badAsked!.id, code: 'BAD_PARAM', message: 'layer 9' });
    expect(await lens).toEqual({ tokens: [] });
    await expect(bad).rejects.toMatchObject({ name: 'BrowserEngineError', code: 'BAD_PARAM' });

    const abort = new AbortController();
    const slow = engine.query('t1', { method: 'neurons', args: [0, 0] }, abort.signal);
    abort.abort();
    await expect(slow).rejects.toMatchObject({ code: 'ABORTED' });
    expect(worker.requests.at(-1)).toMatchObject({ type: 'cancel' });
  });

  it('fails running traces with WORKER_FAILED when the worker dies, and starts a new one next time', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const engine = new BrowserEngine();
    const run = collect(engine);
    await tick();
    const first = FakeWorker.last!;
    first.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }));
    expect(await run.done).toMatchObject({
      code: 'WORKER_FAILED',
      message: expect.stringContaining('out of memory'),
    });
    expect(first.terminated).toBe(true);
    collect(engine);
    await tick();
    expect(FakeWorker.last).not.toBe(first);
  });
});

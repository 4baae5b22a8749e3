// The engine of browser mode, in a module Web Worker: model loading, the
// forward passes, attribution, the graph, the routes and detail questions
// all run here, so the page only folds events and draws. `@lmtt/engine/web`
// starts one more worker per device for ONNX Runtime's sessions (it has no
// in-thread backend), so tensors make one extra hop, by transfer.
import { TraceQueryError } from '@lmtt/engine/trace-query';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { isLmttError, liveSource, loadModel, trace } from '@lmtt/engine/web';
import type { LiveState, Model } from '@lmtt/engine/web';
import type {
  DetailQuery,
  EngineReply,
  EngineRequest,
  LoadProgress,
  TraceJob,
} from './engine-protocol.js';

/** The worker's global scope, as this file uses it (the project's lib is the DOM's). */
const scope = globalThis as unknown as {
  postMessage(reply: EngineReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<EngineRequest>) => void): void;
};

/** The one model kept loaded; another job's model replaces it. */
let loaded: { key: string; model: Promise<Model> } | undefined;
/** The latest summary trace, answering detail questions from the model on demand. */
let live: { traceId: string; source: TraceSource } | undefined;
/** Jobs and queries not finished yet, to cancel by id. */
const jobs = new Map<number, AbortController>();
/** Jobs run one at a time: the sessions live on one device. */
let queue: Promise<void> = Promise.resolve();

/** Posts load progress at most once per percent of a phase, so a large download sends ~100 messages. */
function progressPoster(id: number): (progress: LoadProgress) => void {
  let last: LoadProgress | undefined;
  return (progress) => {
    const step = progress.total / 100;
    if (
      last?.phase === progress.phase &&
      progress.loaded !== progress.total &&
      progress.loaded - last.loaded < step
    )
      return;
    last = progress;
    scope.postMessage({ type: 'load', id, progress });
  };
}

async function modelFor(
  job: TraceJob,
  signal: AbortSignal,
  onProgress: (progress: LoadProgress) => void,
): Promise<Model> {
  const key = `${job.model}|${job.device}|${job.dtype}`;
  if (loaded?.key === key) {
    const model = await loaded.model.catch(() => undefined);
    if (model) return model;
  }
  const previous = loaded;
  loaded = undefined;
  live = undefined; // its model is about to go
  await previous?.model.then((model) => model.dispose()).catch(() => {});
  const model = loadModel(job.model, {
    device: job.device === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'],
    dtype: job.dtype,
    signal,
    onProgress: (p) => onProgress({ phase: p.phase, loaded: p.loaded, total: p.total ?? 0 }),
  });
  loaded = { key, model };
  return model;
}

async function run(id: number, job: TraceJob, signal: AbortSignal): Promise<void> {
  try {
    if (signal.aborted) throw signal.reason;
    const model = await modelFor(job, signal, progressPoster(id));
    let state: LiveState | undefined;
    const options = {
      ...job.settings,
      detail: job.detail,
      modelName: job.modelName,
      signal,
      // The forward pass and per-head shares, kept so detail questions recompute nothing.
      retain: (kept: LiveState) => (state = kept),
    };
    for await (const event of trace(model, job.prompt, options)) {
      if (event.type === 'done' && job.detail === 'summary') {
        live = { traceId: event.trace.id, source: liveSource(model, event.trace, { state }) };
      }
      scope.postMessage({ type: 'event', id, event });
    }
    scope.postMessage({ type: 'end', id });
  } catch (error) {
    fail(id, error, signal);
  } finally {
    jobs.delete(id);
  }
}

/** Answers one detail question, without waiting for trace jobs. */
async function answer(
  id: number,
  traceId: string,
  query: DetailQuery,
  signal: AbortSignal,
): Promise<void> {
  try {
    if (live?.traceId !== traceId) {
      scope.postMessage({
        type: 'failed',
        id,
        code: 'TRACE_GONE',
        message: 'the in-browser engine has traced something else since: trace again',
      });
      return;
    }
    const { source } = live;
    const value = await ask(source, query, signal);
    scope.postMessage({ type: 'answer', id, value });
  } catch (error) {
    fail(id, error, signal);
  } finally {
    jobs.delete(id);
  }
}

function ask(source: TraceSource, { method, args }: DetailQuery, signal: AbortSignal) {
  switch (method) {
    case 'edgeHeads':
      return source.edgeHeads(...args, signal);
    case 'headOverview':
      return source.headOverview(...args, signal);
    case 'headMap':
      return source.headMap(...args, signal);
    case 'neurons':
      return source.neurons(...args, signal);
    case 'lens':
      return source.lens(...args, signal);
    case 'update':
      return source.update(...args, signal);
  }
}

/** Reports a failure with the engine's or the query's code. */
function fail(id: number, error: unknown, signal: AbortSignal): void {
  if (signal.aborted) {
    scope.postMessage({ type: 'failed', id, code: 'ABORTED', message: 'cancelled' });
    return;
  }
  const code = isLmttError(error) || error instanceof TraceQueryError ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  scope.postMessage({ type: 'failed', id, code, message });
}

scope.addEventListener('message', ({ data: request }) => {
  if (request.type === 'cancel') {
    jobs.get(request.id)?.abort(new Error('cancelled by the page'));
    return;
  }
  const abort = new AbortController();
  jobs.set(request.id, abort);
  if (request.type === 'query') {
    void answer(request.id, request.traceId, request.query, abort.signal);
    return;
  }
  queue = queue.then(() => run(request.id, request.job, abort.signal));
});

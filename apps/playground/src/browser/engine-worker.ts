// The engine of browser mode, in a module Web Worker: model loading, the
// forward passes, attribution, the graph and the routes all run here, so the
// page only folds events and draws. `@lmtt/engine/web` starts one more worker
// per device for ONNX Runtime's sessions (it has no in-thread backend), so
// tensors make one extra hop, by transfer.
import { isLmttError, loadModel, trace } from '@lmtt/engine/web';
import type { Model } from '@lmtt/engine/web';
import type { EngineReply, EngineRequest, LoadProgress, TraceJob } from './engine-protocol.js';

/** The worker's global scope, as this file uses it (the project's lib is the DOM's). */
const scope = globalThis as unknown as {
  postMessage(reply: EngineReply): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<EngineRequest>) => void): void;
};

/** The one model kept loaded; another job's model replaces it. */
let loaded: { key: string; model: Promise<Model> } | undefined;
/** Jobs not finished yet, to cancel by id. */
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
    const options = { ...job.settings, detail: 'full', modelName: job.modelName, signal } as const;
    for await (const event of trace(model, job.prompt, options)) {
      scope.postMessage({ type: 'event', id, event });
    }
    scope.postMessage({ type: 'end', id });
  } catch (error) {
    const code = signal.aborted ? 'ABORTED' : isLmttError(error) ? error.code : 'INTERNAL';
    const message = signal.aborted
      ? 'the trace was cancelled'
      : error instanceof Error
        ? error.message
        : String(error);
    scope.postMessage({ type: 'failed', id, code, message });
  } finally {
    jobs.delete(id);
  }
}

scope.addEventListener('message', ({ data: request }) => {
  if (request.type === 'cancel') {
    jobs.get(request.id)?.abort(new Error('cancelled by the page'));
    return;
  }
  const abort = new AbortController();
  jobs.set(request.id, abort);
  queue = queue.then(() => run(request.id, request.job, abort.signal));
});

// The engine worker: a thread that owns loaded models and runs the engine's
// trace (forward pass, contributions, graph, routes, detail, trace file
// encoding) and answers detail questions on demand from live sources of its
// traces, so that the server's main thread only routes requests and
// streams. The main thread's `EngineThread` starts it and speaks
// `protocol.ts` with it.
import { parentPort, workerData } from 'node:worker_threads';
import { encodeEvent, encodeTrace, liveSource, LmttError } from '@lmtt/engine';
import type { LiveState } from '@lmtt/engine';
import type { loadModel as engineLoadModel, Model, trace as engineTrace } from '@lmtt/engine/node';
import { TraceQueryError } from '@lmtt/engine/trace-query';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { askSource } from '../traces/detail-query.js';
import { headOf } from '../traces/streamed-event.js';
import { expectedLiveBytes, retainedBytes } from './live-state-bytes.js';
import type {
  DetailReply,
  EngineWorkerData,
  ModelRef,
  WireError,
  WorkerEnvelope,
  WorkerMessage,
  WorkerRequest,
} from './protocol.js';
import { modelKey } from './protocol.js';
import { transferablesOf } from './transferables.js';

/** What the engine module exports: `@lmtt/engine/node` or a test's wrapper of it. */
interface WorkerEngine {
  readonly loadModel: typeof engineLoadModel;
  readonly trace: typeof engineTrace;
}

const port = parentPort;
if (!port) throw new Error('engine-worker runs as a worker thread');
const { engineModule } = workerData as EngineWorkerData;
const engine = (await import(engineModule)) as WorkerEngine;

/** Models of this thread by {@link modelKey}; which stay loaded is the main thread's call. */
const models = new Map<string, Promise<Model>>();
/** Traces and detail questions running or waiting now, by request id. */
const running = new Map<number, AbortController>();
/**
 * Live sources of this thread's traces by trace id, each on a model of
 * `models`; which stay is the main thread's call (its live cache sends `forget`).
 */
const live = new Map<string, { readonly source: TraceSource; readonly model: string }>();

/** The last detail question in line: they run one at a time, in order. */
let lastDetail: Promise<unknown> = Promise.resolve();

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  try {
    port!.postMessage(message, transfer);
  } catch (error) {
    // A buffer that may not move (Node's pooled Buffer memory): copy instead.
    if (transfer.length === 0) throw error;
    port!.postMessage(message);
  }
}

function wireError(error: unknown): WireError {
  if (error instanceof LmttError || error instanceof TraceQueryError)
    return { name: error.name, message: error.message, code: error.code, stack: error.stack };
  if (error instanceof Error)
    return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

function model(ref: ModelRef): Promise<Model> {
  const key = modelKey(ref);
  let loading = models.get(key);
  if (!loading) {
    loading = engine.loadModel(ref.source, { device: ref.device, dtype: ref.dtype });
    models.set(key, loading);
    loading.catch(() => {
      if (models.get(key) === loading) models.delete(key);
    });
  }
  return loading;
}

async function runTrace(id: number, request: Extract<WorkerRequest, { op: 'trace' }>) {
  const controller = running.get(id)!;
  const loaded = await model(request.model);
  // A summary keeps its forward pass and contributions, so that detail
  // questions are answered without recomputing them; a full trace has every
  // answer in it already.
  let state: LiveState | undefined;
  const events = engine.trace(loaded, request.prompt, {
    ...request.options,
    signal: controller.signal,
    retain: request.options.detail === 'full' ? undefined : (retained) => (state = retained),
  });
  // Events are encoded for the SSE stream and the trace file here: for long
  // prompts that is hundreds of milliseconds the main thread must not spend.
  for await (const event of events) {
    if (event.type === 'done') {
      const { trace } = event;
      const text = encodeTrace(trace);
      if (state && trace.kind === 'summary') {
        // The live source reads the trace's arrays: they are copied to the main thread, not moved.
        live.set(trace.id, {
          source: liveSource(loaded, trace, { state }),
          model: modelKey(request.model),
        });
        post({ kind: 'done', id, trace, text, retainedBytes: retainedBytes(state) });
      } else {
        // The engine holds nothing after `done`: its arrays move to the main thread.
        post({ kind: 'done', id, trace, text }, transferablesOf(trace));
      }
    } else {
      // The main thread only writes earlier events out: their arrays stay here.
      post({ kind: 'event', id, event: headOf(event), data: encodeEvent(event) });
    }
  }
  return null;
}

/**
 * Answers a detail question from the live source of its trace, made over
 * the summary (which recomputes the forward pass on first use) when this
 * thread has none; a source made here is kept once it has answered.
 */
async function answerDetail(
  id: number,
  request: Extract<WorkerRequest, { op: 'detail' }>,
): Promise<DetailReply> {
  const { signal } = running.get(id)!;
  // Cancelled while waiting in line: nothing was computed.
  signal.throwIfAborted();
  let entry = live.get(request.trace);
  let bytes: number | undefined;
  if (!entry) {
    if (!request.summary) return { found: false };
    const loaded = await model(request.model);
    entry = { source: liveSource(loaded, request.summary), model: modelKey(request.model) };
    bytes = expectedLiveBytes(loaded, request.summary.tokens.length);
  }
  const value = await askSource(entry.source, request.query, signal);
  if (bytes === undefined) return { found: true, value };
  live.set(request.trace, entry);
  return { found: true, value, retainedBytes: bytes };
}

/** Queues a detail question behind the others. */
function detail(id: number, request: Extract<WorkerRequest, { op: 'detail' }>) {
  const answer = lastDetail.then(() => answerDetail(id, request));
  lastDetail = answer.catch(() => undefined);
  return answer;
}

async function serve(id: number, request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'load':
      return (await model(request.model)).info;
    case 'tokenize': {
      const loaded = await model(request.model);
      return loaded.tokenize(request.prompt, request.prependBos).ids.length;
    }
    case 'trace':
      return runTrace(id, request);
    case 'detail':
      return detail(id, request);
    case 'cancel':
      running.get(request.trace)?.abort(new Error('cancelled by the server'));
      return null;
    case 'forget':
      live.delete(request.trace);
      return null;
    case 'dispose': {
      const key = modelKey(request.model);
      const loading = models.get(key);
      models.delete(key);
      // Live sources run on the model: they go with it.
      for (const [trace, entry] of live) if (entry.model === key) live.delete(trace);
      await (await loading?.catch(() => undefined))?.dispose();
      return null;
    }
  }
}

port.on('message', ({ id, request }: WorkerEnvelope) => {
  // Registered before any await, so that a cancel right behind it finds it.
  if (request.op === 'trace' || request.op === 'detail') running.set(id, new AbortController());
  serve(id, request)
    .then(
      (value) => {
        if (request.op !== 'cancel' && request.op !== 'forget')
          post({ kind: 'answer', id, ok: true, value });
      },
      (error: unknown) => post({ kind: 'answer', id, ok: false, error: wireError(error) }),
    )
    .finally(() => running.delete(id));
});

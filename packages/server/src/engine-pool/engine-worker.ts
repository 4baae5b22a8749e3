// The engine worker: a thread that owns loaded models and runs the engine's
// trace (forward pass, contributions, graph, routes, detail, trace file
// encoding), so that the server's main thread only routes requests and
// streams. The main thread's `EngineThread` starts it and speaks
// `protocol.ts` with it.
import { parentPort, workerData } from 'node:worker_threads';
import { encodeEvent, encodeTrace, LmttError } from '@lmtt/engine';
import type { loadModel as engineLoadModel, Model, trace as engineTrace } from '@lmtt/engine/node';
import type {
  EngineWorkerData,
  WireError,
  WorkerEnvelope,
  WorkerMessage,
  WorkerRequest,
} from './protocol.js';
import { transferablesOf } from './transferables.js';

/** What the engine module exports: `@lmtt/engine/node` or a test's wrapper of it. */
interface WorkerEngine {
  readonly loadModel: typeof engineLoadModel;
  readonly trace: typeof engineTrace;
}

const port = parentPort;
if (!port) throw new Error('engine-worker runs as a worker thread');
const { engineModule, loadOptions } = workerData as EngineWorkerData;
const engine = (await import(engineModule)) as WorkerEngine;

/** Models of this thread by source; which stay loaded is the main thread's call. */
const models = new Map<string, Promise<Model>>();
/** Traces running now, by request id. */
const running = new Map<number, AbortController>();

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
  if (error instanceof LmttError)
    return { name: error.name, message: error.message, code: error.code, stack: error.stack };
  if (error instanceof Error)
    return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

function model(source: string): Promise<Model> {
  let loading = models.get(source);
  if (!loading) {
    loading = engine.loadModel(source, loadOptions);
    models.set(source, loading);
    loading.catch(() => {
      if (models.get(source) === loading) models.delete(source);
    });
  }
  return loading;
}

async function runTrace(id: number, request: Extract<WorkerRequest, { op: 'trace' }>) {
  const controller = running.get(id)!;
  const loaded = await model(request.source);
  const events = engine.trace(loaded, request.prompt, {
    ...request.options,
    signal: controller.signal,
  });
  // Events are encoded for the SSE stream and the trace file here: for long
  // prompts that is hundreds of milliseconds the main thread must not spend.
  for await (const event of events) {
    if (event.type === 'done') {
      // The engine holds nothing after `done`: its arrays move to the main thread.
      const { trace } = event;
      const text = encodeTrace(trace);
      post({ kind: 'done', id, trace, text }, transferablesOf(trace));
    } else {
      // Earlier events share arrays the engine still uses: they are copied (as binary).
      post({ kind: 'event', id, event, data: encodeEvent(event) });
    }
  }
  return null;
}

async function serve(id: number, request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'load':
      return (await model(request.source)).info;
    case 'tokenize': {
      const loaded = await model(request.source);
      return loaded.tokenize(request.prompt, request.prependBos).ids.length;
    }
    case 'trace':
      return runTrace(id, request);
    case 'cancel':
      running.get(request.trace)?.abort(new Error('cancelled by the server'));
      return null;
    case 'dispose': {
      const loading = models.get(request.source);
      models.delete(request.source);
      await (await loading?.catch(() => undefined))?.dispose();
      return null;
    }
  }
}

port.on('message', ({ id, request }: WorkerEnvelope) => {
  // Registered before any await, so that a cancel right behind it finds it.
  if (request.op === 'trace') running.set(id, new AbortController());
  serve(id, request)
    .then(
      (value) => {
        if (request.op !== 'cancel') post({ kind: 'answer', id, ok: true, value });
      },
      (error: unknown) => post({ kind: 'answer', id, ok: false, error: wireError(error) }),
    )
    .finally(() => running.delete(id));
});

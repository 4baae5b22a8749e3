import type { TraceEvent } from '@lmtt/engine/schema';
import { BrowserEngineError } from './browser-engine-error.js';
import type {
  DetailQuery,
  EngineReply,
  EngineRequest,
  LoadProgress,
  TraceJob,
} from './engine-protocol.js';

/** The embedded model as the playground's static files serve it, relative to the page. */
export const EMBEDDED_MODEL_URL = './models/lmtt-tiny-gpt2';

/** Whether this browser exposes WebGPU at all (an adapter may still be refused). */
export function hasWebGpu(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator;
}

/** How to follow one browser trace. */
export interface BrowserTraceOptions {
  readonly signal?: AbortSignal;
  /** Download and session-creation progress while the model loads. */
  readonly onLoad?: (progress: LoadProgress) => void;
}

/**
 * The engine of browser mode, seen from the page: everything (loading,
 * forward passes, attribution, graph, routes, detail questions) runs in one
 * module Web Worker that starts on the first trace, so server mode never
 * downloads the engine and the page never blocks. The worker keeps one
 * model loaded, and the state of its latest summary trace for `query`.
 *
 * @example
 * const engine = new BrowserEngine();
 * for await (const event of engine.trace(job, { signal })) fold(event);
 */
export class BrowserEngine {
  #worker: Worker | undefined;
  #nextId = 1;
  /** Where each running job's replies go. */
  readonly #jobs = new Map<number, (reply: EngineReply) => void>();

  /**
   * Traces `job.prompt` at `job.detail`, yielding the trace events as the
   * worker computes them.
   *
   * @throws BrowserEngineError with the engine's code, `ABORTED` once `signal`
   *   aborts, or `WORKER_FAILED` when the worker cannot start or dies.
   */
  async *trace(job: TraceJob, options: BrowserTraceOptions = {}): AsyncGenerator<TraceEvent> {
    const { signal, onLoad } = options;
    const id = this.#nextId++;
    const replies: EngineReply[] = [];
    let wake: (() => void) | undefined;
    const push = (reply: EngineReply) => {
      replies.push(reply);
      wake?.();
    };
    const cancel = () => {
      this.#post({ type: 'cancel', id });
      push({ type: 'failed', id, code: 'ABORTED', message: 'the trace was cancelled' });
    };
    if (signal?.aborted) throw new BrowserEngineError('ABORTED', 'the trace was cancelled');
    this.#jobs.set(id, push);
    signal?.addEventListener('abort', cancel, { once: true });
    let finished = false;
    try {
      this.#post({ type: 'trace', id, job });
      for (;;) {
        const reply = replies.shift();
        if (!reply) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          continue;
        }
        if (reply.type === 'load') onLoad?.(reply.progress);
        else if (reply.type === 'event') yield reply.event;
        else if (reply.type === 'end' || reply.type === 'failed') {
          finished = true;
          if (reply.type === 'end') return;
          throw new BrowserEngineError(reply.code, reply.message);
        }
      }
    } finally {
      // A consumer that stops early frees the worker for the next job.
      if (!finished) this.#post({ type: 'cancel', id });
      signal?.removeEventListener('abort', cancel);
      this.#jobs.delete(id);
    }
  }

  /**
   * Asks the worker a detail question about `traceId`, the latest summary
   * trace it made; the worker answers from the model it keeps loaded.
   *
   * @throws BrowserEngineError with the query's code (e.g. `BAD_PARAM`),
   *   `TRACE_GONE`, `ABORTED` once `signal` aborts, or `WORKER_FAILED`.
   */
  query(traceId: string, query: DetailQuery, signal?: AbortSignal): Promise<unknown> {
    const worker = this.#worker;
    if (signal?.aborted)
      return Promise.reject(new BrowserEngineError('ABORTED', 'the question was cancelled'));
    if (!worker)
      return Promise.reject(
        new BrowserEngineError('TRACE_GONE', 'the in-browser engine holds no trace: trace again'),
      );
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const settle = () => {
        this.#jobs.delete(id);
        signal?.removeEventListener('abort', cancel);
      };
      const cancel = () => {
        this.#post({ type: 'cancel', id });
        settle();
        reject(new BrowserEngineError('ABORTED', 'the question was cancelled'));
      };
      this.#jobs.set(id, (reply) => {
        if (reply.type === 'answer') resolve(reply.value);
        else if (reply.type === 'failed') reject(new BrowserEngineError(reply.code, reply.message));
        else return;
        settle();
      });
      signal?.addEventListener('abort', cancel, { once: true });
      worker.postMessage({ type: 'query', id, traceId, query } satisfies EngineRequest);
    });
  }

  /** Ends the worker and with it the loaded model; the next trace starts a fresh one. */
  dispose(): void {
    this.#stop(new BrowserEngineError('ABORTED', 'the engine was disposed'));
  }

  /** Sends a request; a trace starts the worker, a cancel never does. */
  #post(request: EngineRequest): void {
    if (request.type === 'trace') this.#start().postMessage(request);
    else this.#worker?.postMessage(request);
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./engine-worker.ts', import.meta.url), {
      type: 'module',
      name: 'lmtt-engine',
    });
    worker.addEventListener('message', (event: MessageEvent<EngineReply>) =>
      this.#jobs.get(event.data.id)?.(event.data),
    );
    worker.addEventListener('messageerror', () =>
      this.#stop(
        new BrowserEngineError('WORKER_FAILED', 'a message of the engine worker could not be read'),
      ),
    );
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      const reason = event.message || 'its script failed to load';
      this.#stop(new BrowserEngineError('WORKER_FAILED', `the engine worker failed: ${reason}`));
    });
    this.#worker = worker;
    return worker;
  }

  /** Ends the worker; every running job fails with `error`. */
  #stop(error: BrowserEngineError): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    for (const [id, push] of this.#jobs)
      push({ type: 'failed', id, code: error.code, message: error.message });
  }
}

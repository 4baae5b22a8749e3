import { Worker } from 'node:worker_threads';
import { LmttError } from '@lmtt/engine/node';
import type { LmttErrorCode } from '@lmtt/engine/node';
import { TraceQueryError } from '@lmtt/engine/trace-query';
import type { TraceQueryErrorCode } from '@lmtt/engine/trace-query';
import { ApiError } from '../errors/api-error.js';
import { streamedDone } from '../traces/streamed-event.js';
import type { StreamedEvent } from '../traces/streamed-event.js';
import type {
  DetailReply,
  EngineWorkerData,
  ModelRef,
  WireError,
  WorkerMessage,
  WorkerRequest,
  WorkerResults,
  WorkerTraceOptions,
} from './protocol.js';

/** A trace event from an engine worker, encoded there; `done` comes with its trace file. */
export interface EngineEvent extends StreamedEvent {
  readonly text?: string;
  /** On `done`: the worker keeps a live source of the trace, of about this many bytes. */
  readonly retainedBytes?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onEvent?(message: EngineEvent): void;
}

/**
 * Whether this module runs from the TypeScript sources (tests, tsx) rather
 * than the build: the worker must then be started through tsx.
 */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

function spawnWorker(data: EngineWorkerData): Worker {
  if (FROM_SOURCE)
    return new Worker(new URL('./source-entry.js', import.meta.url), {
      workerData: data,
      execArgv: ['--conditions=@lmtt/source'],
    });
  return new Worker(new URL('./engine-worker.js', import.meta.url), { workerData: data });
}

/** An error from the worker as the main thread's kind: engine and query errors keep their code. */
function fromWire(wire: WireError): Error {
  let error: Error;
  if (wire.code !== undefined && wire.name === 'TraceQueryError') {
    error = new TraceQueryError(wire.code as TraceQueryErrorCode, wire.message);
  } else if (wire.code === undefined) {
    error = new Error(wire.message);
    error.name = wire.name;
  } else {
    error = new LmttError(wire.code as LmttErrorCode, wire.message);
  }
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}

/** The error every call of a worker that died gets. */
function crashed(reason: Error): ApiError {
  return new ApiError(
    500,
    'WORKER_CRASHED',
    'the engine worker stopped unexpectedly; a new one takes the next request',
    { cause: reason },
  );
}

/**
 * The main thread's handle of one engine worker (`engine-worker.ts`): calls
 * and trace streams by request id. The worker keeps the process alive only
 * while a call is pending. When it dies on its own, or is ended because a
 * cancelled trace did not stop within `cancelGraceMs`, every pending call
 * fails with `WORKER_CRASHED` and `onCrash` says why; the handle stays dead.
 */
export class EngineThread {
  readonly #worker: Worker;
  readonly #onCrash: (reason: Error) => void;
  readonly #cancelGraceMs: number;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #stopped: Error | undefined;
  /** The uncaught error the worker died of, reported before its exit. */
  #uncaught: Error | undefined;

  constructor(data: EngineWorkerData, onCrash: (reason: Error) => void, cancelGraceMs: number) {
    this.#onCrash = onCrash;
    this.#cancelGraceMs = cancelGraceMs;
    this.#worker = spawnWorker(data);
    this.#worker.unref();
    this.#worker.on('message', (message: WorkerMessage) => this.#receive(message));
    this.#worker.on('error', (error) => (this.#uncaught = error));
    this.#worker.on('exit', (code) =>
      this.#crash(this.#uncaught ?? new Error(`the engine worker exited with code ${code}`)),
    );
  }

  /** False once the worker has died or been terminated. */
  get alive(): boolean {
    return this.#stopped === undefined;
  }

  /** Sends one request and resolves with its answer. */
  call<K extends Exclude<WorkerRequest['op'], 'trace' | 'detail' | 'cancel' | 'forget'>>(
    request: Extract<WorkerRequest, { op: K }>,
  ): Promise<WorkerResults[K]> {
    return new Promise((resolve, reject) => {
      this.#send(request, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /**
   * Asks the worker a detail question. Aborting `signal` rejects at once with
   * its reason and cancels the question there: one still waiting in line
   * never runs.
   */
  detail(
    request: Extract<WorkerRequest, { op: 'detail' }>,
    signal: AbortSignal,
  ): Promise<DetailReply> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const abort = () => {
        if (!this.#pending.has(id)) return;
        this.#settle(id);
        this.#post(0, { op: 'cancel', trace: id });
        reject(signal.reason as Error);
      };
      const id = this.#send(request, {
        resolve: (value) => {
          signal.removeEventListener('abort', abort);
          resolve(value as DetailReply);
        },
        reject: (error) => {
          signal.removeEventListener('abort', abort);
          reject(error);
        },
      });
      signal.addEventListener('abort', abort, { once: true });
    });
  }

  /** Tells the worker to drop its live source of trace `trace`. */
  forget(trace: string): void {
    this.#post(0, { op: 'forget', trace });
  }

  /**
   * Traces `prompt` in the worker, yielding its events as they come.
   * Aborting `signal`, or leaving the loop early, cancels the trace there
   * (the engine stops at its next layer); a worker that does not end it
   * within `cancelGraceMs` is ended.
   */
  async *trace(
    model: ModelRef,
    prompt: string,
    options: WorkerTraceOptions,
    signal: AbortSignal,
  ): AsyncGenerator<EngineEvent> {
    const queue: EngineEvent[] = [];
    let end: { error?: Error } | undefined;
    let wake: (() => void) | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const notify = () => {
      if (end) clearTimeout(watchdog);
      const resolve = wake;
      wake = undefined;
      resolve?.();
    };
    const id = this.#send(
      { op: 'trace', model, prompt, options },
      {
        onEvent: (message) => {
          queue.push(message);
          notify();
        },
        resolve: () => {
          end = {};
          notify();
        },
        reject: (error) => {
          end = { error };
          notify();
        },
      },
    );
    const cancel = () => {
      if (end || watchdog) return;
      this.#post(0, { op: 'cancel', trace: id });
      const ms = this.#cancelGraceMs;
      watchdog = setTimeout(() => {
        this.#crash(new Error(`a cancelled trace was still running ${ms} ms later`));
        void this.#worker.terminate();
      }, ms).unref();
    };
    signal.addEventListener('abort', cancel, { once: true });
    if (signal.aborted) cancel();
    try {
      for (;;) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        if (end?.error) throw end.error;
        if (end) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      signal.removeEventListener('abort', cancel);
      if (!end) cancel();
    }
  }

  /** Ends the worker; what is pending fails. */
  async terminate(): Promise<void> {
    if (this.#stopped) return;
    this.#stop(new ApiError(503, 'SHUTTING_DOWN', 'the server is shutting down'));
    await this.#worker.terminate();
  }

  #send(request: WorkerRequest, pending: Pending): number {
    const id = this.#nextId++;
    if (this.#stopped) {
      pending.reject(this.#stopped);
      return id;
    }
    this.#pending.set(id, pending);
    if (this.#pending.size === 1) this.#worker.ref();
    this.#post(id, request);
    return id;
  }

  #post(id: number, request: WorkerRequest): void {
    if (!this.#stopped) this.#worker.postMessage({ id, request });
  }

  #receive(message: WorkerMessage): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if (message.kind === 'event') {
      pending.onEvent?.({ event: message.event, data: message.data });
      return;
    }
    if (message.kind === 'done') {
      const { text, retainedBytes } = message;
      pending.onEvent?.({ ...streamedDone(message.trace, text), text, retainedBytes });
      return;
    }
    this.#settle(message.id);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(fromWire(message.error));
  }

  #settle(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
  }

  /** Marks the worker dead of `reason` unless it was ended on purpose. */
  #crash(reason: Error): void {
    if (this.#stopped) return;
    this.#stop(crashed(reason));
    this.#onCrash(reason);
  }

  #stop(error: Error): void {
    this.#stopped = error;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#worker.unref();
    for (const call of pending) call.reject(error);
  }
}

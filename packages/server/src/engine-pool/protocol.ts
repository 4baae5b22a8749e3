import type {
  ModelInfo,
  NodeLoadOptions,
  Trace,
  TraceEvent,
  TraceOptions,
} from '@lmtt/engine/node';

/** What an engine worker is started with (its `workerData`). */
export interface EngineWorkerData {
  /**
   * The module whose `loadModel` and `trace` the worker runs:
   * `@lmtt/engine/node`, or a test's wrapper of it.
   */
  readonly engineModule: string;
  /** Where and how models load (the config's `device` and `dtype`). */
  readonly loadOptions: Pick<NodeLoadOptions, 'device' | 'dtype'>;
}

/** The engine's trace options as they cross to the worker: the worker makes the signal. */
export type WorkerTraceOptions = Omit<TraceOptions, 'signal'>;

/** Every request the main thread sends an engine worker. */
export type WorkerRequest =
  | { readonly op: 'load'; readonly source: string }
  | {
      readonly op: 'tokenize';
      readonly source: string;
      readonly prompt: string;
      readonly prependBos: boolean | undefined;
    }
  | {
      readonly op: 'trace';
      readonly source: string;
      readonly prompt: string;
      readonly options: WorkerTraceOptions;
    }
  | { readonly op: 'dispose'; readonly source: string }
  /** Aborts the trace of envelope `trace`: it ends as usual, with an `ABORTED` event. */
  | { readonly op: 'cancel'; readonly trace: number };

/** A request with the id its events and answer carry back (a cancel gets no answer). */
export interface WorkerEnvelope {
  readonly id: number;
  readonly request: WorkerRequest;
}

/** What each request resolves to. */
export interface WorkerResults {
  load: ModelInfo;
  /** The number of tokens of the prompt. */
  tokenize: number;
  /** A trace answers with its events; the final answer carries nothing. */
  trace: null;
  dispose: null;
}

/** An error as it crosses the thread boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  /** The engine's stable code, for an `LmttError`. */
  readonly code?: string;
  readonly stack?: string;
}

/** Every message an engine worker sends back. */
export type WorkerMessage =
  | {
      /** A trace event before `done`, with its SSE data (`encodeEvent`). */
      readonly kind: 'event';
      readonly id: number;
      readonly event: Exclude<TraceEvent, { type: 'done' }>;
      readonly data: string;
    }
  | {
      /** A trace's `done` event: the trace, and its file (`encodeTrace`). */
      readonly kind: 'done';
      readonly id: number;
      readonly trace: Trace;
      readonly text: string;
    }
  | { readonly kind: 'answer'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly kind: 'answer'; readonly id: number; readonly ok: false; readonly error: WireError };

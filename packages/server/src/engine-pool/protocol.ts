import type { ModelInfo, Trace, TraceOptions } from '@lmtt/engine/node';
import type { TraceSummary } from '@lmtt/engine';
import type { TraceDoneEvent } from '@lmtt/engine/schema';
import type { ConfigDevice, ConfigDType } from '../config/config.js';
import type { DetailQuery } from '../traces/detail-query.js';
import type { EventHead } from '../traces/streamed-event.js';

/** A model as the engine workers hold it: a source loaded on a device in a precision. */
export interface ModelRef {
  readonly source: string;
  readonly device: ConfigDevice;
  readonly dtype: ConfigDType;
}

/** A model's key, `<device>:<dtype>:<source>`: one source may be loaded on several devices and precisions. */
export const modelKey = ({ source, device, dtype }: ModelRef): string =>
  `${device}:${dtype}:${source}`;

/** What an engine worker is started with (its `workerData`). */
export interface EngineWorkerData {
  /**
   * The module whose `loadModel` and `trace` the worker runs:
   * `@lmtt/engine/node`, or a test's wrapper of it.
   */
  readonly engineModule: string;
}

/** The engine's trace options as they cross to the worker: the worker makes the signal. */
export type WorkerTraceOptions = Omit<TraceOptions, 'signal' | 'retain'>;

/** Every request the main thread sends an engine worker. */
export type WorkerRequest =
  | { readonly op: 'load'; readonly model: ModelRef }
  | {
      readonly op: 'tokenize';
      readonly model: ModelRef;
      readonly prompt: string;
      readonly prependBos: boolean | undefined;
    }
  | {
      readonly op: 'trace';
      readonly model: ModelRef;
      readonly prompt: string;
      readonly options: WorkerTraceOptions;
    }
  /**
   * A detail question about trace `trace`, answered by the worker's live
   * source of it; without one, a new one over `summary` (when given) on the
   * model `model`.
   */
  | {
      readonly op: 'detail';
      readonly trace: string;
      readonly model: ModelRef;
      readonly summary: TraceSummary | undefined;
      readonly query: DetailQuery;
    }
  | { readonly op: 'dispose'; readonly model: ModelRef }
  /**
   * Aborts the trace or detail query of envelope `trace`: a trace ends as
   * usual, with an `ABORTED` event; a query answers its abort error.
   */
  | { readonly op: 'cancel'; readonly trace: number }
  /** Drops the live source of trace id `trace` (the main thread's live cache evicted it). */
  | { readonly op: 'forget'; readonly trace: string };

/** A request with the id its events and answer carry back (a cancel or forget gets no answer). */
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
  detail: DetailReply;
  dispose: null;
}

/** A worker's answer to a detail question. */
export type DetailReply =
  | {
      readonly found: true;
      readonly value: unknown;
      /** Set when the worker made a live source for this query and keeps it: its estimated bytes. */
      readonly retainedBytes?: number;
    }
  /** The worker has no live source of the trace and was sent no summary to make one. */
  | { readonly found: false };

/** An error as it crosses the thread boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  /** The stable code of an `LmttError` or a `TraceQueryError` (told apart by `name`). */
  readonly code?: string;
  readonly stack?: string;
}

/** Every message an engine worker sends back. */
export type WorkerMessage =
  | {
      /**
       * A trace event before `done`: its SSE data (`encodeEvent`), and only
       * the head the main thread reads (its arrays would be copied for nothing).
       */
      readonly kind: 'event';
      readonly id: number;
      readonly event: Exclude<EventHead, TraceDoneEvent>;
      readonly data: string;
    }
  | {
      /** A trace's `done` event: the trace, and its file (`encodeTrace`). */
      readonly kind: 'done';
      readonly id: number;
      readonly trace: Trace;
      readonly text: string;
      /**
       * Set when the worker keeps a live source of the trace for detail
       * questions: the estimated bytes of its forward pass and contributions.
       */
      readonly retainedBytes?: number;
    }
  | { readonly kind: 'answer'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly kind: 'answer'; readonly id: number; readonly ok: false; readonly error: WireError };

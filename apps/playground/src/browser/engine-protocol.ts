import type { GraphNode, TraceEvent, TraceSettings } from '@lmtt/engine/schema';
import type { TraceQueryErrorCode, UpdateRef } from '@lmtt/engine/trace-query';
import type { LmttErrorCode } from '@lmtt/engine/web';

/** Devices a browser may run the engine on, best first. */
export const BROWSER_DEVICES = ['webgpu', 'wasm'] as const;
/** A browser device. */
export type BrowserDevice = (typeof BROWSER_DEVICES)[number];

/** A trace for the engine worker: which model, where, and what to trace. */
export interface TraceJob {
  /** An absolute URL of a model folder, or a Hugging Face id (the worker resolves no page-relative URL). */
  readonly model: string;
  /** The name the trace gives its model. */
  readonly modelName: string;
  readonly device: BrowserDevice;
  readonly dtype: 'fp32' | 'fp16';
  readonly prompt: string;
  readonly settings: Partial<TraceSettings>;
  /**
   * `summary`: the worker keeps the model's state and answers detail
   * questions on demand (`query`); `full`: every table up front, for a file.
   */
  readonly detail: 'summary' | 'full';
}

/** A detail question about the worker's latest summary trace, as a `TraceSource` asks it. */
export type DetailQuery =
  | { readonly method: 'edgeHeads'; readonly args: readonly [edge: number] }
  | { readonly method: 'headOverview'; readonly args: readonly [pos: number] }
  | { readonly method: 'headMap'; readonly args: readonly [layer: number, head: number] }
  | { readonly method: 'neurons'; readonly args: readonly [layer: number, pos: number] }
  | { readonly method: 'lens'; readonly args: readonly [node: GraphNode] }
  | { readonly method: 'update'; readonly args: readonly [ref: UpdateRef] };

/** Loading progress: bytes of a download, or sessions created. */
export interface LoadProgress {
  /** What is happening, e.g. `download model.safetensors` or `create sessions`. */
  readonly phase: string;
  readonly loaded: number;
  /** 0 when unknown. */
  readonly total: number;
}

/**
 * Why a browser trace or detail question failed: the engine's codes, a
 * detail query's, `TRACE_GONE` (the worker traced something else since),
 * or `WORKER_FAILED`.
 */
export type BrowserEngineErrorCode =
  LmttErrorCode | TraceQueryErrorCode | 'TRACE_GONE' | 'WORKER_FAILED';

/** What the page asks of the engine worker. */
export type EngineRequest =
  /** Load the job's model (or reuse the loaded one) and trace; jobs run one at a time, in order. */
  | { readonly type: 'trace'; readonly id: number; readonly job: TraceJob }
  /** Answer a detail question about trace `traceId`, the latest summary trace (it does not wait for jobs). */
  | {
      readonly type: 'query';
      readonly id: number;
      readonly traceId: string;
      readonly query: DetailQuery;
    }
  /** Stop job or query `id`; it ends with a `failed` reply, code `ABORTED`. */
  | { readonly type: 'cancel'; readonly id: number };

/**
 * What the engine worker answers, each about one request: for a trace,
 * `load` while the model loads, `event` for each trace event, then exactly
 * one of `end` or `failed`; for a query, one `answer` or `failed`.
 */
export type EngineReply =
  | { readonly type: 'load'; readonly id: number; readonly progress: LoadProgress }
  | { readonly type: 'event'; readonly id: number; readonly event: TraceEvent }
  | { readonly type: 'end'; readonly id: number }
  | { readonly type: 'answer'; readonly id: number; readonly value: unknown }
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly code: BrowserEngineErrorCode;
      readonly message: string;
    };

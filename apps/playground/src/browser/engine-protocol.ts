import type { TraceEvent, TraceSettings } from '@lmtt/engine/schema';
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
}

/** Loading progress: bytes of a download, or sessions created. */
export interface LoadProgress {
  /** What is happening, e.g. `download model.safetensors` or `create sessions`. */
  readonly phase: string;
  readonly loaded: number;
  /** 0 when unknown. */
  readonly total: number;
}

/** Why a browser trace failed: the engine's codes, or the worker itself. */
export type BrowserEngineErrorCode = LmttErrorCode | 'WORKER_FAILED';

/** What the page asks of the engine worker. */
export type EngineRequest =
  /** Load the job's model (or reuse the loaded one) and trace; jobs run one at a time, in order. */
  | { readonly type: 'trace'; readonly id: number; readonly job: TraceJob }
  /** Stop job `id`, whether it waits, loads or traces; it ends with a `failed` reply, code `ABORTED`. */
  | { readonly type: 'cancel'; readonly id: number };

/**
 * What the engine worker answers, each about one job: `load` while the
 * model loads, `event` for each trace event, then exactly one of `end` or
 * `failed`.
 */
export type EngineReply =
  | { readonly type: 'load'; readonly id: number; readonly progress: LoadProgress }
  | { readonly type: 'event'; readonly id: number; readonly event: TraceEvent }
  | { readonly type: 'end'; readonly id: number }
  | {
      readonly type: 'failed';
      readonly id: number;
      readonly code: BrowserEngineErrorCode;
      readonly message: string;
    };

import type { LayerContributions } from './contributions.js';
import type { TraceModelInfo } from './model-info.js';
import type { TraceRoutes } from './routes.js';
import type { TraceSettings } from './settings.js';
import type { TracePredictions } from './tables.js';
import type { TokenView } from './token.js';
import type { Trace } from './trace.js';

/** First event: the prompt is tokenised and the run is about to start. */
export interface TraceTokensEvent {
  readonly type: 'tokens';
  readonly model: TraceModelInfo;
  readonly settings: TraceSettings;
  readonly prompt: string;
  /** [T] */
  readonly tokens: readonly TokenView[];
}

/** One layer's contributions, sent as soon as that layer is done (layers in order). */
export interface TraceLayerEvent {
  readonly type: 'layer';
  readonly layer: number;
  /** With `heads` [T, T, H] while streaming. */
  readonly contributions: LayerContributions;
}

/** The model's own predictions, after the last layer. */
export interface TracePredictionsEvent {
  readonly type: 'predictions';
  readonly predictions: TracePredictions;
  /** The display text of every id in `predictions`. */
  readonly tokenTexts: ReadonlyMap<number, string>;
}

/** The graph as the routes see it: every edge after threshold-and-renormalise. */
export interface TraceGraphEvent {
  readonly type: 'graph';
  /**
   * [E] the weight of every edge in canonical order (see `TraceRoutes`),
   * with `settings.threshold` and `settings.renormalize` applied: 0 where an
   * edge was cut.
   */
  readonly weights: Float32Array;
}

/** The routes of every prediction position. */
export interface TraceRoutesEvent {
  readonly type: 'routes';
  readonly routes: TraceRoutes;
}

/** The stages a run reports progress in. */
export type TraceStage = 'forward' | 'contributions' | 'routes' | 'detail';

/** How far a stage is; a hint for progress bars, never needed to build the trace. */
export interface TraceProgressEvent {
  readonly type: 'progress';
  readonly stage: TraceStage;
  /** Units done so far (layers, or detail tables), `0 <= done <= total`. */
  readonly done: number;
  readonly total: number;
}

/** Last event of a successful run: the whole trace, summary or full as asked. */
export interface TraceDoneEvent {
  readonly type: 'done';
  readonly trace: Trace;
}

/** Last event of a failed run. */
export interface TraceErrorEvent {
  readonly type: 'error';
  /** An `LmttErrorCode`, e.g. `ABORTED`, `PROMPT_TOO_LONG`. */
  readonly code: string;
  readonly message: string;
}

/**
 * What `trace(prompt, options)` yields, in this order:
 * `tokens`, `layer` for l = 0..L-1, `predictions`, `graph`, `routes`, `done`.
 * `progress` may come between any two of them. `error` may come at any point
 * (even first, e.g. for a prompt that is too long) and ends the stream, as
 * `done` does.
 */
export type TraceEvent =
  | TraceTokensEvent
  | TraceLayerEvent
  | TracePredictionsEvent
  | TraceGraphEvent
  | TraceRoutesEvent
  | TraceProgressEvent
  | TraceDoneEvent
  | TraceErrorEvent;

/** The `type` of a {@link TraceEvent}. */
export type TraceEventType = TraceEvent['type'];

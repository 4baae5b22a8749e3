import type { LayerContributions } from './contributions.js';
import type { TraceLens } from './lens.js';
import type { TraceModelInfo } from './model-info.js';
import type { TraceRoutes } from './routes.js';
import type { TraceSettings } from './settings.js';
import type { TracePredictions, TraceNeurons, UpdateProjections } from './tables.js';
import type { TokenView } from './token.js';
import type { TRACE_SCHEMA_VERSION } from './version.js';

/** Which of the two trace forms: `summary` (routes only) or `full` (works offline). */
export type TraceKind = 'summary' | 'full';

/**
 * What the engine computed for one prompt: the model, its tokens and
 * predictions, the full graph and the routes. Shapes use T (tokens), L
 * (layers), H (heads), K (`settings.topK`); docs/trace-schema.md documents
 * every field and the precision a file keeps.
 */
export interface TraceSummary {
  readonly version: typeof TRACE_SCHEMA_VERSION;
  readonly kind: 'summary';
  /** A content hash that names the trace (given by whoever computed it). */
  readonly id: string;
  /** When the trace was computed, ISO 8601 (`Date.prototype.toISOString`). */
  readonly createdAt: string;
  readonly model: TraceModelInfo;
  /** The prompt as the user typed it. */
  readonly prompt: string;
  /** [T] the prompt's tokens as the model saw them (T >= 1). */
  readonly tokens: readonly TokenView[];
  /**
   * The display text of every token id that appears anywhere in the trace
   * (tokens, predictions, lens, tables): tables hold ids only.
   */
  readonly tokenTexts: ReadonlyMap<number, string>;
  readonly settings: TraceSettings;
  readonly predictions: TracePredictions;
  /**
   * [L] the full graph: every layer's contributions, head-summed, not
   * thresholded. `heads` may be left out.
   */
  readonly contributions: readonly LayerContributions[];
  readonly routes: TraceRoutes;
}

/**
 * A summary plus everything the components need with no server: per-head
 * contributions, attention maps, the logit lens, promoted and suppressed
 * tokens of every update, and the top neurons of every FFN node.
 */
export interface TraceFull extends Omit<TraceSummary, 'kind' | 'contributions'> {
  readonly kind: 'full';
  /** [L] as in a summary, with `heads` [T, T, H] always present. */
  readonly contributions: readonly Required<LayerContributions>[];
  /** [L] of [H, T, T] (head, pos, key_pos): `attn.pattern[l]`, 0 for key_pos > pos. */
  readonly patterns: readonly Float32Array[];
  readonly lens: TraceLens;
  /** The K tokens each update pushes up most. */
  readonly promoted: UpdateProjections;
  /** The K tokens each update pushes down most. */
  readonly suppressed: UpdateProjections;
  readonly neurons: TraceNeurons;
}

/** A trace of either kind. */
export type Trace = TraceSummary | TraceFull;

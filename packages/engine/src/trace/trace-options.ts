import { EPS } from '../attribution/proximity.js';
import { LmttError } from '../errors.js';
import { DEFAULT_TRACE_SETTINGS } from '../schema/index.js';
import type { TraceSettings } from '../schema/index.js';
import { DEFAULT_CHUNK_BYTES } from './attention-proximities.js';
import type { LiveState } from './live-source.js';

/** Options of `trace`. */
export interface TraceOptions extends Partial<TraceSettings> {
  /** `summary` (default): graph, routes, predictions; `full`: everything a static page needs. */
  readonly detail?: 'summary' | 'full';
  /** Cancels at the next layer with `LmttError('ABORTED')`. */
  readonly signal?: AbortSignal;
  /** Prepend the BOS token (default: the tokenizer's `add_bos_token`). */
  readonly prependBos?: boolean;
  /** Memory budget of one chunk of attention proximities, in bytes (default 256 MiB). */
  readonly chunkBytes?: number;
  /** The floor of every proximity (default 1e-5). */
  readonly eps?: number;
  /**
   * The name the trace gives the model (`model.id`), e.g. a server's
   * configured name, so a trace never carries a local folder's path
   * (default: the id or path the model was loaded from).
   */
  readonly modelName?: string;
  /**
   * Receives the forward pass and every layer's contributions (heads
   * included) just before `done`, e.g. to answer detail questions on demand
   * with `liveSource` without recomputing them.
   */
  readonly retain?: (state: LiveState) => void;
}

/** Options with every default filled in and every value checked. */
export interface ResolvedTraceOptions {
  readonly settings: TraceSettings;
  readonly detail: 'summary' | 'full';
  readonly chunkBytes: number;
  readonly eps: number;
}

function bad(message: string): never {
  throw new LmttError('BAD_OPTION', message);
}

/**
 * Fills in defaults and rejects nonsense with `BAD_OPTION` before any work
 * starts.
 */
export function resolveTraceOptions(options: TraceOptions = {}): ResolvedTraceOptions {
  const settings: TraceSettings = {
    distance: options.distance ?? DEFAULT_TRACE_SETTINGS.distance,
    threshold: options.threshold ?? DEFAULT_TRACE_SETTINGS.threshold,
    renormalize: options.renormalize ?? DEFAULT_TRACE_SETTINGS.renormalize,
    lensNormalize: options.lensNormalize ?? DEFAULT_TRACE_SETTINGS.lensNormalize,
    topK: options.topK ?? DEFAULT_TRACE_SETTINGS.topK,
    topNeurons: options.topNeurons ?? DEFAULT_TRACE_SETTINGS.topNeurons,
  };
  if (settings.distance !== 'l1' && settings.distance !== 'l2')
    bad(`distance must be l1 or l2, got ${String(settings.distance)}`);
  if (!(settings.threshold >= 0 && settings.threshold < 1))
    bad(`threshold must be in [0, 1), got ${settings.threshold}`);
  for (const key of ['topK', 'topNeurons'] as const) {
    const value = settings[key];
    if (!Number.isInteger(value) || value < 1 || value > 1000)
      bad(`${key} must be an integer from 1 to 1000, got ${value}`);
  }
  const detail = options.detail ?? 'summary';
  if (detail !== 'summary' && detail !== 'full')
    bad(`detail must be summary or full, got ${String(detail)}`);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!(chunkBytes > 0)) bad(`chunkBytes must be positive, got ${chunkBytes}`);
  const eps = options.eps ?? EPS;
  if (!(eps > 0)) bad(`eps must be positive, got ${eps}`);
  return { settings, detail, chunkBytes, eps };
}

import { lensRowCount } from './lens.js';
import type { TraceModelInfo } from './model-info.js';
import type { TraceSettings } from './settings.js';

/** The sizes every table shape of a trace is made of. */
export interface TraceDims {
  /** T: tokens of the prompt. */
  readonly nTokens: number;
  /** L: `n_layers`. */
  readonly nLayers: number;
  /** H: `n_heads`. */
  readonly nHeads: number;
  /** K: `settings.topK`. */
  readonly topK: number;
  /** N: `settings.topNeurons`. */
  readonly topNeurons: number;
}

/** The shape of every typed array of a trace, row-major (R = 1 + 2L lens rows). */
export interface TraceShapes {
  /** [T, K]: `predictions.ids`, `predictions.probs`. */
  readonly predictions: readonly number[];
  /** [T]: `contributions[l].attentionResidual`, `.ffn`, `.ffnResidual`. */
  readonly perPosition: readonly number[];
  /** [T, T] (pos, key_pos): `contributions[l].attention`. */
  readonly attention: readonly number[];
  /** [T, T, H] (pos, key_pos, head): `contributions[l].heads`. */
  readonly heads: readonly number[];
  /** [H, T, T] (head, pos, key_pos): `patterns[l]`. */
  readonly pattern: readonly number[];
  /** [T + 1]: `routes.offsets`. */
  readonly routeOffsets: readonly number[];
  /** [R, T, K]: every array of `lens`. */
  readonly lens: readonly number[];
  /** [L, T, K]: `promoted.attnOut`, `promoted.mlpOut` and the same in `suppressed`. */
  readonly blockUpdates: readonly number[];
  /** [L, T, H, K]: `promoted.heads`, `suppressed.heads`. */
  readonly headUpdates: readonly number[];
  /** [L, T, N, K]: `promoted.neurons`, `suppressed.neurons`. */
  readonly neuronUpdates: readonly number[];
  /** [L, T, N]: `neurons.indices`, `neurons.shares`. */
  readonly neurons: readonly number[];
  /** [L, T]: `neurons.residual`. */
  readonly neuronResidual: readonly number[];
}

/** The dimensions of a trace: T from its tokens, L and H from its model, K and N from its settings. */
export function traceDims(trace: {
  readonly tokens: readonly unknown[];
  readonly model: Pick<TraceModelInfo, 'nLayers' | 'nHeads'>;
  readonly settings: Pick<TraceSettings, 'topK' | 'topNeurons'>;
}): TraceDims {
  return {
    nTokens: trace.tokens.length,
    nLayers: trace.model.nLayers,
    nHeads: trace.model.nHeads,
    topK: trace.settings.topK,
    topNeurons: trace.settings.topNeurons,
  };
}

/**
 * The shape of every table for the given dimensions.
 *
 * @example
 * const { lens } = traceShapes(traceDims(trace)); // [R, T, K]
 * const at = (row: number, t: number, k: number) => (row * lens[1]! + t) * lens[2]! + k;
 */
export function traceShapes(dims: TraceDims): TraceShapes {
  const { nTokens: T, nLayers: L, nHeads: H, topK: K, topNeurons: N } = dims;
  return {
    predictions: [T, K],
    perPosition: [T],
    attention: [T, T],
    heads: [T, T, H],
    pattern: [H, T, T],
    routeOffsets: [T + 1],
    lens: [lensRowCount(L), T, K],
    blockUpdates: [L, T, K],
    headUpdates: [L, T, H, K],
    neuronUpdates: [L, T, N, K],
    neurons: [L, T, N],
    neuronResidual: [L, T],
  };
}

import type { GraphSettings } from './graph.js';

/** The norm p of the proximity `||y||_p - ||y - x||_p` (DESIGN §2.2). */
export type ContributionDistance = 'l1' | 'l2';

/** How a trace was computed and how much detail it keeps. */
export interface TraceSettings extends GraphSettings {
  /** Norm of the contribution proximity; `l1` by default. */
  readonly distance: ContributionDistance;
  /** Apply `ln_final` to a residual state before projecting it for the logit lens. */
  readonly lensNormalize: boolean;
  /**
   * K: entries per position in predictions, per residual state in the lens
   * and per update in the promoted and suppressed tables.
   */
  readonly topK: number;
  /** N: neurons kept per FFN node (at most `d_mlp`). */
  readonly topNeurons: number;
}

/** The settings a trace uses unless told otherwise. */
export const DEFAULT_TRACE_SETTINGS: TraceSettings = Object.freeze({
  distance: 'l1',
  threshold: 0.04,
  renormalize: true,
  lensNormalize: true,
  topK: 10,
  topNeurons: 10,
});

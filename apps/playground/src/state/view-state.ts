import type { Selection } from '@lmtt/components';

/** Where traces are computed: by an lmtt server, or by the engine in this tab. */
export type RunMode = 'server' | 'browser';

/**
 * Everything the playground shows that a permalink restores: what to trace,
 * how to cut the graph, and what is selected.
 */
export interface ViewState {
  readonly mode: RunMode;
  /** A configured model name (server) or a model URL / hub id (browser); '' for the default. */
  readonly model: string;
  /** '' until the user traces something. */
  readonly prompt: string;
  /** The device asked for ('' for the default). */
  readonly device: string;
  readonly dtype: 'fp32' | 'fp16';
  readonly threshold: number;
  readonly renormalize: boolean;
  /** Apply `ln_final` before projecting onto the vocabulary (logit lens). */
  readonly lensNormalize: boolean;
  readonly selection?: Selection;
}

/** The state of a fresh visit. */
export const DEFAULT_VIEW: ViewState = Object.freeze({
  mode: 'server',
  model: '',
  prompt: '',
  device: '',
  dtype: 'fp32',
  threshold: 0.04,
  renormalize: true,
  lensNormalize: true,
});

/** The slider's range of contribution thresholds (the reference tool's). */
export const THRESHOLD_RANGE = Object.freeze({ min: 0.01, max: 0.1, step: 0.005 });

/** The reference tool's sample prompts, offered when the server preloads none. */
export const SAMPLE_PROMPTS: readonly string[] = Object.freeze([
  'The war lasted from the year 1732 to the year 17',
  '5 + 4 = 9, 2 + 3 =',
  'When Mary and John went to the store, John gave a drink to',
]);

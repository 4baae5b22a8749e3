import type { BlockLayout } from './graph.js';

/**
 * The model a trace was computed with: enough to check every shape in the
 * trace and to label it, nothing that needs the weights.
 */
export interface TraceModelInfo {
  /** What the user asked for: a Hugging Face id, a local folder or a URL. */
  readonly id: string;
  /** Architecture family, e.g. `gpt2`, `llama`. */
  readonly family: string;
  /** `n_layers`. */
  readonly nLayers: number;
  /** `n_heads`: query heads per layer. */
  readonly nHeads: number;
  /** `n_kv_heads`: key/value heads per layer (equals `nHeads` without GQA). */
  readonly nKvHeads: number;
  /** `d_model`. */
  readonly dModel: number;
  /** `d_mlp`: neurons per FFN block. */
  readonly dMlp: number;
  /** `d_vocab`: every token id in a trace is below this. */
  readonly dVocab: number;
  /** Longest prompt the model reads, in tokens. */
  readonly nCtx: number;
  /** The device the trace was computed on, e.g. `cpu`, `webgpu`, `cuda`, `wasm`. */
  readonly device: string;
  /** The compute precision, e.g. `fp32`, `fp16`. */
  readonly dtype: string;
  /**
   * How the blocks are wired; absent means `sequential` (every trace written
   * before parallel blocks were supported). It decides what the edges of
   * `routes` and the layers' `contributions` connect: see `TraceRoutes` and
   * `LayerContributions`.
   */
  readonly blocks?: BlockLayout;
}

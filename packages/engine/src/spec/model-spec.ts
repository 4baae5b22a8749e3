/**
 * The normalised description of a Transformer that every family file maps
 * its config and weight names onto. The graph builder, attribution and
 * everything downstream read only this.
 */

/** A weight tensor by its name in the checkpoint. */
export type WeightName = string;

/** A normalisation layer. */
export interface NormSpec {
  readonly kind: 'layernorm' | 'rmsnorm';
  readonly eps: number;
  readonly weight: WeightName;
  readonly bias?: WeightName;
  /**
   * Added to the stored weight before it scales (Gemma stores `scale - 1`
   * and multiplies by `1 + weight` in float32); absent means 0.
   */
  readonly weightOffset?: number;
}

/**
 * A linear map `y = x W (+ b)`. `in_out` weights are stored [d_in, d_out]
 * (GPT-2's Conv1D), `out_in` weights [d_out, d_in] (torch `nn.Linear`).
 */
export interface LinearSpec {
  readonly weight: WeightName;
  readonly layout: 'in_out' | 'out_in';
  readonly bias?: WeightName;
}

/**
 * How the queries, keys and values are projected. `fused` stores one
 * projection whose output is all queries, then all keys, then all values
 * (GPT-2); `fused_per_head` stores each head's q, k and v chunks of d_head in
 * turn, `[T, n_heads, 3, d_head]` (GPT-NeoX's `query_key_value`).
 */
export type QkvSpec =
  | { readonly kind: 'fused'; readonly proj: LinearSpec }
  | { readonly kind: 'fused_per_head'; readonly proj: LinearSpec }
  | {
      readonly kind: 'separate';
      readonly q: LinearSpec;
      readonly k: LinearSpec;
      readonly v: LinearSpec;
    };

/** An MLP: `act(x W_in) W_out`, or gated `(act(x W_gate) * x W_up) W_out`. */
export type MlpSpec =
  | { readonly kind: 'plain'; readonly in: LinearSpec; readonly out: LinearSpec }
  | {
      readonly kind: 'gated';
      readonly gate: LinearSpec;
      readonly up: LinearSpec;
      readonly out: LinearSpec;
    };

/** Activation functions, by the names configs use (`silu` is SwiGLU's gate). */
export type Activation = 'gelu_new' | 'gelu' | 'relu' | 'silu';

/** One block. */
export interface LayerSpec {
  readonly ln1: NormSpec;
  readonly qkv: QkvSpec;
  readonly attnOut: LinearSpec;
  /** Absent for parallel blocks that share `ln1`. */
  readonly ln2?: NormSpec;
  readonly mlp: MlpSpec;
}

/** A learned position table added to the token embeddings. */
export interface LearnedPositions {
  readonly kind: 'learned';
  readonly weight: WeightName;
  /** Added to each position index before the lookup (OPT uses 2). */
  readonly offset: number;
}

/**
 * Llama 3's frequency adjustment (`rope_scaling.rope_type: 'llama3'`):
 * wavelengths shorter than `originalMaxPositions / highFreqFactor` keep their
 * frequency, those longer than `originalMaxPositions / lowFreqFactor` are
 * divided by `factor`, and those between are interpolated.
 */
export interface Llama3RopeScaling {
  readonly kind: 'llama3';
  readonly factor: number;
  readonly lowFreqFactor: number;
  readonly highFreqFactor: number;
  readonly originalMaxPositions: number;
}

/**
 * Rotary position embeddings on q and k in the half-rotation ("rotate_half",
 * GPT-NeoX) convention: over the first `rotaryDims` dimensions d of each
 * head, dimension i < d/2 pairs with i + d/2; the rest pass through
 * unrotated. No position table: the embedding is the token's alone.
 */
export interface RotaryPositions {
  readonly kind: 'rotary';
  /** The base of the inverse frequencies, `rope_theta`. */
  readonly theta: number;
  /**
   * How many leading dimensions of each head rotate (even, at most d_head):
   * GPT-NeoX's `rotary_pct`, Phi's `partial_rotary_factor` times d_head.
   * Absent means all of d_head.
   */
  readonly rotaryDims?: number;
  readonly scaling?: Llama3RopeScaling;
}

/** How positions enter the model. */
export type PositionSpec = LearnedPositions | RotaryPositions;

/** A whole model. */
export interface ModelSpec {
  /** The family file that produced the spec, e.g. `gpt2`. */
  readonly family: string;
  readonly nLayers: number;
  readonly dModel: number;
  readonly nHeads: number;
  readonly nKvHeads: number;
  readonly dHead: number;
  readonly dMlp: number;
  readonly dVocab: number;
  /** Longest sequence the model accepts. */
  readonly nCtx: number;
  readonly activation: Activation;
  /**
   * Attention and MLP both read `resid_pre` and `resid_post = resid_pre +
   * attn_out + mlp_out`, with no `resid_mid` (GPT-NeoX, Phi).
   */
  readonly parallelBlock: boolean;
  /** Multiplier on q·k before the softmax. */
  readonly attnScale: number;
  readonly embed: WeightName;
  /** Multiplier on the token embeddings (Gemma: sqrt(d_model)); absent means 1. */
  readonly embedScale?: number;
  readonly positions: PositionSpec;
  readonly layers: readonly LayerSpec[];
  readonly lnFinal: NormSpec;
  readonly unembed: LinearSpec;
  readonly bosTokenId?: number;
  readonly eosTokenId?: number;
}

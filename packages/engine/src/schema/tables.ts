/**
 * Token tables of a trace. Every table is a pair of row-major typed arrays of
 * one shape whose last axis (K = `settings.topK`, or N = `settings.topNeurons`)
 * runs over ranked entries; token ids are looked up in `trace.tokenTexts`.
 */

/**
 * The model's own top-K next-token predictions at every position (from the
 * final logits, with `ln_final`).
 */
export interface TracePredictions {
  /** [T, K] token ids, most probable first. */
  readonly ids: Int32Array;
  /** [T, K] softmax probabilities over the full vocabulary, non-increasing along K. */
  readonly probs: Float32Array;
}

/** Ranked tokens of a vocabulary projection: `ids` and `logits` of one shape [..., K]. */
export interface TopTokens {
  /** [..., K] token ids. */
  readonly ids: Int32Array;
  /** [..., K] the projection's value for each token (`update @ W_U`). */
  readonly logits: Float32Array;
}

/**
 * Vocabulary projections of the updates a block writes into the residual
 * stream (DESIGN §2.4). In `promoted` the K largest logits, largest first; in
 * `suppressed` the K smallest, smallest first.
 */
export interface UpdateProjections {
  /** [L, T, K] of `attn_out[l][t]`. */
  readonly attnOut: TopTokens;
  /** [L, T, K] of `mlp_out[l][t]`. */
  readonly mlpOut: TopTokens;
  /** [L, T, H, K] of one head's output `attn.result[l][t, h]`. */
  readonly heads: TopTokens;
  /**
   * [L, T, N, K] of one neuron's output `mlp.post[l][t, i] * W_out[i]`, for
   * the neuron `i = neurons.indices[l, t, n]`.
   */
  readonly neurons: TopTokens;
}

/**
 * The top contributing neurons of every FFN node `mlp[l][t]` (DESIGN §2.2):
 * parts are every neuron's output and the residual `resid_mid[l][t]` (in a
 * parallel block `resid_pre[l][t] + attn_out[l][t]`, all of `resid_post`
 * but the FFN's update); shares
 * are normalised over all parts and not thresholded.
 */
export interface TraceNeurons {
  /** [L, T, N] neuron index in `[0, d_mlp)`, largest share first. */
  readonly indices: Int32Array;
  /** [L, T, N] each listed neuron's share, non-increasing along N. */
  readonly shares: Float32Array;
  /** [L, T] the share of the residual `resid_mid[l][t]` (see above for parallel blocks). */
  readonly residual: Float32Array;
}

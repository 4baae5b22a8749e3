/**
 * Contributions of one layer, as the trace carries them: every value is a
 * share of its node's whole (DESIGN §2.2), normalised to sum to 1 per node
 * and NOT thresholded, so a viewer can apply any threshold without
 * recomputation.
 *
 * The fields below describe a sequential block. In a parallel block (model
 * `blocks: 'parallel'`) attention writes into `resid_post[layer][t]`, which
 * is then the one node per position: `attention` (and `heads`),
 * `attentionResidual` (the share of `resid_pre[layer][t]`) and `ffn` (the
 * share of `mlp_out[layer][t]`) are shares of `resid_post[layer][t]` and sum
 * to 1 together; `ffnResidual` is 0, there being no `resid_mid`.
 */
export interface LayerContributions {
  readonly layer: number;
  /**
   * [T, T] row-major, `attention[t * T + s]`: the attention node
   * `resid_mid[layer][t]`'s share from key position s, summed over heads
   * (0 for s > t).
   */
  readonly attention: Float32Array;
  /** [T] share of `resid_mid[layer][t]` from the residual `resid_pre[layer][t]`. */
  readonly attentionResidual: Float32Array;
  /** [T] share of `resid_post[layer][t]` from the FFN block `mlp_out[layer][t]`. */
  readonly ffn: Float32Array;
  /** [T] share of `resid_post[layer][t]` from the residual `resid_mid[layer][t]`. */
  readonly ffnResidual: Float32Array;
  /**
   * [T, T, n_heads] row-major, `heads[(t * T + s) * H + h]`: the share of
   * each (key, head) part; sums with `attentionResidual` to 1 per t (with
   * `attentionResidual` and `ffn` in a parallel block). Present
   * in full traces and while streaming; summaries may drop it.
   */
  readonly heads?: Float32Array;
}

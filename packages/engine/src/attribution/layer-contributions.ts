import type { LayerContributions } from '../schema/contributions.js';

/**
 * One layer's raw proximities (DESIGN §2.2), as computed elsewhere (an ONNX
 * graph, or `referenceLayerContributions`), each already floored at eps.
 * "The attention node" is `resid_mid[t]` in a sequential block and
 * `resid_post[t]` in a parallel one, which has no `resid_mid`.
 */
export interface LayerProximities {
  /**
   * [T, T, n_heads] row-major, `[(t * T + s) * H + h]`: the proximity of the
   * part `pattern[h, t, s] * (v[s, h] @ W_O[h])` to the attention node t.
   * Entries with s > t are ignored, whatever they hold.
   */
  readonly attnProximity: Float32Array | Float64Array;
  /** [T] proximity of `resid_pre[t]` to the attention node t. */
  readonly attnResidualProximity: Float32Array | Float64Array;
  /** [T] proximity of `mlp_out[t]` to `resid_post[t]`. */
  readonly ffnProximity: Float32Array | Float64Array;
  /**
   * [T] proximity of `resid_mid[t]` to `resid_post[t]`. Absent for a
   * parallel block: there `resid_post[t]` is the attention node, and its
   * parts are the attention parts, `resid_pre[t]` and `mlp_out[t]`.
   */
  readonly ffnResidualProximity?: Float32Array | Float64Array;
}

/**
 * Normalises a layer's proximities per node into the {@link LayerContributions}
 * the trace carries: for each attention node t, the (s <= t, h) parts and the
 * residual sum to 1; for each FFN node, the MLP and the residual sum to 1.
 * In a parallel block (no `ffnResidualProximity`) there is one node per t,
 * `resid_post[t]`: the (s, h) parts, the residual and the MLP sum to 1
 * together, and `ffnResidual` is 0. `attention` is the sum over heads;
 * entries with s > t are 0. A node whose proximities are all 0 (possible
 * only with eps = 0) gets all-zero shares.
 *
 * @param layer - The layer index to record.
 * @param proximities - The raw proximities; T comes from `attnResidualProximity`,
 *   n_heads from the size of `attnProximity`.
 * @throws RangeError when the sizes do not agree.
 * @example
 * // T = 1, one head: the head part has proximity 3, the residual 1
 * assembleLayerContributions(0, {
 *   attnProximity: new Float64Array([3]),
 *   attnResidualProximity: new Float64Array([1]),
 *   ffnProximity: new Float64Array([1]),
 *   ffnResidualProximity: new Float64Array([1]),
 * }); // attention [0.75], attentionResidual [0.25], ffn [0.5], ffnResidual [0.5]
 */
export function assembleLayerContributions(
  layer: number,
  proximities: LayerProximities,
): LayerContributions {
  const { attnProximity, attnResidualProximity, ffnProximity, ffnResidualProximity } = proximities;
  const T = attnResidualProximity.length;
  const H = T === 0 ? 0 : attnProximity.length / (T * T);
  const parallel = ffnResidualProximity === undefined;
  if (
    !Number.isInteger(H) ||
    (T > 0 && H === 0) ||
    ffnProximity.length !== T ||
    (!parallel && ffnResidualProximity.length !== T)
  ) {
    throw new RangeError(
      `assembleLayerContributions: sizes [${attnProximity.length}], [${T}], [${ffnProximity.length}], [${ffnResidualProximity?.length ?? '-'}] are not [T*T*H], [T], [T], [T]`,
    );
  }

  const attention = new Float32Array(T * T); // [T, T]
  const attentionResidual = new Float32Array(T); // [T]
  const heads = new Float32Array(T * T * H); // [T, T, H]
  const ffn = new Float32Array(T); // [T]
  const ffnResidual = new Float32Array(T); // [T], 0 in a parallel block
  for (let t = 0; t < T; t++) {
    // Only s <= t: the causal parts; the rest of the row stays 0.
    const rowStart = t * T * H;
    const rowEnd = rowStart + (t + 1) * H;
    let total = attnResidualProximity[t]! + (parallel ? ffnProximity[t]! : 0);
    for (let i = rowStart; i < rowEnd; i++) total += attnProximity[i]!;
    const scale = total === 0 ? 0 : 1 / total;
    for (let s = 0; s <= t; s++) {
      let headSum = 0;
      for (let h = 0; h < H; h++) {
        const i = rowStart + s * H + h;
        const share = attnProximity[i]! * scale;
        heads[i] = share;
        headSum += share;
      }
      attention[t * T + s] = headSum;
    }
    attentionResidual[t] = attnResidualProximity[t]! * scale;
    if (parallel) ffn[t] = ffnProximity[t]! * scale;
  }

  for (let t = 0; t < T && !parallel; t++) {
    const total = ffnProximity[t]! + ffnResidualProximity[t]!;
    const scale = total === 0 ? 0 : 1 / total;
    ffn[t] = ffnProximity[t]! * scale;
    ffnResidual[t] = ffnResidualProximity[t]! * scale;
  }

  return { layer, attention, attentionResidual, ffn, ffnResidual, heads };
}

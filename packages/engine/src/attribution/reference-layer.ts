import type { LayerContributions } from '../schema/contributions.js';
import { assembleLayerContributions, type LayerProximities } from './layer-contributions.js';
import { lpDistance, lpNorm } from './norms.js';
import { EPS, type ContributionOptions } from './proximity.js';

/** The head layout of an attention block; grouped-query attention when `nKvHeads < nHeads`. */
export interface AttentionHeads {
  /** n_heads, the query heads. */
  readonly nHeads: number;
  /** A divisor of `nHeads` (default `nHeads`). Query head h reads kv head `floor(h / (nHeads / nKvHeads))`. */
  readonly nKvHeads?: number;
}

/** One layer's activations and attention output weights, under TransformerLens names. */
export interface LayerActivations extends AttentionHeads {
  /** [T, d_model] */
  readonly residPre: Float32Array | Float64Array;
  /** [T, d_model] `resid_pre + attn_out`; absent for a parallel block, which has none. */
  readonly residMid?: Float32Array | Float64Array;
  /** [T, d_model] `resid_mid + mlp_out` (`resid_pre + attn_out + mlp_out` in a parallel block) */
  readonly residPost: Float32Array | Float64Array;
  /** [T, d_model] */
  readonly mlpOut: Float32Array | Float64Array;
  /** [n_heads, T, T] `attn.pattern` */
  readonly pattern: Float32Array | Float64Array;
  /** [T, n_kv_heads, d_head] `attn.v`, the value bias included. */
  readonly v: Float32Array | Float64Array;
  /** [n_heads * d_head, d_model] W_O; rows `h * d_head ..` belong to head h. */
  readonly wO: Float32Array | Float64Array;
}

/** Options of {@link referenceLayerContributions}. */
export interface ReferenceLayerOptions extends ContributionOptions {
  /** The layer index recorded in the contributions (default 0). */
  readonly layer?: number;
}

/** What {@link referenceLayerContributions} computes. */
export interface ReferenceLayerContributions {
  /** The raw proximities in float64 (0 for s > t): what an ONNX path must reproduce. */
  readonly proximities: LayerProximities;
  /** The same, normalised per node, as a trace carries them. */
  readonly contributions: LayerContributions;
}

/**
 * Each head's value output at each key position, `v[s, kv(h)] @ W_O[h]`:
 * the attention part `part[t, s, h]` is `pattern[h, t, s]` times row (s, h).
 *
 * @param v - [T, n_kv_heads, d_head], the value bias included.
 * @param wO - [n_heads * d_head, d_model]; rows `h * d_head ..` belong to head h.
 * @param shape - T (`nTokens`), n_heads, and n_kv_heads for grouped-query attention.
 * @returns [T, n_heads, d_model] in float64.
 * @throws RangeError when the sizes do not agree with the shape.
 * @example
 * // T = 1, one head, d_head = 1, d_model = 2: v = 2, W_O = (1, 3)
 * projectedValues(new Float64Array([2]), new Float64Array([1, 3]), { nTokens: 1, nHeads: 1 });
 * // Float64Array [2, 6]
 */
export function projectedValues(
  v: Float32Array | Float64Array,
  wO: Float32Array | Float64Array,
  shape: AttentionHeads & { readonly nTokens: number },
): Float64Array {
  const { nTokens: T, nHeads: H, nKvHeads: Hkv = shape.nHeads } = shape;
  const dHead = v.length / (T * Hkv);
  const d = wO.length / (H * dHead);
  if (!(H > 0 && H % Hkv === 0 && dHead > 0 && Number.isInteger(dHead) && Number.isInteger(d))) {
    throw new RangeError(
      `projectedValues: v [${v.length}] and W_O [${wO.length}] do not fit T = ${T}, ${H} heads, ${Hkv} kv heads`,
    );
  }
  const groupSize = H / Hkv;
  const out = new Float64Array(T * H * d); // [T, H, d_model]
  for (let s = 0; s < T; s++) {
    for (let h = 0; h < H; h++) {
      const vRow = (s * Hkv + Math.floor(h / groupSize)) * dHead;
      const outRow = (s * H + h) * d;
      for (let k = 0; k < dHead; k++) {
        const value = v[vRow + k]!;
        const wRow = (h * dHead + k) * d;
        for (let i = 0; i < d; i++) out[outRow + i]! += value * wO[wRow + i]!;
      }
    }
  }
  return out;
}

/**
 * One layer's contributions computed directly from its activations, in
 * float64 with plain loops: the truth an ONNX path is tested against.
 * Attention node t: the whole is `resid_mid[t]`, the parts are
 * `pattern[h, t, s] * (v[s, kv(h)] @ W_O[h])` for s <= t and every head, and
 * `resid_pre[t]`; the output bias b_O is not a part, so it is not needed.
 * FFN node t: the whole is `resid_post[t]`, the parts `mlp_out[t]` and
 * `resid_mid[t]`. Without `residMid` (a parallel block) there is one node
 * per t, `resid_post[t]`, whose parts are the attention parts, `resid_pre[t]`
 * and `mlp_out[t]`.
 *
 * @param activations - The layer's tensors and its head layout.
 * @param options - The norm `p` (default 1), the floor `eps` (default {@link EPS})
 *   and the `layer` index to record (default 0).
 * @throws RangeError when the sizes do not agree.
 * @example
 * const { proximities, contributions } = referenceLayerContributions(
 *   { residPre, residMid, residPost, mlpOut, pattern, v, wO, nHeads: 8, nKvHeads: 2 },
 *   { p: 1, layer: 3 },
 * );
 */
export function referenceLayerContributions(
  activations: LayerActivations,
  options: ReferenceLayerOptions = {},
): ReferenceLayerContributions {
  const { p = 1, eps = EPS, layer = 0 } = options;
  const { residPre, residMid, residPost, mlpOut, pattern, v, wO, nHeads: H } = activations;
  const T = Math.round(Math.sqrt(pattern.length / H));
  const d = residPre.length / T;
  if (
    T * T * H !== pattern.length ||
    !Number.isInteger(d) ||
    [residMid ?? residPost, residPost, mlpOut].some((x) => x.length !== T * d)
  ) {
    throw new RangeError(
      `referenceLayerContributions: pattern [${pattern.length}] and resid_pre [${residPre.length}] do not fit ${H} heads`,
    );
  }
  const values = projectedValues(v, wO, { ...activations, nTokens: T }); // [T, H, d_model]
  if (values.length !== T * H * d) {
    throw new RangeError(
      `referenceLayerContributions: W_O [${wO.length}] is not d_model ${d} wide`,
    );
  }

  const attnProximity = new Float64Array(T * T * H); // [T, T, H], 0 for s > t
  const attnResidualProximity = new Float64Array(T); // [T]
  const ffnProximity = new Float64Array(T); // [T]
  const ffnResidualProximity = new Float64Array(T); // [T]
  const attentionNode = residMid ?? residPost; // [T, d_model]
  for (let t = 0; t < T; t++) {
    const mid = attentionNode.subarray(t * d, (t + 1) * d); // [d_model]
    const midNorm = lpNorm(mid, p);
    for (let s = 0; s <= t; s++) {
      for (let h = 0; h < H; h++) {
        const weight = pattern[(h * T + t) * T + s]!;
        const distance = lpDistance(mid, values, p, weight, (s * H + h) * d);
        attnProximity[(t * T + s) * H + h] = Math.max(eps, midNorm - distance);
      }
    }
    attnResidualProximity[t] = Math.max(eps, midNorm - lpDistance(mid, residPre, p, 1, t * d));

    const post = residPost.subarray(t * d, (t + 1) * d); // [d_model]
    const postNorm = lpNorm(post, p);
    ffnProximity[t] = Math.max(eps, postNorm - lpDistance(post, mlpOut, p, 1, t * d));
    if (residMid) {
      ffnResidualProximity[t] = Math.max(eps, postNorm - lpDistance(post, residMid, p, 1, t * d));
    }
  }

  const proximities = {
    attnProximity,
    attnResidualProximity,
    ffnProximity,
    ...(residMid ? { ffnResidualProximity } : {}),
  };
  return { proximities, contributions: assembleLayerContributions(layer, proximities) };
}

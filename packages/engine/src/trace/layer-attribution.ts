import { assembleLayerContributions } from '../attribution/layer-contributions.js';
import { proximity } from '../attribution/proximity.js';
import type { LayerActivations } from '../model/forward.js';
import type { Model } from '../model/model.js';
import type { LayerContributions } from '../schema/index.js';
import { attentionProximities } from './attention-proximities.js';
import type { ProximityOptions } from './attention-proximities.js';

/** Raw proximity of `part` row t to `whole` row t, for [T, d] tensors. */
function rowProximities(
  part: Float32Array,
  whole: Float32Array,
  T: number,
  p: 1 | 2,
  eps: number,
): Float64Array {
  const d = whole.length / T;
  const out = new Float64Array(T); // [T]
  for (let t = 0; t < T; t++) {
    out[t] = proximity(
      part.subarray(t * d, (t + 1) * d),
      whole.subarray(t * d, (t + 1) * d),
      p,
      eps,
    );
  }
  return out;
}

/**
 * The contributions of one layer (DESIGN §2.2): the attention parts on the
 * model's device, the residual and FFN parts (O(T d)) here. A parallel block
 * (no `resid_mid`) has one node per position, `resid_post`, whose parts are
 * the attention parts, `resid_pre` and `mlp_out`.
 */
export async function layerContributions(
  model: Model,
  l: number,
  layer: LayerActivations,
  options: ProximityOptions,
): Promise<LayerContributions> {
  const T = layer.resid_pre.dims[0]!;
  const p = options.distance === 'l1' ? 1 : 2;
  const residMid = layer.resid_mid;
  const attentionNode = residMid ?? layer.resid_post; // [T, d_model]
  return assembleLayerContributions(l, {
    attnProximity: await attentionProximities(model, l, layer, options),
    attnResidualProximity: rowProximities(
      layer.resid_pre.data,
      attentionNode.data,
      T,
      p,
      options.eps,
    ),
    ffnProximity: rowProximities(layer.mlp_out.data, layer.resid_post.data, T, p, options.eps),
    ...(residMid
      ? {
          ffnResidualProximity: rowProximities(
            residMid.data,
            layer.resid_post.data,
            T,
            p,
            options.eps,
          ),
        }
      : {}),
  });
}

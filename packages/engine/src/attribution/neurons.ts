import { lpDistance, lpNorm } from './norms.js';
import { EPS, type ContributionOptions } from './proximity.js';

/** One FFN node's activations and output weights (layer l, position t). */
export interface FfnNode {
  /** [d_mlp] `mlp.post[l][t]`: after the activation (after gate * up for gated MLPs). */
  readonly post: Float32Array | Float64Array;
  /** [d_mlp, d_model] W_out; row i is neuron i's output direction. */
  readonly wOut: Float32Array | Float64Array;
  /**
   * [d_model] the rest of the whole besides the FFN: `resid_mid[l][t]`, or
   * `resid_pre[l][t] + attn_out[l][t]` in a parallel block.
   */
  readonly residMid: Float32Array | Float64Array;
  /** [d_model] `resid_post[l][t]` */
  readonly residPost: Float32Array | Float64Array;
}

/** The shares of one FFN node's parts; `neurons` and `residual` sum to 1. */
export interface NeuronContributions {
  /** [d_mlp] the share of each neuron's update `post[i] * W_out[i]`. */
  readonly neurons: Float64Array;
  /** The share of the residual `residMid`. */
  readonly residual: number;
}

/** A neuron and its share, as {@link topNeurons} lists them. */
export interface NeuronShare {
  readonly neuron: number;
  readonly share: number;
}

/**
 * How much each neuron contributes to an FFN node (DESIGN §2.2): the whole is
 * `resid_post[l][t]`, the parts are every neuron's update `post[i] * W_out[i]`
 * and the residual `resid_mid[l][t]`; the output bias is not a part. The
 * shares are normalised together, so they measure contribution, not
 * activation: a strongly activated neuron whose update is orthogonal to the
 * result gets little.
 *
 * @param node - The node's activations and W_out.
 * @param options - The norm `p` (default 1) and the floor `eps` (default {@link EPS}).
 * @throws RangeError when the sizes do not agree.
 * @example
 * // resid_mid (1, 0), neurons 1 * (2, 0) and 1 * (0, 5), resid_post (3, 5);
 * // p = 1: ||post|| = 8, proximities 8 - 6 = 2, 8 - 3 = 5, 8 - 7 = 1 → 2/8, 5/8, 1/8
 * neuronContributions({
 *   post: new Float64Array([1, 1]),
 *   wOut: new Float64Array([2, 0, 0, 5]),
 *   residMid: new Float64Array([1, 0]),
 *   residPost: new Float64Array([3, 5]),
 * }); // { neurons: [0.25, 0.625], residual: 0.125 }
 */
export function neuronContributions(
  node: FfnNode,
  options: ContributionOptions = {},
): NeuronContributions {
  const { p = 1, eps = EPS } = options;
  const { post, wOut, residMid, residPost } = node;
  const d = residPost.length;
  if (d === 0 || residMid.length !== d || wOut.length !== post.length * d) {
    throw new RangeError(
      `neuronContributions: W_out [${wOut.length}] is not [${post.length}, ${d}], or resid_mid [${residMid.length}] is not [${d}]`,
    );
  }
  const wholeNorm = lpNorm(residPost, p);
  const neurons = new Float64Array(post.length); // [d_mlp]
  let total = 0;
  for (let i = 0; i < post.length; i++) {
    const value = Math.max(eps, wholeNorm - lpDistance(residPost, wOut, p, post[i]!, i * d));
    neurons[i] = value;
    total += value;
  }
  let residual = Math.max(eps, wholeNorm - lpDistance(residPost, residMid, p));
  total += residual;
  if (total > 0) {
    for (let i = 0; i < neurons.length; i++) neurons[i]! /= total;
    residual /= total;
  }
  return { neurons, residual };
}

/**
 * The k largest shares, largest first (ties by lower index).
 *
 * @param shares - [d_mlp], e.g. {@link NeuronContributions.neurons}.
 * @param k - How many; fewer come back when there are fewer neurons.
 * @example
 * topNeurons(new Float64Array([0.1, 0.5, 0.2]), 2);
 * // [{ neuron: 1, share: 0.5 }, { neuron: 2, share: 0.2 }]
 */
export function topNeurons(shares: ArrayLike<number>, k: number): NeuronShare[] {
  const order = Array.from({ length: shares.length }, (_, i) => i);
  order.sort((a, b) => shares[b]! - shares[a]! || a - b);
  return order.slice(0, Math.max(0, k)).map((neuron) => ({ neuron, share: shares[neuron]! }));
}

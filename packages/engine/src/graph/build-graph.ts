import type { LayerContributions } from '../schema/contributions.js';
import type { BlockLayout, GraphSettings } from '../schema/graph.js';
import { edgeCount, edgesPerLayer } from '../schema/routes.js';
import { DEFAULT_TRACE_SETTINGS } from '../schema/settings.js';
import type { FlowGraph } from './flow-graph.js';

/** The settings a graph uses unless told otherwise, a trace's: tau = 0.04, renormalised. */
export const DEFAULT_GRAPH_SETTINGS: GraphSettings = Object.freeze({
  threshold: DEFAULT_TRACE_SETTINGS.threshold,
  renormalize: DEFAULT_TRACE_SETTINGS.renormalize,
});

/**
 * Builds the information-flow graph of every position from a trace's
 * per-layer contributions (DESIGN §2.3). Per layer l and position t:
 * - into `resid_mid[l][t]`: an `attention` edge from `resid_post[l-1][s]`
 *   (`embed[s]` for l = 0) for each s <= t, weighted by the head-summed
 *   contribution, and a `residual` edge from the same source at s = t,
 *   weighted by the residual contribution: two distinct edges;
 * - into `mlp[l][t]`: an `ffn` edge from `resid_mid[l][t]`;
 * - into `resid_post[l][t]`: an `ffn` edge from `mlp[l][t]` and a `residual`
 *   edge from `resid_mid[l][t]`.
 *
 * In a parallel block (`blocks: 'parallel'`) there is no `resid_mid`: the
 * attention and residual edges go into `resid_post[l][t]`, the FFN edges
 * run `resid_post[l-1][t]` (or `embed[t]`) -> `mlp[l][t]` -> `resid_post[l][t]`,
 * and the one node `resid_post[l][t]` has the attention, residual and FFN
 * parts (DESIGN §2.2).
 *
 * Each node's parts (the attention edges and the residual for `resid_mid`;
 * the FFN and the residual for `resid_post`; all three for a parallel
 * block's `resid_post`) are cut per node: parts whose contribution is at or
 * below `settings.threshold` are dropped and, with `settings.renormalize`,
 * the rest of that node's are rescaled to sum to 1. Both FFN edges carry the
 * FFN part's weight, so a dropped FFN part removes the path through `mlp[l][t]`.
 *
 * @param layers - One entry per layer, `layers[l].layer === l`, all with the same T.
 * @param settings - Threshold (>= 0) and renormalisation (default {@link DEFAULT_GRAPH_SETTINGS}).
 * @param blocks - How the model's blocks are wired (default `sequential`).
 * @throws RangeError when there are no layers or tokens, the indices or
 *   sizes disagree, or the threshold is negative.
 * @example
 * const graph = buildGraph(trace.contributions, { threshold: 0.04, renormalize: true });
 * const event = { type: 'graph', weights: graph.weights };
 */
export function buildGraph(
  layers: readonly LayerContributions[],
  settings: GraphSettings = DEFAULT_GRAPH_SETTINGS,
  blocks: BlockLayout = 'sequential',
): FlowGraph {
  const L = layers.length;
  const T = layers[0]?.attentionResidual.length ?? 0;
  layers.forEach((layer, l) => {
    const sizes = [layer.attentionResidual.length, layer.ffn.length, layer.ffnResidual.length];
    if (layer.layer !== l || layer.attention.length !== T * T || sizes.some((n) => n !== T)) {
      throw new RangeError(
        `buildGraph: entry ${l} is layer ${layer.layer} with attention [${layer.attention.length}] and [${sizes.join(', ')}]; expected layer ${l}, [${T * T}] and [${T}] each`,
      );
    }
  });
  const { threshold: tau, renormalize } = settings;
  if (L === 0 || T === 0 || !(tau >= 0)) {
    throw new RangeError(`buildGraph: ${L} layers of ${T} tokens, threshold ${tau}`);
  }

  const perLayer = edgesPerLayer(T);
  const triangle = (T * (T + 1)) / 2; // attention edges per layer
  const nEdges = edgeCount(L, T);
  const weights = new Float32Array(nEdges); // [E] canonical order
  const edges = new Int32Array(nEdges); // [max kept]
  const from = new Uint32Array(nEdges); // [max kept]
  const to = new Uint32Array(nEdges); // [max kept]
  let kept = 0;
  const keep = (index: number, source: number, target: number, weight: number): void => {
    weights[index] = weight;
    edges[kept] = index;
    from[kept] = source;
    to[kept] = target;
    kept++;
  };
  const above = (value: number): number => (value > tau ? value : 0);
  const scaleOf = (total: number): number => (renormalize && total > 0 ? 1 / total : 1);
  const midScale = new Float64Array(T); // [T] each attention node's renormalisation
  const parallel = blocks === 'parallel';

  for (let l = 0; l < L; l++) {
    const { attention, attentionResidual, ffn, ffnResidual } = layers[l]!;
    const base = l * perLayer;
    const sourceBase = l === 0 ? 0 : T * (3 * l); // resid_post[l-1], or embed
    const midBase = T * (1 + 3 * l);
    const mlpBase = midBase + T;
    const postBase = mlpBase + T;
    // The node attention writes into, and the FFN's input.
    const attnBase = parallel ? postBase : midBase;

    // Canonical order within a layer: attention (t, s <= t), residual into
    // resid_mid, ffn into mlp, ffn out of it, residual into resid_post.
    for (let t = 0; t < T; t++) {
      const row = t * T; // attention[t, s] for s <= t; s > t is not a part
      let total = above(attentionResidual[t]!) + (parallel ? above(ffn[t]!) : 0);
      for (let s = 0; s <= t; s++) total += above(attention[row + s]!);
      const scale = (midScale[t] = scaleOf(total));
      const first = base + (t * (t + 1)) / 2;
      for (let s = 0; s <= t; s++) {
        const value = attention[row + s]!;
        if (value > tau) keep(first + s, sourceBase + s, attnBase + t, value * scale);
      }
    }
    for (let t = 0; t < T; t++) {
      const value = attentionResidual[t]!;
      if (value > tau)
        keep(base + triangle + t, sourceBase + t, attnBase + t, value * midScale[t]!);
    }
    const ffnScale = (t: number): number =>
      parallel ? midScale[t]! : scaleOf(above(ffn[t]!) + above(ffnResidual[t]!));
    const ffnSource = parallel ? sourceBase : midBase;
    for (let t = 0; t < T; t++) {
      const value = ffn[t]!;
      if (value > tau)
        keep(base + triangle + T + t, ffnSource + t, mlpBase + t, value * ffnScale(t));
    }
    for (let t = 0; t < T; t++) {
      const value = ffn[t]!;
      if (value > tau)
        keep(base + triangle + 2 * T + t, mlpBase + t, postBase + t, value * ffnScale(t));
    }
    for (let t = 0; t < T && !parallel; t++) {
      const value = ffnResidual[t]!;
      const weight = value * scaleOf(above(ffn[t]!) + above(value));
      if (value > tau) keep(base + triangle + 3 * T + t, midBase + t, postBase + t, weight);
    }
  }

  return {
    nTokens: T,
    nLayers: L,
    nNodes: T * (1 + 3 * L),
    settings: { threshold: tau, renormalize },
    blocks,
    weights,
    edges: edges.slice(0, kept),
    from: from.slice(0, kept),
    to: to.slice(0, kept),
  };
}

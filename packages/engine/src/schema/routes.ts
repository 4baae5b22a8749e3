import type { LayerContributions } from './contributions.js';
import type { BlockLayout, GraphEdge, GraphNode } from './graph.js';

/**
 * The information-flow routes of every prediction position (DESIGN §2.3), as
 * lists of canonical edge indices in CSR form: the route of position t is
 * `edges.subarray(offsets[t], offsets[t + 1])` (see {@link routeEdges}).
 *
 * Canonical edge numbering, for T tokens: layer l owns the indices
 * `[l * B, (l + 1) * B)` with `B = T(T+1)/2 + 4T` ({@link edgesPerLayer}),
 * in this order:
 * 1. attention `resid_post[l-1][s]` (or `embed[s]`) -> `resid_mid[l][t]` for
 *    t = 0..T-1, s = 0..t, at `t(t+1)/2 + s`;
 * 2. residual `resid_post[l-1][t]` (or `embed[t]`) -> `resid_mid[l][t]`, at
 *    `T(T+1)/2 + t`;
 * 3. ffn `resid_mid[l][t]` -> `mlp[l][t]`, at `T(T+1)/2 + T + t`;
 * 4. ffn `mlp[l][t]` -> `resid_post[l][t]`, at `T(T+1)/2 + 2T + t`;
 * 5. residual `resid_mid[l][t]` -> `resid_post[l][t]`, at `T(T+1)/2 + 3T + t`.
 *
 * Parallel blocks (model `blocks: 'parallel'`) keep the numbering, and their
 * edges read the layer's input `resid_post[l-1]` (or `embed`) where a
 * sequential block's read `resid_mid[l]` and end in `resid_post[l]` where
 * they ended in `resid_mid[l]`: 1. attention `-> resid_post[l][t]`;
 * 2. residual `resid_post[l-1][t] -> resid_post[l][t]`; 3. ffn
 * `resid_post[l-1][t] -> mlp[l][t]`; 4. ffn `mlp[l][t] -> resid_post[l][t]`;
 * 5. is no edge (its index is never in a route, its weight always 0).
 */
export interface TraceRoutes {
  /** [T + 1] start of each position's route in `edges`; `offsets[0] = 0`, non-decreasing. */
  readonly offsets: Int32Array;
  /** [offsets[T]] canonical edge indices, strictly ascending within each position. */
  readonly edges: Int32Array;
}

/** An edge of the graph without its weight. */
export type EdgeRef = Omit<GraphEdge, 'weight'>;

/** Edges per layer for T tokens: T(T+1)/2 attention edges and 4T residual/FFN edges. */
export function edgesPerLayer(nTokens: number): number {
  return (nTokens * (nTokens + 1)) / 2 + 4 * nTokens;
}

/** The number of edges of the full graph: `nLayers * edgesPerLayer(nTokens)`. */
export function edgeCount(nLayers: number, nTokens: number): number {
  return nLayers * edgesPerLayer(nTokens);
}

/** The canonical edge indices of the route of position `pos`. */
export function routeEdges(routes: TraceRoutes, pos: number): Int32Array {
  return routes.edges.subarray(routes.offsets[pos], routes.offsets[pos + 1]);
}

/**
 * The node attention writes into: `resid_mid`, or `resid_post` in a parallel
 * block. `blocks` as a trace's `model.blocks` holds it: absent is sequential.
 */
export function attentionNodeKind(blocks: BlockLayout = 'sequential'): 'resid_mid' | 'resid_post' {
  return blocks === 'parallel' ? 'resid_post' : 'resid_mid';
}

/** The state a layer reads at position `pos`: `embed` for layer 0, else `resid_post[layer-1]`. */
function layerInput(layer: number, pos: number): GraphNode {
  return layer === 0
    ? { kind: 'embed', layer: -1, pos }
    : { kind: 'resid_post', layer: layer - 1, pos };
}

/**
 * The edge with canonical index `index` for T tokens.
 *
 * @param blocks - How the model's blocks are wired (default `sequential`).
 * @throws RangeError when `index` is not a non-negative integer, or is
 *   slot 5 of a parallel block, which has no such edge.
 */
export function edgeAt(
  index: number,
  nTokens: number,
  blocks: BlockLayout = 'sequential',
): EdgeRef {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`edge index ${index}`);
  const perLayer = edgesPerLayer(nTokens);
  const layer = Math.floor(index / perLayer);
  const r = index - layer * perLayer;
  const attention = (nTokens * (nTokens + 1)) / 2;
  if (r < attention) {
    let t = Math.floor((Math.sqrt(8 * r + 1) - 1) / 2);
    // Guard the square root against rounding at triangle boundaries.
    while (((t + 1) * (t + 2)) / 2 <= r) t++;
    while ((t * (t + 1)) / 2 > r) t--;
    const s = r - (t * (t + 1)) / 2;
    const to: GraphNode = { kind: attentionNodeKind(blocks), layer, pos: t };
    return { from: layerInput(layer, s), to, kind: 'attention' };
  }
  const group = Math.floor((r - attention) / nTokens);
  const t = (r - attention) % nTokens;
  const mid: GraphNode = { kind: 'resid_mid', layer, pos: t };
  const mlp: GraphNode = { kind: 'mlp', layer, pos: t };
  const post: GraphNode = { kind: 'resid_post', layer, pos: t };
  if (blocks === 'parallel') {
    const input = layerInput(layer, t);
    if (group === 0) return { from: input, to: post, kind: 'residual' };
    if (group === 1) return { from: input, to: mlp, kind: 'ffn' };
    if (group === 2) return { from: mlp, to: post, kind: 'ffn' };
    throw new RangeError(
      `edge index ${index}: a parallel block has no resid_mid -> resid_post edge`,
    );
  }
  switch (group) {
    case 0:
      return { from: layerInput(layer, t), to: mid, kind: 'residual' };
    case 1:
      return { from: mid, to: mlp, kind: 'ffn' };
    case 2:
      return { from: mlp, to: post, kind: 'ffn' };
    default:
      return { from: mid, to: post, kind: 'residual' };
  }
}

/**
 * The canonical index of an edge for T tokens (inverse of {@link edgeAt}).
 *
 * @param blocks - How the model's blocks are wired (default `sequential`).
 * @throws RangeError when the edge is not an edge of the graph.
 */
export function edgeIndex(
  edge: EdgeRef,
  nTokens: number,
  blocks: BlockLayout = 'sequential',
): number {
  const { from, to, kind } = edge;
  const { layer, pos: t } = to;
  const valid = (n: number, end: number) => Number.isInteger(n) && n >= 0 && n < end;
  if (valid(layer, Infinity) && valid(t, nTokens) && valid(from.pos, t + 1)) {
    const base = layer * edgesPerLayer(nTokens);
    const attention = (nTokens * (nTokens + 1)) / 2;
    const input = layerInput(layer, from.pos);
    const readsInput = from.kind === input.kind && from.layer === input.layer;
    const sameLayer = from.layer === layer && from.pos === t;
    if (blocks === 'parallel') {
      const fromInput = readsInput && from.pos === t;
      if (kind === 'attention' && to.kind === 'resid_post' && readsInput)
        return base + (t * (t + 1)) / 2 + from.pos;
      if (kind === 'residual' && to.kind === 'resid_post' && fromInput) return base + attention + t;
      if (kind === 'ffn' && to.kind === 'mlp' && fromInput) return base + attention + nTokens + t;
      if (kind === 'ffn' && from.kind === 'mlp' && to.kind === 'resid_post' && sameLayer)
        return base + attention + 2 * nTokens + t;
    } else {
      if (kind === 'attention' && to.kind === 'resid_mid' && readsInput)
        return base + (t * (t + 1)) / 2 + from.pos;
      if (kind === 'residual' && to.kind === 'resid_mid' && readsInput && from.pos === t)
        return base + attention + t;
      if (kind === 'ffn' && from.kind === 'resid_mid' && to.kind === 'mlp' && sameLayer)
        return base + attention + nTokens + t;
      if (kind === 'ffn' && from.kind === 'mlp' && to.kind === 'resid_post' && sameLayer)
        return base + attention + 2 * nTokens + t;
      if (kind === 'residual' && from.kind === 'resid_mid' && to.kind === 'resid_post' && sameLayer)
        return base + attention + 3 * nTokens + t;
    }
  }
  throw new RangeError(
    `not an edge of the graph: ${kind} ${from.kind}:${from.layer}:${from.pos} -> ${to.kind}:${to.layer}:${to.pos}`,
  );
}

/**
 * The contribution an edge carries, before any threshold: the share its
 * source has in its target node, read from the layer's contributions.
 *
 * @param blocks - How the model's blocks are wired (default `sequential`).
 */
export function edgeShare(
  contributions: readonly LayerContributions[],
  index: number,
  nTokens: number,
  blocks: BlockLayout = 'sequential',
): number {
  const { from, to, kind } = edgeAt(index, nTokens, blocks);
  const layer = contributions[to.layer];
  if (layer === undefined) throw new RangeError(`no contributions for layer ${to.layer}`);
  if (kind === 'attention') return layer.attention[to.pos * nTokens + from.pos] ?? 0;
  if (kind === 'ffn') return layer.ffn[to.pos] ?? 0;
  const intoAttentionNode = to.kind === attentionNodeKind(blocks);
  const residual = intoAttentionNode ? layer.attentionResidual : layer.ffnResidual;
  return residual[to.pos] ?? 0;
}

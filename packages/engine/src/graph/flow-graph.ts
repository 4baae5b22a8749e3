import type {
  BlockLayout,
  GraphEdge,
  GraphNode,
  GraphSettings,
  NodeKind,
} from '../schema/graph.js';
import { edgeAt } from '../schema/routes.js';

/** The per-layer node kinds, in the order of their blocks of T node numbers. */
const LAYER_KINDS: readonly NodeKind[] = ['resid_mid', 'mlp', 'resid_post'];

/**
 * The information-flow graph of a prompt (DESIGN §2.3), cut at a threshold,
 * in compact form: typed arrays rather than one object per edge, so a
 * 32-layer graph of 128 tokens (~280,000 candidate edges) builds in
 * milliseconds and goes to a worker or over the wire as is.
 *
 * Edges are numbered in the schema's canonical order (`edgeAt`, `edgeIndex`
 * and `TraceRoutes` in `@lmtt/engine/schema`). `weights` holds every
 * candidate edge, 0 where cut: it is what a `graph` trace event carries.
 * `edges`, `from` and `to` list only the kept edges, ascending, with their
 * end nodes as numbers (see {@link nodeIndex}); routes walk these.
 * {@link graphEdges} gives the schema's {@link GraphEdge} objects on demand.
 */
export interface FlowGraph {
  /** T, the number of positions. */
  readonly nTokens: number;
  /** L, the number of layers. */
  readonly nLayers: number;
  /** T embedding nodes plus 3 per layer and position: T (1 + 3L). */
  readonly nNodes: number;
  /** How the graph was cut. */
  readonly settings: GraphSettings;
  /**
   * How the model's blocks are wired: in `parallel` ones the `resid_mid`
   * nodes keep their numbers but no edge touches them.
   */
  readonly blocks: BlockLayout;
  /** [E] the weight of every edge in canonical order after the cut; 0 where cut. */
  readonly weights: Float32Array;
  /** [n_kept] canonical indices of the kept edges (contribution above the threshold), ascending. */
  readonly edges: Int32Array;
  /** [n_kept] source node number of each kept edge. */
  readonly from: Uint32Array;
  /** [n_kept] target node number of each kept edge. */
  readonly to: Uint32Array;
}

/** The dimensions that fix node numbering. */
type GraphShape = Pick<FlowGraph, 'nTokens' | 'nLayers'>;

/**
 * The number of a node in a graph of this shape. Nodes are numbered so that
 * every edge goes from a lower number to a higher one: `embed[t]` is t, then
 * each layer l has blocks of T for `resid_mid[l]`, `mlp[l]` and
 * `resid_post[l]`, position t at offset t.
 *
 * @throws RangeError when the node is not in the graph.
 * @example
 * nodeIndex(graph, { kind: 'resid_mid', layer: 0, pos: 2 }); // T + 2
 */
export function nodeIndex(graph: GraphShape, node: GraphNode): number {
  const { nTokens: T, nLayers: L } = graph;
  const { kind, layer, pos } = node;
  const validLayer = kind === 'embed' ? layer === -1 : layer >= 0 && layer < L;
  if (!validLayer || !Number.isInteger(layer) || !Number.isInteger(pos) || pos < 0 || pos >= T) {
    throw new RangeError(`nodeIndex: ${kind}:${layer}:${pos} is not in a graph of ${L} x ${T}`);
  }
  return kind === 'embed' ? pos : T * (1 + 3 * layer + LAYER_KINDS.indexOf(kind)) + pos;
}

/**
 * The node with number `index` (inverse of {@link nodeIndex}).
 *
 * @throws RangeError when there is no such node.
 */
export function nodeAt(graph: GraphShape, index: number): GraphNode {
  const { nTokens: T, nLayers: L } = graph;
  if (!Number.isInteger(index) || index < 0 || index >= T * (1 + 3 * L)) {
    throw new RangeError(`nodeAt: no node ${index} in a graph of ${L} x ${T}`);
  }
  const pos = index % T;
  if (index < T) return { kind: 'embed', layer: -1, pos };
  const block = Math.floor(index / T) - 1;
  return { kind: LAYER_KINDS[block % 3]!, layer: Math.floor(block / 3), pos };
}

/**
 * The number of the node where the prediction at position t is read,
 * `resid_post[L-1][t]`.
 *
 * @throws RangeError when t is not a position.
 */
export function predictionNode(graph: GraphShape, t: number): number {
  return nodeIndex(graph, { kind: 'resid_post', layer: graph.nLayers - 1, pos: t });
}

/**
 * Edges as schema {@link GraphEdge} objects with their weights, created lazily.
 *
 * @param edges - Canonical edge indices, e.g. a route (default: the kept edges).
 * @throws RangeError when an index is not an edge of the graph.
 * @example
 * for (const edge of graphEdges(graph, routes(graph, 5))) console.log(edge.kind, edge.weight);
 */
export function* graphEdges(
  graph: FlowGraph,
  edges: Iterable<number> = graph.edges,
): Generator<GraphEdge, void, undefined> {
  for (const index of edges) {
    const weight = graph.weights[index];
    if (weight === undefined) throw new RangeError(`graphEdges: no edge ${index}`);
    yield { ...edgeAt(index, graph.nTokens, graph.blocks), weight };
  }
}

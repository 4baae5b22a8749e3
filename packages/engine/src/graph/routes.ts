import type { TraceRoutes } from '../schema/routes.js';
import { predictionNode, type FlowGraph } from './flow-graph.js';

// Both functions sweep the kept edges from the last to the first. Canonical
// order runs layer by layer, and within a layer lists the edges into
// resid_mid, then mlp, then resid_post; backwards, every edge out of a node
// comes before every edge into it, so a node's reachability is final by the
// time its incoming edges are visited.

/**
 * The information-flow routes of the prediction at position t (DESIGN §2.3):
 * every edge reachable backwards from `resid_post[L-1][t]` through edges
 * whose contribution exceeds the graph's threshold (the kept edges).
 * O(n_kept).
 *
 * @param graph - From `buildGraph`.
 * @param t - The prediction position, 0 <= t < T.
 * @returns [route edges] canonical edge indices, ascending.
 * @throws RangeError when t is not a position.
 * @example
 * for (const edge of graphEdges(graph, routes(graph, 7))) draw(edge);
 */
export function routes(graph: FlowGraph, t: number): Int32Array {
  const { nNodes, edges, from, to } = graph;
  const reached = new Uint8Array(nNodes); // [n_nodes]
  reached[predictionNode(graph, t)] = 1;
  let count = 0;
  for (let k = edges.length - 1; k >= 0; k--) {
    if (reached[to[k]!]) {
      reached[from[k]!] = 1;
      count++;
    }
  }
  const route = new Int32Array(count); // [route edges]
  let i = 0;
  for (let k = 0; k < edges.length; k++) if (reached[to[k]!]) route[i++] = edges[k]!;
  return route;
}

/**
 * The routes of every prediction position from one sweep, as the trace
 * stores them: `routeEdges(allRoutes(graph), t)` equals `routes(graph, t)`.
 * Each node carries a bitset of the positions whose prediction it reaches,
 * so the walk is shared: O(n_kept * ceil(T / 32) + total route length),
 * against O(T * n_kept) for T calls of {@link routes}. The output itself
 * (often most kept edges for the last positions) is usually the larger term.
 *
 * @param graph - From `buildGraph`.
 * @returns The routes in CSR form: position t's are `edges[offsets[t] .. offsets[t + 1])`.
 * @example
 * const { offsets, edges } = allRoutes(graph);
 * edges.subarray(offsets[3], offsets[4]); // the route of position 3
 */
export function allRoutes(graph: FlowGraph): TraceRoutes {
  const { nTokens: T, nNodes, edges, from, to } = graph;
  const words = Math.ceil(T / 32);
  const reaches = new Uint32Array(nNodes * words); // [n_nodes, words]: bit t = reaches prediction t
  for (let t = 0; t < T; t++)
    reaches[predictionNode(graph, t) * words + (t >> 5)]! |= 1 << (t & 31);

  const counts = new Int32Array(T); // [T]
  for (let k = edges.length - 1; k >= 0; k--) {
    const target = to[k]! * words;
    const source = from[k]! * words;
    for (let w = 0; w < words; w++) {
      const bits = reaches[target + w]!;
      reaches[source + w]! |= bits;
      for (let rest = bits; rest !== 0; rest &= rest - 1) counts[w * 32 + lowestBit(rest)]!++;
    }
  }

  const offsets = new Int32Array(T + 1); // [T + 1]
  for (let t = 0; t < T; t++) offsets[t + 1] = offsets[t]! + counts[t]!;
  const routeEdges = new Int32Array(offsets[T]!); // [total route length]
  const filled = offsets.slice(0, T); // [T] next free slot of each route
  for (let k = 0; k < edges.length; k++) {
    const target = to[k]! * words;
    for (let w = 0; w < words; w++) {
      for (let rest = reaches[target + w]!; rest !== 0; rest &= rest - 1) {
        routeEdges[filled[w * 32 + lowestBit(rest)]!++] = edges[k]!;
      }
    }
  }
  return { offsets, edges: routeEdges };
}

/** The index of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(bits: number): number {
  return 31 - Math.clz32(bits & -bits);
}

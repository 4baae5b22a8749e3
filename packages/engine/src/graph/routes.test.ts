import { describe, expect, it } from 'vitest';
import { createRng } from '../../test/support/rng.js';
import type { LayerContributions } from '../schema/contributions.js';
import { nodeKey } from '../schema/graph.js';
import { routeEdges } from '../schema/routes.js';
import { buildGraph } from './build-graph.js';
import { graphEdges, nodeIndex, predictionNode, type FlowGraph } from './flow-graph.js';
import { allRoutes, routes } from './routes.js';
import { randomContributions } from './test-support/random-contributions.js';

/** A T = 2 layer from its rows; `attention[t]` lists s = 0..t. */
function layerOf(
  layer: number,
  attention: [number[], number[]],
  attentionResidual: number[],
  ffn: number[],
  ffnResidual: number[],
): LayerContributions {
  return {
    layer,
    attention: Float32Array.from([attention[0][0]!, 0, ...attention[1]]),
    attentionResidual: Float32Array.from(attentionResidual),
    ffn: Float32Array.from(ffn),
    ffnResidual: Float32Array.from(ffnResidual),
  };
}

const names = (graph: FlowGraph, edges: Iterable<number>) =>
  Array.from(graphEdges(graph, edges), (e) => `${e.kind} ${nodeKey(e.from)} -> ${nodeKey(e.to)}`);

/** The route of t by a plain depth-first search over schema edges: the independent truth. */
function naiveRoute(graph: FlowGraph, t: number, tau: number): Set<number> {
  const into = new Map<string, [number, string][]>(); // target key → (edge, source key)
  graph.weights.forEach((weight, index) => {
    if (!(weight > tau)) return;
    const [edge] = graphEdges(graph, [index]);
    const key = nodeKey(edge!.to);
    into.set(key, [...(into.get(key) ?? []), [index, nodeKey(edge!.from)]]);
  });
  const start = nodeKey({ kind: 'resid_post', layer: graph.nLayers - 1, pos: t });
  const seen = new Set([start]);
  const stack = [start];
  const found = new Set<number>();
  while (stack.length > 0) {
    for (const [edge, source] of into.get(stack.pop()!) ?? []) {
      found.add(edge);
      if (seen.has(source)) continue;
      seen.add(source);
      stack.push(source);
    }
  }
  return found;
}

// Two layers, T = 2, tau = 0.04. Dropped: layer 0 t = 1's attention to s = 0 (0.02) and
// its FFN (0.01); layer 1 t = 0's FFN (0.02) and t = 1's attention to s = 1 (0.03).
const handLayers = [
  layerOf(0, [[0.5], [0.02, 0.48]], [0.5, 0.5], [0.5, 0.01], [0.5, 0.99]),
  layerOf(1, [[0.7], [0.9, 0.03]], [0.3, 0.07], [0.02, 0.2], [0.98, 0.8]),
];

describe('routes', () => {
  const graph = buildGraph(handLayers);

  it('walks back from resid_post[L-1][t] by hand', () => {
    expect(names(graph, routes(graph, 0))).toEqual([
      'attention embed:-1:0 -> resid_mid:0:0',
      'residual embed:-1:0 -> resid_mid:0:0',
      'ffn resid_mid:0:0 -> mlp:0:0',
      'ffn mlp:0:0 -> resid_post:0:0',
      'residual resid_mid:0:0 -> resid_post:0:0',
      'attention resid_post:0:0 -> resid_mid:1:0',
      'residual resid_post:0:0 -> resid_mid:1:0',
      'residual resid_mid:1:0 -> resid_post:1:0',
    ]);
    expect(Array.from(routes(graph, 0))).toEqual([0, 3, 5, 7, 9, 11, 14, 20]);
    expect(names(graph, routes(graph, 1))).toEqual([
      'attention embed:-1:0 -> resid_mid:0:0',
      'attention embed:-1:1 -> resid_mid:0:1',
      'residual embed:-1:0 -> resid_mid:0:0',
      'residual embed:-1:1 -> resid_mid:0:1',
      'ffn resid_mid:0:0 -> mlp:0:0',
      'ffn mlp:0:0 -> resid_post:0:0',
      'residual resid_mid:0:0 -> resid_post:0:0',
      'residual resid_mid:0:1 -> resid_post:0:1',
      'attention resid_post:0:0 -> resid_mid:1:1',
      'residual resid_post:0:1 -> resid_mid:1:1',
      'ffn resid_mid:1:1 -> mlp:1:1',
      'ffn mlp:1:1 -> resid_post:1:1',
      'residual resid_mid:1:1 -> resid_post:1:1',
    ]);
  });

  it('gives the same routes from allRoutes, in the trace’s CSR form', () => {
    const all = allRoutes(graph);
    expect(Array.from(all.offsets)).toEqual([0, 8, 21]);
    expect(routeEdges(all, 0)).toEqual(routes(graph, 0));
    expect(routeEdges(all, 1)).toEqual(routes(graph, 1));
  });

  it('rejects a position outside the prompt', () => {
    expect(() => routes(graph, 2)).toThrow(RangeError);
  });

  it('only holds edges above tau that lead to the prediction, and all of them', () => {
    const tau = 0.05;
    const T = 70; // more than two 32-bit words of positions
    const big = buildGraph(randomContributions(createRng(9).uniform, 6, T), {
      threshold: tau,
      renormalize: true,
    });
    const all = allRoutes(big);
    expect(all.offsets).toHaveLength(T + 1);
    for (let t = 0; t < T; t++) {
      const route = routes(big, t);
      expect(routeEdges(all, t)).toEqual(route);
      if (t % 23 === 0) expect(new Set(route)).toEqual(naiveRoute(big, t, tau));
      // every edge leads on: its target is the start or the source of another route edge
      const edges = Array.from(graphEdges(big, route));
      const sources = new Set(edges.map((edge) => nodeIndex(big, edge.from)));
      sources.add(predictionNode(big, t));
      const stray = edges.filter(
        (edge) => !(edge.weight > tau && sources.has(nodeIndex(big, edge.to))),
      );
      expect(stray).toEqual([]);
      expect(route.length).toBeGreaterThan(0);
    }
  });

  it('computes all routes of a 32-layer, 128-token graph', () => {
    const big = buildGraph(randomContributions(createRng(10).uniform, 32, 128));
    const all = allRoutes(big);
    for (const t of [0, 31, 32, 64, 127]) expect(routeEdges(all, t)).toEqual(routes(big, t));
    // later positions have more to draw on
    expect(routeEdges(all, 127).length).toBeGreaterThan(routeEdges(all, 0).length);
  });
});

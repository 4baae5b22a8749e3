import { describe, expect, it } from 'vitest';
import { createRng } from '../../test/support/rng.js';
import { nodeKey } from '../schema/graph.js';
import { edgeIndex } from '../schema/routes.js';
import { buildGraph } from './build-graph.js';
import { graphEdges, nodeAt, nodeIndex, predictionNode } from './flow-graph.js';
import { randomContributions } from './test-support/random-contributions.js';

describe('node numbering', () => {
  const shape = { nTokens: 3, nLayers: 2 };

  it('numbers embed nodes first, then each layer’s resid_mid, mlp and resid_post blocks', () => {
    const keys = Array.from({ length: 3 * 7 }, (_, i) => nodeKey(nodeAt(shape, i)));
    expect(keys).toEqual([
      ...['embed:-1:0', 'embed:-1:1', 'embed:-1:2'],
      ...['resid_mid:0:0', 'resid_mid:0:1', 'resid_mid:0:2'],
      ...['mlp:0:0', 'mlp:0:1', 'mlp:0:2'],
      ...['resid_post:0:0', 'resid_post:0:1', 'resid_post:0:2'],
      ...['resid_mid:1:0', 'resid_mid:1:1', 'resid_mid:1:2'],
      ...['mlp:1:0', 'mlp:1:1', 'mlp:1:2'],
      ...['resid_post:1:0', 'resid_post:1:1', 'resid_post:1:2'],
    ]);
    keys.forEach((_, i) => expect(nodeIndex(shape, nodeAt(shape, i))).toBe(i));
    expect(predictionNode(shape, 2)).toBe(20);
  });

  it('rejects nodes outside the graph', () => {
    expect(() => nodeIndex(shape, { kind: 'embed', layer: 0, pos: 0 })).toThrow(RangeError);
    expect(() => nodeIndex(shape, { kind: 'mlp', layer: 2, pos: 0 })).toThrow(RangeError);
    expect(() => nodeIndex(shape, { kind: 'mlp', layer: 0, pos: 3 })).toThrow(RangeError);
    expect(() => nodeAt(shape, 21)).toThrow(RangeError);
    expect(() => predictionNode(shape, -1)).toThrow(RangeError);
  });
});

describe('graphEdges', () => {
  const graph = buildGraph(randomContributions(createRng(2).uniform, 3, 6));

  it('turns the kept edges into schema edges that match the compact arrays', () => {
    const all = Array.from(graphEdges(graph));
    expect(all).toHaveLength(graph.edges.length);
    all.forEach((edge, k) => {
      const index = graph.edges[k]!;
      expect(edgeIndex(edge, graph.nTokens)).toBe(index);
      expect(nodeIndex(graph, edge.from)).toBe(graph.from[k]);
      expect(nodeIndex(graph, edge.to)).toBe(graph.to[k]);
      expect(edge.weight).toBe(graph.weights[index]);
    });
  });

  it('visits given edges, cut ones included, and rejects indices outside the graph', () => {
    const cut = graph.weights.findIndex((weight) => weight === 0);
    expect(Array.from(graphEdges(graph, [cut]), (edge) => edge.weight)).toEqual([0]);
    expect(() => Array.from(graphEdges(graph, [graph.weights.length]))).toThrow(RangeError);
  });
});

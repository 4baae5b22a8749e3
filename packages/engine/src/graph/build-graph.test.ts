import { describe, expect, it } from 'vitest';
import { createRng } from '../../test/support/rng.js';
import type { LayerContributions } from '../schema/contributions.js';
import { nodeKey } from '../schema/graph.js';
import { edgeShare } from '../schema/routes.js';
import { buildGraph, DEFAULT_GRAPH_SETTINGS } from './build-graph.js';
import { graphEdges, type FlowGraph } from './flow-graph.js';
import { randomContributions } from './test-support/random-contributions.js';

/** A layer from plain rows: `attention[t]` lists s = 0..t. */
function layerOf(
  layer: number,
  attention: number[][],
  attentionResidual: number[],
  ffn: number[],
  ffnResidual: number[],
): LayerContributions {
  const T = attention.length;
  const matrix = new Float32Array(T * T); // [T, T]
  attention.forEach((row, t) => matrix.set(row, t * T));
  return {
    layer,
    attention: matrix,
    attentionResidual: Float32Array.from(attentionResidual),
    ffn: Float32Array.from(ffn),
    ffnResidual: Float32Array.from(ffnResidual),
  };
}

/** Each edge as `kind from -> to` and its weight. */
function describeEdges(graph: FlowGraph): [string, number][] {
  return Array.from(graphEdges(graph), (edge) => [
    `${edge.kind} ${nodeKey(edge.from)} -> ${nodeKey(edge.to)}`,
    edge.weight,
  ]);
}

// T = 2, one layer. t = 1 attends 0.03 to s = 0 (dropped at tau = 0.04) and
// its FFN share 0.02 is dropped too.
const handLayer = layerOf(0, [[0.6], [0.03, 0.5]], [0.4, 0.47], [0.5, 0.02], [0.5, 0.98]);

describe('buildGraph', () => {
  it('builds every edge by hand, cut and renormalised per node', () => {
    const graph = buildGraph([handLayer]);
    expect(graph.settings).toEqual(DEFAULT_GRAPH_SETTINGS);
    expect([graph.nTokens, graph.nLayers, graph.nNodes]).toEqual([2, 1, 8]);
    // canonical order: attention (0, 0), (1, 0), (1, 1); residual into resid_mid 0, 1;
    // ffn into mlp 0, 1; ffn out of mlp 0, 1; residual into resid_post 0, 1
    expect(Array.from(graph.edges)).toEqual([0, 2, 3, 4, 5, 7, 9, 10]);
    expect(describeEdges(graph).map(([name]) => name)).toEqual([
      'attention embed:-1:0 -> resid_mid:0:0',
      'attention embed:-1:1 -> resid_mid:0:1',
      'residual embed:-1:0 -> resid_mid:0:0',
      'residual embed:-1:1 -> resid_mid:0:1',
      'ffn resid_mid:0:0 -> mlp:0:0',
      'ffn mlp:0:0 -> resid_post:0:0',
      'residual resid_mid:0:0 -> resid_post:0:0',
      'residual resid_mid:0:1 -> resid_post:0:1',
    ]);
    // resid_mid[0][1] keeps 0.5 and 0.47 of 0.97; resid_post[0][1] keeps only its residual;
    // cut edges hold 0
    const expected = [0.6, 0, 0.5 / 0.97, 0.4, 0.47 / 0.97, 0.5, 0, 0.5, 0, 0.5, 1];
    expect(graph.weights).toHaveLength(expected.length);
    graph.weights.forEach((weight, i) => expect(weight).toBeCloseTo(expected[i]!, 6));
  });

  it('keeps the contributions as they are without renormalisation', () => {
    const graph = buildGraph([handLayer], { threshold: 0.04, renormalize: false });
    const expected = [0.6, 0, 0.5, 0.4, 0.47, 0.5, 0, 0.5, 0, 0.5, 0.98];
    graph.weights.forEach((weight, i) => expect(weight).toBeCloseTo(expected[i]!, 6));
  });

  it('keeps the same-token attention edge and the residual edge apart', () => {
    const graph = buildGraph([handLayer], { threshold: 0, renormalize: true });
    const intoMid1 = Array.from(graphEdges(graph)).filter(
      (edge) => edge.to.kind === 'resid_mid' && edge.to.pos === 1 && edge.from.pos === 1,
    );
    expect(intoMid1.map((edge) => [edge.kind, edge.weight])).toEqual([
      ['attention', expect.closeTo(0.5, 6)],
      ['residual', expect.closeTo(0.47, 6)],
    ]);
    expect(intoMid1[0]!.from).toEqual(intoMid1[1]!.from);
  });

  it('renormalises each FFN node alone, unlike the reference', () => {
    // resid_post[0][0] = (0.5, 0.5), resid_post[0][1] = (0.97 mlp, 0.03 residual), tau = 0.04.
    // Per node: (0.5, 0.5) and (1, dropped). Renormalising over both tokens at once would
    // have given 0.97 / 1.97 ≈ 0.49 to the second FFN.
    const layer = layerOf(0, [[0.5], [0.5, 0.25]], [0.5, 0.25], [0.5, 0.97], [0.5, 0.03]);
    const graph = buildGraph([layer]);
    const intoPost = Array.from(graphEdges(graph))
      .filter((edge) => edge.to.kind !== 'resid_mid')
      .map((edge) => `${edge.kind} ${nodeKey(edge.to)} ${edge.weight.toFixed(4)}`);
    expect(intoPost).toEqual([
      'ffn mlp:0:0 0.5000',
      'ffn mlp:0:1 1.0000',
      'ffn resid_post:0:0 0.5000',
      'ffn resid_post:0:1 1.0000',
      'residual resid_post:0:0 0.5000',
    ]);
  });

  it('connects a layer to the previous layer’s resid_post', () => {
    const layers = [handLayer, { ...handLayer, layer: 1 }];
    const edges = describeEdges(buildGraph(layers)).map(([name]) => name);
    expect(edges).toContain('attention resid_post:0:0 -> resid_mid:1:0');
    expect(edges).toContain('residual resid_post:0:1 -> resid_mid:1:1');
    expect(edges.filter((name) => name.includes('embed'))).toHaveLength(4);
  });

  it('rejects missing layers, misnumbered layers, mismatched sizes and a negative threshold', () => {
    expect(() => buildGraph([])).toThrow(RangeError);
    expect(() => buildGraph([{ ...handLayer, layer: 1 }])).toThrow(RangeError);
    expect(() => buildGraph([handLayer, layerOf(1, [[1]], [0], [1], [0])])).toThrow(RangeError);
    expect(() => buildGraph([handLayer], { threshold: -0.1, renormalize: true })).toThrow(
      RangeError,
    );
  });

  it('weighs each edge by the schema’s share of its canonical index', () => {
    const layers = randomContributions(createRng(6).uniform, 3, 7);
    const graph = buildGraph(layers, { threshold: 0, renormalize: false });
    expect(graph.edges).toHaveLength(graph.weights.length); // nothing is at or below 0
    graph.weights.forEach((weight, i) =>
      expect(weight).toBe(Math.fround(edgeShare(layers, i, graph.nTokens))),
    );
  });

  it('keeps per-node invariants on a 32-layer, 128-token graph', () => {
    const L = 32;
    const T = 128;
    const tau = 0.04;
    const layers = randomContributions(createRng(8).uniform, L, T);
    const graph = buildGraph(layers, { threshold: tau, renormalize: true });
    const { weights, edges, from, to } = graph;

    // one edge per contribution above tau: attention and residual per resid_mid,
    // FFN twice (into and out of the mlp node) and the FFN residual
    let expectedEdges = 0;
    for (const layer of layers) {
      for (let t = 0; t < T; t++) {
        for (let s = 0; s <= t; s++) if (layer.attention[t * T + s]! > tau) expectedEdges++;
        if (layer.attentionResidual[t]! > tau) expectedEdges++;
        if (layer.ffn[t]! > tau) expectedEdges += 2;
        if (layer.ffnResidual[t]! > tau) expectedEdges++;
      }
    }
    expect(edges.length).toBe(expectedEdges);
    expect(expectedEdges).toBeGreaterThan(10 * L * T); // the cut keeps some attention edges
    expect(expectedEdges).toBeLessThan((L * T * T) / 4); // and drops most

    // Counted, then asserted once: an expect per edge would dominate the test's time.
    const broken = { order: 0, weight: 0, sum: 0, ffn: 0, cut: 0 };
    const totals = new Float64Array(graph.nNodes); // [n_nodes] sum of incoming weights
    const isKept = new Uint8Array(weights.length); // [E]
    edges.forEach((index, k) => {
      if ((k > 0 && index <= edges[k - 1]!) || from[k]! >= to[k]!) broken.order++;
      if (!(weights[index]! > tau)) broken.weight++;
      totals[to[k]!]! += weights[index]!;
      isKept[index] = 1;
    });
    weights.forEach((weight, index) => {
      if (!isKept[index] && weight !== 0) broken.cut++;
    });
    totals.forEach((total, node) => {
      const isMlp = node >= T && (Math.floor(node / T) - 1) % 3 === 1;
      if (!isMlp && total !== 0 && Math.abs(total - 1) > 1e-6) broken.sum++;
    });
    // the FFN edge into the block carries the weight of the one out of it, or neither exists
    const perLayer = (T * (T + 1)) / 2 + 4 * T;
    for (let l = 0; l < L; l++) {
      for (let t = 0; t < T; t++) {
        const into = l * perLayer + (T * (T + 1)) / 2 + T + t;
        if (weights[into] !== weights[into + T]) broken.ffn++;
      }
    }
    expect(broken).toEqual({ order: 0, weight: 0, sum: 0, ffn: 0, cut: 0 });
  });
});

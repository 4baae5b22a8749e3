import { describe, expect, it } from 'vitest';
import { createRng } from '../../test/support/rng.js';
import type { LayerContributions } from '../schema/contributions.js';
import { nodeKey } from '../schema/graph.js';
import { edgeAt, edgeCount, edgeIndex, edgeShare, edgesPerLayer } from '../schema/routes.js';
import { buildGraph } from './build-graph.js';
import { graphEdges, nodeIndex } from './flow-graph.js';
import { allRoutes, routes } from './routes.js';

/**
 * Random contributions of parallel blocks: per position, the attention
 * parts, the residual and the FFN of `resid_post` sum to 1; `ffnResidual` is 0.
 */
function parallelContributions(seed: number, L: number, T: number): LayerContributions[] {
  const rng = createRng(seed);
  const weight = () => Math.exp(8 * rng.uniform());
  return Array.from({ length: L }, (_, layer) => {
    const attention = new Float32Array(T * T); // [T, T]
    const attentionResidual = new Float32Array(T); // [T]
    const ffn = new Float32Array(T); // [T]
    for (let t = 0; t < T; t++) {
      const raw = Array.from({ length: t + 3 }, weight); // s = 0..t, residual, FFN
      const total = raw.reduce((a, b) => a + b, 0);
      for (let s = 0; s <= t; s++) attention[t * T + s] = raw[s]! / total;
      attentionResidual[t] = raw[t + 1]! / total;
      ffn[t] = raw[t + 2]! / total;
    }
    return { layer, attention, attentionResidual, ffn, ffnResidual: new Float32Array(T) };
  });
}

describe('graphs of parallel blocks', () => {
  it('number their edges in the sequential order, with no edge touching resid_mid', () => {
    const T = 4;
    const L = 2;
    for (let index = 0; index < edgeCount(L, T); index++) {
      const slot = index % edgesPerLayer(T);
      if (slot >= (T * (T + 1)) / 2 + 3 * T) {
        expect(() => edgeAt(index, T, 'parallel')).toThrow(/no resid_mid/);
        continue;
      }
      const edge = edgeAt(index, T, 'parallel');
      expect(edge.from.kind).not.toBe('resid_mid');
      expect(edge.to.kind).not.toBe('resid_mid');
      expect(edgeIndex(edge, T, 'parallel')).toBe(index);
      expect(edgeAt(index, T).to.pos).toBe(edge.to.pos);
    }
    const base = edgesPerLayer(T);
    expect(edgeAt(base + 10 + 2, T, 'parallel')).toEqual({
      from: { kind: 'resid_post', layer: 0, pos: 2 },
      to: { kind: 'resid_post', layer: 1, pos: 2 },
      kind: 'residual',
    });
    expect(edgeAt(base + 10 + T + 2, T, 'parallel')).toEqual({
      from: { kind: 'resid_post', layer: 0, pos: 2 },
      to: { kind: 'mlp', layer: 1, pos: 2 },
      kind: 'ffn',
    });
    const sequentialEdge = edgeAt(3, T);
    expect(() => edgeIndex(sequentialEdge, T, 'parallel')).toThrow(/not an edge/);
  });

  it('cut and renormalise one resid_post node per position over attention, residual and FFN', () => {
    // T = 2: t = 1 has attention 0.02 (cut) and 0.38, residual 0.3, FFN 0.3.
    const T = 2;
    const layer: LayerContributions = {
      layer: 0,
      attention: Float32Array.from([0.5, 0, 0.02, 0.38]),
      attentionResidual: Float32Array.from([0.3, 0.3]),
      ffn: Float32Array.from([0.2, 0.3]),
      ffnResidual: new Float32Array(T),
    };
    const graph = buildGraph([layer], { threshold: 0.04, renormalize: true }, 'parallel');
    expect(graph.blocks).toBe('parallel');
    const edges = Array.from(graphEdges(graph), (e) => [
      `${e.kind} ${nodeKey(e.from)} -> ${nodeKey(e.to)}`,
      e.weight,
    ]);
    expect(edges.map(([name]) => name)).toEqual([
      'attention embed:-1:0 -> resid_post:0:0',
      'attention embed:-1:1 -> resid_post:0:1',
      'residual embed:-1:0 -> resid_post:0:0',
      'residual embed:-1:1 -> resid_post:0:1',
      'ffn embed:-1:0 -> mlp:0:0',
      'ffn embed:-1:1 -> mlp:0:1',
      'ffn mlp:0:0 -> resid_post:0:0',
      'ffn mlp:0:1 -> resid_post:0:1',
    ]);
    const weight = new Map(edges as [string, number][]);
    expect(weight.get('attention embed:-1:1 -> resid_post:0:1')).toBeCloseTo(0.38 / 0.98, 6);
    expect(weight.get('residual embed:-1:1 -> resid_post:0:1')).toBeCloseTo(0.3 / 0.98, 6);
    expect(weight.get('ffn mlp:0:1 -> resid_post:0:1')).toBeCloseTo(0.3 / 0.98, 6);
    expect(weight.get('ffn embed:-1:1 -> mlp:0:1')).toBeCloseTo(0.3 / 0.98, 6);
  });

  it('weigh each edge by the share of its index, sum to 1 per node, and route back to embed', () => {
    const T = 9;
    const L = 4;
    const layers = parallelContributions(3, L, T);
    const graph = buildGraph(layers, { threshold: 0, renormalize: false }, 'parallel');
    const into = new Map<number, number>();
    for (const [k, index] of graph.edges.entries()) {
      expect(graph.weights[index]).toBeCloseTo(edgeShare(layers, index, T, 'parallel'), 6);
      const edge = edgeAt(index, T, 'parallel');
      if (edge.to.kind === 'mlp') continue;
      into.set(graph.to[k]!, (into.get(graph.to[k]!) ?? 0) + graph.weights[index]!);
    }
    for (let l = 0; l < L; l++) {
      for (let t = 0; t < T; t++) {
        const node = nodeIndex(graph, { kind: 'resid_post', layer: l, pos: t });
        expect(into.get(node)).toBeCloseTo(1, 5);
        const mid = nodeIndex(graph, { kind: 'resid_mid', layer: l, pos: t });
        expect(into.has(mid) || graph.from.includes(mid)).toBe(false);
      }
    }
    const cut = buildGraph(layers, { threshold: 0.04, renormalize: true }, 'parallel');
    const { offsets, edges } = allRoutes(cut);
    for (let t = 0; t < T; t++) {
      const route = routes(cut, t);
      expect(Array.from(edges.subarray(offsets[t], offsets[t + 1]))).toEqual(Array.from(route));
      const sources = Array.from(route, (index) => edgeAt(index, T, 'parallel').from);
      expect(sources.some((node) => node.kind === 'embed')).toBe(true);
      expect(sources.every((node) => node.kind !== 'resid_mid')).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { edgeIndex } from '@lmtt/engine/schema';
import type { GraphNode } from '@lmtt/engine/schema';
import { ffnNodeOf } from './ffn-node.js';

const T = 6;
const node = (kind: GraphNode['kind'], layer: number, pos: number): GraphNode => ({
  kind,
  layer,
  pos,
});
const onNode = (target: GraphNode) => ({ pos: 5, target: { type: 'node' as const, node: target } });
const onEdge = (from: GraphNode, to: GraphNode, kind: 'attention' | 'residual' | 'ffn') => ({
  pos: 5,
  target: { type: 'edge' as const, edge: edgeIndex({ from, to, kind }, T) },
});

describe('ffnNodeOf', () => {
  it('means a target mlp node, or the FFN that wrote a resid_post node', () => {
    expect(ffnNodeOf(onNode(node('mlp', 1, 2)), T)).toEqual({ layer: 1, pos: 2 });
    expect(ffnNodeOf(onNode(node('resid_post', 3, 0)), T)).toEqual({ layer: 3, pos: 0 });
  });

  it('means the mlp node of an FFN edge, either way', () => {
    expect(ffnNodeOf(onEdge(node('resid_mid', 2, 4), node('mlp', 2, 4), 'ffn'), T)).toEqual({
      layer: 2,
      pos: 4,
    });
    expect(ffnNodeOf(onEdge(node('mlp', 0, 1), node('resid_post', 0, 1), 'ffn'), T)).toEqual({
      layer: 0,
      pos: 1,
    });
  });

  it('means nothing for other targets or none', () => {
    expect(ffnNodeOf({ pos: 3 }, T)).toBeUndefined();
    expect(ffnNodeOf({ pos: 3, neuron: { layer: 1, pos: 3, rank: 0 } }, T)).toBeUndefined();
    expect(ffnNodeOf(onNode(node('embed', -1, 2)), T)).toBeUndefined();
    expect(ffnNodeOf(onNode(node('resid_mid', 1, 2)), T)).toBeUndefined();
    const attention = onEdge(node('resid_post', 0, 1), node('resid_mid', 1, 3), 'attention');
    expect(ffnNodeOf(attention, T)).toBeUndefined();
    const residual = onEdge(node('resid_mid', 1, 2), node('resid_post', 1, 2), 'residual');
    expect(ffnNodeOf(residual, T)).toBeUndefined();
  });
});

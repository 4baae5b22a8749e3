import { describe, expect, it } from 'vitest';
import { edgeIndex } from '@lmtt/engine/schema';
import type { GraphNode } from '@lmtt/engine/schema';
import { lensNodeOf, previousState } from './lens-node.js';

const L = 4;
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

describe('lensNodeOf', () => {
  it('reads a residual node itself', () => {
    for (const target of [node('embed', -1, 2), node('resid_mid', 1, 3), node('resid_post', 3, 0)])
      expect(lensNodeOf(onNode(target), L, T)).toEqual(target);
  });

  it('reads the resid_post an mlp node writes into', () => {
    expect(lensNodeOf(onNode(node('mlp', 2, 4)), L, T)).toEqual(node('resid_post', 2, 4));
  });

  it('reads the state an edge flows into', () => {
    const attention = onEdge(node('resid_post', 0, 1), node('resid_mid', 1, 3), 'attention');
    expect(lensNodeOf(attention, L, T)).toEqual(node('resid_mid', 1, 3));
    const fromEmbed = onEdge(node('embed', -1, 0), node('resid_mid', 0, 2), 'attention');
    expect(lensNodeOf(fromEmbed, L, T)).toEqual(node('resid_mid', 0, 2));
    const intoMlp = onEdge(node('resid_mid', 2, 3), node('mlp', 2, 3), 'ffn');
    expect(lensNodeOf(intoMlp, L, T)).toEqual(node('resid_post', 2, 3));
    const residual = onEdge(node('resid_mid', 2, 3), node('resid_post', 2, 3), 'residual');
    expect(lensNodeOf(residual, L, T)).toEqual(node('resid_post', 2, 3));
  });

  it('reads the prediction with no target, whatever head or neuron is picked', () => {
    expect(lensNodeOf({ pos: 4 }, L, T)).toEqual(node('resid_post', 3, 4));
    expect(lensNodeOf({ pos: 1, head: { layer: 0, head: 2 } }, L, T)).toEqual(
      node('resid_post', 3, 1),
    );
  });
});

describe('previousState', () => {
  it('walks back along the residual stream', () => {
    expect(previousState(node('embed', -1, 2))).toBeUndefined();
    expect(previousState(node('resid_mid', 0, 2))).toEqual(node('embed', -1, 2));
    expect(previousState(node('resid_post', 0, 2))).toEqual(node('resid_mid', 0, 2));
    expect(previousState(node('resid_mid', 3, 2))).toEqual(node('resid_post', 2, 2));
  });
});

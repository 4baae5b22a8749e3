import { describe, expect, it } from 'vitest';
import { edgeIndex } from '@lmtt/engine/schema';
import type { GraphNode } from '@lmtt/engine/schema';
import { updateRefOf } from './update-ref.js';

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

describe('updateRefOf', () => {
  it('means the picked neuron first, by its rank', () => {
    const selection = {
      ...onNode(node('mlp', 1, 2)),
      head: { layer: 0, head: 3 },
      neuron: { layer: 1, pos: 2, rank: 4 },
    };
    expect(updateRefOf(selection, T)).toEqual({ block: 'neuron', layer: 1, pos: 2, part: 4 });
  });

  it('means the picked head at the focus position', () => {
    const head = { layer: 2, head: 1 };
    expect(updateRefOf({ pos: 5, head }, T)).toEqual({ block: 'head', layer: 2, pos: 5, part: 1 });
    const onAttention = onEdge(node('resid_post', 1, 0), node('resid_mid', 2, 3), 'attention');
    expect(updateRefOf({ ...onAttention, head }, T)).toEqual({
      block: 'head',
      layer: 2,
      pos: 3,
      part: 1,
    });
  });

  it('means the block that produced a target node', () => {
    expect(updateRefOf(onNode(node('mlp', 1, 2)), T)).toEqual({ block: 'mlp', layer: 1, pos: 2 });
    expect(updateRefOf(onNode(node('resid_post', 3, 0)), T)).toEqual({
      block: 'mlp',
      layer: 3,
      pos: 0,
    });
    expect(updateRefOf(onNode(node('resid_mid', 0, 4)), T)).toEqual({
      block: 'attn',
      layer: 0,
      pos: 4,
    });
  });

  it('means the block an attention or FFN edge belongs to', () => {
    const attention = onEdge(node('embed', -1, 1), node('resid_mid', 0, 3), 'attention');
    expect(updateRefOf(attention, T)).toEqual({ block: 'attn', layer: 0, pos: 3 });
    const intoMlp = onEdge(node('resid_mid', 2, 3), node('mlp', 2, 3), 'ffn');
    expect(updateRefOf(intoMlp, T)).toEqual({ block: 'mlp', layer: 2, pos: 3 });
    const outOfMlp = onEdge(node('mlp', 2, 3), node('resid_post', 2, 3), 'ffn');
    expect(updateRefOf(outOfMlp, T)).toEqual({ block: 'mlp', layer: 2, pos: 3 });
  });

  it('means nothing when no update is selected', () => {
    expect(updateRefOf({ pos: 3 }, T)).toBeUndefined();
    expect(updateRefOf(onNode(node('embed', -1, 2)), T)).toBeUndefined();
    const residual = onEdge(node('resid_mid', 1, 2), node('resid_post', 1, 2), 'residual');
    expect(updateRefOf(residual, T)).toBeUndefined();
    const skip = onEdge(node('resid_post', 0, 2), node('resid_mid', 1, 2), 'residual');
    expect(updateRefOf(skip, T)).toBeUndefined();
  });

  it('means the attention update for an attention edge of a parallel block, which lands on resid_post', () => {
    const edge = edgeIndex(
      { from: node('resid_post', 1, 0), to: node('resid_post', 2, 3), kind: 'attention' },
      T,
      'parallel',
    );
    const selection = { pos: 5, target: { type: 'edge' as const, edge } };
    expect(updateRefOf(selection, T, 'parallel')).toEqual({ block: 'attn', layer: 2, pos: 3 });
  });
});

import { describe, expect, it } from 'vitest';
import { buildGraph, nodeIndex } from '@lmtt/engine/graph';
import { edgeAt } from '@lmtt/engine/schema';
import type { GraphNode, NodeKind } from '@lmtt/engine/schema';
import { fullFixture } from '../test-support/fixtures.js';
import { distanceToEdge, edgeGeometry, edgeKindAt } from './edge-geometry.js';
import { layoutGraph } from './graph-layout.js';
import { graphScene } from './graph-scene.js';
import { graphKey } from './graph-keys.js';
import { hitTest } from './hit-test.js';

const shape = { nTokens: 13, nLayers: 4 };
const layout = layoutGraph(shape, { width: 900 });
const at = (node: GraphNode) => {
  const index = nodeIndex(layout, node);
  return { x: layout.nodeX[index]!, y: layout.nodeY[index]! };
};
const node = (kind: NodeKind, layer: number, pos: number): GraphNode => ({ kind, layer, pos });

describe('layoutGraph', () => {
  it('puts tokens left to right and layers bottom to top', () => {
    for (let t = 1; t < shape.nTokens; t++) {
      expect(at(node('resid_mid', 2, t)).x).toBeGreaterThan(at(node('resid_mid', 2, t - 1)).x);
    }
    const stack = [node('embed', -1, 5)];
    for (let l = 0; l < shape.nLayers; l++) {
      stack.push(node('resid_mid', l, 5), node('mlp', l, 5), node('resid_post', l, 5));
    }
    const ys = stack.map((n) => at(n).y);
    ys.slice(1).forEach((y, i) => expect(y).toBeLessThan(ys[i]!));
    // the FFN block sits beside its column, the residual states on it
    expect(at(node('mlp', 1, 5)).x).toBeGreaterThan(at(node('resid_mid', 1, 5)).x);
    expect(at(node('resid_post', 1, 5)).x).toBe(at(node('resid_mid', 1, 5)).x);
  });

  it('fills the width it is given, within its column limits, and bands tile the height', () => {
    expect(layout.width).toBeLessThanOrEqual(900);
    expect(layout.columnWidth).toBe(Math.floor((900 - layout.gutter) / 13));
    const long = layoutGraph({ nTokens: 114, nLayers: 32 }, { width: 800 });
    expect(long.columnWidth).toBe(34); // too many tokens: the narrowest column, then scroll
    expect(long.width).toBeGreaterThan(800);
    long.bands.slice(1).forEach((band, l) => expect(band.bottom).toBe(long.bands[l]!.top));
    expect(long.bands[0]!.bottom).toBeLessThan(long.height);
    expect(long.bands[31]!.top).toBeGreaterThan(0);
  });
});

describe('edge geometry and hit testing', () => {
  it('joins the nodes of each edge, and knows its kind from its index', () => {
    for (const index of [0, 5, 90, 91 + 3, 91 + 13 + 2, 91 + 39 + 1, 143 + 7]) {
      const edge = edgeAt(index, 13);
      const geometry = edgeGeometry(layout, index);
      expect([geometry.x1, geometry.y1]).toEqual([at(edge.from).x, at(edge.from).y]);
      expect([geometry.x2, geometry.y2]).toEqual([at(edge.to).x, at(edge.to).y]);
      expect(edgeKindAt(index, 13)).toBe(edge.kind);
      expect(geometry.curved).toBe(edge.kind === 'attention' && edge.from.pos === edge.to.pos);
    }
  });

  it('finds the node or the edge under a point', async () => {
    const trace = await fullFixture('war');
    const scene = graphScene(trace, buildGraph(trace.contributions), 12);
    const target = node('resid_mid', 2, 4);
    expect(hitTest(scene, layout, at(target).x + 1, at(target).y - 1)).toEqual({
      type: 'node',
      node: target,
    });
    const edge = scene.route.find((index) => edgeAt(index, 13).kind === 'attention')!;
    const geometry = edgeGeometry(layout, edge);
    const [x, y] = [(geometry.x1 + geometry.x2) / 2, (geometry.y1 + geometry.y2) / 2];
    expect(distanceToEdge(geometry, x, y)).toBeLessThan(1);
    expect(hitTest(scene, layout, x, y)).toEqual({ type: 'edge', edge });
    expect(hitTest(scene, layout, layout.gutter / 2, layout.height / 2)).toBeUndefined();
  });
});

describe('graphKey', () => {
  it('moves, cycles the edges into a node, selects and clears', async () => {
    const trace = await fullFixture('war');
    const scene = graphScene(trace, buildGraph(trace.contributions), 12);
    const start = graphKey(scene, undefined, 'ArrowUp')!;
    expect(start.cursor.node).toEqual(node('resid_post', 3, 12)); // the prediction's node
    const down = graphKey(scene, start.cursor, 'ArrowDown')!;
    expect(down.cursor.node).toEqual(node('mlp', 3, 12));
    expect(graphKey(scene, down.cursor, 'ArrowLeft')!.cursor.node).toEqual(node('mlp', 3, 11));
    expect(graphKey(scene, start.cursor, 'ArrowUp')!.cursor.node).toEqual(start.cursor.node);
    const mid = { node: node('resid_mid', 1, 12) };
    const first = graphKey(scene, mid, ']')!.cursor;
    expect(edgeAt(first.edge!, 13).to).toEqual(mid.node);
    const last = graphKey(scene, mid, '[')!.cursor;
    expect(graphKey(scene, last, ']')!.cursor.edge).toBe(first.edge); // wraps around
    expect(graphKey(scene, first, 'Enter')!.select).toEqual({ type: 'edge', edge: first.edge });
    expect(graphKey(scene, first, 'Escape')).toEqual({ cursor: mid, select: 'clear' });
    expect(graphKey(scene, mid, 'x')).toBeUndefined();
  });
});

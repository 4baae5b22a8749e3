import { describe, expect, it } from 'vitest';
import { render } from 'lit';
import { nodeAt, nodeIndex } from '@lmtt/engine/graph';
import { edgeAt } from '@lmtt/engine/schema';
import type { TraceFull } from '@lmtt/engine/schema';
import { fullFixture } from '../test-support/fixtures.js';
import { lensNodeOf, previousState } from '../top-tokens/lens-node.js';
import { edgeGeometry } from './edge-geometry.js';
import { moveFocus } from './graph-focus.js';
import { layoutGraph } from './graph-layout.js';
import { graphScene, graphSettings, traceGraph } from './graph-scene.js';
import { hitTest } from './hit-test.js';
import { renderGraph } from './render-graph.js';

/** The war fixture as if its blocks were parallel: the same shares, read as parallel ones. */
async function parallelTrace(): Promise<TraceFull> {
  const trace = await fullFixture('war');
  return { ...trace, model: { ...trace.model, blocks: 'parallel' } };
}

describe('the graph of parallel blocks', () => {
  it('lands attention, residual and FFN edges on resid_post and draws no resid_mid', async () => {
    const trace = await parallelTrace();
    const T = trace.tokens.length;
    const graph = traceGraph(trace, graphSettings(trace))!;
    expect(graph.blocks).toBe('parallel');
    expect(graph.edges.length).toBeGreaterThan(0);
    for (let k = 0; k < graph.edges.length; k++) {
      expect(nodeAt(graph, graph.from[k]!).kind).not.toBe('resid_mid');
      expect(nodeAt(graph, graph.to[k]!).kind).not.toBe('resid_mid');
    }
    const layout = layoutGraph({ nTokens: T, nLayers: trace.model.nLayers }, { width: 800 });
    const attention = graph.edges.find((index) => edgeAt(index, T).kind === 'attention')!;
    const geometry = edgeGeometry(layout, attention, 'parallel');
    const to = edgeAt(attention, T, 'parallel').to;
    expect(to.kind).toBe('resid_post');
    expect(geometry.y2).toBe(layout.nodeY[nodeIndex(layout, to)]);

    const host = document.createElement('div');
    render(renderGraph(graphScene(trace, graph, T - 1), layout, { rest: true }), host);
    expect(host.querySelectorAll('[data-node^="resid_post"]').length).toBeGreaterThan(0);
    expect(host.querySelectorAll('[data-node^="resid_mid"]').length).toBe(0);
  });

  it('keeps the focus off resid_mid, and reads the lens of the node an edge flows into', async () => {
    const trace = await parallelTrace();
    const T = trace.tokens.length;
    const scene = graphScene(trace, traceGraph(trace, graphSettings(trace)), T - 1);
    const up = moveFocus(scene, { kind: 'resid_post', layer: 0, pos: 3 }, 'ArrowUp');
    expect(up).toEqual({ kind: 'mlp', layer: 1, pos: 3 });
    const down = moveFocus(scene, { kind: 'mlp', layer: 1, pos: 3 }, 'ArrowDown');
    expect(down).toEqual({ kind: 'resid_post', layer: 0, pos: 3 });

    const selection = { pos: T - 1, target: { type: 'edge' as const, edge: 0 } };
    expect(lensNodeOf(selection, trace.model.nLayers, T, 'parallel')).toEqual({
      kind: 'resid_post',
      layer: 0,
      pos: 0,
    });
    expect(previousState({ kind: 'resid_post', layer: 2, pos: 1 }, 'parallel')).toEqual({
      kind: 'resid_post',
      layer: 1,
      pos: 1,
    });
  });

  it('hits what it draws: an attention edge along its way to resid_post, no resid_mid node', async () => {
    const trace = await parallelTrace();
    const T = trace.tokens.length;
    const graph = traceGraph(trace, graphSettings(trace))!;
    const scene = graphScene(trace, graph, T - 1);
    const layout = layoutGraph({ nTokens: T, nLayers: trace.model.nLayers }, { width: 800 });
    const mid = nodeIndex(layout, { kind: 'resid_mid', layer: 1, pos: 2 });
    const atMid = hitTest(scene, layout, layout.nodeX[mid]!, layout.nodeY[mid]!);
    expect(atMid?.type === 'node' && atMid.node.kind).not.toBe('resid_mid');

    const attention = graph.edges.find((index) => {
      const { from, to, kind } = edgeAt(index, T, 'parallel');
      return kind === 'attention' && to.pos - from.pos > 1;
    })!;
    const { x1, y1, x2, y2 } = edgeGeometry(layout, attention, 'parallel');
    expect(hitTest(scene, layout, (x1 + 3 * x2) / 4, (y1 + 3 * y2) / 4)).toEqual({
      type: 'edge',
      edge: attention,
    });
  });
});

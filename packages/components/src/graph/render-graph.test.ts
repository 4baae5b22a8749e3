import { describe, expect, it } from 'vitest';
import { render } from 'lit';
import { buildGraph } from '@lmtt/engine/graph';
import type { TraceFull } from '@lmtt/engine/schema';
import { fullFixture } from '../test-support/fixtures.js';
import { layoutGraph } from './graph-layout.js';
import { graphScene } from './graph-scene.js';
import { graphStyles } from './graph-styles.js';
import { renderGraph } from './render-graph.js';
import type { RenderGraphOptions } from './render-graph.js';

/** Light-theme values of the private properties, so the snapshot file renders on its own. */
const THEME = `svg { --_graph-attention: #1f5fa8; --_graph-ffn: #c2560f; --_graph-residual: #5d6676;
  --_graph-node: #1d2330; --_graph-fade: 0.16; --_bg: #fff; --_muted: #5d6676; --_surface: #f3f5f8;
  --_border: #d8dde6; --_selected: #ffb000; --_accent: #0b62c4; font-family: sans-serif; }`;

/** The SVG as a standalone, reviewable file: one element per line, Lit's markers dropped. */
function svgFile(trace: TraceFull, pos: number, options: RenderGraphOptions): string {
  const graph = buildGraph(trace.contributions, trace.settings);
  const scene = graphScene(trace, graph, pos);
  const layout = layoutGraph(
    { nTokens: trace.tokens.length, nLayers: trace.model.nLayers },
    { width: 700 },
  );
  const host = document.createElement('div');
  render(renderGraph(scene, layout, options), host);
  const svg = host.innerHTML
    .replace(/<!--[^]*?-->/g, '')
    .replace(/\s+/g, ' ')
    .replace(/> </g, '><')
    .replace(/></g, '>\n<')
    .replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ');
  return svg.replace('>\n', `>\n<style>${THEME}\n${graphStyles.cssText}</style>\n`) + '\n';
}

describe('renderGraph', () => {
  it('draws the war prompt: the route of the last prediction in full, the rest faded', async () => {
    const trace = await fullFixture('war');
    const file = svgFile(trace, 12, {
      rest: true,
      selected: { type: 'node', node: { kind: 'mlp', layer: 2, pos: 12 } },
      focused: { node: { kind: 'resid_mid', layer: 0, pos: 8 } },
    });
    expect(file).not.toMatch(/\d\.\d{3,}/); // numbers rounded to 2 decimals
    await expect(file).toMatchFileSnapshot('./__snapshots__/graph-war.svg');
  });

  it('draws only the route and the marks by default, and the layers still coming', async () => {
    const full = await fullFixture('war');
    const routeOnly = svgFile(full, 3, {});
    expect(routeOnly).not.toContain('class="edge attention back"');
    expect(routeOnly).toContain('data-edge=');
    const streaming = { ...full, contributions: full.contributions.slice(0, 2) };
    const file = svgFile(streaming, 12, { rest: true });
    expect(file).toContain('layers 2–3 coming…');
    expect(file).not.toContain(' back"'); // nothing fades while streaming
    await expect(file).toMatchFileSnapshot('./__snapshots__/graph-war-streaming.svg');
  });
});

import { describe, expect, it } from 'vitest';
import { edgeIndex } from '@lmtt/engine/schema';
import { edgeHeads, headOverview } from '@lmtt/engine/trace-query';
import { fullFixture } from '../test-support/fixtures.js';
import { gridStep } from './grid-keys.js';
import {
  edgeHeadShares,
  formatShare,
  overviewHeadShares,
  selectedAttentionEdge,
} from './heads-data.js';
import { renderHeadBars } from './render-head-bars.js';
import { renderHeadOverview } from './render-head-overview.js';

const trace = await fullFixture('war');
const T = trace.tokens.length;
/** The layer-1 attention edge from position 0 to 2, which three heads share. */
const edge = edgeIndex(
  {
    from: { kind: 'resid_post', layer: 0, pos: 0 },
    to: { kind: 'resid_mid', layer: 1, pos: 2 },
    kind: 'attention',
  },
  T,
);

/** Markup with long decimals rounded to 2 and legend bitmaps elided, for a stable golden file. */
function golden(markup: string): string {
  return markup
    .replace(/\d+\.\d{6,}/g, (n) => String(Math.round(Number(n) * 100) / 100))
    .replace(/base64,[^"]+/g, 'base64,…');
}

describe('head data', () => {
  it('splits an attention edge into bars that sum to its share', () => {
    const heads = edgeHeads(trace, edge);
    const bars = edgeHeadShares(heads);
    expect(bars.map((bar) => [bar.layer, bar.head])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    const sum = bars.reduce((total, bar) => total + bar.share, 0);
    expect(sum).toBeCloseTo(heads.attention, 3);
  });

  it('lays the overview out layer by layer', () => {
    const cells = overviewHeadShares(headOverview(trace, 4));
    expect(cells).toHaveLength(trace.model.nLayers * trace.model.nHeads);
    expect(cells[5]).toMatchObject({ layer: 1, head: 1 });
  });

  it('finds the selected attention edge, and nothing for other targets', () => {
    const L = trace.model.nLayers;
    const residual = edgeIndex(
      {
        from: { kind: 'resid_mid', layer: 0, pos: 2 },
        to: { kind: 'resid_post', layer: 0, pos: 2 },
        kind: 'residual',
      },
      T,
    );
    expect(selectedAttentionEdge({ pos: 3, target: { type: 'edge', edge } }, T, L)).toBe(edge);
    expect(selectedAttentionEdge({ pos: 3, target: { type: 'edge', edge: residual } }, T, L)).toBe(
      undefined,
    );
    const node = { type: 'node', node: { kind: 'mlp', layer: 0, pos: 1 } } as const;
    expect(selectedAttentionEdge({ pos: 3, target: node }, T, L)).toBe(undefined);
    expect(selectedAttentionEdge({ pos: 3 }, T, L)).toBe(undefined);
  });

  it('formats shares in percent, tiny ones as such', () => {
    expect([0.5452, 0.00001, 0].map(formatShare)).toEqual(['54.5%', '<0.1%', '0.0%']);
  });

  it('moves through a keyboard grid and stops at its edges', () => {
    expect(gridStep({ row: 1, col: 1 }, 'ArrowRight', 4, 4)).toEqual({ row: 1, col: 2 });
    expect(gridStep({ row: 0, col: 0 }, 'ArrowUp', 4, 4)).toBe(undefined);
    expect(gridStep({ row: 2, col: 0 }, 'End', 4, 1)).toEqual({ row: 3, col: 0 });
    expect(gridStep({ row: 2, col: 0 }, 'a', 4, 1)).toBe(undefined);
  });
});

describe('head charts', () => {
  it('draws the bars of an edge, the selected head highlighted', async () => {
    const svg = renderHeadBars({ heads: edgeHeads(trace, edge), selected: { layer: 1, head: 2 } });
    const buttons = [...svg.querySelectorAll('[role="button"]')];
    expect(buttons.map((button) => button.getAttribute('aria-label')?.split(',')[0])).toEqual([
      'L1H0',
      'L1H1',
      'L1H2',
      'L1H3',
    ]);
    expect(buttons.map((button) => button.getAttribute('aria-pressed'))).toEqual([
      'false',
      'false',
      'true',
      'false',
    ]);
    expect(buttons.filter((button) => button.getAttribute('tabindex') === '0')).toEqual([
      buttons[2],
    ]);
    await expect(golden(svg.outerHTML)).toMatchFileSnapshot('./__snapshots__/head-bars.svg');
  });

  it('draws the overview heatmap with its legend', async () => {
    const figure = renderHeadOverview({
      overview: headOverview(trace, 2),
      selected: { layer: 1, head: 2 },
      edgeLayer: 1,
    });
    const cells = figure.querySelectorAll('[role="button"]');
    expect(cells).toHaveLength(16);
    expect(cells[6]!.getAttribute('aria-pressed')).toBe('true');
    expect(cells[6]!.querySelector('title')!.textContent).toMatch(
      /^L1H2: 0\.\d{4,5} \(\d+\.\d%\) of resid_mid\[1\]\[2\]$/,
    );
    await expect(golden(figure.outerHTML)).toMatchFileSnapshot(
      './__snapshots__/head-overview.html',
    );
  });

  it('names the node attention writes into: resid_post in a parallel block', () => {
    const heads = edgeHeads(trace, edge);
    const svg = renderHeadBars({ heads, attentionNode: 'resid_post' });
    expect(svg.querySelector('title')?.textContent).toContain('of resid_post[1][2]');
    const overview = renderHeadOverview({
      overview: headOverview(trace, 2),
      attentionNode: 'resid_post',
    });
    expect(overview.textContent).toContain('share of resid_post');
  });
});

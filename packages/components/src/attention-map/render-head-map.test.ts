import { describe, expect, it } from 'vitest';
import { headMap } from '@lmtt/engine/trace-query';
import { fullFixture } from '../test-support/fixtures.js';
import { mapCells, renderHeadMap } from './render-head-map.js';

const trace = await fullFixture('arithmetic');
const T = trace.tokens.length;

/** Markup with long decimals rounded to 2 and legend bitmaps elided, for a stable golden file. */
function golden(markup: string): string {
  return markup
    .replace(/\d+\.\d{6,}/g, (n) => String(Math.round(Number(n) * 100) / 100))
    .replace(/base64,[^"]+/g, 'base64,…');
}

describe('head map data', () => {
  it('keeps the lower triangle and the diagonal only', () => {
    const map = headMap(trace, 1, 2);
    const cells = mapCells(map.pattern);
    expect(cells).toHaveLength((T * (T + 1)) / 2);
    expect(cells.every((cell) => cell.keyPos <= cell.pos)).toBe(true);
    expect(cells.find((cell) => cell.pos === 4 && cell.keyPos === 2)!.value).toBe(
      map.pattern[4]![2],
    );
  });

  it('has attention rows that sum to 1', () => {
    const cells = mapCells(headMap(trace, 1, 2).pattern);
    const row = cells.filter((cell) => cell.pos === T - 1);
    expect(row.reduce((sum, cell) => sum + cell.value, 0)).toBeCloseTo(1, 3);
  });
});

describe('head map charts', () => {
  const view = { map: headMap(trace, 1, 2), tokens: trace.tokens, focus: T - 1, keyPos: 6 };

  it('draws the attention map with token labels, an empty upper triangle and marks', async () => {
    const figure = renderHeadMap({ ...view, kind: 'pattern' });
    const chart = figure.querySelector('svg[aria-label^="L1H2"]')!;
    const cells = chart.querySelectorAll('g[aria-label="cell"]')[0]!.querySelectorAll('rect');
    expect(cells).toHaveLength((T * (T + 1)) / 2);
    const ticks = [...chart.querySelectorAll('g[aria-label="y-axis tick label"] text')];
    expect(ticks.map((tick) => tick.textContent)).toEqual(
      trace.tokens.map((t) => t.text.replace(/ /g, '\u00b7')),
    );
    expect(cells[0]!.querySelector('title')!.textContent).toBe(
      'query “5” (0) → key “5” (0): attention weight 1.000',
    );
    // the focused row and the edge's key column are framed
    expect(
      chart.querySelectorAll('rect[stroke="var(--_selected)"], g[stroke="var(--_selected)"] rect'),
    ).toHaveLength(2);
    await expect(golden(figure.outerHTML)).toMatchFileSnapshot(
      './__snapshots__/head-map-pattern.html',
    );
  });

  it('draws the contribution map on its own range, in the dark scheme', async () => {
    const figure = renderHeadMap({ ...view, kind: 'shares', dark: true });
    expect(figure.querySelector('svg')!.textContent).toContain('share of resid_mid[query]');
    await expect(golden(figure.outerHTML)).toMatchFileSnapshot(
      './__snapshots__/head-map-shares.html',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { lensTokens } from '@lmtt/engine/trace-query';
import { fullFixture } from '../test-support/fixtures.js';
import { rankChange, renderLensHeader, renderLensTable } from './render-top-tokens.js';
import { templateHtml } from './test-support/template-html.js';

const mid = { kind: 'resid_mid', layer: 2, pos: 1 } as const;

describe('renderLensTable', () => {
  it('draws a residual state of the war prompt (golden)', async () => {
    const trace = await fullFixture('war');
    const html = templateHtml(
      renderLensHeader({ node: mid, tokens: trace.tokens, normalized: true }),
      renderLensTable(lensTokens(trace, mid)),
    );
    await expect(html).toMatchFileSnapshot('./__snapshots__/lens-war-resid-mid-2.html');
  });

  it('draws the embedding with no rank changes, raw (golden)', async () => {
    const trace = await fullFixture('mary');
    const embed = { kind: 'embed', layer: -1, pos: 3 } as const;
    const html = templateHtml(
      renderLensHeader({ node: embed, tokens: trace.tokens, normalized: false }),
      renderLensTable(lensTokens(trace, embed)),
    );
    expect(html).not.toContain('rank-change');
    await expect(html).toMatchFileSnapshot('./__snapshots__/lens-mary-embed.html');
  });
});

describe('rankChange', () => {
  const previous = { kind: 'resid_post', layer: 1, pos: 1 } as const;

  it('is previousRank - k: rose, fell, unchanged, or new outside the previous top K', () => {
    expect(rankChange(0, 2, 10, previous)).toMatchObject({ kind: 'rose', label: '▲2' });
    expect(rankChange(4, 0, 10, previous)).toMatchObject({ kind: 'fell', label: '▼4' });
    expect(rankChange(3, 3, 10, previous)).toMatchObject({ kind: 'same', label: '=' });
    expect(rankChange(2, 22, 10, previous)).toMatchObject({
      kind: 'new',
      title: 'new in the top 10: rank 23 in resid_post[1]',
    });
  });

  it('is nothing for the embedding', () => {
    expect(rankChange(0, -1, 10, undefined)).toBeUndefined();
  });
});

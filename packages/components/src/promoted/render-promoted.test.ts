import { describe, expect, it } from 'vitest';
import { updateTokens } from '@lmtt/engine/trace-query';
import type { UpdateRef } from '@lmtt/engine/trace-query';
import { fullFixture } from '../test-support/fixtures.js';
import { templateHtml } from '../top-tokens/test-support/template-html.js';
import { renderPromoted, renderPromotedHeader, updateName } from './render-promoted.js';

describe('renderPromoted', () => {
  it('draws a head of the war prompt as a diverging chart (golden)', async () => {
    const trace = await fullFixture('war');
    const ref = { block: 'head', layer: 2, pos: 1, part: 1 } as const;
    const html = templateHtml(
      renderPromotedHeader(ref, trace.tokens),
      renderPromoted(updateTokens(trace, ref)),
    );
    await expect(html).toMatchFileSnapshot('./__snapshots__/promoted-war-head-L2H1.html');
  });

  it('draws a neuron of the mary prompt under its index (golden)', async () => {
    const trace = await fullFixture('mary');
    const ref = { block: 'neuron', layer: 1, pos: 4, part: 0 } as const;
    const update = updateTokens(trace, ref);
    const html = templateHtml(
      renderPromotedHeader(ref, trace.tokens, update.neuron),
      renderPromoted(update),
    );
    expect(html).toContain(`neuron ${update.neuron} of mlp[1] at`);
    await expect(html).toMatchFileSnapshot('./__snapshots__/promoted-mary-neuron.html');
  });
});

describe('updateName', () => {
  it('names every block', () => {
    const at = { layer: 2, pos: 0 };
    const names = (
      [
        { block: 'attn', ...at },
        { block: 'mlp', ...at },
        { block: 'head', ...at, part: 3 },
        { block: 'neuron', ...at, part: 0 },
      ] satisfies UpdateRef[]
    ).map((ref) => updateName(ref));
    expect(names).toEqual(['attn_out[2]', 'mlp_out[2]', 'head L2H3', 'top neuron 1 of mlp[2]']);
    expect(updateName({ block: 'neuron', ...at, part: 0 }, 312)).toBe('neuron 312 of mlp[2]');
  });
});

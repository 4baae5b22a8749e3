import { describe, expect, it } from 'vitest';
import { ffnNeurons } from '@lmtt/engine/trace-query';
import { fullFixture } from '../test-support/fixtures.js';
import { templateHtml } from '../top-tokens/test-support/template-html.js';
import { renderNeurons, renderNeuronsHeader } from './render-neurons.js';

describe('renderNeurons', () => {
  it('lists the top neurons of an FFN node with the residual share, one selected (golden)', async () => {
    const trace = await fullFixture('war');
    const html = templateHtml(
      renderNeuronsHeader({ layer: 1, pos: 1 }, trace.tokens),
      renderNeurons({ neurons: ffnNeurons(trace, 1, 1), dMlp: trace.model.dMlp, selectedRank: 2 }),
    );
    expect(html.match(/aria-selected="true"/g)).toHaveLength(1);
    expect(html).toContain('aria-activedescendant="neuron-2"');
    await expect(html).toMatchFileSnapshot('./__snapshots__/neurons-war-mlp-1.html');
  });

  it('marks nothing and names no active option with no neuron selected', async () => {
    const trace = await fullFixture('arithmetic');
    const html = templateHtml(
      renderNeurons({ neurons: ffnNeurons(trace, 3, 0), dMlp: trace.model.dMlp }),
    );
    expect(html).not.toContain('aria-selected="true"');
    expect(html).not.toContain('aria-activedescendant');
  });
});

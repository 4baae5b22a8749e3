import { afterEach, describe, expect, it } from 'vitest';
import { staticSource } from '@lmtt/engine/trace-query';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { defineOnce } from '../test-support/define-once.js';
import { fixtureTrace, fullFixture, until } from '../test-support/fixtures.js';
import type { Selection } from '../trace/selection.js';
import { LmttTopTokens } from './top-tokens-element.js';

defineOnce('lmtt-top-tokens', LmttTopTokens);

afterEach(() => {
  document.body.replaceChildren();
});

async function mount(source: TraceSource, selection?: Selection): Promise<LmttTopTokens> {
  const element = document.createElement('lmtt-top-tokens');
  element.source = source;
  document.body.append(element);
  await element.updateComplete;
  if (selection) element.selection = selection;
  return element;
}

const part = (element: Element, name: string) => [
  ...element.shadowRoot!.querySelectorAll(`[part~="${name}"]`),
];

describe('<lmtt-top-tokens>', () => {
  it('shows the lens of a selected resid_mid node with rank arrows from previousRank', async () => {
    const trace = await fullFixture('war');
    const source = staticSource(trace);
    const node = { kind: 'resid_mid', layer: 2, pos: 1 } as const;
    const element = await mount(source, { pos: 12, target: { type: 'node', node } });
    await until(() => part(element, 'row').length > 0, 'lens rows');
    expect(part(element, 'node')[0]!.textContent).toBe('resid_mid[2] · "·war"');
    const lens = await source.lens(node);
    const changes = part(element, 'row').map(
      (row) => row.querySelector('[part="change"] [aria-hidden]')?.textContent,
    );
    expect(changes).toEqual(
      lens.tokens.map(({ previousRank }, k) =>
        previousRank >= lens.tokens.length
          ? 'new'
          : previousRank > k
            ? `▲${previousRank - k}`
            : previousRank < k
              ? `▼${k - previousRank}`
              : '=',
      ),
    );
  });

  it('reads the prediction with no target and follows the selection to an mlp node', async () => {
    const trace = await fullFixture('arithmetic');
    const element = await mount(staticSource(trace));
    await until(() => part(element, 'row').length > 0, 'lens rows');
    const last = trace.tokens.length - 1;
    expect(part(element, 'node')[0]!.textContent).toContain('resid_post[3]');
    // the lens of the last layer is the model's own prediction
    expect(part(element, 'token')[0]!.getAttribute('title')).toBe(
      `id ${trace.predictions.ids[last * 10]}`,
    );
    element.selection = {
      pos: last,
      target: { type: 'node', node: { kind: 'mlp', layer: 0, pos: 2 } },
    };
    await until(
      () => part(element, 'node')[0]!.textContent!.startsWith('resid_post[0]'),
      'mlp lens',
    );
  });

  it('shows no arrows on the embedding, which has no previous state', async () => {
    const element = await mount(staticSource(await fullFixture('war')), {
      pos: 0,
      target: { type: 'node', node: { kind: 'embed', layer: -1, pos: 0 } },
    });
    await until(() => part(element, 'row').length > 0, 'lens rows');
    expect(part(element, 'change')).toHaveLength(0);
  });

  it('says a summary trace needs a full trace or a server', async () => {
    const element = await mount(staticSource(await fixtureTrace('deep-long')));
    await until(() => element.shadowRoot!.querySelector('[role="alert"]') !== null, 'the error');
    const alert = element.shadowRoot!.querySelector('[role="alert"]')!.textContent!;
    expect(alert).toContain('open a full trace');
    expect(alert).toContain('NO_DETAIL');
  });

  it('shows loading while the lens is fetched, and an empty state with no trace', async () => {
    const trace = await fullFixture('war');
    const pending: TraceSource = { ...staticSource(trace), lens: () => new Promise(() => {}) };
    const element = await mount(pending);
    await element.updateComplete;
    expect(part(element, 'loading')[0]!.textContent).toContain('Reading the logit lens');
    expect(part(element, 'header')).toHaveLength(1);
    element.source = undefined;
    await element.updateComplete;
    expect(part(element, 'empty')[0]!.textContent).toContain('No trace');
  });
});

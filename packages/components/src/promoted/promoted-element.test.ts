import { afterEach, describe, expect, it } from 'vitest';
import { staticSource } from '@lmtt/engine/trace-query';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { defineOnce } from '../test-support/define-once.js';
import { fixtureTrace, fullFixture, until } from '../test-support/fixtures.js';
import type { Selection } from '../trace/selection.js';
import { LmttPromoted } from './promoted-element.js';

defineOnce('lmtt-promoted', LmttPromoted);

afterEach(() => {
  document.body.replaceChildren();
});

async function mount(source: TraceSource, selection?: Selection): Promise<LmttPromoted> {
  const element = document.createElement('lmtt-promoted');
  element.source = source;
  document.body.append(element);
  await element.updateComplete;
  if (selection) element.selection = selection;
  return element;
}

const part = (element: Element, name: string) => [
  ...element.shadowRoot!.querySelectorAll(`[part~="${name}"]`),
];
const texts = (element: Element, column: string) =>
  [...element.shadowRoot!.querySelectorAll(`[part="${column}"] [part="token"]`)].map((token) =>
    token.getAttribute('title'),
  );

describe('<lmtt-promoted>', () => {
  it("shows a selected head's promoted and suppressed tokens", async () => {
    const trace = await fullFixture('war');
    const source = staticSource(trace);
    const node = { kind: 'resid_mid', layer: 2, pos: 1 } as const;
    const element = await mount(source, {
      pos: 12,
      target: { type: 'node', node },
      head: { layer: 2, head: 1 },
    });
    await until(() => part(element, 'row').length > 0, 'promoted rows');
    expect(part(element, 'update')[0]!.textContent).toBe('head L2H1 at "·war"');
    const head = await source.update({ block: 'head', layer: 2, pos: 1, part: 1 });
    expect(texts(element, 'promoted')).toEqual(head.promoted.map(({ id }) => `id ${id}`));
    expect(texts(element, 'suppressed')).toEqual(head.suppressed.map(({ id }) => `id ${id}`));
  });

  it('shows the attention block of a resid_mid node and the FFN of an mlp node', async () => {
    const element = await mount(staticSource(await fullFixture('arithmetic')), {
      pos: 3,
      target: { type: 'node', node: { kind: 'resid_mid', layer: 0, pos: 3 } },
    });
    await until(() => part(element, 'row').length > 0, 'promoted rows');
    expect(part(element, 'update')[0]!.textContent).toMatch(/^attn_out\[0\] at /);
    element.selection = {
      pos: 3,
      target: { type: 'node', node: { kind: 'mlp', layer: 1, pos: 3 } },
    };
    await until(() => part(element, 'update')[0]!.textContent!.startsWith('mlp_out[1]'), 'the FFN');
  });

  it('asks for a selection when nothing selected is an update', async () => {
    const element = await mount(staticSource(await fullFixture('war')));
    await element.updateComplete;
    expect(part(element, 'empty')[0]!.textContent).toContain('Select an update');
  });

  it('says a summary trace needs a full trace or a server, and shows loading meanwhile', async () => {
    const selection = { pos: 2, head: { layer: 0, head: 0 } };
    const element = await mount(staticSource(await fixtureTrace('deep-long')), selection);
    await until(() => element.shadowRoot!.querySelector('[role="alert"]') !== null, 'the error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain('NO_DETAIL');
    const trace = await fullFixture('war');
    element.source = { ...staticSource(trace), update: () => new Promise(() => {}) };
    await element.updateComplete;
    element.selection = selection;
    await element.updateComplete;
    expect(part(element, 'loading')[0]!.textContent).toContain('Projecting the update');
  });
});

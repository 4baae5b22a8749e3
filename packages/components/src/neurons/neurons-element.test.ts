import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { staticSource } from '@lmtt/engine/trace-query';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { LmttPromoted } from '../promoted/promoted-element.js';
import { defineOnce } from '../test-support/define-once.js';
import { fixtureTrace, fullFixture, until } from '../test-support/fixtures.js';
import type { Selection } from '../trace/selection.js';
import { LmttNeurons } from './neurons-element.js';

defineOnce('lmtt-neurons', LmttNeurons);
defineOnce('lmtt-promoted', LmttPromoted);

afterEach(() => {
  document.body.replaceChildren();
});

const mlp = { kind: 'mlp', layer: 1, pos: 1 } as const;
const onMlp: Selection = { pos: 12, target: { type: 'node', node: mlp } };

async function mount(source: TraceSource, selection?: Selection): Promise<LmttNeurons> {
  const element = document.createElement('lmtt-neurons');
  element.id = 'neurons';
  element.source = source;
  document.body.append(element);
  await element.updateComplete;
  if (selection) element.selection = selection;
  return element;
}

const part = (element: Element, name: string) => [
  ...element.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`),
];

describe('<lmtt-neurons>', () => {
  it('lists the neurons of a selected mlp node, with the residual share', async () => {
    const source = staticSource(await fullFixture('war'));
    const element = await mount(source, onMlp);
    await until(() => part(element, 'option').length > 0, 'neurons');
    const neurons = await source.neurons(1, 1);
    expect(part(element, 'node')[0]!.textContent).toBe('mlp[1] · "·war"');
    expect(
      part(element, 'option').map((option) => option.querySelector('.index')!.textContent),
    ).toEqual(neurons.neurons.map(({ index }) => `#${index}`));
    expect(part(element, 'composition')[0]!.textContent).toContain('residual resid_mid[1]');
  });

  it('selects a neuron on click, and a following <lmtt-promoted> shows its tokens', async () => {
    const source = staticSource(await fullFixture('war'));
    const element = await mount(source, onMlp);
    const promoted = document.createElement('lmtt-promoted');
    promoted.setAttribute('for', 'neurons');
    document.body.append(promoted);
    await until(() => part(element, 'option').length > 0, 'neurons');
    const events: Selection[] = [];
    element.addEventListener('lmtt-select', (event) => events.push(event.detail.selection));
    part(element, 'option')[3]!.click();
    await element.updateComplete;
    expect(events.at(-1)).toEqual({ ...onMlp, neuron: { layer: 1, pos: 1, rank: 3 } });
    expect(part(element, 'selected')).toEqual([part(element, 'option')[3]]);
    const neuron = await source.update({ block: 'neuron', layer: 1, pos: 1, part: 3 });
    await until(() => part(promoted, 'row').length > 0, 'the promoted tokens');
    expect(part(promoted, 'update')[0]!.textContent).toBe(
      `neuron ${neuron.neuron} of mlp[1] at "·war"`,
    );
    const ids = part(promoted, 'promoted')[0]!.querySelectorAll('[part="token"]');
    expect([...ids].map((token) => token.getAttribute('title'))).toEqual(
      neuron.promoted.map(({ id }) => `id ${id}`),
    );
  });

  it('moves the selection with the arrow keys, Home and End', async () => {
    const element = await mount(staticSource(await fullFixture('mary')), {
      pos: 4,
      target: { type: 'node', node: { kind: 'resid_post', layer: 2, pos: 4 } },
    });
    await until(() => part(element, 'option').length > 0, 'neurons');
    const rank = () => element.selection?.neuron?.rank;
    part(element, 'list')[0]!.focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(rank()).toBe(0);
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect(rank()).toBe(2);
    await userEvent.keyboard('{ArrowUp}');
    expect(rank()).toBe(1);
    await userEvent.keyboard('{End}');
    expect(rank()).toBe(part(element, 'option').length - 1);
    await userEvent.keyboard('{Home}');
    expect(rank()).toBe(0);
    await element.updateComplete;
    expect(part(element, 'list')[0]!.getAttribute('aria-activedescendant')).toBe('neuron-0');
    expect(element.selection?.neuron).toEqual({ layer: 2, pos: 4, rank: 0 });
  });

  it('asks for an FFN node, says a summary needs a full trace, and shows loading', async () => {
    const element = await mount(staticSource(await fullFixture('war')));
    await element.updateComplete;
    expect(part(element, 'empty')[0]!.textContent).toContain('Select an FFN node');
    element.source = staticSource(await fixtureTrace('deep-long'));
    await element.updateComplete;
    element.selection = {
      pos: 3,
      target: { type: 'node', node: { kind: 'mlp', layer: 0, pos: 3 } },
    };
    await until(() => element.shadowRoot!.querySelector('[role="alert"]') !== null, 'the error');
    expect(element.shadowRoot!.querySelector('[role="alert"]')!.textContent).toContain(
      'open a full trace',
    );
    const trace = await fullFixture('war');
    element.source = { ...staticSource(trace), neurons: () => new Promise(() => {}) };
    await element.updateComplete;
    element.selection = onMlp;
    await element.updateComplete;
    expect(part(element, 'loading')[0]!.textContent).toContain('Finding the top neurons');
  });
});

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { edgeIndex } from '@lmtt/engine/schema';
import type { TraceFull } from '@lmtt/engine/schema';
import { edgeHeads } from '@lmtt/engine/trace-query';
import { defineOnce } from '../test-support/define-once.js';
import { fixtureUrl, fullFixture, until } from '../test-support/fixtures.js';
import type { Selection } from '../trace/selection.js';
import { LmttHeads } from './heads-element.js';

defineOnce('lmtt-heads', LmttHeads);

let trace: TraceFull;
let edge: number;
beforeAll(async () => {
  trace = await fullFixture('war');
  edge = edgeIndex(
    {
      from: { kind: 'resid_post', layer: 0, pos: 0 },
      to: { kind: 'resid_mid', layer: 1, pos: 2 },
      kind: 'attention',
    },
    trace.tokens.length,
  );
});

afterEach(() => {
  document.body.replaceChildren();
});

/** An `<lmtt-heads>` on the war trace with the layer-1 edge 0 → 2 selected. */
async function mountWithEdge(): Promise<LmttHeads> {
  const element = document.createElement('lmtt-heads');
  element.trace = trace;
  document.body.append(element);
  await element.updateComplete;
  element.selection = { pos: 12, target: { type: 'edge', edge } };
  await until(() => buttons(element, 'bars').length === 4, 'the bars');
  return element;
}

const buttons = (element: LmttHeads, chart: 'bars' | 'overview') => [
  ...element.shadowRoot!.querySelectorAll<SVGElement>(`[data-chart="${chart}"] [role="button"]`),
];

function selections(element: LmttHeads): Selection[] {
  const seen: Selection[] = [];
  element.addEventListener('lmtt-select', (event) => seen.push(event.detail.selection));
  return seen;
}

describe('<lmtt-heads>', () => {
  it('shows one bar per head of the selected attention edge, with its total', async () => {
    const element = await mountWithEdge();
    const expected = edgeHeads(trace, edge);
    const labels = buttons(element, 'bars').map((bar) => bar.getAttribute('aria-label'));
    expect(labels.map((label) => label!.split(',')[0])).toEqual(['L1H0', 'L1H1', 'L1H2', 'L1H3']);
    expect(labels[2]).toBe(`L1H2, ${(expected.heads[2]! * 100).toFixed(1)}%`);
    const title = element.shadowRoot!.querySelector('[part="edge"] [part="title"]')!.textContent;
    expect(title).toContain(`total ${(expected.attention * 100).toFixed(1)}%`);
    expect(title).toContain('“The” (0)');
    // the overview looks at the edge's destination, not at the selected prediction
    await until(() => buttons(element, 'overview').length === 16, 'the overview');
    expect(element.shadowRoot!.querySelector('[part="overview"]')!.textContent).toContain('(2)');
  });

  it('selects a head on click, in the bars and in the overview', async () => {
    const element = await mountWithEdge();
    const seen = selections(element);
    buttons(element, 'bars')[2]!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await until(() => seen.length === 1, 'lmtt-select');
    expect(seen[0]).toMatchObject({ pos: 12, target: { edge }, head: { layer: 1, head: 2 } });
    await until(() => buttons(element, 'bars')[2]!.getAttribute('aria-pressed') === 'true');
    await until(() => buttons(element, 'overview').length === 16, 'the overview');
    buttons(element, 'overview')[13]!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await until(() => seen.length === 2, 'the second lmtt-select');
    expect(seen[1]!.head).toEqual({ layer: 3, head: 1 });
  });

  it('moves between heads with arrow keys and selects with Enter or Space', async () => {
    const element = await mountWithEdge();
    const seen = selections(element);
    const bars = buttons(element, 'bars');
    expect(bars.map((bar) => bar.getAttribute('tabindex'))).toEqual(['0', '-1', '-1', '-1']);
    bars[0]!.focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{ArrowUp}');
    expect(element.shadowRoot!.activeElement?.getAttribute('data-head')).toBe('2');
    await userEvent.keyboard('{Enter}');
    await until(() => seen.length === 1, 'lmtt-select');
    expect(seen[0]!.head).toEqual({ layer: 1, head: 2 });
    // the focus stays on the picked head across the redraw
    await until(() => element.shadowRoot!.activeElement?.getAttribute('aria-pressed') === 'true');

    await until(() => buttons(element, 'overview').length === 16, 'the overview');
    buttons(element, 'overview')[0]!.focus();
    await userEvent.keyboard('{ArrowRight}{ArrowDown}{ArrowDown}{ }');
    await until(() => seen.length === 2, 'the second lmtt-select');
    expect(seen[1]!.head).toEqual({ layer: 2, head: 1 });
  });

  it('shows the overview alone with a hint when no attention edge is selected', async () => {
    const element = document.createElement('lmtt-heads');
    element.trace = trace;
    document.body.append(element);
    await until(() => buttons(element, 'overview').length === 16, 'the overview');
    expect(element.shadowRoot!.querySelector('[part="hint"]')!.textContent).toContain(
      'Select an attention edge in the graph to split it into heads',
    );
    expect(buttons(element, 'bars')).toHaveLength(0);
  });

  it('says a summary trace needs a full trace or a server', async () => {
    document.body.innerHTML = `<lmtt-heads src="${fixtureUrl('deep-long')}"></lmtt-heads>`;
    const element = document.querySelector('lmtt-heads')!;
    await until(() => element.shadowRoot!.querySelector('[role="alert"]') !== null, 'the error');
    const alert = element.shadowRoot!.querySelector('[role="alert"]')!.textContent;
    expect(alert).toContain('full trace');
    expect(alert).toContain('NO_DETAIL');
  });

  it('shows a loading state while the detail is fetched', async () => {
    const element = document.createElement('lmtt-heads');
    element.source = {
      trace,
      edgeHeads: () => new Promise(() => {}),
      headOverview: () => new Promise(() => {}),
    } as unknown as LmttHeads['source'];
    document.body.append(element);
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part~="loading"]')!.textContent).toContain(
      'Loading the heads overview',
    );
  });
});

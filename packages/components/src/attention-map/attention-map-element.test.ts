import { afterEach, describe, expect, it } from 'vitest';
import { edgeIndex } from '@lmtt/engine/schema';
import { defineOnce } from '../test-support/define-once.js';
import { fixtureUrl, fullFixture, until } from '../test-support/fixtures.js';
import { LmttHeads } from '../heads/heads-element.js';
import { LmttAttentionMap } from './attention-map-element.js';

defineOnce('lmtt-heads', LmttHeads);
defineOnce('lmtt-attention-map', LmttAttentionMap);

afterEach(() => {
  document.body.replaceChildren();
});

const shadow = (element: Element) => element.shadowRoot!;
const maps = (element: Element) => [...shadow(element).querySelectorAll('[part="map"]')];

describe('<lmtt-attention-map>', () => {
  it('shows a designed empty state until a head is selected', async () => {
    const element = document.createElement('lmtt-attention-map');
    element.trace = await fullFixture('war');
    document.body.append(element);
    await element.updateComplete;
    expect(shadow(element).querySelector('[part~="empty"]')!.textContent).toContain(
      'Select a head to see its attention and contribution maps',
    );
  });

  it('shows the attention and contribution maps of the selected head', async () => {
    const trace = await fullFixture('war');
    const element = document.createElement('lmtt-attention-map');
    element.trace = trace;
    document.body.append(element);
    await element.updateComplete;
    const T = trace.tokens.length;
    const edge = edgeIndex(
      {
        from: { kind: 'resid_post', layer: 0, pos: 3 },
        to: { kind: 'resid_mid', layer: 1, pos: 8 },
        kind: 'attention',
      },
      T,
    );
    element.selection = { pos: T - 1, target: { type: 'edge', edge }, head: { layer: 1, head: 2 } };
    await until(() => maps(element).length === 2, 'the maps');
    expect(shadow(element).querySelector('[part="title"]')!.textContent).toMatch(
      /Head L1H2 · query\s+“32” \(8\)/,
    );
    const [pattern, shares] = maps(element);
    const cells = (map: Element) => map.querySelectorAll('g[aria-label="cell"]')[0]!.children;
    expect(cells(pattern!)).toHaveLength((T * (T + 1)) / 2);
    expect(cells(shares!)).toHaveLength((T * (T + 1)) / 2);
    // the query row (8) and the edge's key column (3) are framed
    const frames = pattern!.querySelectorAll('g[stroke="var(--_selected)"] rect');
    expect(frames).toHaveLength(2);
  });

  it('follows <lmtt-heads> by id and shows the head picked there', async () => {
    const trace = await fullFixture('mary');
    document.body.innerHTML =
      '<lmtt-heads id="heads-id"></lmtt-heads><lmtt-attention-map for="heads-id"></lmtt-attention-map>';
    const heads = document.querySelector('lmtt-heads')!;
    const map = document.querySelector('lmtt-attention-map')!;
    heads.trace = trace;
    await until(() => shadow(map).querySelector('[part~="empty"]') !== null, 'the empty state');
    const cell = () => shadow(heads).querySelector<SVGElement>('[data-layer="3"][data-head="1"]');
    await until(() => cell() !== null, 'the overview');
    cell()!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await until(() => maps(map).length === 2, 'the maps');
    expect(shadow(map).querySelector('[part="title"]')!.textContent).toContain('L3H1');
  });

  it('says a summary trace needs a full trace or a server', async () => {
    document.body.innerHTML = `<lmtt-attention-map src="${fixtureUrl('deep-long')}"></lmtt-attention-map>`;
    const element = document.querySelector('lmtt-attention-map')!;
    await until(() => element.activeSource !== undefined, 'the trace');
    element.selection = { pos: 0, head: { layer: 0, head: 0 } };
    await until(() => shadow(element).querySelector('[role="alert"]') !== null, 'the error');
    const alert = shadow(element).querySelector('[role="alert"]')!.textContent;
    expect(alert).toContain('full trace');
    expect(alert).toContain('NO_DETAIL');
  });

  it('shows a loading state while the maps are fetched', async () => {
    const trace = await fullFixture('war');
    const element = document.createElement('lmtt-attention-map');
    element.source = {
      trace,
      headMap: () => new Promise(() => {}),
    } as unknown as LmttAttentionMap['source'];
    element.selection = { pos: 3, head: { layer: 0, head: 1 } };
    document.body.append(element);
    await element.updateComplete;
    expect(shadow(element).querySelector('[part~="loading"]')!.textContent).toContain(
      'Loading the head’s maps',
    );
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import '../define.js';
import type { LmttTokens } from './tokens-element.js';
import { fixtureUrl, fullFixture, until } from '../test-support/fixtures.js';

afterEach(() => {
  document.body.replaceChildren();
});

function mount(html: string): void {
  document.body.innerHTML = html;
}

const chips = (element: Element) => [...element.shadowRoot!.querySelectorAll('[part="token"]')];

describe('<lmtt-tokens>', () => {
  it('loads a trace file from src and shows each token with its top prediction', async () => {
    mount(`<lmtt-tokens src="${fixtureUrl('war')}"></lmtt-tokens>`);
    const element = document.querySelector('lmtt-tokens')!;
    await until(() => chips(element).length > 0, 'tokens');
    const texts = chips(element).map((chip) => chip.querySelector('.text')!.textContent);
    expect(texts.slice(0, 3)).toEqual(['The', '\u00b7war', '\u00b7last']);
    expect(chips(element)[0]!.querySelector('[part="prediction"]')!.textContent).toMatch(
      /\(\d+\.\d%\)$/,
    );
    // the last prediction is selected when a trace arrives
    expect(chips(element).at(-1)!.getAttribute('aria-pressed')).toBe('true');
  });

  it('selects a prediction on click and fires lmtt-select', async () => {
    const element = document.createElement('lmtt-tokens') as LmttTokens;
    element.trace = await fullFixture('war');
    document.body.append(element);
    await element.updateComplete;
    const events: number[] = [];
    element.addEventListener('lmtt-select', (event) => events.push(event.detail.selection.pos));
    (chips(element)[2] as HTMLElement).click();
    await element.updateComplete;
    expect(element.selection?.pos).toBe(2);
    expect(events).toEqual([2]);
  });

  it('follows another element by id, both ways', async () => {
    const trace = await fullFixture('war');
    mount('<lmtt-tokens id="lead"></lmtt-tokens><lmtt-tokens for="lead"></lmtt-tokens>');
    const [lead, follower] = [...document.querySelectorAll('lmtt-tokens')];
    lead!.trace = trace;
    await until(() => chips(follower!).length === trace.tokens.length, 'the follower');
    (chips(follower!)[4] as HTMLElement).click(); // the follower selects on the leader
    await until(() => lead!.selection?.pos === 4, 'the leader');
    await until(() => follower!.selection?.pos === 4, 'the follower');
  });

  it('says what went wrong when the file is missing or not a trace, or for names nothing', async () => {
    mount(
      '<lmtt-tokens src="/fixtures/nope.json"></lmtt-tokens><lmtt-tokens src="/package.json"></lmtt-tokens><lmtt-tokens for="nobody"></lmtt-tokens>',
    );
    const [missing, bad, orphan] = [...document.querySelectorAll('lmtt-tokens')];
    const alert = (element: Element) => element.shadowRoot!.querySelector('[role="alert"]');
    await until(
      () => [missing, bad, orphan].every((element) => alert(element!) !== null),
      'errors',
    );
    expect(alert(missing!)!.textContent).toContain('FETCH_FAILED');
    expect(alert(bad!)!.textContent).toContain('BAD_TRACE');
    expect(alert(orphan!)!.textContent).toContain('no element with id "nobody"');
  });

  it('shows an empty state with no trace', async () => {
    mount('<lmtt-tokens></lmtt-tokens>');
    const element = document.querySelector('lmtt-tokens')!;
    await element.updateComplete;
    expect(element.shadowRoot!.querySelector('[part~="empty"]')!.textContent).toContain('No trace');
  });
});

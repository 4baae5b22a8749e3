import { afterEach, describe, expect, it } from 'vitest';
import '../define.js';

afterEach(() => {
  document.body.replaceChildren();
});

async function mount(tokens: { id: number; text: string }[], selected?: number) {
  const element = document.createElement('lmtt-tokens');
  element.tokens = tokens;
  if (selected !== undefined) element.selected = selected;
  document.body.append(element);
  await element.updateComplete;
  return element;
}

describe('<lmtt-tokens>', () => {
  it('renders one chip per token with whitespace made visible', async () => {
    const element = await mount([
      { id: 464, text: 'The' },
      { id: 3290, text: ' war' },
      { id: 198, text: '\n' },
    ]);
    const chips = [...element.shadowRoot!.querySelectorAll('[part="token"]')];
    expect(chips.map((chip) => chip.textContent?.trim())).toEqual(['The', '\u00b7war', '\u21b5']);
    expect(chips[1]!.getAttribute('title')).toBe('position 1, id 3290');
  });

  it('marks the selected token for assistive technology', async () => {
    const element = await mount(
      [
        { id: 1, text: 'a' },
        { id: 2, text: 'b' },
      ],
      1,
    );
    const current = element.shadowRoot!.querySelector('[aria-current="true"]');
    expect(current?.getAttribute('data-pos')).toBe('1');
  });

  it('says so when there are no tokens', async () => {
    const element = await mount([]);
    expect(element.shadowRoot!.querySelector('[part="empty"]')?.textContent).toBe('No tokens yet.');
  });
});

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect } from 'storybook/test';
import type { TokenView } from '@lmtt/engine/schema';

interface TokensArgs {
  tokens: TokenView[];
  selected?: number;
}

const meta: Meta<TokensArgs> = {
  title: 'Elements/lmtt-tokens',
  component: 'lmtt-tokens',
  render: ({ tokens, selected }) =>
    html`<lmtt-tokens .tokens=${tokens} .selected=${selected}></lmtt-tokens>`,
};
export default meta;

type Story = StoryObj<TokensArgs>;

/** A short prompt in GPT-2's tokens, the last position selected. */
export const Prompt: Story = {
  args: {
    tokens: [
      { id: 464, text: 'The' },
      { id: 1175, text: ' war' },
      { id: 20337, text: ' lasted' },
      { id: 422, text: ' from' },
    ],
    selected: 3,
  },
  play: async ({ canvasElement }) => {
    const element = canvasElement.querySelector('lmtt-tokens')!;
    await element.updateComplete;
    const chips = element.shadowRoot!.querySelectorAll('[part="token"]');
    await expect(chips).toHaveLength(4);
    await expect(chips[3]!.getAttribute('aria-current')).toBe('true');
  },
};

/** Before a trace arrives. */
export const Empty: Story = {
  args: { tokens: [] },
  play: async ({ canvasElement }) => {
    const element = canvasElement.querySelector('lmtt-tokens')!;
    await element.updateComplete;
    await expect(element.shadowRoot!.textContent).toContain('No tokens yet.');
  },
};

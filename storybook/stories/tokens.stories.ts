import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';

interface TokensArgs {
  src: string;
}

const meta: Meta<TokensArgs> = {
  title: 'Elements/lmtt-tokens',
  component: 'lmtt-tokens',
  render: ({ src }) => html`<lmtt-tokens src=${src}></lmtt-tokens>`,
};
export default meta;

type Story = StoryObj<TokensArgs>;

const tokensOf = (canvas: HTMLElement) =>
  canvas.querySelector('lmtt-tokens')!.shadowRoot!.querySelectorAll('[part="token"]');

/** The embedded model's tokens of a reference prompt, each with its top prediction. */
export const Prompt: Story = {
  args: { src: 'fixtures/war.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(tokensOf(canvasElement)).toHaveLength(13));
    await expect(tokensOf(canvasElement)[12]!.getAttribute('aria-pressed')).toBe('true');
  },
};

/** A long prompt (114 tokens) wraps. */
export const LongPrompt: Story = {
  args: { src: 'fixtures/deep-long.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(tokensOf(canvasElement)).toHaveLength(114));
  },
};

/** While the trace file loads (this story's fetch never answers). */
export const Loading: Story = {
  args: { src: 'fixtures/never.json' },
  beforeEach: () => {
    const original = globalThis.fetch;
    globalThis.fetch = (input, init) =>
      String(input).endsWith('never.json') ? new Promise(() => {}) : original(input, init);
    return () => {
      globalThis.fetch = original;
    };
  },
  play: async ({ canvasElement }) => {
    const element = canvasElement.querySelector('lmtt-tokens')!;
    await waitFor(() =>
      expect(element.shadowRoot!.querySelector('[part~="loading"]')?.textContent).toContain(
        'Loading trace',
      ),
    );
  },
};

/** A trace file that is not there. */
export const LoadError: Story = {
  args: { src: 'fixtures/missing.json' },
  play: async ({ canvasElement }) => {
    const element = canvasElement.querySelector('lmtt-tokens')!;
    await waitFor(() =>
      expect(element.shadowRoot!.querySelector('[role="alert"]')?.textContent).toContain(
        'FETCH_FAILED',
      ),
    );
  },
};

/** No trace given. */
export const Empty: Story = {
  args: { src: '' },
  render: () => html`<lmtt-tokens></lmtt-tokens>`,
  play: async ({ canvasElement }) => {
    const element = canvasElement.querySelector('lmtt-tokens')!;
    await element.updateComplete;
    await expect(element.shadowRoot!.textContent).toContain('No trace');
  },
};

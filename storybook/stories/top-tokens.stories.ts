import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { Selection } from '@lmtt/components';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { stalledSource } from './support/fixture-source.js';

interface TopTokensArgs {
  src: string;
  selection?: Selection;
}

const meta: Meta<TopTokensArgs> = {
  title: 'Elements/lmtt-top-tokens',
  component: 'lmtt-top-tokens',
  render: ({ src, selection }) =>
    html`<lmtt-top-tokens src=${src} .selection=${selection}></lmtt-top-tokens>`,
};
export default meta;

type Story = StoryObj<TopTokensArgs>;

const shadowOf = (canvas: HTMLElement) => canvas.querySelector('lmtt-top-tokens')!.shadowRoot!;
const rowsOf = (canvas: HTMLElement) => shadowOf(canvas).querySelectorAll('[part="row"]');
const changesOf = (canvas: HTMLElement) =>
  [...shadowOf(canvas).querySelectorAll('[part="change"] [aria-hidden]')].map(
    (change) => change.textContent,
  );

/** The lens of `resid_mid[2]` at "·war": tokens that rose, fell, held or are new against `resid_post[1]`. */
export const ResidualState: Story = {
  args: {
    src: 'fixtures/war.json',
    selection: { pos: 12, target: { type: 'node', node: { kind: 'resid_mid', layer: 2, pos: 1 } } },
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rowsOf(canvasElement)).toHaveLength(10));
    await expect(shadowOf(canvasElement).querySelector('[part="node"]')!.textContent).toBe(
      'resid_mid[2] · "·war"',
    );
    await expect(changesOf(canvasElement).slice(0, 3)).toEqual(['▲2', '=', 'new']);
  },
};

/** With nothing clicked, the lens of the prediction itself: the last layer's `resid_post`. */
export const Prediction: Story = {
  args: { src: 'fixtures/arithmetic.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rowsOf(canvasElement)).toHaveLength(10));
    await expect(shadowOf(canvasElement).querySelector('[part="node"]')!.textContent).toMatch(
      /^resid_post\[3\]/,
    );
  },
};

/** The embedding has no previous state: no rank changes. */
export const Embedding: Story = {
  args: {
    src: 'fixtures/mary.json',
    selection: { pos: 3, target: { type: 'node', node: { kind: 'embed', layer: -1, pos: 3 } } },
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(rowsOf(canvasElement)).toHaveLength(10));
    await expect(changesOf(canvasElement)).toEqual([]);
  },
};

/** A summary trace keeps no lens: the element says what to load instead. */
export const SummaryTrace: Story = {
  args: { src: 'fixtures/deep-long.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[role="alert"]')?.textContent).toContain(
        'NO_DETAIL',
      ),
    );
  },
};

/** While the lens is being fetched (this story's source never answers). */
export const Loading: Story = {
  args: { src: '' },
  loaders: [async () => ({ source: await stalledSource('war', 'lens') })],
  render: (_args, { loaded }) =>
    html`<lmtt-top-tokens .source=${loaded['source'] as TraceSource}></lmtt-top-tokens>`,
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[part~="loading"]')?.textContent).toContain(
        'Reading the logit lens',
      ),
    );
  },
};

/** No trace given. */
export const Empty: Story = {
  args: { src: '' },
  render: () => html`<lmtt-top-tokens></lmtt-top-tokens>`,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shadowOf(canvasElement).textContent).toContain('No trace'));
  },
};

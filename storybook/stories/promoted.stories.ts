import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import type { Selection } from '@lmtt/components';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { stalledSource } from './support/fixture-source.js';

interface PromotedArgs {
  src: string;
  selection?: Selection;
}

const meta: Meta<PromotedArgs> = {
  title: 'Elements/lmtt-promoted',
  component: 'lmtt-promoted',
  render: ({ src, selection }) =>
    html`<lmtt-promoted src=${src} .selection=${selection}></lmtt-promoted>`,
};
export default meta;

type Story = StoryObj<PromotedArgs>;

const shadowOf = (canvas: HTMLElement) => canvas.querySelector('lmtt-promoted')!.shadowRoot!;
const updateOf = (canvas: HTMLElement) =>
  shadowOf(canvas).querySelector('[part="update"]')?.textContent;
const columnOf = (canvas: HTMLElement, side: 'promoted' | 'suppressed') =>
  shadowOf(canvas).querySelectorAll(`[part="${side}"] [part="row"]`);

/** One head's output at "·war": the tokens it pushes up and down, around zero. */
export const Head: Story = {
  args: { src: 'fixtures/war.json', selection: { pos: 1, head: { layer: 2, head: 1 } } },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(columnOf(canvasElement, 'promoted')).toHaveLength(10));
    await expect(columnOf(canvasElement, 'suppressed')).toHaveLength(10);
    await expect(updateOf(canvasElement)).toBe('head L2H1 at "·war"');
  },
};

/** A neuron picked in `<lmtt-neurons>`, named by its index once known. */
export const Neuron: Story = {
  args: {
    src: 'fixtures/mary.json',
    selection: {
      pos: 4,
      target: { type: 'node', node: { kind: 'mlp', layer: 1, pos: 4 } },
      neuron: { layer: 1, pos: 4, rank: 0 },
    },
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(updateOf(canvasElement)).toMatch(/^neuron \d+ of mlp\[1\] at /));
  },
};

/** A `resid_mid` node: the attention block's whole output. */
export const AttentionBlock: Story = {
  args: {
    src: 'fixtures/arithmetic.json',
    selection: { pos: 3, target: { type: 'node', node: { kind: 'resid_mid', layer: 0, pos: 3 } } },
  },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(updateOf(canvasElement)).toMatch(/^attn_out\[0\] at /));
  },
};

/** A summary trace keeps no projections: the element says what to load instead. */
export const SummaryTrace: Story = {
  args: { src: 'fixtures/deep-long.json', selection: { pos: 5, head: { layer: 1, head: 0 } } },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[role="alert"]')?.textContent).toContain(
        'open a full trace',
      ),
    );
  },
};

/** While the projection is being fetched (this story's source never answers). */
export const Loading: Story = {
  args: { src: '' },
  loaders: [async () => ({ source: await stalledSource('war', 'update') })],
  render: (_args, { loaded }) =>
    html`<lmtt-promoted
      .source=${loaded['source'] as TraceSource}
      .selection=${{ pos: 1, head: { layer: 0, head: 2 } }}
    ></lmtt-promoted>`,
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[part~="loading"]')?.textContent).toContain(
        'Projecting the update',
      ),
    );
    await expect(updateOf(canvasElement)).toBe('head L0H2 at "·war"');
  },
};

/** Nothing selected is an update: the element says what to select. */
export const NothingSelected: Story = {
  args: { src: 'fixtures/war.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[part~="empty"]')?.textContent).toContain(
        'Select an update',
      ),
    );
  },
};

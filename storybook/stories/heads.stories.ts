import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { Selection } from '@lmtt/components';
import { edgeIndex } from '@lmtt/engine/schema';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { stalledSource } from './support/fixture-source.js';

interface HeadsArgs {
  src: string;
  selection?: Selection;
}

const meta: Meta<HeadsArgs> = {
  title: 'Elements/lmtt-heads',
  component: 'lmtt-heads',
  render: ({ src, selection }) =>
    html`<lmtt-heads src=${src} .selection=${selection}></lmtt-heads>`,
};
export default meta;

type Story = StoryObj<HeadsArgs>;

const shadowOf = (canvas: HTMLElement) => canvas.querySelector('lmtt-heads')!.shadowRoot!;
const buttonsOf = (canvas: HTMLElement, chart: 'bars' | 'overview') =>
  shadowOf(canvas).querySelectorAll<SVGElement>(`[data-chart="${chart}"] [role="button"]`);

/** war.json (13 tokens): the layer-1 attention edge from "The" (0) to "·last" (2). */
const onEdge: Selection = {
  pos: 12,
  target: {
    type: 'edge',
    edge: edgeIndex(
      {
        from: { kind: 'resid_post', layer: 0, pos: 0 },
        to: { kind: 'resid_mid', layer: 1, pos: 2 },
        kind: 'attention',
      },
      13,
    ),
  },
};

/** An attention edge split into its heads, with the overview at its position; click a head. */
export const EdgeSelected: Story = {
  args: { src: 'fixtures/war.json', selection: onEdge },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(buttonsOf(canvasElement, 'bars')).toHaveLength(4));
    await expect(shadowOf(canvasElement).querySelector('[part="title"]')!.textContent).toContain(
      'total 9.9%',
    );
    await userEvent.click(buttonsOf(canvasElement, 'bars')[2]!);
    await waitFor(() =>
      expect(buttonsOf(canvasElement, 'bars')[2]!.getAttribute('aria-pressed')).toBe('true'),
    );
  },
};

/** A picked head is highlighted in the bars and the overview; arrows and Enter pick another. */
export const HeadSelected: Story = {
  args: { src: 'fixtures/war.json', selection: { ...onEdge, head: { layer: 1, head: 2 } } },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(buttonsOf(canvasElement, 'overview')).toHaveLength(16));
    const pressed = shadowOf(canvasElement).querySelectorAll('[aria-pressed="true"]');
    await expect([...pressed].map((button) => button.getAttribute('aria-label'))).toEqual([
      'L1H2, 4.5%',
      'L1H2, 6.4%',
    ]);
    buttonsOf(canvasElement, 'overview')[6]!.focus();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await waitFor(() =>
      expect(buttonsOf(canvasElement, 'overview')[10]!.getAttribute('aria-pressed')).toBe('true'),
    );
  },
};

/** No attention edge selected: the overview alone, with what to select. */
export const NothingSelected: Story = {
  args: { src: 'fixtures/war.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(buttonsOf(canvasElement, 'overview')).toHaveLength(16));
    await expect(shadowOf(canvasElement).querySelector('[part="hint"]')!.textContent).toContain(
      'Select an attention edge',
    );
  },
};

/** A summary trace keeps no heads: the element says what to load instead. */
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

/** While the heads are being fetched (this story's source never answers). */
export const Loading: Story = {
  args: { src: '' },
  loaders: [async () => ({ source: await stalledSource('war', 'edgeHeads', 'headOverview') })],
  render: (_args, { loaded }) =>
    html`<lmtt-heads .source=${loaded['source'] as TraceSource} .selection=${onEdge}></lmtt-heads>`,
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[part~="loading"]')?.textContent).toContain(
        'Loading the heads',
      ),
    );
  },
};

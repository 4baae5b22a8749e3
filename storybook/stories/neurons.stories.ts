import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { Selection } from '@lmtt/components';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { stalledSource } from './support/fixture-source.js';

interface NeuronsArgs {
  src: string;
  selection?: Selection;
}

const meta: Meta<NeuronsArgs> = {
  title: 'Elements/lmtt-neurons',
  component: 'lmtt-neurons',
  render: ({ src, selection }) =>
    html`<lmtt-neurons src=${src} .selection=${selection}></lmtt-neurons>`,
};
export default meta;

type Story = StoryObj<NeuronsArgs>;

const shadowOf = (canvas: HTMLElement) => canvas.querySelector('lmtt-neurons')!.shadowRoot!;
const optionsOf = (canvas: HTMLElement) =>
  shadowOf(canvas).querySelectorAll<HTMLElement>('[part~="option"]');
const onMlp: Selection = {
  pos: 12,
  target: { type: 'node', node: { kind: 'mlp', layer: 1, pos: 1 } },
};

/** The top neurons of `mlp[1]` at "·war", with the residual's share; click one to select it. */
export const FfnNode: Story = {
  args: { src: 'fixtures/war.json', selection: onMlp },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(optionsOf(canvasElement)).toHaveLength(10));
    await expect(
      shadowOf(canvasElement).querySelector('[part="composition"]')!.textContent,
    ).toContain('residual resid_mid[1]');
    await userEvent.click(optionsOf(canvasElement)[2]!);
    await waitFor(() =>
      expect(optionsOf(canvasElement)[2]!.getAttribute('aria-selected')).toBe('true'),
    );
  },
};

/** A picked neuron is highlighted; the arrow keys move the pick. */
export const SelectedNeuron: Story = {
  args: {
    src: 'fixtures/war.json',
    selection: { ...onMlp, neuron: { layer: 1, pos: 1, rank: 2 } },
  },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(optionsOf(canvasElement)[2]?.getAttribute('aria-selected')).toBe('true'),
    );
    shadowOf(canvasElement).querySelector<HTMLElement>('[role="listbox"]')!.focus();
    await userEvent.keyboard('{ArrowDown}');
    await waitFor(() =>
      expect(optionsOf(canvasElement)[3]!.getAttribute('aria-selected')).toBe('true'),
    );
  },
};

/** A summary trace keeps no neurons: the element says what to load instead. */
export const SummaryTrace: Story = {
  args: {
    src: 'fixtures/deep-long.json',
    selection: { pos: 5, target: { type: 'node', node: { kind: 'mlp', layer: 0, pos: 5 } } },
  },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[role="alert"]')?.textContent).toContain(
        'NO_DETAIL',
      ),
    );
  },
};

/** While the neurons are being fetched (this story's source never answers). */
export const Loading: Story = {
  args: { src: '' },
  loaders: [async () => ({ source: await stalledSource('war', 'neurons') })],
  render: (_args, { loaded }) =>
    html`<lmtt-neurons
      .source=${loaded['source'] as TraceSource}
      .selection=${onMlp}
    ></lmtt-neurons>`,
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[part~="loading"]')?.textContent).toContain(
        'Finding the top neurons',
      ),
    );
  },
};

/** No FFN node selected: the element says what to select. */
export const NothingSelected: Story = {
  args: { src: 'fixtures/war.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[part~="empty"]')?.textContent).toContain(
        'Select an FFN node',
      ),
    );
  },
};

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import type { Selection } from '@lmtt/components';
import { edgeIndex } from '@lmtt/engine/schema';
import type { TraceSource } from '@lmtt/engine/trace-query';
import { stalledSource } from './support/fixture-source.js';

interface AttentionMapArgs {
  src: string;
  selection?: Selection;
}

const meta: Meta<AttentionMapArgs> = {
  title: 'Elements/lmtt-attention-map',
  component: 'lmtt-attention-map',
  render: ({ src, selection }) =>
    html`<lmtt-attention-map src=${src} .selection=${selection}></lmtt-attention-map>`,
};
export default meta;

type Story = StoryObj<AttentionMapArgs>;

const shadowOf = (canvas: HTMLElement) => canvas.querySelector('lmtt-attention-map')!.shadowRoot!;
const mapsOf = (canvas: HTMLElement) => shadowOf(canvas).querySelectorAll('[part="map"]');

/** war.json (13 tokens): the layer-1 attention edge from "The" (0) to "·last" (2), head L1H2. */
const onHead: Selection = {
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
  head: { layer: 1, head: 2 },
};

/** A head's attention and contribution maps; the edge's query row and key column are framed. */
export const HeadSelected: Story = {
  args: { src: 'fixtures/war.json', selection: onHead },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(mapsOf(canvasElement)).toHaveLength(2));
    const cells = mapsOf(canvasElement)[0]!.querySelectorAll('g[aria-label="cell"]')[0]!;
    await expect(cells.children).toHaveLength((13 * 14) / 2);
    await expect(shadowOf(canvasElement).querySelector('[part="title"]')!.textContent).toContain(
      'L1H2',
    );
  },
};

/** Following `<lmtt-heads>` by id: pick a head there and its maps appear here. */
export const FollowingHeads: Story = {
  args: { src: 'fixtures/mary.json' },
  render: ({ src }) =>
    html`<lmtt-heads id="heads-id" src=${src}></lmtt-heads>
      <lmtt-attention-map for="heads-id"></lmtt-attention-map>`,
  play: async ({ canvasElement }) => {
    const heads = canvasElement.querySelector('lmtt-heads')!.shadowRoot!;
    const cell = () => heads.querySelector<SVGElement>('[data-layer="3"][data-head="1"]');
    await waitFor(() => expect(cell()).not.toBeNull());
    await userEvent.click(cell()!);
    await waitFor(() => expect(mapsOf(canvasElement)).toHaveLength(2));
  },
};

/** No head selected: the element says what to select. */
export const NothingSelected: Story = {
  args: { src: 'fixtures/war.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[part~="empty"]')?.textContent).toContain(
        'Select a head',
      ),
    );
  },
};

/** A summary trace keeps no head maps: the element says what to load instead. */
export const SummaryTrace: Story = {
  args: { src: 'fixtures/deep-long.json', selection: { pos: 5, head: { layer: 0, head: 0 } } },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[role="alert"]')?.textContent).toContain(
        'NO_DETAIL',
      ),
    );
  },
};

/** While the maps are being fetched (this story's source never answers). */
export const Loading: Story = {
  args: { src: '' },
  loaders: [async () => ({ source: await stalledSource('war', 'headMap') })],
  render: (_args, { loaded }) =>
    html`<lmtt-attention-map
      .source=${loaded['source'] as TraceSource}
      .selection=${onHead}
    ></lmtt-attention-map>`,
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadowOf(canvasElement).querySelector('[part~="loading"]')?.textContent).toContain(
        'Loading the head’s maps',
      ),
    );
  },
};

import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, waitFor } from 'storybook/test';
import { fixtureTrace } from './support/fixture-source.js';

interface GraphArgs {
  src: string;
  threshold?: number;
}

const meta: Meta<GraphArgs> = {
  title: 'Elements/lmtt-graph',
  component: 'lmtt-graph',
  render: ({ src, threshold }) =>
    html`<lmtt-graph src=${src} .threshold=${threshold}></lmtt-graph>`,
};
export default meta;

type Story = StoryObj<GraphArgs>;

const graphOf = (canvas: HTMLElement) => canvas.querySelector('lmtt-graph')!;
const shadow = (canvas: HTMLElement) => graphOf(canvas).shadowRoot!;
const routeEdges = (canvas: HTMLElement) => shadow(canvas).querySelectorAll('path[data-edge]');
const kept = (canvas: HTMLElement) =>
  Number(shadow(canvas).querySelector<HTMLElement>('.stage')?.dataset['kept'] ?? 0);

/** The embedded 4-layer model on a short prompt: the last prediction's route over the faded graph. */
export const SmallModel: Story = {
  args: { src: 'fixtures/war.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(routeEdges(canvasElement).length).toBeGreaterThan(0));
    const selectors = shadow(canvasElement).querySelectorAll('[part="selector"]');
    await expect(selectors).toHaveLength(13);
    await expect(selectors[12]!.getAttribute('aria-pressed')).toBe('true');
  },
};

/** 32 layers, 114 tokens: the drawing scrolls sideways, the selected column in view. */
export const DeepLongPrompt: Story = {
  args: { src: 'fixtures/deep-long.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(routeEdges(canvasElement).length).toBeGreaterThan(0), {
      timeout: 5000,
    });
    await expect(shadow(canvasElement).querySelectorAll('[part="selector"]')).toHaveLength(114);
    await expect(shadow(canvasElement).querySelectorAll('.labels text')).toHaveLength(33);
  },
};

/** A higher threshold than the trace's (0.04): fewer edges, recut in the page. */
export const HighThreshold: Story = {
  args: { src: 'fixtures/war.json', threshold: 0.2 },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(kept(canvasElement)).toBeGreaterThan(0));
    const high = kept(canvasElement);
    graphOf(canvasElement).setAttribute('threshold', '0.04');
    await waitFor(() => expect(kept(canvasElement)).toBeGreaterThan(high));
  },
};

/** A trace streaming in: 2 of 4 layers so far, the rest holding their place. */
export const Streaming: Story = {
  args: { src: '' },
  loaders: [
    async () => {
      const trace = await fixtureTrace('war');
      return { partial: { ...trace, contributions: trace.contributions.slice(0, 2) } };
    },
  ],
  render: (_args, { loaded }) => html`<lmtt-graph .trace=${loaded['partial']}></lmtt-graph>`,
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadow(canvasElement).querySelector('[part="progress"]')?.textContent).toContain(
        '2 of 4 layers',
      ),
    );
    await expect(shadow(canvasElement).querySelector('.pending text')!.textContent).toBe(
      'layers 2–3 coming…',
    );
    await expect(routeEdges(canvasElement)).toHaveLength(0);
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
    await waitFor(() =>
      expect(shadow(canvasElement).querySelector('[part~="loading"]')?.textContent).toContain(
        'Loading trace',
      ),
    );
  },
};

/** A trace file that is not there. */
export const LoadError: Story = {
  args: { src: 'fixtures/missing.json' },
  play: async ({ canvasElement }) => {
    await waitFor(() =>
      expect(shadow(canvasElement).querySelector('[role="alert"]')?.textContent).toContain(
        'FETCH_FAILED',
      ),
    );
  },
};

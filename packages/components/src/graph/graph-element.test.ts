import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildGraph, routes } from '@lmtt/engine/graph';
import { edgeAt, edgeShare } from '@lmtt/engine/schema';
import type { TraceFull } from '@lmtt/engine/schema';
import { defineOnce } from '../test-support/define-once.js';
import { fixtureTrace, fixtureUrl, fullFixture, until } from '../test-support/fixtures.js';
import { edgeGeometry } from './edge-geometry.js';
import { LmttGraph } from './graph-element.js';
import { layoutGraph } from './graph-layout.js';

defineOnce('lmtt-graph', LmttGraph);

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

const root = (element: LmttGraph) => element.shadowRoot!;
const stage = (element: LmttGraph) => root(element).querySelector<HTMLElement>('.stage')!;
const drawnEdges = (element: LmttGraph) =>
  [...root(element).querySelectorAll('path[data-edge]')].map((path) =>
    Number(path.getAttribute('data-edge')),
  );
const tooltip = (element: LmttGraph) =>
  root(element).querySelector('[part="tooltip"]')?.textContent;

async function mount(trace: TraceFull, attributes = ''): Promise<LmttGraph> {
  document.body.insertAdjacentHTML(
    'beforeend',
    `<lmtt-graph style="width: 900px" ${attributes}></lmtt-graph>`,
  );
  const element = document.body.lastElementChild as LmttGraph;
  element.trace = trace;
  await until(() => root(element).querySelector('.stage') !== null, 'the graph');
  await until(
    () => stage(element).style.width === `${layoutOf(element).width}px`,
    'the fitted layout',
  );
  return element;
}

/** The layout the element draws with (it fills its 900 px). */
function layoutOf(element: LmttGraph) {
  const trace = element.activeSource!.trace;
  return layoutGraph(
    { nTokens: trace.tokens.length, nLayers: trace.model.nLayers },
    { width: 900 },
  );
}

/** Dispatches a mouse event at a point of the drawing. */
function pointer(element: LmttGraph, type: string, x: number, y: number): void {
  const box = stage(element).getBoundingClientRect();
  const init = { clientX: box.left + x, clientY: box.top + y, bubbles: true };
  stage(element).dispatchEvent(
    type === 'click' ? new MouseEvent(type, init) : new PointerEvent(type, init),
  );
}

describe('<lmtt-graph>', () => {
  it('loads a trace file and draws the last prediction’s route over the faded graph', async () => {
    document.body.innerHTML = `<lmtt-graph src="${fixtureUrl('war')}"></lmtt-graph>`;
    const element = document.querySelector('lmtt-graph')!;
    await until(() => drawnEdges(element).length > 0, 'the route');
    const trace = element.activeSource!.trace;
    const graph = buildGraph(trace.contributions, trace.settings);
    expect(drawnEdges(element)).toEqual(Array.from(routes(graph, 12)));
    expect(stage(element).dataset['kept']).toBe(String(graph.edges.length));
    expect(element.flowGraph?.edges).toEqual(graph.edges);
    expect(element.flowGraph?.weights).toEqual(graph.weights);
    const selectors = root(element).querySelectorAll('[part="selector"]');
    expect(selectors).toHaveLength(13);
    expect(selectors[12]!.getAttribute('aria-pressed')).toBe('true');
  });

  it('exports the whole graph as a standalone SVG: every kept edge and node, colours inline', async () => {
    const trace = await fullFixture('war');
    const element = await mount(trace);
    const graph = element.flowGraph!;
    const file = new DOMParser().parseFromString(element.toSvg()!, 'image/svg+xml');
    const svg = file.documentElement;
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    const edges = [...svg.querySelectorAll('path[data-edge]')].map((path) =>
      Number(path.getAttribute('data-edge')),
    );
    expect(edges.sort((a, b) => a - b)).toEqual([...graph.edges]);
    const { nTokens, nLayers } = graph;
    expect(svg.querySelectorAll('[data-node]')).toHaveLength(nTokens * (1 + 3 * nLayers));
    expect(svg.querySelectorAll('.back').length).toBeGreaterThan(0);
    const labels = [...svg.querySelectorAll('.tokens text')];
    expect(labels).toHaveLength(nTokens);
    expect(labels.at(-1)!.classList.contains('current')).toBe(true);
    const css = svg.querySelector('style')!.textContent!;
    expect(css).toMatch(/stroke:rgb\(/);
    expect(css).not.toContain('var(');
    // The file stands alone: no Lit markers, and it draws where no shadow styles apply.
    expect(element.toSvg()).not.toContain('<!--');
    expect(root(element).querySelectorAll('svg')).toHaveLength(1);
  });

  it('selects an edge on click, and fires lmtt-select with it', async () => {
    const trace = await fullFixture('war');
    const element = await mount(trace);
    const edge = drawnEdges(element).find((index) => edgeAt(index, 13).kind === 'attention')!;
    const events: unknown[] = [];
    element.addEventListener('lmtt-select', (event) => events.push(event.detail.selection));
    const { x1, y1, x2, y2 } = edgeGeometry(layoutOf(element), edge);
    pointer(element, 'click', (x1 + x2) / 2, (y1 + y2) / 2);
    await element.updateComplete;
    expect(events).toEqual([{ pos: 12, target: { type: 'edge', edge } }]);
    expect(root(element).querySelector('.edge-outline.selected')).not.toBeNull();
  });

  it('shows the exact numbers on hover', async () => {
    const trace = await fullFixture('war');
    const element = await mount(trace);
    const edge = drawnEdges(element).find((index) => edgeAt(index, 13).kind === 'attention')!;
    const { x1, y1, x2, y2 } = edgeGeometry(layoutOf(element), edge);
    pointer(element, 'pointermove', (x1 + x2) / 2, (y1 + y2) / 2);
    await element.updateComplete;
    const weight = buildGraph(trace.contributions, trace.settings).weights[edge]!;
    expect(tooltip(element)).toContain(`weight ${weight.toFixed(4)}`);
    expect(tooltip(element)).toContain(
      `share ${edgeShare(trace.contributions, edge, 13).toFixed(4)}`,
    );
    const layout = layoutOf(element);
    const mid = 13 * (1 + 3 * 2) + 1; // resid_mid[2][1]
    pointer(element, 'pointermove', layout.nodeX[mid]!, layout.nodeY[mid]!);
    await element.updateComplete;
    expect(tooltip(element)).toBe('resid_mid[2][1]\ntoken 1: “·war”');
    stage(element).dispatchEvent(new PointerEvent('pointerleave'));
    await element.updateComplete;
    expect(tooltip(element)).toBeUndefined();
  });

  it('switches routes from the token selectors', async () => {
    const trace = await fullFixture('war');
    const element = await mount(trace);
    root(element).querySelector<HTMLElement>('[part="selector"][data-pos="3"]')!.click();
    await element.updateComplete;
    expect(element.selection).toEqual({ pos: 3 });
    const graph = buildGraph(trace.contributions, trace.settings);
    expect(drawnEdges(element)).toEqual(Array.from(routes(graph, 3)));
  });

  it('is driven by the keyboard', async () => {
    const trace = await fullFixture('war');
    const element = await mount(trace);
    const key = async (name: string) => {
      stage(element).dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true }));
      await element.updateComplete;
    };
    stage(element).focus();
    await key('ArrowDown'); // the first key puts the cursor on resid_post[3][12]
    await key('ArrowDown'); // mlp[3][12]
    await key('ArrowDown'); // resid_mid[3][12]
    await key('Enter');
    expect(element.selection?.target).toEqual({
      type: 'node',
      node: { kind: 'resid_mid', layer: 3, pos: 12 },
    });
    await key(']');
    await key('Enter');
    const target = element.selection?.target;
    expect(target?.type === 'edge' && edgeAt(target.edge, 13).to).toEqual({
      kind: 'resid_mid',
      layer: 3,
      pos: 12,
    });
    expect(root(element).querySelector('.announcer')!.textContent).toContain('→ resid_mid[3][12]');
    await key('Escape');
    expect(element.selection).toEqual({ pos: 12 });
  });

  it('recuts the graph when threshold or renormalize change, with no fetch', async () => {
    const trace = await fullFixture('war');
    const element = await mount(trace);
    const fetch = vi.spyOn(globalThis, 'fetch');
    const kept = stage(element).dataset['kept'];
    element.setAttribute('threshold', '0.2');
    await element.updateComplete;
    const graph = buildGraph(trace.contributions, { threshold: 0.2, renormalize: true });
    expect(stage(element).dataset['kept']).toBe(String(graph.edges.length));
    expect(Number(kept)).toBeGreaterThan(graph.edges.length);
    expect(drawnEdges(element)).toEqual(Array.from(routes(graph, 12)));
    element.setAttribute('renormalize', 'false');
    pointer(element, 'pointermove', ...midpoint(element, drawnEdges(element)[0]!));
    await element.updateComplete;
    expect(tooltip(element)).toContain('(threshold 0.2)');
    element.setAttribute('threshold', ''); // no number: the trace's threshold again
    await element.updateComplete;
    expect(stage(element).dataset['kept']).toBe(kept);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('draws a trace that is still streaming in, keeping room for the layers to come', async () => {
    const full = await fullFixture('war');
    const element = await mount({ ...full, contributions: full.contributions.slice(0, 1) });
    expect(root(element).querySelector('[part="progress"]')!.textContent).toContain(
      '1 of 4 layers',
    );
    expect(root(element).querySelector('.pending text')!.textContent).toBe('layers 1–3 coming…');
    expect(stage(element).getAttribute('aria-busy')).toBe('true');
    expect(drawnEdges(element)).toEqual([]); // no route yet: all of it is on the canvas, unfaded
    const height = stage(element).style.height;
    element.trace = { ...full, contributions: full.contributions.slice(0, 3) };
    await element.updateComplete;
    expect(root(element).querySelector('.pending text')!.textContent).toBe('layer 3 coming…');
    expect(stage(element).style.height).toBe(height);
    element.trace = full;
    await element.updateComplete;
    expect(root(element).querySelector('[part="progress"]')).toBeNull();
    expect(drawnEdges(element).length).toBeGreaterThan(0);
  });

  it('scrolls a long prompt sideways and shows the selected prediction', async () => {
    const trace = await fixtureTrace('deep-long');
    document.body.innerHTML = '<lmtt-graph style="width: 900px"></lmtt-graph>';
    const element = document.querySelector('lmtt-graph')!;
    element.trace = trace;
    const scroll = () => root(element).querySelector<HTMLElement>('.scroll');
    await until(
      () => drawnEdges(element).length > 0 && scroll()!.scrollLeft > 0,
      'the last column',
    );
    expect(scroll()!.scrollWidth).toBeGreaterThan(scroll()!.clientWidth);
    expect(root(element).querySelectorAll('[part="selector"]')).toHaveLength(114);
  });
});

/** The midpoint of a drawn edge. */
function midpoint(element: LmttGraph, edge: number): [number, number] {
  const { x1, y1, x2, y2 } = edgeGeometry(layoutOf(element), edge);
  return [(x1 + x2) / 2, (y1 + y2) / 2];
}

import { html, nothing, render } from 'lit';
import type { PropertyValues } from 'lit';
import { nodeIndex } from '@lmtt/engine/graph';
import type { FlowGraph } from '@lmtt/engine/graph';
import type { Trace } from '@lmtt/engine/schema';
import { LmttElement } from '../trace/lmtt-element.js';
import { selectTarget } from '../trace/selection.js';
import type { SelectionTarget } from '../trace/selection.js';
import { themeStyles } from '../trace/theme.js';
import { describeTarget } from './describe-graph.js';
import { cursorTarget, graphKey } from './graph-keys.js';
import type { GraphCursor } from './graph-keys.js';
import { layoutGraph } from './graph-layout.js';
import type { GraphLayout } from './graph-layout.js';
import { graphScene, graphSettings, traceGraph } from './graph-scene.js';
import type { GraphScene } from './graph-scene.js';
import { graphStyles } from './graph-styles.js';
import { hitTest } from './hit-test.js';
import { paintGraph } from './paint-graph.js';
import type { GraphPalette } from './paint-graph.js';
import { renderGraph } from './render-graph.js';
import { renderSelectors } from './render-selectors.js';
import { standaloneSvg } from './standalone-svg.js';

/** A tooltip: what it describes and where, in the drawing's px. */
interface Tip {
  readonly target: SelectionTarget;
  readonly x: number;
  readonly y: number;
}

/** Routes longer than this (a very low threshold) are painted on the canvas, not drawn in SVG. */
const ROUTE_SVG_LIMIT = 2000;

/** A number, or the trace's default for no attribute, an empty one or one that is not a number. */
const thresholdConverter = {
  fromAttribute: (value: string | null) =>
    value === null || value.trim() === '' || !Number.isFinite(Number(value))
      ? undefined
      : Number(value),
  toAttribute: (value: number | undefined) => (value === undefined ? null : String(value)),
};

/** `renormalize="false"` turns renormalisation off; no attribute keeps the trace's. */
const renormalizeConverter = {
  fromAttribute: (value: string | null) => (value === null ? undefined : value !== 'false'),
  toAttribute: (value: boolean | undefined) => (value === undefined ? null : String(value)),
};

/**
 * The information-flow graph of a trace: tokens left to right, layers bottom
 * to top, the residual states `resid_mid` and `resid_post` of each layer and
 * token as circles, the FFN blocks `mlp` as squares beside them. Edge width
 * and opacity follow the contribution. The token selectors on top pick the
 * prediction whose route is drawn in full; the rest of the graph fades.
 * `threshold` and `renormalize` recut the graph at once, with no fetch.
 *
 * While a trace streams in (fewer `contributions` than `model.nLayers`) the
 * present layers are drawn in full, nothing fades, and the layers still
 * coming hold their place.
 *
 * Rendering: the whole graph is one canvas (faded), the route, the
 * selection and the focus are SVG over it, so switching routes and hovering
 * never repaint the canvas; a route over 2,000 edges (a near-zero
 * threshold) is painted on the canvas too. Measured on `deep-long` (32
 * layers, 114 tokens, 4,116 x 1,436 px) in headless software-rendered
 * Chromium on 2 cores, median of 5, each time to the second frame (33 ms
 * is the floor):
 *
 * | threshold (kept edges) | all SVG: draw or switch route / re-render for a hover | canvas + SVG route: draw / switch route / hover |
 * | --- | --- | --- |
 * | 0.04 (11,118) | 34 ms / 66 ms (22,213 elements) | 67 ms / 33 ms / 0.4 ms (215 elements) |
 * | 0.01 (15,954) | 33 ms / 66 ms (27,049 elements) | 84 ms / 33 ms / 0.5 ms |
 * | 0.001 (67,854; route 56,983) | 411 ms / 193 ms (78,949 elements) | 402 ms / ~400 ms (the route is on the canvas) / < 1 ms |
 *
 * All-SVG draws as fast while Chromium culls what is scrolled away, but
 * every hover or selection re-renders tens of thousands of elements
 * (66 ms: visible jank) and it does not scale to low thresholds; the
 * canvas pays once per threshold change instead. Hit-testing a pointer
 * move takes ~1.3 ms.
 *
 * Mouse: hover shows a node's name and token, or an edge's ends, weight
 * after the cut and raw share; click selects it; click on empty space clears.
 * Keyboard (the drawing is focusable): arrows move between nodes
 * (up/down through `embed`, `resid_mid`, `mlp`, `resid_post`; left/right
 * between tokens), PageUp/PageDown a layer, Home/End the first or last
 * token; `]` and `[` cycle through the kept edges into the focused node;
 * Enter or Space selects the focused edge or node; Escape clears the edge
 * focus and the selection.
 *
 * @fires lmtt-select - a node, edge or prediction was chosen; `detail: { selection }`
 * @csspart selectors - the row of token selectors
 * @csspart selector - one token selector button
 * @csspart scroll - the scrolling box around selectors and drawing
 * @csspart stage - the focusable drawing
 * @csspart canvas - the canvas holding the faded rest of the graph
 * @csspart graph - the SVG holding the route, the selection and the focus
 * @csspart tooltip - the hover and focus tooltip
 * @csspart progress - the line saying how many layers have streamed in
 * @csspart status - the loading, error or empty state
 * @cssprop --lmtt-graph-attention - attention edge colour (default `--lmtt-positive`)
 * @cssprop --lmtt-graph-ffn - FFN block and edge colour (default `--lmtt-negative`)
 * @cssprop --lmtt-graph-residual - residual edge colour (default `--lmtt-muted`)
 * @cssprop --lmtt-graph-node - residual-state node colour (default `--lmtt-fg`)
 * @cssprop --lmtt-graph-fade - opacity of what is off the route (default 0.16)
 * @cssprop --lmtt-graph-max-height - height past which the graph scrolls (default none)
 * @cssprop --lmtt-selected - outline of the selection and the pressed selector
 * @cssprop --lmtt-accent - keyboard focus outline
 *
 * @tagname lmtt-graph
 */
export class LmttGraph extends LmttElement {
  static override properties = {
    ...LmttElement.properties,
    threshold: { converter: thresholdConverter, reflect: true },
    renormalize: { converter: renormalizeConverter },
    cursor: { state: true },
    tip: { state: true },
    availableWidth: { state: true },
  };

  static override styles = [themeStyles, graphStyles];

  /** Contributions at or below this are cut (default: the trace's `settings.threshold`). */
  threshold?: number;
  /** Renormalise each node's kept contributions to 1 (default: the trace's setting). */
  renormalize?: boolean;

  private cursor: GraphCursor | undefined;
  private tip: Tip | undefined;
  private availableWidth = 0;
  private built: { trace: Trace; key: string; graph: FlowGraph | undefined } | undefined;
  private scene: GraphScene | undefined;
  private layout: (GraphLayout & { key: string }) | undefined;
  private painted: unknown[] = [];
  private revealed: number | undefined;
  private readonly resize = new ResizeObserver(([entry]) => {
    this.availableWidth = Math.floor(entry?.contentRect.width ?? 0);
  });
  private readonly scheme = matchMedia('(prefers-color-scheme: dark)');
  private readonly repaint = () => this.requestUpdate();

  /**
   * The graph as drawn: the kept edges (canonical indices) and every edge's
   * weight after the cut; undefined before the first layer arrives.
   */
  get flowGraph(): FlowGraph | undefined {
    return this.scene?.graph;
  }

  /**
   * The whole graph as drawn, as a standalone SVG file: every kept edge and
   * node (the route in front, the rest faded as on screen), the tokens over
   * their columns, the layer labels and the selection, colours written in; undefined before a trace. The
   * screen paints most of the graph on a canvas, so this draws it anew.
   *
   * @example
   * const blob = new Blob([graph.toSvg()!], { type: 'image/svg+xml' });
   */
  toSvg(): string | undefined {
    const { scene, layout } = this;
    if (!scene || !layout) return undefined;
    // Inside the shadow root, so that the graph's styles apply while they are read.
    const holder = document.createElement('div');
    holder.hidden = true;
    this.renderRoot.append(holder);
    try {
      const tokens = this.activeSource?.trace.tokens;
      const options = { rest: true, selected: this.selection?.target, tokens };
      render(renderGraph(scene, layout, options), holder);
      return standaloneSvg(holder.querySelector('svg')!, getComputedStyle(this).backgroundColor);
    } finally {
      holder.remove();
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
    this.scheme.addEventListener('change', this.repaint);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
    this.scheme.removeEventListener('change', this.repaint);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const trace = this.activeSource?.trace;
    if (!trace) {
      this.scene = undefined;
      return;
    }
    const overrides = { threshold: this.threshold, renormalize: this.renormalize };
    const settings = graphSettings(trace, overrides);
    const key = `${JSON.stringify(settings)} ${trace.contributions.length}`;
    if (this.built?.trace !== trace || this.built.key !== key) {
      this.built = { trace, key, graph: traceGraph(trace, settings) };
    }
    const { graph } = this.built;
    const pos = Math.min(this.selection?.pos ?? Infinity, trace.tokens.length - 1);
    if (!this.scene || this.scene.graph !== graph || this.scene.pos !== pos) {
      this.scene = graphScene(trace, graph, pos);
      if (this.cursor && this.cursor.node.layer >= this.scene.present) this.cursor = undefined;
    }
    const shape = { nTokens: trace.tokens.length, nLayers: trace.model.nLayers };
    const size = `${shape.nTokens}x${shape.nLayers}@${this.availableWidth}`;
    if (this.layout?.key !== size) {
      this.layout = { key: size, ...layoutGraph(shape, { width: this.availableWidth }) };
    }
  }

  protected override render() {
    const trace = this.activeSource?.trace;
    const { scene, layout } = this;
    if (!trace || !scene || !layout) return this.renderTraceStatus();
    const scale = Math.min(2, devicePixelRatio || 1);
    const size = `width: ${layout.width}px; height: ${layout.height}px`;
    const streaming = scene.present < scene.nLayers;
    const route = scene.route.length <= ROUTE_SVG_LIMIT;
    const marks = { route, selected: this.selection?.target, focused: this.cursor };
    return html`${
        streaming
          ? html`<p part="progress" class="progress" role="status">
              Streaming: ${scene.present} of ${scene.nLayers} layers
            </p>`
          : nothing
      }
      <div part="scroll" class="scroll">
        <div @click=${this.onPick}>${renderSelectors(trace.tokens, layout, scene.pos)}</div>
        <div
          part="stage"
          class="stage"
          style=${size}
          tabindex="0"
          role="group"
          aria-roledescription="information-flow graph"
          aria-label=${`${scene.nLayers} layers, ${scene.nTokens} tokens: arrows move, ] and [ cycle edges, Enter selects`}
          aria-busy=${streaming ? 'true' : 'false'}
          data-kept=${scene.graph?.edges.length ?? 0}
          @click=${this.onClick}
          @pointermove=${this.onPointerMove}
          @pointerleave=${this.hideTip}
          @blur=${this.hideTip}
          @keydown=${this.onKeyDown}
        >
          <canvas
            part="canvas"
            width=${Math.ceil(layout.width * scale)}
            height=${Math.ceil(layout.height * scale)}
            style=${size}
          ></canvas>
          ${renderGraph(scene, layout, marks)} ${this.renderTip(trace.tokens)}
        </div>
      </div>
      <div class="palette" aria-hidden="true">
        <i class="attention"></i><i class="ffn"></i><i class="residual"></i><i class="node"></i>
      </div>
      <div class="announcer" aria-live="polite">
        ${this.cursor ? describeTarget(scene, trace.tokens, cursorTarget(this.cursor)).join('; ') : ''}
      </div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const canvas = this.renderRoot.querySelector('canvas');
    const { scene, layout } = this;
    if (!canvas || !scene || !layout) return;
    const palette = this.palette();
    const route = scene.route.length > ROUTE_SVG_LIMIT;
    // The canvas holds the graph: a new route repaints it only when it paints the route too.
    const key = [scene.graph, route && scene, layout, canvas.width, ...Object.values(palette)];
    if (key.length !== this.painted.length || key.some((part, i) => part !== this.painted[i])) {
      this.painted = key;
      const context = canvas.getContext('2d');
      const scale = canvas.width / layout.width;
      if (context) paintGraph(context, scene, layout, palette, { scale, route });
    }
    if (this.revealed !== scene.pos) {
      this.revealed = scene.pos;
      this.reveal(layout.nodeX[scene.pos]!, undefined);
    }
  }

  private renderTip(tokens: Trace['tokens']) {
    const { tip, scene, layout } = this;
    if (!tip || !scene || !layout) return nothing;
    const left = Math.min(tip.x + 14, Math.max(0, layout.width - 340));
    const style = `left: ${left}px; top: ${tip.y + 14}px`;
    const lines = describeTarget(scene, tokens, tip.target).join('\n');
    return html`<div part="tooltip" class="tooltip" role="tooltip" style=${style}>${lines}</div>`;
  }

  /** The colours the canvas paints with, read from the hidden swatches. */
  private palette(): GraphPalette {
    const style = (kind: string) =>
      getComputedStyle(this.renderRoot.querySelector(`.palette .${kind}`)!);
    const [attention, ffn, residual, node] = ['attention', 'ffn', 'residual', 'node'].map(
      (kind) => style(kind).color,
    );
    return {
      attention: attention!,
      ffn: ffn!,
      residual: residual!,
      node: node!,
      fade: Number(style('node').opacity),
    };
  }

  private pointAt(event: MouseEvent): { x: number; y: number } {
    const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  private onPick(event: Event): void {
    const button = (event.target as Element).closest('[data-pos]');
    if (!button || !this.selection) return;
    this.select({ ...this.selection, pos: Number(button.getAttribute('data-pos')) });
  }

  private onClick(event: MouseEvent): void {
    const { scene, layout, selection } = this;
    if (!scene || !layout || !selection) return;
    const { x, y } = this.pointAt(event);
    const target = hitTest(scene, layout, x, y);
    if (target?.type === 'node') this.cursor = { node: target.node };
    this.select(selectTarget(selection, target));
  }

  private onPointerMove(event: PointerEvent): void {
    const { scene, layout } = this;
    if (!scene || !layout) return;
    const { x, y } = this.pointAt(event);
    const target = hitTest(scene, layout, x, y);
    this.tip = target ? { target, x, y } : undefined;
  }

  private hideTip(): void {
    this.tip = undefined;
  }

  private onKeyDown(event: KeyboardEvent): void {
    const { scene, layout, selection } = this;
    if (!scene || !layout || !selection) return;
    const action = graphKey(scene, this.cursor, event.key);
    if (!action) return;
    event.preventDefault();
    const { cursor, select } = action;
    this.cursor = cursor;
    if (select !== undefined) {
      this.select(selectTarget(selection, select === 'clear' ? undefined : select));
    }
    const index = nodeIndex(layout, cursor.node);
    const x = layout.nodeX[index]!;
    const y = layout.nodeY[index]!;
    this.tip = { target: cursorTarget(cursor), x, y };
    this.reveal(x, y);
  }

  /** Scrolls a point of the drawing into view, 60 px clear of the edges and the selectors. */
  private reveal(x: number, y: number | undefined): void {
    const scroll = this.renderRoot.querySelector<HTMLElement>('.scroll');
    const stage = this.renderRoot.querySelector<HTMLElement>('.stage');
    if (!scroll || !stage) return;
    const within = (start: number, at: number, size: number, before: number) =>
      Math.max(0, Math.min(start, at - before), at + 60 - size);
    const top = stage.offsetTop;
    scroll.scrollTo({
      left: within(scroll.scrollLeft, x, scroll.clientWidth, 60),
      top:
        y === undefined
          ? scroll.scrollTop
          : within(scroll.scrollTop, top + y, scroll.clientHeight, top + 60),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-graph': LmttGraph;
  }
}

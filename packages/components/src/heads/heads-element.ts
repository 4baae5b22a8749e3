import { css, html } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { attentionNodeKind, edgeAt } from '@lmtt/engine/schema';
import type { Trace } from '@lmtt/engine/schema';
import type { EdgeHeads, HeadOverview } from '@lmtt/engine/trace-query';
import { visibleText } from '../tokens/render-tokens.js';
import { DetailController } from '../trace/detail-controller.js';
import type { DetailState } from '../trace/detail-controller.js';
import { LmttElement } from '../trace/lmtt-element.js';
import { renderError, renderLoading } from '../trace/render-status.js';
import { focusPos } from '../trace/selection.js';
import { themeStyles } from '../trace/theme.js';
import { isDarkTheme } from '../trace/chart-theme.js';
import { gridStep } from './grid-keys.js';
import type { GridCell } from './grid-keys.js';
import { formatShare, sameHead, selectedAttentionEdge } from './heads-data.js';
import type { HeadRef } from './heads-data.js';
import { renderHeadBars } from './render-head-bars.js';
import { renderHeadOverview } from './render-head-overview.js';

/** The two charts whose cells are head buttons. */
type HeadChart = 'bars' | 'overview';

/** The headline of a failed head query: a summary trace has no heads to show. */
function failure(error: Error): string {
  return (error as { code?: unknown }).code === 'NO_DETAIL'
    ? 'Heads need a full trace or a server.'
    : 'The heads could not be loaded.';
}

/** A position as its token, e.g. `“·war” (1)`. */
function tokenAt(trace: Trace, pos: number): string {
  return `“${visibleText(trace.tokens[pos]?.text ?? '')}” (${pos})`;
}

/**
 * Attention heads: the per-head shares of the selected attention edge (one
 * bar per head, `L{layer}H{head}`, with the edge's head-summed share as the
 * total), and an overview of every head's share at the focused position
 * (layers by heads). Clicking a head, or Enter / Space on it, selects it for
 * `<lmtt-attention-map>`; arrow keys, Home and End move between heads.
 *
 * @tagname lmtt-heads
 * @fires lmtt-select - a head was chosen; `detail: { selection }` with `head`
 * @csspart edge - the section with the selected edge's heads
 * @csspart overview - the section with the layers × heads overview
 * @csspart title - the heading of a section
 * @csspart chart - a chart (its head cells are buttons)
 * @csspart hint - what to do when no attention edge is selected
 * @csspart status - the loading, error or empty state
 * @cssprop --lmtt-accent - the bars, and the focus ring
 * @cssprop --lmtt-selected - the selected head
 * @cssprop --lmtt-fg - text and axes
 * @cssprop --lmtt-muted - headings and the hint
 */
export class LmttHeads extends LmttElement {
  static override styles = [
    themeStyles,
    css`
      .heads {
        display: flex;
        flex-wrap: wrap;
        gap: 16px 24px;
      }
      section {
        display: flex;
        flex: 1 1 240px;
        flex-direction: column;
        gap: 6px;
        min-width: 0;
      }
      .overview {
        flex: 0 1 auto;
      }
      h3 {
        color: var(--_muted);
        font-size: 1em;
        font-weight: 600;
        margin: 0;
      }
      .token {
        color: var(--_fg);
        font-family: var(--_mono);
        font-weight: normal;
        white-space: pre;
      }
      .hint {
        border: 1px dashed var(--_border);
        border-radius: 6px;
        color: var(--_muted);
        margin: 0;
        padding: 12px;
      }
      [role='button'] {
        cursor: pointer;
        outline: none;
      }
      [role='button']:focus-visible {
        stroke: var(--_fg);
        stroke-width: 2px;
      }
      figure {
        margin: 0;
      }
      svg {
        display: block;
      }
    `,
  ];

  private readonly edgeHeads = new DetailController<EdgeHeads>(this, () => {
    const source = this.activeSource;
    if (!source) return undefined;
    const { trace } = source;
    const edge = selectedAttentionEdge(this.selection, trace.tokens.length, trace.model.nLayers);
    if (edge === undefined) return undefined;
    return { key: `${trace.id}:${edge}`, run: (signal) => source.edgeHeads(edge, signal) };
  });

  private readonly overview = new DetailController<HeadOverview>(this, () => {
    const source = this.activeSource;
    if (!source || !this.selection) return undefined;
    const pos = focusPos(this.selection, source.trace.tokens.length);
    return { key: `${source.trace.id}:${pos}`, run: (signal) => source.headOverview(pos, signal) };
  });

  /** The head button to focus once the charts are drawn again after a pick. */
  private pendingFocus: (GridCell & { readonly chart: HeadChart }) | undefined;

  protected override render() {
    const source = this.activeSource;
    if (!source) return this.renderTraceStatus();
    const overview = this.overview.state;
    if (overview.status === 'error') return renderError(failure(overview.error), overview.error);
    const dark = isDarkTheme(this);
    return html`<div class="heads" @click=${this.onClick} @keydown=${this.onKeydown}>
      <section part="edge" class="edge">${this.renderEdge(source.trace)}</section>
      <section part="overview" class="overview">
        ${this.renderOverview(source.trace, overview, dark)}
      </section>
    </div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const pending = this.pendingFocus;
    if (!pending) return;
    const selector = `[data-chart="${pending.chart}"] [data-row="${pending.row}"][data-col="${pending.col}"]`;
    const button = this.renderRoot.querySelector<SVGElement>(selector);
    if (button) {
      this.pendingFocus = undefined;
      button.focus();
    }
  }

  private renderEdge(trace: Trace): TemplateResult {
    const state = this.edgeHeads.state;
    if (state.status === 'idle')
      return html`<p part="hint" class="hint">
        Select an attention edge in the graph to split it into heads.
      </p>`;
    const T = trace.tokens.length;
    const edge = edgeAt(selectedAttentionEdge(this.selection, T, trace.model.nLayers)!, T);
    const total = state.status === 'ready' ? ` · total ${formatShare(state.value.attention)}` : '';
    const title = html`<h3 part="title">
      Layer ${edge.to.layer} edge
      <span class="token">${tokenAt(trace, edge.from.pos)}</span> →
      <span class="token">${tokenAt(trace, edge.to.pos)}</span>${total}
    </h3>`;
    if (state.status === 'loading') return html`${title}${renderLoading('Loading the heads…')}`;
    if (state.status === 'error')
      return html`${title}${renderError(failure(state.error), state.error)}`;
    const selected = this.selection?.head;
    return html`${title}
      <div part="chart" class="chart" data-chart="bars">
        ${guard([state.value, selected], () =>
          renderHeadBars({
            heads: state.value,
            selected,
            attentionNode: attentionNodeKind(trace.model.blocks),
          }),
        )}
      </div>`;
  }

  private renderOverview(
    trace: Trace,
    state: DetailState<HeadOverview>,
    dark: boolean,
  ): TemplateResult {
    if (state.status !== 'ready') return renderLoading('Loading the heads overview…');
    const { pos } = state.value;
    const selected = this.selection?.head;
    const edgeLayer = this.edgeHeads.state.status === 'idle' ? undefined : this.edgeLayer(trace);
    return html`<h3 part="title">All heads at <span class="token">${tokenAt(trace, pos)}</span></h3>
      <div part="chart" class="chart" data-chart="overview">
        ${guard([state.value, selected, edgeLayer, dark], () =>
          renderHeadOverview({
            overview: state.value,
            selected,
            edgeLayer,
            dark,
            attentionNode: attentionNodeKind(trace.model.blocks),
          }),
        )}
      </div>`;
  }

  private edgeLayer(trace: Trace): number | undefined {
    const target = this.selection?.target;
    return target?.type === 'edge' ? edgeAt(target.edge, trace.tokens.length).to.layer : undefined;
  }

  private onClick(event: Event): void {
    const button = (event.target as Element).closest('[data-layer]');
    if (button) this.pick(button);
  }

  private onKeydown(event: KeyboardEvent): void {
    const button = (event.target as Element).closest('[data-row]');
    const chart = button?.closest<HTMLElement>('[data-chart]');
    if (!button || !chart) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.pick(button);
      return;
    }
    const buttons = [...chart.querySelectorAll<SVGElement>('[data-row]')];
    const cellOf = (element: Element) => ({
      row: Number(element.getAttribute('data-row')),
      col: Number(element.getAttribute('data-col')),
    });
    const rows = Math.max(...buttons.map((element) => cellOf(element).row)) + 1;
    const cols = Math.max(...buttons.map((element) => cellOf(element).col)) + 1;
    const to = gridStep(cellOf(button), event.key, rows, cols);
    const next = to && buttons.find((element) => sameCell(cellOf(element), to));
    if (!next) return;
    event.preventDefault();
    button.setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    next.focus();
  }

  /** Selects the head of a button, and keeps the focus on it across the redraw. */
  private pick(button: Element): void {
    const selection = this.selection;
    const chart = button.closest<HTMLElement>('[data-chart]')?.dataset['chart'] as HeadChart;
    if (!selection || !chart) return;
    const head: HeadRef = {
      layer: Number(button.getAttribute('data-layer')),
      head: Number(button.getAttribute('data-head')),
    };
    this.pendingFocus = {
      chart,
      row: Number(button.getAttribute('data-row')),
      col: Number(button.getAttribute('data-col')),
    };
    if (!sameHead(selection.head, head)) this.select({ ...selection, head });
  }
}

function sameCell(a: GridCell, b: GridCell): boolean {
  return a.row === b.row && a.col === b.col;
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-heads': LmttHeads;
  }
}

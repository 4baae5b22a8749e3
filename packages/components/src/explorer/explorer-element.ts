import { css, html } from 'lit';
import { LmttElement } from '../trace/lmtt-element.js';
import type { LmttSelectEvent } from '../trace/events.js';
import { themeStyles } from '../trace/theme.js';

/**
 * Every lmtt view composed into the reference tool's workflow: the prompt's
 * tokens (pick a prediction), the information-flow graph (pick a node or an
 * edge), and the detail panels that follow the pick: the heads of an
 * attention edge and a head's maps, the neurons of an FFN node, the logit
 * lens of a residual state, the promoted and suppressed tokens of an update.
 * Takes a trace like every element (`src`, `trace`, `source`, `for`);
 * `threshold` and `renormalize` go to the graph.
 *
 * @tagname lmtt-explorer
 * @fires lmtt-select - the selection changed in any view; `detail: { selection }`
 * @fires lmtt-source - the trace source changed; `detail: { source }`
 * @csspart tokens - the `<lmtt-tokens>` row
 * @csspart graph - the `<lmtt-graph>`
 * @csspart panel - each detail panel (a `<section>`)
 * @csspart heading - each panel's heading
 * @csspart status - the loading, error or empty state
 * @cssprop --lmtt-explorer-gap - space between panels (default 12px)
 * @cssprop --lmtt-explorer-side - width of the detail column (default minmax(320px, 34%))
 */
export class LmttExplorer extends LmttElement {
  static override properties = {
    ...LmttElement.properties,
    threshold: { type: Number, reflect: true },
    renormalize: { type: Boolean, reflect: true },
  };

  static override styles = [
    themeStyles,
    css`
      .layout {
        display: grid;
        gap: var(--lmtt-explorer-gap, 12px);
        grid-template-areas:
          'tokens tokens'
          'graph side';
        grid-template-columns: minmax(0, 1fr) var(--lmtt-explorer-side, minmax(320px, 34%));
      }
      .tokens {
        grid-area: tokens;
      }
      .graph {
        grid-area: graph;
        min-width: 0;
      }
      .side {
        display: flex;
        flex-direction: column;
        gap: var(--lmtt-explorer-gap, 12px);
        grid-area: side;
        min-width: 0;
      }
      section {
        border: 1px solid var(--_border);
        border-radius: 6px;
        padding: 8px 10px;
      }
      h2 {
        color: var(--_muted);
        font-size: 0.85em;
        font-weight: 600;
        letter-spacing: 0.04em;
        margin: 0 0 6px;
        text-transform: uppercase;
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-areas: 'tokens' 'graph' 'side';
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  /** The graph's contribution threshold (default: the trace's). */
  threshold?: number;
  /** Renormalise after the threshold (default: the trace's setting). */
  renormalize?: boolean;

  protected override render() {
    const source = this.activeSource;
    if (!source) return this.renderTraceStatus();
    const selection = this.selection;
    const panel = (title: string, view: unknown) =>
      html`<section part="panel">
        <h2 part="heading">${title}</h2>
        ${view}
      </section>`;
    return html`<div class="layout" @lmtt-select=${this.onSelect}>
      <lmtt-tokens
        class="tokens"
        part="tokens"
        .source=${source}
        .selection=${selection}
      ></lmtt-tokens>
      <lmtt-graph
        class="graph"
        part="graph"
        .source=${source}
        .selection=${selection}
        .threshold=${this.threshold}
        .renormalize=${this.renormalize}
      ></lmtt-graph>
      <div class="side">
        ${panel(
          'Top tokens',
          html`<lmtt-top-tokens .source=${source} .selection=${selection}></lmtt-top-tokens>`,
        )}
        ${panel(
          'Promoted and suppressed',
          html`<lmtt-promoted .source=${source} .selection=${selection}></lmtt-promoted>`,
        )}
        ${panel('Heads', html`<lmtt-heads .source=${source} .selection=${selection}></lmtt-heads>`)}
        ${panel(
          'Attention and contribution maps',
          html`<lmtt-attention-map .source=${source} .selection=${selection}></lmtt-attention-map>`,
        )}
        ${panel(
          'Neurons',
          html`<lmtt-neurons .source=${source} .selection=${selection}></lmtt-neurons>`,
        )}
      </div>
    </div>`;
  }

  /** A view's selection becomes the explorer's, and so every view's. */
  private onSelect(event: LmttSelectEvent): void {
    if (event.target === this) return;
    event.stopPropagation();
    this.select(event.detail.selection);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-explorer': LmttExplorer;
  }
}

import { css, html } from 'lit';
import { LmttElement } from '../trace/lmtt-element.js';
import type { LmttSelectEvent } from '../trace/events.js';
import { themeStyles } from '../trace/theme.js';

/**
 * Every lmtt view composed into the reference tool's workflow: the prompt's
 * tokens (pick a prediction), the information-flow graph (pick a node or an
 * edge), and the detail panels that follow the pick: under the graph the
 * heads of an attention edge and a head's maps; beside it the logit lens of
 * a residual state, the promoted and suppressed tokens of an update and the
 * neurons of an FFN node. Each panel's element titles its own content.
 * Takes a trace like every element (`src`, `trace`, `source`, `for`);
 * `threshold` and `renormalize` go to the graph.
 *
 * @tagname lmtt-explorer
 * @fires lmtt-select - the selection changed in any view; `detail: { selection }`
 * @fires lmtt-source - the trace source changed; `detail: { source }`
 * @csspart tokens - the `<lmtt-tokens>` row
 * @csspart graph - the `<lmtt-graph>`
 * @csspart panel - each detail panel (a `<section>` named by `aria-label`)
 * @csspart status - the loading, error or empty state
 * @cssprop --lmtt-explorer-gap - space between panels (default 12px)
 * @cssprop --lmtt-explorer-side - width of the detail column (default minmax(340px, 34%))
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
        align-items: start;
        display: grid;
        gap: var(--lmtt-explorer-gap, 12px);
        grid-template-areas:
          'tokens tokens'
          'graph side'
          'heads side';
        grid-template-columns: minmax(0, 1fr) var(--lmtt-explorer-side, minmax(340px, 34%));
        grid-template-rows: auto auto 1fr;
      }
      .tokens {
        grid-area: tokens;
      }
      .graph {
        grid-area: graph;
        min-width: 0;
      }
      .side,
      .heads {
        display: grid;
        gap: var(--lmtt-explorer-gap, 12px);
        min-width: 0;
      }
      .side {
        grid-area: side;
      }
      /* Heads and their maps under the graph, side by side where they fit. */
      .heads {
        align-items: start;
        grid-area: heads;
        grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
      }
      section {
        border: 1px solid var(--_border);
        border-radius: 6px;
        min-width: 0;
        padding: 8px 10px;
      }
      @media (max-width: 900px) {
        .layout {
          grid-template-areas: 'tokens' 'graph' 'heads' 'side';
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: none;
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
    // Each element heads its own content, so a panel is named for assistive technology only.
    const panel = (name: string, view: unknown) =>
      html`<section part="panel" aria-label=${name}>${view}</section>`;
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
      <div class="heads">
        ${panel('Heads', html`<lmtt-heads .source=${source} .selection=${selection}></lmtt-heads>`)}
        ${panel(
          'Attention and contribution maps',
          html`<lmtt-attention-map .source=${source} .selection=${selection}></lmtt-attention-map>`,
        )}
      </div>
      <div class="side">
        ${panel(
          'Top tokens',
          html`<lmtt-top-tokens .source=${source} .selection=${selection}></lmtt-top-tokens>`,
        )}
        ${panel(
          'Promoted and suppressed',
          html`<lmtt-promoted .source=${source} .selection=${selection}></lmtt-promoted>`,
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

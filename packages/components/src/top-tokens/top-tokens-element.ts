import { css, html } from 'lit';
import { nodeKey } from '@lmtt/engine/schema';
import type { LensTokens } from '@lmtt/engine/trace-query';
import { DetailController } from '../trace/detail-controller.js';
import { LmttElement } from '../trace/lmtt-element.js';
import { renderLoading } from '../trace/render-status.js';
import { themeStyles } from '../trace/theme.js';
import { renderDetailError } from '../trace/render-detail-error.js';
import { lensNodeOf } from './lens-node.js';
import { renderLensHeader, renderLensTable } from './render-top-tokens.js';
import { tokenTableStyles } from '../trace/token-table-styles.js';

/**
 * The logit lens of the selected residual state: its top tokens with their
 * probability, logit and rank change against the previous residual state.
 * It reads the selection's target node (an `mlp` node or an edge: the state
 * it writes into), or with no target the prediction at the selected position.
 *
 * @fires lmtt-select - the selection changed (from the element it follows)
 * @csspart header - the line naming the residual state
 * @csspart node - the residual state's name and token
 * @csspart table - the table of top tokens
 * @csspart row - one token's row
 * @csspart token - a token's text
 * @csspart bar - a token's probability bar
 * @csspart change - a token's rank change
 * @csspart status - the loading, error or empty state
 * @cssprop --lmtt-accent - the probability bars and new tokens
 * @cssprop --lmtt-positive - tokens that rose
 * @cssprop --lmtt-negative - tokens that fell
 * @cssprop --lmtt-surface - the bars' track
 *
 * @tagname lmtt-top-tokens
 */
export class LmttTopTokens extends LmttElement {
  static override styles = [
    themeStyles,
    tokenTableStyles,
    css`
      /* A narrow column scrolls the table rather than pushing the page wider. */
      :host {
        overflow-x: auto;
      }
      .lens {
        border-collapse: collapse;
        width: 100%;
      }
      th {
        color: var(--_muted);
        font-size: 0.85em;
        font-weight: normal;
        text-align: left;
      }
      th,
      td {
        padding: 2px 4px;
        white-space: nowrap;
      }
      .rank {
        color: var(--_muted);
        text-align: right;
        width: 1.5em;
      }
      .prob {
        align-items: center;
        display: flex;
        gap: 6px;
      }
      .prob .bar {
        flex: 1 1 auto;
        min-width: 32px;
      }
      .prob .number {
        min-width: 3.5em;
      }
      .change {
        text-align: right;
      }
      th.change {
        white-space: normal;
      }
      .rank-change {
        font-family: var(--_mono);
        font-size: 0.9em;
      }
      .rose {
        color: var(--_positive);
      }
      .fell {
        color: var(--_negative);
      }
      .new {
        border: 1px solid var(--_accent);
        border-radius: 3px;
        color: var(--_accent);
        padding: 0 3px;
      }
      .same {
        color: var(--_muted);
      }
    `,
  ];

  private readonly lens = new DetailController<LensTokens>(this, () => {
    const source = this.activeSource;
    if (!source || !this.selection) return undefined;
    const { trace } = source;
    const { nLayers, blocks } = trace.model;
    const node = lensNodeOf(this.selection, nLayers, trace.tokens.length, blocks);
    return { key: `${trace.id}/${nodeKey(node)}`, run: (signal) => source.lens(node, signal) };
  });

  protected override render() {
    const source = this.activeSource;
    if (!source || !this.selection) return this.renderTraceStatus();
    const { trace } = source;
    const { nLayers, blocks } = trace.model;
    const node = lensNodeOf(this.selection, nLayers, trace.tokens.length, blocks);
    const header = renderLensHeader({
      node,
      tokens: trace.tokens,
      normalized: trace.settings.lensNormalize,
    });
    const state = this.lens.state;
    if (state.status === 'ready') return html`${header}${renderLensTable(state.value, blocks)}`;
    if (state.status === 'error')
      return html`${header}${renderDetailError('logit lens', state.error)}`;
    return html`${header}${renderLoading('Reading the logit lens…')}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-top-tokens': LmttTopTokens;
  }
}

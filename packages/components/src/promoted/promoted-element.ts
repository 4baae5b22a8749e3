import { css, html } from 'lit';
import type { UpdateTokens } from '@lmtt/engine/trace-query';
import { tokenTableStyles } from '../trace/token-table-styles.js';
import { DetailController } from '../trace/detail-controller.js';
import { LmttElement } from '../trace/lmtt-element.js';
import { renderEmpty, renderLoading } from '../trace/render-status.js';
import { themeStyles } from '../trace/theme.js';
import { renderDetailError } from '../trace/render-detail-error.js';
import { renderPromoted, renderPromotedHeader } from './render-promoted.js';
import { updateRefOf } from './update-ref.js';

/**
 * The tokens the selected update promotes and suppresses: the vocabulary
 * projection of a picked neuron's or head's output, else of the block behind
 * the selected node or edge (attention for `resid_mid` and attention edges,
 * the FFN for `mlp`, `resid_post` and FFN edges).
 *
 * @fires lmtt-select - the selection changed (from the element it follows)
 * @csspart header - the line naming the update
 * @csspart update - the update's name and token
 * @csspart promoted - the column of promoted tokens
 * @csspart suppressed - the column of suppressed tokens
 * @csspart row - one token's row
 * @csspart token - a token's text
 * @csspart bar - a token's logit bar
 * @csspart status - the loading, error or empty state
 * @cssprop --lmtt-positive - bars of promoted tokens
 * @cssprop --lmtt-negative - bars of suppressed tokens
 * @cssprop --lmtt-border - the zero line
 *
 * @tagname lmtt-promoted
 */
export class LmttPromoted extends LmttElement {
  static override styles = [
    themeStyles,
    tokenTableStyles,
    css`
      .columns {
        display: grid;
        grid-template-columns: 1fr 1fr;
      }
      .column {
        min-width: 0;
      }
      .suppressed {
        border-right: 1px solid var(--_border);
      }
      .heading {
        color: var(--_muted);
        font-size: 0.85em;
        font-weight: normal;
        margin: 0 0 4px;
        padding: 0 6px;
      }
      .suppressed .heading {
        color: var(--_negative);
        text-align: right;
      }
      .promoted .heading {
        color: var(--_positive);
      }
      .rows {
        align-items: center;
        display: grid;
        gap: 3px 6px;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .row {
        display: contents;
      }
      .suppressed .rows {
        grid-template-columns: max-content max-content minmax(24px, 1fr);
      }
      .promoted .rows {
        grid-template-columns: minmax(24px, 1fr) max-content max-content;
      }
      .suppressed .bar {
        display: flex;
        justify-content: flex-end;
      }
      .suppressed .fill {
        background: var(--_negative);
      }
      .promoted .fill {
        background: var(--_positive);
      }
      .promoted .token {
        justify-self: start;
      }
      .suppressed .token {
        justify-self: end;
      }
    `,
  ];

  private readonly projection = new DetailController<UpdateTokens>(this, () => {
    const source = this.activeSource;
    const ref =
      source &&
      this.selection &&
      updateRefOf(this.selection, source.trace.tokens.length, source.trace.model.blocks);
    if (!source || !ref) return undefined;
    const key = `${source.trace.id}/${ref.block}/${ref.layer}/${ref.pos}/${ref.part ?? ''}`;
    return { key, run: (signal) => source.update(ref, signal) };
  });

  protected override render() {
    const source = this.activeSource;
    if (!source || !this.selection) return this.renderTraceStatus();
    const { tokens } = source.trace;
    const ref = updateRefOf(this.selection, tokens.length, source.trace.model.blocks);
    if (!ref)
      return renderEmpty(
        'Select an update to see the tokens it promotes and suppresses: a resid_mid, mlp or resid_post node, an attention or FFN edge, a head or a neuron.',
      );
    const state = this.projection.state;
    if (state.status === 'ready')
      return html`${renderPromotedHeader(ref, tokens, state.value.neuron)}${renderPromoted(state.value)}`;
    const header = renderPromotedHeader(ref, tokens);
    if (state.status === 'error')
      return html`${header}${renderDetailError('promoted and suppressed tokens', state.error)}`;
    return html`${header}${renderLoading('Projecting the update onto the vocabulary…')}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-promoted': LmttPromoted;
  }
}

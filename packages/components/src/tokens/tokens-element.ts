import { css, html } from 'lit';
import { LmttElement } from '../trace/lmtt-element.js';
import { themeStyles } from '../trace/theme.js';
import { renderTokens } from './render-tokens.js';

/**
 * The prompt as the model's tokens, each with the model's top prediction
 * after it. Clicking a token (or Enter / Space on it) selects that
 * prediction, whose route the graph then shows.
 *
 * @tagname lmtt-tokens
 * @fires lmtt-select - a token was chosen; `detail: { selection }`
 * @csspart list - the list of tokens
 * @csspart token - one token button
 * @csspart prediction - the top prediction under a token
 * @csspart empty - the message shown when there are no tokens
 * @csspart status - the loading, error or empty state
 * @cssprop --lmtt-surface - background of a token
 * @cssprop --lmtt-selected - background of the selected token
 */
export class LmttTokens extends LmttElement {
  static override styles = [
    themeStyles,
    css`
      .tokens {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        list-style: none;
        margin: 0;
        padding: 0;
      }
      .token {
        align-items: flex-start;
        background: var(--_surface);
        border: 1px solid transparent;
        border-radius: 4px;
        color: inherit;
        cursor: pointer;
        display: flex;
        flex-direction: column;
        font: inherit;
        padding: 2px 6px;
      }
      .token:focus-visible {
        outline: 2px solid var(--_accent);
      }
      .text {
        font-family: var(--_mono);
        white-space: pre;
      }
      .prediction {
        color: var(--_muted);
        font-family: var(--_mono);
        font-size: 0.8em;
        white-space: pre;
      }
      .selected {
        border-color: var(--_selected);
        box-shadow: inset 0 -3px 0 var(--_selected);
      }
      .empty {
        color: var(--_muted);
        margin: 0;
      }
    `,
  ];

  protected override render() {
    const source = this.activeSource;
    if (!source) return this.renderTraceStatus();
    const { tokens, predictions, tokenTexts } = source.trace;
    return html`<div @click=${this.onClick}>
      ${renderTokens({ tokens, predictions, tokenTexts, selected: this.selection?.pos })}
    </div>`;
  }

  private onClick(event: Event): void {
    const button = (event.target as Element).closest('[data-pos]');
    if (!button || !this.selection) return;
    const pos = Number(button.getAttribute('data-pos'));
    if (pos !== this.selection.pos) this.select({ ...this.selection, pos });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-tokens': LmttTokens;
  }
}

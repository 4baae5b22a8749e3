import { LitElement, css } from 'lit';
import type { TokenView } from '@lmtt/engine/schema';
import { renderTokens } from './render-tokens.js';

/**
 * The prompt as the model's tokens.
 *
 * @csspart list - the list of tokens
 * @csspart token - one token
 * @csspart empty - the message shown when there are no tokens
 * @cssprop --lmtt-token-bg - background of a token chip
 * @cssprop --lmtt-token-selected-bg - background of the selected token
 */
export class LmttTokens extends LitElement {
  static override properties = {
    tokens: { attribute: false },
    selected: { type: Number, reflect: true },
  };

  static override styles = css`
    :host {
      display: block;
      font-family: var(--lmtt-font-mono, ui-monospace, monospace);
    }
    .tokens {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .token {
      background: var(--lmtt-token-bg, #eef1f5);
      border-radius: 4px;
      padding: 2px 6px;
      white-space: pre;
    }
    .selected {
      background: var(--lmtt-token-selected-bg, #ffd58a);
    }
    .empty {
      color: var(--lmtt-muted, #667);
      margin: 0;
    }
  `;

  /** The prompt's tokens in order. */
  tokens: readonly TokenView[] = [];
  /** The selected position. */
  selected?: number;

  protected override render() {
    return renderTokens(this.tokens, this.selected);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-tokens': LmttTokens;
  }
}

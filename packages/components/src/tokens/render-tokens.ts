import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { TokenView } from '@lmtt/engine/schema';

/** Shows a token's text with its whitespace made visible. */
export function visibleText(text: string): string {
  return text.replace(/ /g, '\u00b7').replace(/\n/g, '\u21b5').replace(/\t/g, '\u2192');
}

/**
 * Renders a prompt as the model's tokens: one chip per position.
 *
 * @param tokens - the prompt's tokens in order
 * @param selected - the selected position, if any
 */
export function renderTokens(tokens: readonly TokenView[], selected?: number): TemplateResult {
  if (tokens.length === 0) {
    return html`<p part="empty" class="empty">No tokens yet.</p>`;
  }
  return html`<ol part="list" class="tokens">
    ${tokens.map(
      (token, pos) =>
        html`<li
          part="token"
          class=${pos === selected ? 'token selected' : 'token'}
          data-pos=${pos}
          title=${`position ${pos}, id ${token.id}`}
          aria-current=${pos === selected ? 'true' : nothing}
        >
          ${visibleText(token.text)}
        </li>`,
    )}
  </ol>`;
}

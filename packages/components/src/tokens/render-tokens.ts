import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { TokenView, TracePredictions } from '@lmtt/engine/schema';

/** Shows a token's text with its whitespace made visible. */
export function visibleText(text: string): string {
  return text.replace(/ /g, '\u00b7').replace(/\n/g, '\u21b5').replace(/\t/g, '\u2192');
}

/** What `<lmtt-tokens>` draws. */
export interface TokensView {
  /** [T] the prompt's tokens. */
  readonly tokens: readonly TokenView[];
  /** The model's top predictions, when known. */
  readonly predictions?: TracePredictions;
  /** The display text of predicted ids. */
  readonly tokenTexts?: ReadonlyMap<number, string>;
  /** The selected prediction position. */
  readonly selected?: number;
}

/** The top prediction after position `pos`, as `text (p%)`. */
function topPrediction(view: TokensView, pos: number): string | undefined {
  const { predictions, tokenTexts } = view;
  if (!predictions) return undefined;
  const K = predictions.ids.length / view.tokens.length;
  const id = predictions.ids[pos * K];
  if (id === undefined) return undefined;
  const p = (predictions.probs[pos * K]! * 100).toFixed(1);
  return `${visibleText(tokenTexts?.get(id) ?? `#${id}`)} (${p}%)`;
}

/**
 * Renders a prompt as the model's tokens: one button per position, with the
 * model's top prediction after it; the selected position is pressed.
 */
export function renderTokens(view: TokensView): TemplateResult {
  const { tokens, selected } = view;
  if (tokens.length === 0) {
    return html`<p part="empty" class="empty">No tokens yet.</p>`;
  }
  return html`<ol part="list" class="tokens" aria-label="prompt tokens">
    ${tokens.map((token, pos) => {
      const next = topPrediction(view, pos);
      return html`<li>
        <button
          part="token"
          class=${pos === selected ? 'token selected' : 'token'}
          data-pos=${pos}
          title=${`position ${pos}, id ${token.id}${next ? `; predicts ${next}` : ''}`}
          aria-pressed=${pos === selected ? 'true' : 'false'}
        >
          <span class="text">${visibleText(token.text)}</span>
          ${next === undefined ? nothing : html`<span part="prediction" class="prediction">${next}</span>`}
        </button>
      </li>`;
    })}
  </ol>`;
}

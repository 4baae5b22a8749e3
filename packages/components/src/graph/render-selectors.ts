import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { TokenView } from '@lmtt/engine/schema';
import { visibleText } from '../tokens/render-tokens.js';
import type { GraphLayout } from './graph-layout.js';

/**
 * The token selectors over the graph's columns: one button per position,
 * as wide as its column, its text elided when longer (the full text is in
 * its title); the selected prediction's is pressed.
 *
 * @param tokens - [T] the prompt's tokens.
 * @param layout - From `layoutGraph`: gives the gutter and column width.
 * @param selected - The selected prediction position.
 * @example
 * html`<div @click=${onPick}>${renderSelectors(trace.tokens, layout, 3)}</div>`;
 */
export function renderSelectors(
  tokens: readonly TokenView[],
  layout: GraphLayout,
  selected: number | undefined,
): TemplateResult {
  const width = `width: ${layout.columnWidth}px`;
  return html`<div
    part="selectors"
    class="selectors"
    role="toolbar"
    aria-label="predictions: show the route of the token's next-token prediction"
    style=${`padding-left: ${layout.gutter}px; width: ${layout.width - layout.gutter}px`}
  >
    ${tokens.map((token, pos) => {
      const text = visibleText(token.text);
      return html`<button
        part="selector"
        class=${pos === selected ? 'selector selected' : 'selector'}
        style=${width}
        data-pos=${pos}
        title=${`${text} (position ${pos}): show its prediction's route`}
        aria-pressed=${pos === selected ? 'true' : 'false'}
      >
        ${text}
      </button>`;
    })}
  </div>`;
}

import { html } from 'lit';
import type { TemplateResult } from 'lit';
import type { TokenView } from '@lmtt/engine/schema';
import type { RankedToken, UpdateRef, UpdateTokens } from '@lmtt/engine/trace-query';
import { visibleText } from '../tokens/render-tokens.js';
import { barWidth, formatLogit } from '../trace/format-number.js';
import { quotedToken } from '../trace/node-label.js';

/**
 * An update's name: `attn_out[2]`, `mlp_out[1]`, `head L2H1`, `neuron 312 of
 * mlp[1]`; a neuron whose index is not known yet is named by its rank.
 *
 * @param neuron - the neuron's index in `[0, d_mlp)`, once the answer gives it
 */
export function updateName(ref: UpdateRef, neuron?: number): string {
  const { layer } = ref;
  switch (ref.block) {
    case 'attn':
      return `attn_out[${layer}]`;
    case 'mlp':
      return `mlp_out[${layer}]`;
    case 'head':
      return `head L${layer}H${ref.part ?? 0}`;
    case 'neuron':
      return neuron === undefined
        ? `top neuron ${(ref.part ?? 0) + 1} of mlp[${layer}]`
        : `neuron ${neuron} of mlp[${layer}]`;
  }
}

/** The header: which update, at which token (`head L2H1 at "·war"`). */
export function renderPromotedHeader(
  ref: UpdateRef,
  tokens: readonly TokenView[],
  neuron?: number,
): TemplateResult {
  return html`<header part="header" class="header">
    <span class="title">Promoted and suppressed</span>
    <span part="update" class="node"
      >${updateName(ref, neuron)} at ${quotedToken(tokens, ref.pos)}</span
    >
  </header>`;
}

/** One column: the tokens and their logits, bars growing away from the zero line between the columns. */
function renderColumn(
  side: 'promoted' | 'suppressed',
  tokens: readonly RankedToken[],
  scale: number,
): TemplateResult {
  const heading = side === 'promoted' ? 'promoted \u25b2' : '\u25bc suppressed';
  return html`<section part=${side} class=${`column ${side}`}>
    <h3 class="heading">${heading}</h3>
    <ol class="rows" aria-label=${`${side} tokens`}>
      ${tokens.map((token) => {
        const text = html`<span part="token" class="token" title=${`id ${token.id}`}
          >${visibleText(token.text)}</span
        >`;
        const value = html`<span class="number">${formatLogit(token.logit)}</span>`;
        const bar = html`<span part="bar" class="bar" aria-hidden="true"
          ><span class="fill" style=${`width: ${barWidth(token.logit, scale)}`}></span
        ></span>`;
        // Tokens sit at the outer edges, bars meet at the zero line in the middle.
        return side === 'promoted'
          ? html`<li part="row" class="row">${bar}${value}${text}</li>`
          : html`<li part="row" class="row">${text}${value}${bar}</li>`;
      })}
    </ol>
  </section>`;
}

/**
 * The tokens an update pushes down most and up most, side by side as a
 * diverging chart around zero (suppressed left, promoted right), bars on one
 * scale: the largest logit magnitude of either side.
 */
export function renderPromoted(update: UpdateTokens): TemplateResult {
  const scale = Math.max(
    ...update.promoted.map((token) => Math.abs(token.logit)),
    ...update.suppressed.map((token) => Math.abs(token.logit)),
  );
  return html`<div class="columns">
    ${renderColumn('suppressed', update.suppressed, scale)}
    ${renderColumn('promoted', update.promoted, scale)}
  </div>`;
}

import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { BlockLayout, GraphNode, TokenView } from '@lmtt/engine/schema';
import type { LensTokens } from '@lmtt/engine/trace-query';
import { visibleText } from '../tokens/render-tokens.js';
import { barWidth, formatLogit, formatPercent } from '../trace/format-number.js';
import { previousState } from './lens-node.js';
import { nodeName, quotedToken } from '../trace/node-label.js';

/** What the header of `<lmtt-top-tokens>` names. */
export interface LensHeaderView {
  /** The residual node the lens reads. */
  readonly node: GraphNode;
  /** [T] the prompt's tokens, to quote the node's own token. */
  readonly tokens: readonly TokenView[];
  /** Whether the lens applies `ln_final` first (`trace.settings.lensNormalize`). */
  readonly normalized: boolean;
}

/** How a lens token moved against the previous residual state. */
export interface RankChange {
  /** `rose`, `fell`, `same`, or `new` (it was outside the previous top K). */
  readonly kind: 'rose' | 'fell' | 'same' | 'new';
  /** What the cell shows: `▲3`, `▼1`, `=`, `new`. */
  readonly label: string;
  /** The change in words, for the tooltip and screen readers. */
  readonly title: string;
}

/**
 * The rank change of the token at rank `k` of a lens whose previous state is
 * `previous` (`previousRank - k`, positive when it rose); undefined for the
 * embedding, which has no previous state (`previousRank` -1).
 *
 * @param k - 0-based rank in this state
 * @param previousRank - 0-based rank over the full vocabulary in the previous state
 * @param topK - how many tokens the lens lists
 */
export function rankChange(
  k: number,
  previousRank: number,
  topK: number,
  previous: GraphNode | undefined,
): RankChange | undefined {
  if (previousRank < 0 || previous === undefined) return undefined;
  const was = `rank ${previousRank + 1} in ${nodeName(previous)}`;
  const delta = previousRank - k;
  if (previousRank >= topK)
    return { kind: 'new', label: 'new', title: `new in the top ${topK}: ${was}` };
  if (delta > 0) return { kind: 'rose', label: `\u25b2${delta}`, title: `rose ${delta}: ${was}` };
  if (delta < 0) return { kind: 'fell', label: `\u25bc${-delta}`, title: `fell ${-delta}: ${was}` };
  return { kind: 'same', label: '=', title: `unchanged: ${was}` };
}

/** The header: which residual state the lens reads, and whether through `ln_final`. */
export function renderLensHeader(view: LensHeaderView): TemplateResult {
  const { node, tokens, normalized } = view;
  return html`<header part="header" class="header">
    <span class="title">Logit lens</span>
    <span part="node" class="node">${nodeName(node)} · ${quotedToken(tokens, node.pos)}</span>
    <span class="note">${normalized ? 'through ln_final' : 'raw residual, no ln_final'}</span>
  </header>`;
}

/**
 * The lens's top tokens as a table: rank, token (whitespace made visible),
 * probability as a bar and a number, logit, and the rank change against the
 * previous residual state (`blocks`: how the model's blocks are wired).
 */
export function renderLensTable(
  lens: LensTokens,
  blocks: BlockLayout = 'sequential',
): TemplateResult {
  const previous = previousState(lens.node, blocks);
  const topK = lens.tokens.length;
  return html`<table part="table" class="lens">
    <thead>
      <tr>
        <th scope="col" class="rank">#</th>
        <th scope="col">token</th>
        <th scope="col">probability</th>
        <th scope="col" class="number">logit</th>
        <th scope="col" class="change">${previous ? html`vs ${nodeName(previous)}` : nothing}</th>
      </tr>
    </thead>
    <tbody>
      ${lens.tokens.map((token, k) => {
        const change = rankChange(k, token.previousRank, topK, previous);
        return html`<tr part="row">
          <td class="rank">${k + 1}</td>
          <td>
            <span part="token" class="token" title=${`id ${token.id}`}
              >${visibleText(token.text)}</span
            >
          </td>
          <td class="prob">
            <span part="bar" class="bar"
              ><span class="fill" style=${`width: ${barWidth(token.prob, 1)}`}></span
            ></span>
            <span class="number">${formatPercent(token.prob)}</span>
          </td>
          <td class="number">${formatLogit(token.logit)}</td>
          <td class="change">
            ${
              change
                ? html`<span
                    part="change"
                    class=${`rank-change ${change.kind}`}
                    title=${change.title}
                    ><span aria-hidden="true">${change.label}</span
                    ><span class="visually-hidden">${change.title}</span></span
                  >`
                : nothing
            }
          </td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

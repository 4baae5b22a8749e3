import { css, html, svg } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { attentionNodeKind, edgeAt } from '@lmtt/engine/schema';
import type { HeadMap } from '@lmtt/engine/trace-query';
import { isDarkTheme } from '../trace/chart-theme.js';
import { headLabel } from '../heads/heads-data.js';
import { visibleText } from '../tokens/render-tokens.js';
import { DetailController } from '../trace/detail-controller.js';
import { LmttElement } from '../trace/lmtt-element.js';
import { renderError, renderLoading } from '../trace/render-status.js';
import { focusPos } from '../trace/selection.js';
import type { Selection } from '../trace/selection.js';
import { themeStyles } from '../trace/theme.js';
import { renderHeadMap } from './render-head-map.js';
import type { HeadMapKind } from './render-head-map.js';

/** The headline of a failed map query: a summary trace has no maps to show. */
function failure(error: Error): string {
  return (error as { code?: unknown }).code === 'NO_DETAIL'
    ? 'Head maps need a full trace or a server.'
    : 'The head maps could not be loaded.';
}

/** The key position of the selected attention edge when it reads the head's layer. */
function edgeKeyPos(selection: Selection, layer: number, nTokens: number): number | undefined {
  const target = selection.target;
  if (target?.type !== 'edge') return undefined;
  const edge = edgeAt(target.edge, nTokens);
  return edge.kind === 'attention' && edge.to.layer === layer ? edge.from.pos : undefined;
}

/** The empty state's picture: a small causal map, its lower triangle in outline. */
const placeholder = html`<svg class="placeholder" viewBox="0 0 40 40" aria-hidden="true">
  ${Array.from({ length: 5 }, (_, pos) =>
    Array.from(
      { length: pos + 1 },
      (_, key) =>
        svg`<rect x=${key * 8 + 0.5} y=${pos * 8 + 0.5} width="7" height="7" rx="1"></rect>`,
    ),
  )}
</svg>`;

const CAPTIONS: Record<HeadMapKind, (node: string) => string> = {
  pattern: () => 'Attention: where each query looks (attn.pattern, rows sum to 1)',
  shares: (node) => `Contribution: what each key adds to the query’s ${node} through this head`,
};

/**
 * The selected head's attention map and contribution map side by side
 * (DESIGN §2.4): query positions as rows, key positions as columns, with the
 * focused query row and the selected edge's key column framed. It shows the
 * head picked in `<lmtt-heads>`: set the same `selection`, or follow it with
 * `for`.
 *
 * @tagname lmtt-attention-map
 * @fires lmtt-select - the selection changed (from the element it follows); `detail: { selection }`
 * @csspart title - the heading with the head and the focused query
 * @csspart maps - the two maps
 * @csspart map - one map: a caption, its colour legend and the chart
 * @csspart status - the loading, error or empty state
 * @cssprop --lmtt-selected - the frames of the focused row and the edge's key column
 * @cssprop --lmtt-fg - text and axes
 * @cssprop --lmtt-muted - the heading and captions
 */
export class LmttAttentionMap extends LmttElement {
  static override styles = [
    themeStyles,
    css`
      h3 {
        color: var(--_muted);
        font-size: 1em;
        font-weight: 600;
        margin: 0 0 8px;
      }
      .token {
        color: var(--_fg);
        font-family: var(--_mono);
        font-weight: normal;
        white-space: pre;
      }
      .maps {
        display: flex;
        flex-wrap: wrap;
        gap: 16px 32px;
      }
      figure {
        display: flex;
        flex-direction: column;
        gap: 4px;
        margin: 0;
        max-width: 100%;
      }
      figcaption {
        color: var(--_muted);
        max-width: 36ch;
      }
      svg {
        display: block;
      }
      .placeholder {
        fill: none;
        flex: none;
        height: 40px;
        opacity: 0.6;
        stroke: var(--_muted);
        width: 40px;
      }
    `,
  ];

  private readonly map = new DetailController<HeadMap>(this, () => {
    const source = this.activeSource;
    const head = this.selection?.head;
    if (!source || !head) return undefined;
    return {
      key: `${source.trace.id}:${head.layer}:${head.head}`,
      run: (signal) => source.headMap(head.layer, head.head, signal),
    };
  });

  protected override render() {
    const source = this.activeSource;
    if (!source) return this.renderTraceStatus();
    const state = this.map.state;
    const selection = this.selection;
    if (state.status === 'idle' || !selection)
      return html`<div part="status empty" class="status empty">
        ${placeholder}Select a head to see its attention and contribution maps.
      </div>`;
    if (state.status === 'loading') return renderLoading('Loading the head’s maps…');
    if (state.status === 'error') return renderError(failure(state.error), state.error);
    const { tokens } = source.trace;
    const map = state.value;
    const focus = focusPos(selection, tokens.length);
    const keyPos = edgeKeyPos(selection, map.layer, tokens.length);
    const dark = isDarkTheme(this);
    const attentionNode = attentionNodeKind(source.trace.model.blocks);
    const figure = (kind: HeadMapKind) =>
      html`<figure part="map" class="map">
        <figcaption>${CAPTIONS[kind](attentionNode)}</figcaption>
        ${guard([map, focus, keyPos, dark, attentionNode], () =>
          renderHeadMap({ map, kind, tokens, focus, keyPos, dark, attentionNode }),
        )}
      </figure>`;
    return html`<h3 part="title">
        Head ${headLabel(map)} · query
        <span class="token">“${visibleText(tokens[focus]?.text ?? '')}” (${focus})</span>
      </h3>
      <div part="maps" class="maps">${figure('pattern')}${figure('shares')}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-attention-map': LmttAttentionMap;
  }
}

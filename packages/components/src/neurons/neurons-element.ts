import { css, html } from 'lit';
import type { FfnNeurons } from '@lmtt/engine/trace-query';
import { tokenTableStyles } from '../trace/token-table-styles.js';
import { DetailController } from '../trace/detail-controller.js';
import { LmttElement } from '../trace/lmtt-element.js';
import { renderEmpty, renderLoading } from '../trace/render-status.js';
import { themeStyles } from '../trace/theme.js';
import { renderDetailError } from '../trace/render-detail-error.js';
import { ffnNodeOf } from './ffn-node.js';
import type { FfnNode } from './ffn-node.js';
import { renderNeurons, renderNeuronsHeader } from './render-neurons.js';

/** The rank a listbox key moves to from `current` among `count` options; undefined for other keys. */
function rankAfterKey(key: string, current: number | undefined, count: number): number | undefined {
  const last = count - 1;
  if (last < 0) return undefined;
  switch (key) {
    case 'ArrowDown':
      return current === undefined ? 0 : Math.min(last, current + 1);
    case 'ArrowUp':
      return current === undefined ? last : Math.max(0, current - 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}

/**
 * The top contributing neurons of the selected FFN node (a target `mlp`
 * node, FFN edge or `resid_post` node), with how much the residual and the
 * other neurons carry. Choosing a neuron (click, or the arrow keys, Home and
 * End in the list) selects it, so `<lmtt-promoted>` shows its tokens.
 *
 * @fires lmtt-select - a neuron was chosen; `detail.selection.neuron` is `{ layer, pos, rank }`
 * @csspart header - the line naming the FFN node
 * @csspart node - the FFN node's name and token
 * @csspart composition - the residual / top neurons / other neurons split
 * @csspart list - the listbox of neurons
 * @csspart option - one neuron (also `selected` when it is the selected one)
 * @csspart bar - a neuron's share bar
 * @csspart preview - the tokens a neuron promotes most
 * @csspart status - the loading, error or empty state
 * @cssprop --lmtt-accent - share bars and the focus ring
 * @cssprop --lmtt-selected - the selected neuron
 * @cssprop --lmtt-muted - the residual's share
 *
 * @tagname lmtt-neurons
 */
export class LmttNeurons extends LmttElement {
  static override styles = [
    themeStyles,
    tokenTableStyles,
    css`
      .composition {
        display: grid;
        gap: 4px;
        margin-bottom: 8px;
      }
      .stack {
        border-radius: 2px;
        display: flex;
        height: 8px;
        overflow: hidden;
      }
      .segment.residual,
      .swatch.residual {
        background: var(--_muted);
      }
      .segment.listed,
      .swatch.listed {
        background: var(--_accent);
      }
      .segment.rest,
      .swatch.rest {
        background: var(--_border);
      }
      .legend {
        color: var(--_muted);
        display: flex;
        flex-wrap: wrap;
        font-size: 0.85em;
        gap: 2px 12px;
      }
      .key {
        align-items: center;
        display: inline-flex;
        gap: 4px;
      }
      .swatch {
        border-radius: 2px;
        display: inline-block;
        height: 8px;
        width: 8px;
      }
      .list {
        border-radius: 4px;
        display: grid;
        gap: 1px;
        outline: none;
      }
      .list:focus-visible {
        box-shadow: 0 0 0 2px var(--_accent);
      }
      .option {
        align-items: center;
        border-radius: 3px;
        cursor: pointer;
        display: grid;
        gap: 8px;
        grid-template-columns: 4em minmax(48px, 1fr) 3.5em minmax(0, 2fr);
        padding: 2px 6px;
      }
      .option:hover {
        background: var(--_surface);
      }
      .option.selected {
        background: var(--_surface);
        box-shadow: inset 3px 0 0 var(--_selected);
      }
      .index {
        font-family: var(--_mono);
      }
      .preview {
        display: flex;
        gap: 4px;
        overflow: hidden;
      }
    `,
  ];

  private readonly neurons = new DetailController<FfnNeurons>(this, () => {
    const source = this.activeSource;
    const node = this.ffnNode();
    if (!source || !node) return undefined;
    const { layer, pos } = node;
    return {
      key: `${source.trace.id}/${layer}/${pos}`,
      run: (signal) => source.neurons(layer, pos, signal),
    };
  });

  protected override render() {
    const source = this.activeSource;
    if (!source || !this.selection) return this.renderTraceStatus();
    const node = this.ffnNode();
    if (!node)
      return renderEmpty(
        'Select an FFN node (mlp), an FFN edge or a resid_post node to see its top neurons.',
      );
    const header = renderNeuronsHeader(node, source.trace.tokens);
    const state = this.neurons.state;
    if (state.status === 'ready') {
      const view = {
        neurons: state.value,
        dMlp: source.trace.model.dMlp,
        selectedRank: this.selectedRank(node),
        residualName:
          source.trace.model.blocks === 'parallel'
            ? `resid_pre[${node.layer}] + attn_out[${node.layer}]`
            : `resid_mid[${node.layer}]`,
      };
      return html`${header}
        <div @click=${this.onClick} @keydown=${this.onKeydown}>${renderNeurons(view)}</div>`;
    }
    if (state.status === 'error')
      return html`${header}${renderDetailError('neurons', state.error)}`;
    return html`${header}${renderLoading('Finding the top neurons…')}`;
  }

  private ffnNode(): FfnNode | undefined {
    const source = this.activeSource;
    return source && this.selection && ffnNodeOf(this.selection, source.trace.tokens.length);
  }

  /** The selected neuron's rank when it belongs to `node`. */
  private selectedRank(node: FfnNode): number | undefined {
    const neuron = this.selection?.neuron;
    return neuron && neuron.layer === node.layer && neuron.pos === node.pos
      ? neuron.rank
      : undefined;
  }

  private choose(rank: number): void {
    const node = this.ffnNode();
    if (!node || !this.selection || rank === this.selectedRank(node)) return;
    this.select({ ...this.selection, neuron: { layer: node.layer, pos: node.pos, rank } });
  }

  private onClick(event: Event): void {
    const option = (event.target as Element).closest('[data-rank]');
    if (option) this.choose(Number(option.getAttribute('data-rank')));
  }

  private onKeydown(event: KeyboardEvent): void {
    const node = this.ffnNode();
    const state = this.neurons.state;
    if (!node || state.status !== 'ready') return;
    const rank = rankAfterKey(event.key, this.selectedRank(node), state.value.neurons.length);
    if (rank === undefined) return;
    event.preventDefault();
    this.choose(rank);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lmtt-neurons': LmttNeurons;
  }
}

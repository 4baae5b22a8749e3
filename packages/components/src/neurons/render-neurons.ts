import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { TokenView } from '@lmtt/engine/schema';
import type { FfnNeurons } from '@lmtt/engine/trace-query';
import { visibleText } from '../tokens/render-tokens.js';
import { barWidth, formatPercent } from '../trace/format-number.js';
import { quotedToken } from '../trace/node-label.js';
import type { FfnNode } from './ffn-node.js';

/** Promoted tokens previewed beside each neuron. */
const PREVIEW_TOKENS = 3;

/** What `<lmtt-neurons>` draws once the neurons are known. */
export interface NeuronsView {
  readonly neurons: FfnNeurons;
  /** d_mlp, the FFN's neurons in all. */
  readonly dMlp: number;
  /** The rank of the selected neuron in this node's list, if one is. */
  readonly selectedRank?: number;
  /** The FFN's residual part: `resid_mid`, or `resid_pre + attn_out` in a parallel block (default `resid_mid`). */
  readonly residualName?: string;
}

/** The DOM id of a neuron's option, for `aria-activedescendant`. */
export function optionId(rank: number): string {
  return `neuron-${rank}`;
}

/** The header: which FFN node, at which token. */
export function renderNeuronsHeader(node: FfnNode, tokens: readonly TokenView[]): TemplateResult {
  return html`<header part="header" class="header">
    <span class="title">Top neurons</span>
    <span part="node" class="node">mlp[${node.layer}] · ${quotedToken(tokens, node.pos)}</span>
    <span class="note">by share of the FFN node</span>
  </header>`;
}

/** How the node's whole splits: the residual, the listed neurons, the rest, as one stacked bar and words. */
function renderComposition(view: NeuronsView): TemplateResult {
  const { neurons, dMlp, residualName = `resid_mid[${neurons.layer}]` } = view;
  const listed = neurons.neurons.reduce((sum, neuron) => sum + neuron.share, 0);
  const rest = Math.max(0, 1 - neurons.residual - listed);
  const parts = [
    { name: 'residual', label: `residual ${residualName}`, share: neurons.residual },
    { name: 'listed', label: `top ${neurons.neurons.length} neurons`, share: listed },
    { name: 'rest', label: `other ${dMlp - neurons.neurons.length} neurons`, share: rest },
  ];
  return html`<div part="composition" class="composition">
    <span class="stack" aria-hidden="true">
      ${parts.map(
        ({ name, share }) =>
          html`<span class=${`segment ${name}`} style=${`width: ${barWidth(share, 1)}`}></span>`,
      )}
    </span>
    <span class="legend">
      ${parts.map(
        ({ name, label, share }) =>
          html`<span class="key"
            ><span class=${`swatch ${name}`}></span>${label}
            <span class="number">${formatPercent(share)}</span></span
          >`,
      )}
    </span>
  </div>`;
}

/**
 * The node's top neurons as a listbox, largest share first: neuron index,
 * share (bars scaled to the first neuron's), and a preview of the tokens the
 * neuron promotes; the selected neuron is marked. Above it, how the node
 * splits between the residual, the listed neurons and the rest.
 */
export function renderNeurons(view: NeuronsView): TemplateResult {
  const { neurons, selectedRank } = view;
  const top = neurons.neurons[0]?.share ?? 0;
  return html`${renderComposition(view)}
    <div
      part="list"
      class="list"
      role="listbox"
      tabindex="0"
      aria-label=${`top neurons of mlp[${neurons.layer}]`}
      aria-activedescendant=${selectedRank === undefined ? nothing : optionId(selectedRank)}
    >
      ${neurons.neurons.map((neuron, rank) => {
        const selected = rank === selectedRank;
        const preview = neuron.promoted.slice(0, PREVIEW_TOKENS);
        return html`<div
          part=${selected ? 'option selected' : 'option'}
          class=${selected ? 'option selected' : 'option'}
          role="option"
          id=${optionId(rank)}
          data-rank=${rank}
          aria-selected=${selected ? 'true' : 'false'}
        >
          <span class="index">#${neuron.index}</span>
          <span part="bar" class="bar" aria-hidden="true"
            ><span class="fill" style=${`width: ${barWidth(neuron.share, top)}`}></span
          ></span>
          <span class="number">${formatPercent(neuron.share)}</span>
          <span part="preview" class="preview" title="tokens it promotes most">
            ${preview.map((token) => html`<span class="token">${visibleText(token.text)}</span>`)}
          </span>
        </div>`;
      })}
    </div>`;
}

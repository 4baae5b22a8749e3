import type { GraphNode } from '../schema/graph.js';

/** A token of a ranked table, with its display text. */
export interface RankedToken {
  readonly id: number;
  readonly text: string;
  /** The projection's value for this token. */
  readonly logit: number;
}

/** The per-head shares of one attention edge `resid_post[l-1][keyPos] -> resid_mid[l][pos]`. */
export interface EdgeHeads {
  /** The edge's canonical index. */
  readonly edge: number;
  readonly layer: number;
  readonly pos: number;
  readonly keyPos: number;
  /** The head-summed share of the edge (before any threshold). */
  readonly attention: number;
  /** [H] each head's share of `resid_mid[layer][pos]` from `keyPos`; sums to `attention`. */
  readonly heads: readonly number[];
}

/** How much each head of each layer contributes at one position. */
export interface HeadOverview {
  readonly pos: number;
  /** [L][H] the head's share of `resid_mid[l][pos]`, summed over key positions. */
  readonly shares: readonly (readonly number[])[];
}

/** One head's attention map and contribution map. */
export interface HeadMap {
  readonly layer: number;
  readonly head: number;
  /** [T][T] `attn.pattern[layer][head][pos][key_pos]`, 0 above the diagonal. */
  readonly pattern: readonly (readonly number[])[];
  /** [T][T] the head's share of `resid_mid[layer][pos]` from `key_pos`. */
  readonly shares: readonly (readonly number[])[];
}

/** One of the top contributing neurons of an FFN node. */
export interface NeuronShare {
  /** The neuron's index in `[0, d_mlp)`. */
  readonly index: number;
  /** Its share of `mlp[layer][pos]` (of neurons and the residual together). */
  readonly share: number;
  readonly promoted: readonly RankedToken[];
  readonly suppressed: readonly RankedToken[];
}

/** The top contributing neurons of FFN node `mlp[layer][pos]`, largest share first. */
export interface FfnNeurons {
  readonly layer: number;
  readonly pos: number;
  /** The share of the residual `resid_mid[layer][pos]`. */
  readonly residual: number;
  readonly neurons: readonly NeuronShare[];
}

/** A token of the logit lens. */
export interface LensToken extends RankedToken {
  /** Softmax probability over the full vocabulary. */
  readonly prob: number;
  /** Rank of the same token in the previous residual state; -1 when there is none. */
  readonly previousRank: number;
}

/** The logit lens of one residual node, highest logit first. */
export interface LensTokens {
  readonly node: GraphNode;
  readonly tokens: readonly LensToken[];
}

/** The blocks whose updates have promoted and suppressed tokens. */
export type UpdateBlock = 'attn' | 'mlp' | 'head' | 'neuron';

/**
 * An update written into the residual stream at `(layer, pos)`: a whole
 * attention or FFN block, one head (`part` = head), or one of the node's top
 * neurons (`part` = its rank in the node's top-neuron list).
 */
export interface UpdateRef {
  readonly block: UpdateBlock;
  readonly layer: number;
  readonly pos: number;
  /** Head index for `head`, top-neuron rank for `neuron`; ignored otherwise. */
  readonly part?: number;
}

/** The tokens an update pushes up most and down most. */
export interface UpdateTokens {
  readonly block: UpdateBlock;
  readonly layer: number;
  readonly pos: number;
  /** For a head update. */
  readonly head?: number;
  /** For a neuron update: the neuron's index in `[0, d_mlp)`. */
  readonly neuron?: number;
  readonly promoted: readonly RankedToken[];
  readonly suppressed: readonly RankedToken[];
}

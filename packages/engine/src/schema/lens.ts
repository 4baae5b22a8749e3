import type { GraphNode } from './graph.js';

/**
 * The logit lens of every residual state (DESIGN §2.4): top-K tokens of the
 * state projected onto the vocabulary (after `ln_final` when
 * `settings.lensNormalize`). Rows R = 1 + 2 * n_layers follow the residual
 * stream: row 0 is `embed` (= `resid_pre[0]`), row 2l + 1 is `resid_mid[l]`,
 * row 2l + 2 is `resid_post[l]` (see {@link lensRow}). A parallel block has
 * no `resid_mid`: its row 2l + 1 holds no state (ids -1, logits and probs 0,
 * `previousRank` -1), and row 2l + 2 ranks against row 2l.
 */
export interface TraceLens {
  /** [R, T, K] token ids, highest logit first. */
  readonly ids: Int32Array;
  /** [R, T, K] logits, non-increasing along K. */
  readonly logits: Float32Array;
  /** [R, T, K] softmax probabilities over the full vocabulary. */
  readonly probs: Float32Array;
  /**
   * [R, T, K] the 0-based rank (over the full vocabulary) the same token had
   * in the previous residual state (row r - 1) at the same position; -1 in
   * row 0, which has none. The rank change of entry k is `previousRank - k`
   * (positive: the token rose).
   */
  readonly previousRank: Int32Array;
}

/** R: the number of residual states per position, `1 + 2 * nLayers`. */
export function lensRowCount(nLayers: number): number {
  return 1 + 2 * nLayers;
}

/**
 * The lens row of a residual node: `embed` 0, `resid_mid[l]` 2l + 1,
 * `resid_post[l]` 2l + 2.
 *
 * @throws RangeError for an `mlp` node, which is a block, not a residual state.
 */
export function lensRow(node: Pick<GraphNode, 'kind' | 'layer'>): number {
  switch (node.kind) {
    case 'embed':
      return 0;
    case 'resid_mid':
      return 2 * node.layer + 1;
    case 'resid_post':
      return 2 * node.layer + 2;
    case 'mlp':
      throw new RangeError('an mlp node has no logit lens: it is a block, not a residual state');
  }
}

/** The residual node of lens row `row` at position `pos` (inverse of {@link lensRow}). */
export function lensNode(row: number, pos: number): GraphNode {
  if (row === 0) return { kind: 'embed', layer: -1, pos };
  const layer = (row - 1) >> 1;
  return { kind: row % 2 === 1 ? 'resid_mid' : 'resid_post', layer, pos };
}

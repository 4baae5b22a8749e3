import { edgeAt, lensNode, lensRow } from '@lmtt/engine/schema';
import type { BlockLayout, GraphNode } from '@lmtt/engine/schema';
import type { Selection } from '../trace/selection.js';

/** The residual state an `mlp` node writes into; any other node is its own state. */
function residualOf(node: GraphNode): GraphNode {
  return node.kind === 'mlp' ? { kind: 'resid_post', layer: node.layer, pos: node.pos } : node;
}

/**
 * The residual node whose logit lens a selection means: the target node when
 * it is a residual state (`embed`, `resid_mid`, `resid_post`); for an `mlp`
 * node the `resid_post` it writes into; for an edge the state it flows into
 * (an attention edge's `resid_mid`, or `resid_post` in a parallel block; an
 * FFN edge's `resid_post`); with no target, the prediction itself,
 * `resid_post[L-1][selection.pos]`.
 *
 * @param nLayers - L, the model's layers
 * @param nTokens - T, the prompt's tokens (to decode an edge index)
 * @param blocks - How the model's blocks are wired (`model.blocks`; default sequential)
 */
export function lensNodeOf(
  selection: Selection,
  nLayers: number,
  nTokens: number,
  blocks: BlockLayout = 'sequential',
): GraphNode {
  const { target } = selection;
  if (target?.type === 'node') return residualOf(target.node);
  if (target?.type === 'edge') return residualOf(edgeAt(target.edge, nTokens, blocks).to);
  return { kind: 'resid_post', layer: nLayers - 1, pos: selection.pos };
}

/**
 * The residual state before `node` in the stream, whose ranks the lens
 * compares against; none for `embed`. A parallel block's `resid_post`
 * follows its input, there being no `resid_mid`.
 */
export function previousState(
  node: GraphNode,
  blocks: BlockLayout = 'sequential',
): GraphNode | undefined {
  const row = lensRow(node);
  if (row === 0) return undefined;
  const skip = blocks === 'parallel' && node.kind === 'resid_post' ? 2 : 1;
  return lensNode(row - skip, node.pos);
}

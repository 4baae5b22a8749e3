import { edgeAt, lensNode, lensRow } from '@lmtt/engine/schema';
import type { GraphNode } from '@lmtt/engine/schema';
import type { Selection } from '../trace/selection.js';

/** The residual state an `mlp` node writes into; any other node is its own state. */
function residualOf(node: GraphNode): GraphNode {
  return node.kind === 'mlp' ? { kind: 'resid_post', layer: node.layer, pos: node.pos } : node;
}

/**
 * The residual node whose logit lens a selection means: the target node when
 * it is a residual state (`embed`, `resid_mid`, `resid_post`); for an `mlp`
 * node the `resid_post` it writes into; for an edge the state it flows into
 * (an attention edge's `resid_mid`, an FFN edge's `resid_post`); with no
 * target, the prediction itself, `resid_post[L-1][selection.pos]`.
 *
 * @param nLayers - L, the model's layers
 * @param nTokens - T, the prompt's tokens (to decode an edge index)
 */
export function lensNodeOf(selection: Selection, nLayers: number, nTokens: number): GraphNode {
  const { target } = selection;
  if (target?.type === 'node') return residualOf(target.node);
  if (target?.type === 'edge') return residualOf(edgeAt(target.edge, nTokens).to);
  return { kind: 'resid_post', layer: nLayers - 1, pos: selection.pos };
}

/** The residual state before `node` in the stream, whose ranks the lens compares against; none for `embed`. */
export function previousState(node: GraphNode): GraphNode | undefined {
  const row = lensRow(node);
  return row === 0 ? undefined : lensNode(row - 1, node.pos);
}

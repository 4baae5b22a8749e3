import { edgeAt } from '@lmtt/engine/schema';
import type { BlockLayout, GraphNode } from '@lmtt/engine/schema';
import type { UpdateRef } from '@lmtt/engine/trace-query';
import { focusPos } from '../trace/selection.js';
import type { Selection } from '../trace/selection.js';

/**
 * The block update that produced a node: `resid_mid` the attention's, `mlp`
 * and `resid_post` the FFN's. (In a parallel block `resid_post` receives both
 * updates; its node shows the FFN's, its attention edges the attention's.)
 */
function updateOfNode(node: GraphNode): UpdateRef | undefined {
  const { layer, pos } = node;
  if (node.kind === 'resid_mid') return { block: 'attn', layer, pos };
  if (node.kind === 'mlp' || node.kind === 'resid_post') return { block: 'mlp', layer, pos };
  return undefined;
}

/**
 * The update whose promoted and suppressed tokens a selection means, most
 * specific first: the picked neuron (`part` = its rank in the node's top
 * list), else the picked head at the focus position, else the target's
 * block: an `mlp` or `resid_post` node or an FFN edge the FFN output, a
 * `resid_mid` node or an attention edge the attention output. Undefined when
 * nothing selected is an update (no target, `embed`, a residual edge).
 *
 * @param nTokens - T, the prompt's tokens (to decode an edge index)
 * @param blocks - how the model's blocks are wired (default `sequential`)
 */
export function updateRefOf(
  selection: Selection,
  nTokens: number,
  blocks: BlockLayout = 'sequential',
): UpdateRef | undefined {
  const { neuron, head, target } = selection;
  if (neuron) return { block: 'neuron', layer: neuron.layer, pos: neuron.pos, part: neuron.rank };
  if (head)
    return { block: 'head', layer: head.layer, pos: focusPos(selection, nTokens), part: head.head };
  if (target?.type === 'node') return updateOfNode(target.node);
  if (target?.type === 'edge') {
    const edge = edgeAt(target.edge, nTokens, blocks);
    if (edge.kind === 'attention') return { block: 'attn', layer: edge.to.layer, pos: edge.to.pos };
    if (edge.kind === 'ffn') return { block: 'mlp', layer: edge.to.layer, pos: edge.to.pos };
  }
  return undefined;
}

import { edgeAt } from '@lmtt/engine/schema';
import type { Selection } from '../trace/selection.js';

/** An FFN node `mlp[layer][pos]`. */
export interface FfnNode {
  readonly layer: number;
  readonly pos: number;
}

/**
 * The FFN node whose neurons a selection means: the target `mlp` node, the
 * `mlp` node of a target FFN edge (into or out of it), or the FFN that wrote
 * a target `resid_post` node. Undefined for anything else.
 *
 * @param nTokens - T, the prompt's tokens (to decode an edge index)
 */
export function ffnNodeOf(selection: Selection, nTokens: number): FfnNode | undefined {
  const { target } = selection;
  if (target?.type === 'node') {
    const { kind, layer, pos } = target.node;
    return kind === 'mlp' || kind === 'resid_post' ? { layer, pos } : undefined;
  }
  if (target?.type === 'edge') {
    const edge = edgeAt(target.edge, nTokens);
    if (edge.kind === 'ffn') return { layer: edge.to.layer, pos: edge.to.pos };
  }
  return undefined;
}

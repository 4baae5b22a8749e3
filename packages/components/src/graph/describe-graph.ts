import { edgeAt, edgeShare } from '@lmtt/engine/schema';
import type { GraphNode, TokenView } from '@lmtt/engine/schema';
import type { SelectionTarget } from '../trace/selection.js';
import { visibleText } from '../tokens/render-tokens.js';
import type { GraphScene } from './graph-scene.js';

/**
 * A node's name in hook style: `embed[7]`, `resid_mid[3][7]`, `mlp[3][7]`.
 *
 * @example
 * nodeName({ kind: 'resid_post', layer: 31, pos: 113 }); // 'resid_post[31][113]'
 */
export function nodeName(node: GraphNode): string {
  return node.kind === 'embed' ? `embed[${node.pos}]` : `${node.kind}[${node.layer}][${node.pos}]`;
}

/** A token at a position, quoted with its whitespace visible. */
function tokenAt(tokens: readonly TokenView[], pos: number): string {
  const text = tokens[pos]?.text;
  return text === undefined ? `#${pos}` : `“${visibleText(text)}”`;
}

/**
 * The lines a tooltip shows for a node or an edge: its name and token(s);
 * for an edge also its weight after the cut (0 when cut) and its raw share
 * before any threshold, to 4 decimals.
 *
 * @param scene - From `graphScene`.
 * @param tokens - [T] the trace's tokens.
 * @param target - The node or edge (canonical index).
 * @example
 * describeTarget(scene, trace.tokens, { type: 'edge', edge: 42 }).join('\n');
 */
export function describeTarget(
  scene: GraphScene,
  tokens: readonly TokenView[],
  target: SelectionTarget,
): string[] {
  if (target.type === 'node') {
    const { node } = target;
    return [nodeName(node), `token ${node.pos}: ${tokenAt(tokens, node.pos)}`];
  }
  const T = scene.nTokens;
  const blocks = scene.graph?.blocks;
  const { from, to, kind } = edgeAt(target.edge, T, blocks);
  const weight = scene.graph?.weights[target.edge] ?? 0;
  const share = edgeShare(scene.contributions, target.edge, T, blocks);
  const settings = scene.graph?.settings;
  const cut = settings
    ? ` (threshold ${settings.threshold}${settings.renormalize ? ', renormalised' : ''})`
    : '';
  return [
    `${kind} ${nodeName(from)} → ${nodeName(to)}`,
    `${tokenAt(tokens, from.pos)} → ${tokenAt(tokens, to.pos)}`,
    `weight ${weight.toFixed(4)}${cut}`,
    `share ${share.toFixed(4)}`,
  ];
}

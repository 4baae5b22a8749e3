import { nodeAt, nodeIndex } from '@lmtt/engine/graph';
import type { GraphNode } from '@lmtt/engine/schema';
import type { GraphScene } from './graph-scene.js';

/**
 * Where the keyboard focus starts: the node the selected prediction is read
 * from, `resid_post[L-1][pos]`, or the top present node of its column while
 * the trace streams in.
 */
export function initialFocus(scene: GraphScene): GraphNode {
  if (scene.present === 0) return { kind: 'embed', layer: -1, pos: scene.pos };
  return { kind: 'resid_post', layer: scene.present - 1, pos: scene.pos };
}

/** Keys {@link moveFocus} handles. */
export const FOCUS_KEYS: ReadonlySet<string> = new Set([
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'PageUp',
  'PageDown',
  'Home',
  'End',
]);

/**
 * Moves the keyboard focus one step. Nodes are stacked per column as
 * `embed`, then per layer `resid_mid`, `mlp`, `resid_post`: ArrowUp/ArrowDown
 * step through that stack, PageUp/PageDown a whole layer, ArrowLeft/ArrowRight
 * to the same node of the next column, Home/End to the first or last column.
 * The focus stays within the present layers, and off the `resid_mid` nodes
 * parallel blocks do not have.
 *
 * @param scene - From `graphScene`.
 * @param node - The focused node.
 * @param key - A `KeyboardEvent.key` in {@link FOCUS_KEYS}; others leave the node.
 * @example
 * moveFocus(scene, { kind: 'resid_mid', layer: 3, pos: 7 }, 'ArrowUp'); // mlp[3][7]
 */
export function moveFocus(scene: GraphScene, node: GraphNode, key: string): GraphNode {
  const shape = { nTokens: scene.nTokens, nLayers: scene.nLayers };
  const T = scene.nTokens;
  const top = 3 * scene.present; // the highest level present
  const index = nodeIndex(shape, node);
  let level = Math.floor(index / T);
  let pos = index % T;
  if (key === 'ArrowUp') level += 1;
  else if (key === 'ArrowDown') level -= 1;
  else if (key === 'PageUp') level += 3;
  else if (key === 'PageDown') level -= 3;
  else if (key === 'ArrowLeft') pos -= 1;
  else if (key === 'ArrowRight') pos += 1;
  else if (key === 'Home') pos = 0;
  else if (key === 'End') pos = T - 1;
  level = Math.max(0, Math.min(top, level));
  if (scene.graph?.blocks === 'parallel' && level % 3 === 1) {
    level += key === 'ArrowDown' ? -1 : 1;
  }
  pos = Math.max(0, Math.min(T - 1, pos));
  return nodeAt(shape, level * T + pos);
}

/**
 * The kept edges into a node, ascending canonical indices: what `[` and `]`
 * cycle through.
 *
 * @param scene - From `graphScene`.
 * @param node - The focused node.
 */
export function edgesInto(scene: GraphScene, node: GraphNode): number[] {
  const { graph } = scene;
  if (!graph || node.kind === 'embed') return [];
  const target = nodeIndex({ nTokens: scene.nTokens, nLayers: scene.nLayers }, node);
  const into: number[] = [];
  for (let k = 0; k < graph.edges.length; k++)
    if (graph.to[k] === target) into.push(graph.edges[k]!);
  return into;
}

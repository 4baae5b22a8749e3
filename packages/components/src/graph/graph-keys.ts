import type { GraphNode } from '@lmtt/engine/schema';
import type { SelectionTarget } from '../trace/selection.js';
import { edgesInto, FOCUS_KEYS, initialFocus, moveFocus } from './graph-focus.js';
import type { GraphScene } from './graph-scene.js';

/** The keyboard focus of a graph: a node, and the edge into it picked with `[` / `]`. */
export interface GraphCursor {
  readonly node: GraphNode;
  readonly edge?: number;
}

/** What a key does: where the cursor goes, and whether it selects or clears. */
export interface KeyAction {
  readonly cursor: GraphCursor;
  /** A target to select, `clear` to drop the selected one, or nothing to leave it. */
  readonly select?: SelectionTarget | 'clear';
}

/** The node or edge a cursor is on. */
export function cursorTarget(cursor: GraphCursor): SelectionTarget {
  return cursor.edge === undefined
    ? { type: 'node', node: cursor.node }
    : { type: 'edge', edge: cursor.edge };
}

/**
 * The graph's keyboard map. Without a cursor the first key puts it on the
 * prediction's node. Arrows, PageUp/PageDown, Home/End move between nodes
 * (see `moveFocus`); `]` / `[` cycle through the kept edges into the node;
 * Enter or Space selects the cursor's edge or node; Escape drops the edge
 * and clears the selection.
 *
 * @param scene - From `graphScene`.
 * @param cursor - The current focus, if any.
 * @param key - `KeyboardEvent.key`.
 * @returns The action, or undefined for a key the graph leaves alone.
 * @example
 * graphKey(scene, { node: { kind: 'mlp', layer: 2, pos: 5 } }, ']'); // the first edge into it
 */
export function graphKey(
  scene: GraphScene,
  cursor: GraphCursor | undefined,
  key: string,
): KeyAction | undefined {
  const at = cursor ?? { node: initialFocus(scene) };
  if (FOCUS_KEYS.has(key))
    return { cursor: { node: cursor ? moveFocus(scene, at.node, key) : at.node } };
  if (key === ']' || key === '[') {
    const into = edgesInto(scene, at.node);
    if (into.length === 0) return { cursor: { node: at.node } };
    const current = at.edge === undefined ? -1 : into.indexOf(at.edge);
    const next = key === ']' ? current + 1 : (current < 0 ? into.length : current) - 1;
    return { cursor: { node: at.node, edge: into[(next + into.length) % into.length] } };
  }
  if (key === 'Enter' || key === ' ') return { cursor: at, select: cursorTarget(at) };
  if (key === 'Escape') return { cursor: { node: at.node }, select: 'clear' };
  return undefined;
}

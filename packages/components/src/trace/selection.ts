import type { GraphNode, Trace } from '@lmtt/engine/schema';
import { edgeAt } from '@lmtt/engine/schema';

/** The selected element of the graph: a node, or an edge by canonical index. */
export type SelectionTarget =
  | { readonly type: 'node'; readonly node: GraphNode }
  | { readonly type: 'edge'; readonly edge: number };

/**
 * What a user is looking at, shared by every view of one explorer: the
 * prediction whose route the graph shows, the node or edge clicked in it, and
 * the head or neuron picked in the detail panels.
 */
export interface Selection {
  /** The prediction position whose route is shown, `0 <= pos < T`. */
  readonly pos: number;
  readonly target?: SelectionTarget;
  /** A head picked in `<lmtt-heads>`. */
  readonly head?: { readonly layer: number; readonly head: number };
  /** A neuron picked in `<lmtt-neurons>`: its rank in the FFN node's top list. */
  readonly neuron?: { readonly layer: number; readonly pos: number; readonly rank: number };
}

/** The selection a fresh trace starts with: the last prediction, nothing clicked. */
export function initialSelection(trace: Trace): Selection {
  return { pos: trace.tokens.length - 1 };
}

/**
 * The position the detail panels look at: the target node's or edge's
 * (destination) position, else the selected prediction's.
 */
export function focusPos(selection: Selection, nTokens: number): number {
  const { target } = selection;
  if (target?.type === 'node') return target.node.pos;
  if (target?.type === 'edge') return edgeAt(target.edge, nTokens).to.pos;
  return selection.pos;
}

/**
 * Selects a graph element: head and neuron picks are dropped, since they
 * belonged to the previous element.
 */
export function selectTarget(selection: Selection, target: SelectionTarget | undefined): Selection {
  return target === undefined ? { pos: selection.pos } : { pos: selection.pos, target };
}

/** Whether two selections are the same (deep, by value). */
export function sameSelection(a: Selection | undefined, b: Selection | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

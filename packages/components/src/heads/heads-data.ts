import { edgeAt } from '@lmtt/engine/schema';
import type { EdgeHeads, HeadOverview } from '@lmtt/engine/trace-query';
import type { Selection } from '../trace/selection.js';

/** A head of the model: `L{layer}H{head}`. */
export interface HeadRef {
  readonly layer: number;
  readonly head: number;
}

/** A head with its share of a residual node. */
export interface HeadShare extends HeadRef {
  /** The head's share of `resid_mid[layer][pos]` (of an edge, or summed over key positions). */
  readonly share: number;
}

/** The name a head goes by: `L{layer}H{head}`. */
export function headLabel({ layer, head }: HeadRef): string {
  return `L${layer}H${head}`;
}

/** Whether two heads are the same head. */
export function sameHead(a: HeadRef | undefined, b: HeadRef | undefined): boolean {
  return a !== undefined && b !== undefined && a.layer === b.layer && a.head === b.head;
}

/** A share in percent, one decimal, with tiny shares shown as such rather than as 0. */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.0005) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/** A value as exactly as a tooltip needs it: four significant digits. */
export function formatExact(value: number): string {
  return value === 0 ? '0' : value.toPrecision(4);
}

/**
 * The selected attention edge's canonical index, or undefined when the
 * selection's target is a node, a residual or FFN edge, or nothing.
 *
 * @param nTokens - T, the trace's token count
 * @param nLayers - L; an edge beyond the last layer is not an edge of the trace
 */
export function selectedAttentionEdge(
  selection: Selection | undefined,
  nTokens: number,
  nLayers: number,
): number | undefined {
  const target = selection?.target;
  if (target?.type !== 'edge') return undefined;
  const edge = edgeAt(target.edge, nTokens);
  return edge.kind === 'attention' && edge.to.layer < nLayers ? target.edge : undefined;
}

/** One bar per head of an attention edge, in head order; their shares sum to the edge's. */
export function edgeHeadShares(heads: EdgeHeads): HeadShare[] {
  return heads.heads.map((share, head) => ({ layer: heads.layer, head, share }));
}

/** The overview's cells, layer by layer, head by head. */
export function overviewHeadShares(overview: HeadOverview): HeadShare[] {
  return overview.shares.flatMap((row, layer) =>
    row.map((share, head) => ({ layer, head, share })),
  );
}

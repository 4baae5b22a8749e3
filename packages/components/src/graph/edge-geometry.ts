import { nodeIndex } from '@lmtt/engine/graph';
import { edgeAt, edgesPerLayer } from '@lmtt/engine/schema';
import type { BlockLayout, EdgeKind } from '@lmtt/engine/schema';
import type { GraphLayout } from './graph-layout.js';

/**
 * Where an edge is drawn: from (x1, y1) to (x2, y2), through the control
 * point (cx, cy) of a quadratic curve when `curved`. Only the attention edge
 * of a token to itself is curved, bowed left, so that it stands apart from
 * the residual edge it would otherwise cover.
 */
export interface EdgeGeometry {
  readonly index: number;
  readonly kind: EdgeKind;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly curved: boolean;
  readonly cx: number;
  readonly cy: number;
}

/** How far left the self-attention curve bows, as a share of the column width. */
const SELF_BOW = 0.45;

/**
 * The geometry of the edge with canonical index `index` in a layout.
 *
 * @param layout - From `layoutGraph`.
 * @param index - Canonical edge index (`edgeIndex` in `@lmtt/engine/schema`).
 * @param blocks - How the model's blocks are wired (the graph's `blocks`; default sequential).
 * @example
 * const { x1, y1, x2, y2 } = edgeGeometry(layout, graph.edges[0]);
 */
export function edgeGeometry(
  layout: GraphLayout,
  index: number,
  blocks: BlockLayout = 'sequential',
): EdgeGeometry {
  const { from, to, kind } = edgeAt(index, layout.nTokens, blocks);
  const a = nodeIndex(layout, from);
  const b = nodeIndex(layout, to);
  const x1 = layout.nodeX[a]!;
  const y1 = layout.nodeY[a]!;
  const x2 = layout.nodeX[b]!;
  const y2 = layout.nodeY[b]!;
  const curved = kind === 'attention' && from.pos === to.pos;
  const cx = curved ? x1 - selfBow(layout) : (x1 + x2) / 2;
  return { index, kind, x1, y1, x2, y2, curved, cx, cy: (y1 + y2) / 2 };
}

/**
 * The kind of the edge with canonical index `index` for T tokens, from the
 * numbering alone (no edge object): what painting thousands of edges needs.
 */
export function edgeKindAt(index: number, nTokens: number): EdgeKind {
  const triangle = (nTokens * (nTokens + 1)) / 2;
  const r = (index % edgesPerLayer(nTokens)) - triangle;
  if (r < 0) return 'attention';
  const group = Math.floor(r / nTokens);
  return group === 1 || group === 2 ? 'ffn' : 'residual';
}

/** How far left the self-attention curve of a column bows, in px. */
export function selfBow(layout: GraphLayout): number {
  return SELF_BOW * layout.columnWidth;
}

/** Rounds to 2 decimals, so drawn numbers are short and deterministic. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The SVG path data of an edge, coordinates rounded to 2 decimals. */
export function edgePath(edge: EdgeGeometry): string {
  const { x1, y1, x2, y2, cx, cy } = edge;
  const start = `M${round2(x1)} ${round2(y1)}`;
  return edge.curved
    ? `${start}Q${round2(cx)} ${round2(cy)} ${round2(x2)} ${round2(y2)}`
    : `${start}L${round2(x2)} ${round2(y2)}`;
}

/**
 * How an edge of weight w (after the cut, 0..1) is stroked: wider and more
 * opaque with its contribution, never thinner than half a pixel.
 */
export function edgeStroke(weight: number): { width: number; opacity: number } {
  const w = Math.max(0, Math.min(1, weight));
  return { width: 0.5 + 3.5 * w, opacity: 0.3 + 0.7 * w };
}

/** Distance from (px, py) to the segment from (ax, ay) to (bx, by). */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number) {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const k =
    length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + k * dx), py - (ay + k * dy));
}

/** Segments a curved edge is approximated by when measuring distances. */
const CURVE_STEPS = 8;

/** Distance in px from a point to an edge as drawn (a curve is measured on 8 chords). */
export function distanceToEdge(edge: EdgeGeometry, px: number, py: number): number {
  const { x1, y1, x2, y2, cx, cy } = edge;
  if (!edge.curved) return segmentDistance(px, py, x1, y1, x2, y2);
  let best = Infinity;
  let ax = x1;
  let ay = y1;
  for (let i = 1; i <= CURVE_STEPS; i++) {
    const k = i / CURVE_STEPS;
    const bx = (1 - k) * (1 - k) * x1 + 2 * k * (1 - k) * cx + k * k * x2;
    const by = (1 - k) * (1 - k) * y1 + 2 * k * (1 - k) * cy + k * k * y2;
    best = Math.min(best, segmentDistance(px, py, ax, ay, bx, by));
    ax = bx;
    ay = by;
  }
  return best;
}

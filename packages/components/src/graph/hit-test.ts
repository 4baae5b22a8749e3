import { nodeAt } from '@lmtt/engine/graph';
import { edgesPerLayer } from '@lmtt/engine/schema';
import type { SelectionTarget } from '../trace/selection.js';
import { distanceToEdge, edgeGeometry, edgeStroke } from './edge-geometry.js';
import type { GraphLayout } from './graph-layout.js';
import { drawsNode } from './graph-scene.js';
import type { GraphScene } from './graph-scene.js';

/** Extra px around a mark that still count as on it. */
const SLACK = 3;
/** A route edge wins over a faded one this much farther away, in px. */
const ROUTE_BIAS = 1.5;

/** The first position in a sorted array whose value is at least `value`. */
function lowerBound(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The drawn node under (x, y), if any: the columns either side of x are searched. */
function nodeHit(scene: GraphScene, layout: GraphLayout, x: number, y: number) {
  const T = scene.nTokens;
  const column = Math.floor((x - layout.gutter) / layout.columnWidth);
  const reach = layout.nodeRadius + SLACK;
  let best: number | undefined;
  let bestDistance = reach;
  for (let level = 0; level < 1 + 3 * scene.present; level++) {
    for (let t = Math.max(0, column - 1); t <= Math.min(T - 1, column + 1); t++) {
      const index = level * T + t;
      if (!drawsNode(scene, index)) continue;
      const distance = Math.hypot(layout.nodeX[index]! - x, layout.nodeY[index]! - y);
      if (distance <= bestDistance) {
        best = index;
        bestDistance = distance;
      }
    }
  }
  return best === undefined ? undefined : nodeAt(layout, best);
}

/** The kept edge under (x, y), if any: only the layers whose band holds y are searched. */
function edgeHit(scene: GraphScene, layout: GraphLayout, x: number, y: number) {
  const { graph } = scene;
  if (!graph) return undefined;
  const perLayer = edgesPerLayer(scene.nTokens);
  let best: number | undefined;
  let bestScore = Infinity;
  for (const band of layout.bands.slice(0, scene.present)) {
    if (y < band.top - SLACK || y > band.bottom + SLACK) continue;
    const end = lowerBound(graph.edges, (band.layer + 1) * perLayer);
    for (let k = lowerBound(graph.edges, band.layer * perLayer); k < end; k++) {
      const index = graph.edges[k]!;
      const geometry = edgeGeometry(layout, index, graph.blocks);
      const distance = distanceToEdge(geometry, x, y);
      const reach = edgeStroke(graph.weights[index]!).width / 2 + SLACK;
      const score = distance - (scene.routeMask[k] === 1 ? ROUTE_BIAS : 0);
      if (distance <= reach && score < bestScore) {
        best = index;
        bestScore = score;
      }
    }
  }
  return best;
}

/**
 * What is under a point of the drawing: a node (nodes win, being small) or
 * the nearest kept edge within its half-width plus 3 px, faded or not; a
 * route edge wins over a faded one at nearly the same distance.
 *
 * @param scene - From `graphScene`.
 * @param layout - From `layoutGraph`.
 * @param x - In the drawing's px, from its left edge.
 * @param y - In the drawing's px, from its top edge.
 * @returns A selection target, or undefined over empty space.
 * @example
 * const target = hitTest(scene, layout, event.offsetX, event.offsetY);
 */
export function hitTest(
  scene: GraphScene,
  layout: GraphLayout,
  x: number,
  y: number,
): SelectionTarget | undefined {
  const node = nodeHit(scene, layout, x, y);
  if (node) return { type: 'node', node };
  const edge = edgeHit(scene, layout, x, y);
  return edge === undefined ? undefined : { type: 'edge', edge };
}

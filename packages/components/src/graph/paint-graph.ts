import type { EdgeKind } from '@lmtt/engine/schema';
import { edgeKindAt, edgeStroke, selfBow } from './edge-geometry.js';
import type { GraphLayout } from './graph-layout.js';
import { drawsNode } from './graph-scene.js';
import type { GraphScene } from './graph-scene.js';

/** The resolved colours a canvas paints with (CSS colour strings). */
export interface GraphPalette {
  readonly attention: string;
  readonly residual: string;
  readonly ffn: string;
  readonly node: string;
  /** Opacity of what is off the route, 0..1. */
  readonly fade: number;
}

/** What to paint: the whole graph (faded when the scene fades), or the route in full. */
type Pass = 'graph' | 'route';

/** Weight buckets: edges of one kind and bucket are stroked as one path. */
const BUCKETS = 16;
const KINDS: readonly EdgeKind[] = ['attention', 'residual', 'ffn'];

/** Paints kept edges batched by kind and weight bucket: a few dozen strokes for thousands of edges. */
function paintEdges(
  context: CanvasRenderingContext2D,
  scene: GraphScene,
  layout: GraphLayout,
  palette: GraphPalette,
  pass: Pass,
): void {
  const { graph, nTokens: T, routeMask } = scene;
  if (!graph) return;
  const { nodeX, nodeY } = layout;
  const bow = selfBow(layout);
  const batches = KINDS.map(() => Array.from({ length: BUCKETS }, (): number[] => []));
  for (let k = 0; k < graph.edges.length; k++) {
    if (pass === 'route' && routeMask[k] !== 1) continue;
    const index = graph.edges[k]!;
    const bucket = Math.min(BUCKETS - 1, Math.floor(graph.weights[index]! * BUCKETS));
    batches[KINDS.indexOf(edgeKindAt(index, T))]![bucket]!.push(k);
  }
  const alpha = pass === 'graph' && scene.faded ? palette.fade : 1;
  KINDS.forEach((kind, kindIndex) => {
    context.strokeStyle = palette[kind];
    batches[kindIndex]!.forEach((edges, bucket) => {
      if (edges.length === 0) return;
      const { width, opacity } = edgeStroke((bucket + 0.5) / BUCKETS);
      context.lineWidth = width;
      context.globalAlpha = opacity * alpha;
      context.beginPath();
      for (const k of edges) {
        const a = graph.from[k]!;
        const b = graph.to[k]!;
        context.moveTo(nodeX[a]!, nodeY[a]!);
        if (kind === 'attention' && a % T === b % T) {
          context.quadraticCurveTo(
            nodeX[a]! - bow,
            (nodeY[a]! + nodeY[b]!) / 2,
            nodeX[b]!,
            nodeY[b]!,
          );
        } else {
          context.lineTo(nodeX[b]!, nodeY[b]!);
        }
      }
      context.stroke();
    });
  });
}

/** Paints nodes: circles for residual states, squares for FFN blocks. */
function paintNodes(
  context: CanvasRenderingContext2D,
  scene: GraphScene,
  layout: GraphLayout,
  palette: GraphPalette,
  pass: Pass,
): void {
  const T = scene.nTokens;
  const r = layout.nodeRadius;
  const side = 2 * r + 2;
  context.globalAlpha = pass === 'graph' && scene.faded ? palette.fade : 1;
  const count = T * (1 + 3 * scene.present);
  const isMlp = (index: number) => index >= T && Math.floor(index / T - 1) % 3 === 1;
  for (const mlp of [false, true]) {
    context.fillStyle = mlp ? palette.ffn : palette.node;
    context.beginPath();
    for (let index = 0; index < count; index++) {
      if ((pass === 'route' && scene.routeNodes[index] !== 1) || isMlp(index) !== mlp) continue;
      if (!drawsNode(scene, index)) continue;
      const x = layout.nodeX[index]!;
      const y = layout.nodeY[index]!;
      if (mlp) {
        context.rect(x - side / 2, y - side / 2, side, side);
      } else {
        context.moveTo(x + r, y);
        context.arc(x, y, r, 0, 2 * Math.PI);
      }
    }
    context.fill();
  }
}

/**
 * Paints a scene on a canvas: every kept edge and every node of the present
 * layers (faded when the scene fades), and with `route` the route again in
 * full over them. The element draws the route in SVG over this canvas instead
 * unless the route is too long for SVG (a very low threshold), so switching
 * routes leaves the canvas alone.
 *
 * @param context - A 2D context of a canvas of the layout's size times `scale`.
 * @param scene - From `graphScene`.
 * @param layout - From `layoutGraph`.
 * @param palette - Colours resolved from the element's custom properties.
 * @param options - `scale`: device pixels per CSS pixel (default 1); `route`: paint the route too.
 */
export function paintGraph(
  context: CanvasRenderingContext2D,
  scene: GraphScene,
  layout: GraphLayout,
  palette: GraphPalette,
  options: { readonly scale?: number; readonly route?: boolean } = {},
): void {
  const { scale = 1, route = false } = options;
  context.setTransform(scale, 0, 0, scale, 0, 0);
  context.clearRect(0, 0, layout.width, layout.height);
  context.lineCap = 'round';
  const passes: Pass[] = route && scene.faded ? ['graph', 'route'] : ['graph'];
  for (const pass of passes) {
    paintEdges(context, scene, layout, palette, pass);
    paintNodes(context, scene, layout, palette, pass);
  }
  context.globalAlpha = 1;
}

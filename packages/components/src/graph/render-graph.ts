import { html, nothing, svg } from 'lit';
import type { SVGTemplateResult, TemplateResult } from 'lit';
import { nodeAt, nodeIndex } from '@lmtt/engine/graph';
import { nodeKey } from '@lmtt/engine/schema';
import type { GraphNode, TokenView } from '@lmtt/engine/schema';
import { visibleText } from '../tokens/render-tokens.js';
import type { SelectionTarget } from '../trace/selection.js';
import { edgeGeometry, edgePath, edgeStroke, round2 } from './edge-geometry.js';
import { cursorTarget } from './graph-keys.js';
import type { GraphCursor } from './graph-keys.js';
import type { GraphLayout } from './graph-layout.js';
import { drawsNode } from './graph-scene.js';
import type { GraphScene } from './graph-scene.js';

/** What `renderGraph` draws besides the scene. */
export interface RenderGraphOptions {
  /** Draw the route's edges and nodes (default true). */
  readonly route?: boolean;
  /**
   * Draw the rest of the graph too, faded when the scene fades (default
   * false: the element paints it on a canvas, see `paintGraph`); with it the
   * SVG stands alone.
   */
  readonly rest?: boolean;
  /** The selected node or edge, outlined. */
  readonly selected?: SelectionTarget;
  /** The keyboard focus: a node, and the edge into it being cycled through. */
  readonly focused?: GraphCursor;
  /**
   * [T] the prompt's tokens, labelled over their columns in a row above the
   * drawing (for standalone files; on screen the selectors label them).
   */
  readonly tokens?: readonly TokenView[];
}

/** Height of the token row over a standalone drawing, in px. */
const TOKEN_ROW = 24;
/** Width of one character of the token labels (11 px monospace), in px. */
const LABEL_CHAR = 6.7;

/** A node's mark: a circle for a residual state, a square for an FFN block. */
function nodeMark(layout: GraphLayout, node: GraphNode, classes: string): SVGTemplateResult {
  const index = nodeIndex(layout, node);
  const x = round2(layout.nodeX[index]!);
  const y = round2(layout.nodeY[index]!);
  const r = layout.nodeRadius;
  const key = nodeKey(node);
  if (node.kind === 'mlp') {
    const side = round2(2 * r + 2);
    return svg`<rect class=${`node mlp ${classes}`} data-node=${key} x=${round2(x - side / 2)} y=${round2(y - side / 2)} width=${side} height=${side}></rect>`;
  }
  return svg`<circle class=${`node ${node.kind} ${classes}`} data-node=${key} cx=${x} cy=${y} r=${round2(r)}></circle>`;
}

/** An edge's stroke, its width and opacity from its weight. */
function edgeMark(
  layout: GraphLayout,
  scene: GraphScene,
  index: number,
  classes: string,
): SVGTemplateResult {
  const geometry = edgeGeometry(layout, index, scene.graph?.blocks);
  const { width, opacity } = edgeStroke(scene.graph?.weights[index] ?? 0);
  return svg`<path class=${`edge ${geometry.kind} ${classes}`} data-edge=${index} d=${edgePath(geometry)} stroke-width=${round2(width)} stroke-opacity=${round2(opacity)}></path>`;
}

/** An outline around an edge or a node: the selection or the keyboard focus. */
function outline(layout: GraphLayout, scene: GraphScene, target: SelectionTarget, classes: string) {
  if (target.type === 'node') return nodeMark(layout, target.node, `outline ${classes}`);
  const geometry = edgeGeometry(layout, target.edge, scene.graph?.blocks);
  return svg`<path class=${`edge-outline ${classes}`} d=${edgePath(geometry)}></path>`;
}

/** Layer labels in the gutter, and the embedding row's. */
function labels(layout: GraphLayout): SVGTemplateResult {
  const x = layout.gutter - 8;
  const embedY = round2(layout.nodeY[0] ?? layout.height);
  return svg`<g class="labels" aria-hidden="true">
    <text x=${x} y=${embedY}>emb</text>
    ${layout.bands.map((band) => svg`<text x=${x} y=${round2(band.top)}>L${band.layer}</text>`)}
  </g>`;
}

/** Each token over its column, elided to the column's width; the selected prediction's stands out. */
function tokenRow(
  layout: GraphLayout,
  tokens: readonly TokenView[],
  pos: number,
): SVGTemplateResult {
  const fits = Math.max(1, Math.floor(layout.columnWidth / LABEL_CHAR));
  return svg`<g class="tokens">${tokens.map((token, t) => {
    const text = visibleText(token.text);
    const label = text.length > fits ? `${text.slice(0, fits - 1)}…` : text;
    return svg`<text class=${t === pos ? 'token current' : 'token'} x=${round2(layout.nodeX[t]!)} y=${-TOKEN_ROW / 2}>${label}</text>`;
  })}</g>`;
}

/** The layers still coming while a trace streams in: a dashed band, labelled. */
function pending(layout: GraphLayout, scene: GraphScene): SVGTemplateResult | typeof nothing {
  if (scene.present >= scene.nLayers) return nothing;
  const top = layout.bands[scene.nLayers - 1]!.top;
  // Clear of the top present row of nodes, which sits on the band's bottom.
  const bottom = layout.bands[scene.present]!.bottom - layout.nodeRadius - 4;
  const last = scene.nLayers - 1;
  const which = scene.present === last ? `layer ${last}` : `layers ${scene.present}–${last}`;
  return svg`<g class="pending">
    <rect x=${layout.gutter} y=${round2(top)} width=${layout.width - layout.gutter} height=${round2(bottom - top)} rx="6"></rect>
    <text x=${round2(layout.gutter + 12)} y=${round2(bottom - 12)}>${which} coming…</text>
  </g>`;
}

/** Edges on the route, or the rest of the kept edges (faded when the scene fades). */
function edges(layout: GraphLayout, scene: GraphScene, onRoute: boolean): SVGTemplateResult[] {
  const { graph, routeMask } = scene;
  const marks: SVGTemplateResult[] = [];
  const classes = onRoute || !scene.faded ? '' : 'back';
  graph?.edges.forEach((index, k) => {
    if ((routeMask[k] === 1) === onRoute) marks.push(edgeMark(layout, scene, index, classes));
  });
  return marks;
}

/**
 * Nodes of the present layers on the route, or the rest (faded when the
 * scene fades); parallel blocks have no `resid_mid` nodes to draw.
 */
function nodes(layout: GraphLayout, scene: GraphScene, onRoute: boolean): SVGTemplateResult[] {
  const count = scene.nTokens * (1 + 3 * scene.present);
  const classes = onRoute || !scene.faded ? '' : 'back';
  const marks: SVGTemplateResult[] = [];
  for (let index = 0; index < count; index++) {
    if ((scene.routeNodes[index] === 1) === onRoute && drawsNode(scene, index)) {
      marks.push(nodeMark(layout, nodeAt(layout, index), classes));
    }
  }
  return marks;
}

/**
 * Draws the information-flow graph of a scene as SVG: layer labels, the
 * route's edges and nodes (and with `rest` every other kept edge and node,
 * faded), the layers still streaming in, the selection and the focus;
 * with `tokens`, a row of token labels above. Edges carry `data-edge`
 * (canonical index), nodes `data-node` (`nodeKey`). Coordinates are rounded to 2 decimals.
 *
 * @param scene - From `graphScene`.
 * @param layout - From `layoutGraph` for the scene's T and L.
 * @param options - What to include, the selection and the focus.
 * @example
 * render(renderGraph(scene, layout, { rest: true }), container);
 */
export function renderGraph(
  scene: GraphScene,
  layout: GraphLayout,
  options: RenderGraphOptions = {},
): TemplateResult {
  const { route = true, rest = false, selected, focused, tokens } = options;
  const top = tokens ? TOKEN_ROW : 0;
  return html`<svg
    part="graph"
    class="graph"
    width=${layout.width}
    height=${layout.height + top}
    viewBox=${`0 ${-top} ${layout.width} ${layout.height + top}`}
    aria-hidden="true"
  >
    ${tokens ? tokenRow(layout, tokens, scene.pos) : nothing} ${labels(layout)}
    ${pending(layout, scene)}
    <g class="edges">
      ${rest ? edges(layout, scene, false) : nothing}
      ${route ? edges(layout, scene, true) : nothing}
    </g>
    <g class="nodes">
      ${rest ? nodes(layout, scene, false) : nothing}
      ${route ? nodes(layout, scene, true) : nothing}
    </g>
    ${selected ? outline(layout, scene, selected, 'selected') : nothing}
    ${focused ? outline(layout, scene, cursorTarget(focused), 'focus') : nothing}
  </svg>`;
}

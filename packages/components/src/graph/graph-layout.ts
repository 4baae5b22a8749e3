/** The dimensions a layout needs: the prompt's tokens and the model's layers. */
export interface GraphShape {
  /** T, the number of positions (columns). */
  readonly nTokens: number;
  /** L, the model's layers (rows), all of them even while a trace streams in. */
  readonly nLayers: number;
}

/** How to size a layout. */
export interface GraphLayoutOptions {
  /** Width available for the drawing, in px: columns widen to fill it (default 0: narrowest). */
  readonly width?: number;
  /** Narrowest column, in px; past it the drawing overflows and scrolls (default 34). */
  readonly minColumnWidth?: number;
  /** Widest column, in px (default 96). */
  readonly maxColumnWidth?: number;
  /** Height of one layer, in px (default: 96 for a few layers down to 44 for many). */
  readonly layerHeight?: number;
}

/** The vertical extent of one layer: from `resid_post[l-1]` (bottom) to `resid_post[l]` (top). */
export interface LayerBand {
  readonly layer: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * Where everything of the information-flow graph sits, in px: tokens left to
 * right, layers bottom to top. Node coordinates are indexed by the node's
 * number (`nodeIndex` of `@lmtt/engine/graph`, for the full shape), which a
 * partial graph of the first layers shares.
 */
export interface GraphLayout extends GraphShape {
  readonly width: number;
  readonly height: number;
  /** Left gutter holding the layer labels. */
  readonly gutter: number;
  readonly columnWidth: number;
  readonly layerHeight: number;
  /** Radius of a residual-state node; an FFN block is a square of side `2 * nodeRadius + 2`. */
  readonly nodeRadius: number;
  /** [n_nodes] x of each node's centre. */
  readonly nodeX: Float32Array;
  /** [n_nodes] y of each node's centre. */
  readonly nodeY: Float32Array;
  /** [L] each layer's band, bottom layer first. */
  readonly bands: readonly LayerBand[];
}

const GUTTER = 40;
const PAD_TOP = 14;
const PAD_BOTTOM = 14;
/** Share of a layer's height taken by attention (`resid_post[l-1]` to `resid_mid[l]`). */
const ATTENTION_SHARE = 0.6;
/** How far right of its column an FFN block sits, as a share of the column width. */
const MLP_OFFSET = 0.3;

/** The default layer height: tall for a few layers, compact for many. */
function defaultLayerHeight(nLayers: number): number {
  return Math.round(Math.max(44, Math.min(96, 480 / nLayers)));
}

/**
 * Lays out the graph of a prompt: one column per position, one band per
 * layer, `embed` at the bottom; in each band `resid_mid` sits above the
 * attention edges, the FFN block `mlp` beside the column between `resid_mid`
 * and `resid_post`, `resid_post` on top. Pure: the same shape and options
 * give the same numbers.
 *
 * @param shape - T and L (the model's, so a streaming trace keeps its height).
 * @param options - Sizes; see {@link GraphLayoutOptions}.
 * @example
 * const layout = layoutGraph({ nTokens: 13, nLayers: 4 }, { width: 800 });
 * layout.nodeX[nodeIndex(layout, { kind: 'resid_mid', layer: 0, pos: 2 })];
 */
export function layoutGraph(shape: GraphShape, options: GraphLayoutOptions = {}): GraphLayout {
  const { nTokens: T, nLayers: L } = shape;
  const { width = 0, minColumnWidth = 34, maxColumnWidth = 96 } = options;
  const layerHeight = options.layerHeight ?? defaultLayerHeight(L);
  const fit = (width - GUTTER) / Math.max(T, 1);
  const columnWidth = Math.max(minColumnWidth, Math.min(maxColumnWidth, Math.floor(fit)));
  const height = PAD_TOP + L * layerHeight + PAD_BOTTOM;
  const embedY = height - PAD_BOTTOM;
  const nodeRadius = Math.max(2.5, Math.min(4.5, columnWidth * 0.09));

  const nodeX = new Float32Array(T * (1 + 3 * L)); // [n_nodes]
  const nodeY = new Float32Array(T * (1 + 3 * L)); // [n_nodes]
  const bands: LayerBand[] = [];
  for (let t = 0; t < T; t++) {
    nodeX[t] = GUTTER + (t + 0.5) * columnWidth;
    nodeY[t] = embedY;
  }
  for (let l = 0; l < L; l++) {
    const bottom = embedY - l * layerHeight;
    const top = bottom - layerHeight;
    const midY = bottom - ATTENTION_SHARE * layerHeight;
    bands.push({ layer: l, top, bottom });
    const midBase = T * (1 + 3 * l);
    for (let t = 0; t < T; t++) {
      const x = GUTTER + (t + 0.5) * columnWidth;
      nodeX[midBase + t] = x;
      nodeY[midBase + t] = midY;
      nodeX[midBase + T + t] = x + MLP_OFFSET * columnWidth;
      nodeY[midBase + T + t] = (midY + top) / 2;
      nodeX[midBase + 2 * T + t] = x;
      nodeY[midBase + 2 * T + t] = top;
    }
  }
  return {
    nTokens: T,
    nLayers: L,
    width: GUTTER + T * columnWidth,
    height,
    gutter: GUTTER,
    columnWidth,
    layerHeight,
    nodeRadius,
    nodeX,
    nodeY,
    bands,
  };
}

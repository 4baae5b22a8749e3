/**
 * `@lmtt/components`: Lit web components for lmtt traces. Import
 * `@lmtt/components/define` to register the elements.
 *
 * @packageDocumentation
 */

export { LmttElement } from './trace/lmtt-element.js';
export type { TraceStatus } from './trace/lmtt-element.js';
export { DetailController } from './trace/detail-controller.js';
export type { DetailQuery, DetailState } from './trace/detail-controller.js';
export { fetchTrace, TraceLoadError } from './trace/fetch-trace.js';
export { serverSource, ServerQueryError } from './trace/server-source.js';
export type { ServerSourceOptions } from './trace/server-source.js';
export { focusPos, initialSelection, sameSelection, selectTarget } from './trace/selection.js';
export type { Selection, SelectionTarget } from './trace/selection.js';
export type {
  LmttSelectEvent,
  LmttSourceEvent,
  SelectDetail,
  SourceDetail,
} from './trace/events.js';
export { themeStyles } from './trace/theme.js';
export { LmttExplorer } from './explorer/explorer-element.js';
export { LmttTokens } from './tokens/tokens-element.js';
export { renderTokens, visibleText } from './tokens/render-tokens.js';
export type { TokensView } from './tokens/render-tokens.js';
export { LmttTopTokens } from './top-tokens/top-tokens-element.js';
export { lensNodeOf, previousState } from './top-tokens/lens-node.js';
export { rankChange, renderLensHeader, renderLensTable } from './top-tokens/render-top-tokens.js';
export type { LensHeaderView, RankChange } from './top-tokens/render-top-tokens.js';
export { LmttPromoted } from './promoted/promoted-element.js';
export { updateRefOf } from './promoted/update-ref.js';
export { renderPromoted, renderPromotedHeader, updateName } from './promoted/render-promoted.js';
export { LmttNeurons } from './neurons/neurons-element.js';
export { ffnNodeOf } from './neurons/ffn-node.js';
export type { FfnNode } from './neurons/ffn-node.js';
export { renderNeurons, renderNeuronsHeader } from './neurons/render-neurons.js';
export type { NeuronsView } from './neurons/render-neurons.js';
export { LmttHeads } from './heads/heads-element.js';
export { renderHeadBars } from './heads/render-head-bars.js';
export type { HeadBarsView } from './heads/render-head-bars.js';
export { renderHeadOverview } from './heads/render-head-overview.js';
export type { HeadOverviewView } from './heads/render-head-overview.js';
export { edgeHeadShares, headLabel, overviewHeadShares } from './heads/heads-data.js';
export type { HeadRef, HeadShare } from './heads/heads-data.js';
export { LmttAttentionMap } from './attention-map/attention-map-element.js';
export { mapCells, renderHeadMap } from './attention-map/render-head-map.js';
export type { HeadMapKind, HeadMapView, MapCell } from './attention-map/render-head-map.js';
export { LmttGraph } from './graph/graph-element.js';
export { renderGraph } from './graph/render-graph.js';
export { standaloneSvg } from './graph/standalone-svg.js';
export type { RenderGraphOptions } from './graph/render-graph.js';
export { layoutGraph } from './graph/graph-layout.js';
export type {
  GraphLayout,
  GraphLayoutOptions,
  GraphShape,
  LayerBand,
} from './graph/graph-layout.js';
export { graphScene, graphSettings, traceGraph } from './graph/graph-scene.js';
export type { GraphScene } from './graph/graph-scene.js';
export { paintGraph } from './graph/paint-graph.js';
export type { GraphPalette } from './graph/paint-graph.js';
export { hitTest } from './graph/hit-test.js';
export { describeTarget, nodeName } from './graph/describe-graph.js';

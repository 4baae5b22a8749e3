/**
 * The trace schema: the types that every lmtt surface shares. This module
 * imports nothing, so a page that only shows a static trace pulls no runtime.
 *
 * @packageDocumentation
 */

export { TRACE_SCHEMA_VERSION } from './version.js';
export type { TokenView } from './token.js';
export type { LayerContributions } from './contributions.js';
export { nodeKey } from './graph.js';
export type {
  BlockLayout,
  EdgeKind,
  GraphEdge,
  GraphNode,
  GraphSettings,
  NodeKind,
} from './graph.js';
export type { TraceModelInfo } from './model-info.js';
export { DEFAULT_TRACE_SETTINGS } from './settings.js';
export type { ContributionDistance, TraceSettings } from './settings.js';
export type { TopTokens, TraceNeurons, TracePredictions, UpdateProjections } from './tables.js';
export { lensNode, lensRow, lensRowCount } from './lens.js';
export type { TraceLens } from './lens.js';
export {
  attentionNodeKind,
  edgeAt,
  edgeCount,
  edgeIndex,
  edgeShare,
  edgesPerLayer,
  routeEdges,
} from './routes.js';
export type { EdgeRef, TraceRoutes } from './routes.js';
export { traceDims, traceShapes } from './shapes.js';
export type { TraceDims, TraceShapes } from './shapes.js';
export type { Trace, TraceFull, TraceKind, TraceSummary } from './trace.js';
export type {
  TraceDoneEvent,
  TraceErrorEvent,
  TraceGraphEvent,
  TraceLayerEvent,
  TracePredictionsEvent,
  TraceProgressEvent,
  TraceRoutesEvent,
  TraceTokensEvent,
  TraceEvent,
  TraceEventType,
  TraceStage,
} from './events.js';

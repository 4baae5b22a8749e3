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
export type { EdgeKind, GraphEdge, GraphNode, GraphSettings, NodeKind } from './graph.js';

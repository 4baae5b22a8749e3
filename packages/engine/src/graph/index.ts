/**
 * The information-flow graph and its routes (DESIGN §2.3), built from a
 * trace's contributions. Imports only the schema, so a page can draw graphs
 * from a static trace without the engine's runtime.
 *
 * @packageDocumentation
 */

export { buildGraph, DEFAULT_GRAPH_SETTINGS } from './build-graph.js';
export { graphEdges, nodeAt, nodeIndex, predictionNode } from './flow-graph.js';
export type { FlowGraph } from './flow-graph.js';
export { allRoutes, routes } from './routes.js';

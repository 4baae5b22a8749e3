/**
 * Detail queries over a trace (DESIGN §2.4) and the trace-source interface
 * every lmtt view reads: heads of an edge, head maps, top neurons, the logit
 * lens and promoted/suppressed tokens. Imports only the schema, so a page
 * that shows a static trace pulls no runtime.
 *
 * @packageDocumentation
 */

export type {
  EdgeHeads,
  FfnNeurons,
  HeadMap,
  HeadOverview,
  LensToken,
  LensTokens,
  NeuronShare,
  RankedToken,
  UpdateBlock,
  UpdateRef,
  UpdateTokens,
} from './detail-types.js';
export type { TraceSource } from './trace-source.js';
export { TraceQueryError } from './query-error.js';
export type { TraceQueryErrorCode } from './query-error.js';
export {
  edgeHeads,
  ffnNeurons,
  headMap,
  headOverview,
  lensTokens,
  updateTokens,
} from './read-detail.js';
export type { HeadTables } from './read-detail.js';
export { badParam, checkIndex } from './check-param.js';
export { staticSource } from './static-source.js';

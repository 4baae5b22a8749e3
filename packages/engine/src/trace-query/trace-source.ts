import type { GraphNode } from '../schema/graph.js';
import type { Trace } from '../schema/trace.js';
import type {
  EdgeHeads,
  FfnNeurons,
  HeadMap,
  HeadOverview,
  LensTokens,
  UpdateRef,
  UpdateTokens,
} from './detail-types.js';

/**
 * A trace and the answers to its detail questions (DESIGN §2.4): what every
 * lmtt view reads. A static full trace answers at once
 * ({@link staticSource}); a server or an in-page engine answers on demand.
 * Every query may reject with a `TraceQueryError` (or a transport error) and
 * stops early when `signal` aborts.
 */
export interface TraceSource {
  /** The trace: a summary (routes only) or a full trace. */
  readonly trace: Trace;
  /** The per-head shares of an attention edge (by canonical index). */
  edgeHeads(edge: number, signal?: AbortSignal): Promise<EdgeHeads>;
  /** Every head's share at one position, layers by heads. */
  headOverview(pos: number, signal?: AbortSignal): Promise<HeadOverview>;
  /** One head's attention and contribution maps. */
  headMap(layer: number, head: number, signal?: AbortSignal): Promise<HeadMap>;
  /** The top contributing neurons of `mlp[layer][pos]`. */
  neurons(layer: number, pos: number, signal?: AbortSignal): Promise<FfnNeurons>;
  /** The logit lens of a residual node. */
  lens(node: GraphNode, signal?: AbortSignal): Promise<LensTokens>;
  /** The promoted and suppressed tokens of an update. */
  update(ref: UpdateRef, signal?: AbortSignal): Promise<UpdateTokens>;
}

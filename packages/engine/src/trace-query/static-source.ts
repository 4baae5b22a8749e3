import type { Trace, TraceFull } from '../schema/trace.js';
import { TraceQueryError } from './query-error.js';
import {
  edgeHeads,
  ffnNeurons,
  headMap,
  headOverview,
  lensTokens,
  updateTokens,
} from './read-detail.js';
import type { TraceSource } from './trace-source.js';

/**
 * A {@link TraceSource} over a trace in memory. A full trace answers every
 * query; a summary answers none of them (`NO_DETAIL`): its graph and routes
 * are still there to draw.
 *
 * @example
 * const source = staticSource(decodeTrace(await (await fetch('trace.json')).text()));
 * const heads = await source.edgeHeads(42);
 */
export function staticSource(trace: Trace): TraceSource {
  const full = async (signal?: AbortSignal): Promise<TraceFull> => {
    signal?.throwIfAborted();
    if (trace.kind !== 'full')
      throw new TraceQueryError(
        'NO_DETAIL',
        'this is a summary trace: heads, maps, lens and neurons need a full trace (--detail full) or a server',
      );
    return trace;
  };
  return {
    trace,
    edgeHeads: async (edge, signal) => edgeHeads(await full(signal), edge),
    headOverview: async (pos, signal) => headOverview(await full(signal), pos),
    headMap: async (layer, head, signal) => headMap(await full(signal), layer, head),
    neurons: async (layer, pos, signal) => ffnNeurons(await full(signal), layer, pos),
    lens: async (node, signal) => lensTokens(await full(signal), node),
    update: async (ref, signal) => updateTokens(await full(signal), ref),
  };
}

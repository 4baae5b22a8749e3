import type { Trace } from '@lmtt/engine/schema';
import type { TraceSource } from '@lmtt/engine/trace-query';
import type { BrowserEngine } from './browser-engine.js';
import type { DetailQuery } from './engine-protocol.js';

/**
 * The source of a summary trace the engine worker made: every detail
 * question (heads, maps, neurons, logit lens, promoted tokens) goes to the
 * worker, which answers it from the model on demand, as a server does.
 *
 * @example
 * explorer.source = workerSource(summary, engine);
 */
export function workerSource(trace: Trace, engine: BrowserEngine): TraceSource {
  const ask = <T>(query: DetailQuery, signal?: AbortSignal) =>
    engine.query(trace.id, query, signal) as Promise<T>;
  return {
    trace,
    edgeHeads: (edge, signal) => ask({ method: 'edgeHeads', args: [edge] }, signal),
    headOverview: (pos, signal) => ask({ method: 'headOverview', args: [pos] }, signal),
    headMap: (layer, head, signal) => ask({ method: 'headMap', args: [layer, head] }, signal),
    neurons: (layer, pos, signal) => ask({ method: 'neurons', args: [layer, pos] }, signal),
    lens: (node, signal) => ask({ method: 'lens', args: [node] }, signal),
    update: (ref, signal) => ask({ method: 'update', args: [ref] }, signal),
  };
}

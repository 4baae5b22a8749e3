import type { GraphNode } from '@lmtt/engine/schema';
import type {
  EdgeHeads,
  FfnNeurons,
  HeadMap,
  HeadOverview,
  LensTokens,
  TraceSource,
  UpdateRef,
  UpdateTokens,
} from '@lmtt/engine/trace-query';

/**
 * One detail question about a trace (DESIGN §2.4), as data: it crosses to an
 * engine worker as it is, and any {@link TraceSource} answers it.
 */
export type DetailQuery =
  | { readonly op: 'edgeHeads'; readonly edge: number }
  | { readonly op: 'headOverview'; readonly pos: number }
  | { readonly op: 'headMap'; readonly layer: number; readonly head: number }
  | { readonly op: 'neurons'; readonly layer: number; readonly pos: number }
  | { readonly op: 'lens'; readonly node: GraphNode }
  | { readonly op: 'update'; readonly ref: UpdateRef };

/** What each detail question answers. */
export interface DetailAnswers {
  edgeHeads: EdgeHeads;
  headOverview: HeadOverview;
  headMap: HeadMap;
  neurons: FfnNeurons;
  lens: LensTokens;
  update: UpdateTokens;
}

/** The answer of query `Q`. */
export type DetailAnswer<Q extends DetailQuery> = DetailAnswers[Q['op']];

/**
 * Asks `source` one detail question: a static full trace on the main
 * thread, or a live source in an engine worker.
 *
 * @throws TraceQueryError for a bad parameter, as the source does.
 * @example
 * const heads = await askSource(staticSource(full), { op: 'edgeHeads', edge: 42 });
 */
export function askSource<Q extends DetailQuery>(
  source: TraceSource,
  query: Q,
  signal?: AbortSignal,
): Promise<DetailAnswer<Q>> {
  const q: DetailQuery = query;
  const answer = (() => {
    switch (q.op) {
      case 'edgeHeads':
        return source.edgeHeads(q.edge, signal);
      case 'headOverview':
        return source.headOverview(q.pos, signal);
      case 'headMap':
        return source.headMap(q.layer, q.head, signal);
      case 'neurons':
        return source.neurons(q.layer, q.pos, signal);
      case 'lens':
        return source.lens(q.node, signal);
      case 'update':
        return source.update(q.ref, signal);
    }
  })();
  return answer as Promise<DetailAnswer<Q>>;
}

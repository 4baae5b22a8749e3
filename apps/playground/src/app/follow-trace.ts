import type { Trace, TraceEvent } from '@lmtt/engine/schema';
import { traceFolder } from '../server/partial-trace.js';
import type { TraceProgress } from '../server/partial-trace.js';

/** A trace stream that failed: an `error` event's code, or `ENDED_EARLY`. */
export class TraceStreamError extends Error {
  override readonly name = 'TraceStreamError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Follows a stream of trace events (from the server or the engine worker) to
 * its end and returns the finished trace. Every event's progress goes to
 * `onProgress`; `grew` says the partial trace in it has a new layer (or its
 * tokens), so the graph can fill in while the trace streams.
 *
 * @throws TraceStreamError on an `error` event, or when the stream stops before `done`.
 */
export async function followTrace(
  events: AsyncIterable<TraceEvent>,
  onProgress: (progress: TraceProgress, grew: boolean) => void,
): Promise<Trace> {
  const fold = traceFolder();
  for await (const event of events) {
    if (event.type === 'error') throw new TraceStreamError(event.code, event.message);
    const progress = fold(event);
    if (event.type === 'done') return event.trace;
    onProgress(progress, event.type === 'layer' || event.type === 'tokens');
  }
  throw new TraceStreamError(
    'ENDED_EARLY',
    'the trace stream ended early: the server may have restarted',
  );
}

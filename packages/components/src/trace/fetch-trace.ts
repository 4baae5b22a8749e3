import { decodeTrace } from '@lmtt/engine/trace-file';
import { staticSource } from '@lmtt/engine/trace-query';
import type { TraceSource } from '@lmtt/engine/trace-query';

/** Why a trace could not be loaded. */
export class TraceLoadError extends Error {
  override readonly name = 'TraceLoadError';

  constructor(
    readonly code: 'FETCH_FAILED' | 'BAD_TRACE',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Fetches a trace file (as `lmtt trace --out` writes it) and wraps it in a
 * static source: a full trace answers every detail query with no server.
 *
 * @param url - the trace file's URL, resolved against the page
 * @throws TraceLoadError `FETCH_FAILED` or `BAD_TRACE`
 * @example
 * const source = await fetchTrace('traces/war.json');
 */
export async function fetchTrace(url: string, signal?: AbortSignal): Promise<TraceSource> {
  let text: string;
  try {
    const response = await fetch(url, { signal });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new TraceLoadError('FETCH_FAILED', `could not fetch ${url}: ${reason}`, { cause: error });
  }
  try {
    return staticSource(decodeTrace(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TraceLoadError('BAD_TRACE', `${url} is not an lmtt trace: ${reason}`, {
      cause: error,
    });
  }
}

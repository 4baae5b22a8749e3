import type { Trace } from '@lmtt/engine/schema';
import type { TraceSource } from '@lmtt/engine/trace-query';

/** A detail query the server refused or could not answer. */
export class ServerQueryError extends Error {
  override readonly name = 'ServerQueryError';

  constructor(
    /** The server's error code (e.g. `BAD_PARAM`, `TRACE_NOT_FOUND`), or `FETCH_FAILED`. */
    readonly code: string,
    /** The HTTP status, 0 when no answer came. */
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Where a server source finds its server. */
export interface ServerSourceOptions {
  /** The lmtt server's base URL, e.g. `http://127.0.0.1:8042/` (default: the page's origin). */
  readonly baseUrl?: string;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

/**
 * A {@link TraceSource} that asks an lmtt server (`lmtt serve`) for detail on
 * demand: the trace (usually a summary from the trace stream) is drawn at
 * once, heads, maps, neurons and tokens are fetched when a view needs them.
 *
 * @param trace - a trace the server computed (its `id` names it there)
 * @example
 * const source = serverSource(trace, { baseUrl: 'http://127.0.0.1:8042/' });
 * graph.source = source;
 */
export function serverSource(trace: Trace, options: ServerSourceOptions = {}): TraceSource {
  const base = new URL(
    `api/traces/${encodeURIComponent(trace.id)}/`,
    options.baseUrl ?? location.href,
  );
  const request = options.fetch ?? fetch;
  async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, base);
    let response: Response;
    try {
      response = await request(url, { signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ServerQueryError(
        'FETCH_FAILED',
        0,
        `the lmtt server did not answer: ${String(error)}`,
      );
    }
    const body = (await response.json().catch(() => undefined)) as
      (T & { code?: string; message?: string }) | undefined;
    if (!response.ok || body === undefined) {
      const code = body?.code ?? 'BAD_RESPONSE';
      throw new ServerQueryError(code, response.status, body?.message ?? `HTTP ${response.status}`);
    }
    return body;
  }
  return {
    trace,
    edgeHeads: (edge, signal) => get(`edges/${edge}/heads`, signal),
    headOverview: (pos, signal) => get(`heads?pos=${pos}`, signal),
    headMap: (layer, head, signal) => get(`heads/${layer}/${head}`, signal),
    neurons: (layer, pos, signal) => get(`neurons/${layer}/${pos}`, signal),
    lens: ({ kind, layer, pos }, signal) =>
      get(`lens?kind=${kind}&layer=${layer}&pos=${pos}`, signal),
    update: ({ block, layer, pos, part }, signal) =>
      get(`promoted?block=${block}&layer=${layer}&pos=${pos}&part=${part ?? 0}`, signal),
  };
}

import { hc } from 'hono/client';
import type { AppType } from '../app.js';
import type { TraceRequestBody } from '../traces/trace-request.js';

/**
 * A typed client of the lmtt server's API (Hono RPC).
 *
 * @param baseUrl - the server's URL, e.g. `http://127.0.0.1:8042/`
 * @example
 * const client = lmttClient('http://127.0.0.1:8042/');
 * const models = await (await client.api.models.$get()).json();
 */
export function lmttClient(baseUrl: string, options?: Parameters<typeof hc>[1]) {
  return hc<AppType>(baseUrl, options);
}

/** The typed client's type. */
export type LmttClient = ReturnType<typeof lmttClient>;
export type { AppType } from '../app.js';
export type { TraceRequestBody } from '../traces/trace-request.js';

/**
 * Starts a trace: `POST /api/traces` with a typed body. The answer is a
 * Server-Sent Events stream (decode each `data` with `decodeEvent`), or a
 * JSON error `{ code, message }` with a 4xx status (429 with `Retry-After`).
 *
 * @example
 * const response = await startTrace(client, { prompt: 'The war lasted from 1732 to 17' });
 */
export function startTrace(
  client: LmttClient,
  body: TraceRequestBody,
  init: RequestInit = {},
): Promise<Response> {
  return client.api.traces.$post(undefined, {
    init: {
      ...init,
      body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', ...init.headers },
    },
  });
}

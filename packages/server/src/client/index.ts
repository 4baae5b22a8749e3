/**
 * `@lmtt/server/client`: the typed client of the lmtt API. Imports no engine
 * code, only Hono's client and types.
 *
 * @packageDocumentation
 */

export { lmttClient, startTrace } from './client.js';
export type { AppType, LmttClient, TraceRequestBody } from './client.js';

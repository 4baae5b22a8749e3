/**
 * `@lmtt/server`: the lmtt HTTP app and its Node entry.
 *
 * @packageDocumentation
 */

export { createApp } from './app.js';
export type { AppDeps, AppType } from './app.js';
export type { ServerStatus } from './routes/health.js';
export { startServer } from './node/serve.js';
export type { RunningServer, ServeOptions } from './node/serve.js';
export { main } from './cli/main.js';

/**
 * `@lmtt/server`: the lmtt HTTP app, its config, its Node entry and the
 * `lmtt` command line.
 *
 * @packageDocumentation
 */

export { createApp } from './app.js';
export type { AppDeps, AppType } from './app.js';
export { DEFAULT_CONFIG, EMBEDDED_MODEL_NAME } from './config/config.js';
export type { ConfigDevice, ServerConfig } from './config/config.js';
export { ConfigError } from './config/config-error.js';
export { parseConfig } from './config/parse-config.js';
export { loadConfig } from './config/load-config.js';
export { createServices } from './services/services.js';
export type { EngineOverrides, ServerServices } from './services/services.js';
export type { EnginePool, EngineWorkerStats } from './engine-pool/engine-pool.js';
export { ApiError } from './errors/api-error.js';
export type { ErrorBody } from './errors/api-error.js';
export type { ServerStatus } from './routes/health.js';
export type { ModelListing } from './models/describe-model.js';
export type { TraceRequestBody } from './traces/trace-request.js';
export { lmttClient } from './client/client.js';
export type { LmttClient } from './client/client.js';
export { startServer } from './node/serve.js';
export type { RunningServer, ServeOptions } from './node/serve.js';
export { main } from './cli/main.js';

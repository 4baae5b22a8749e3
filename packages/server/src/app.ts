import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { jsonBodyLimit } from './middleware/json-body-limit.js';
import { requestTimeout } from './middleware/request-timeout.js';
import { datasetRoutes } from './routes/datasets.js';
import { healthRoutes } from './routes/health.js';
import { modelRoutes } from './routes/models.js';
import { readyRoutes } from './routes/ready.js';
import { traceDetailRoutes } from './routes/trace-detail.js';
import { traceRoutes } from './routes/traces.js';
import type { ServerServices } from './services/services.js';

/** What the app needs from the outside world. */
export interface AppDeps {
  /** Config, caches, scheduler and trace service (`createServices(config)`). */
  readonly services: ServerServices;
  /** Devices the engine can run on, for the health report. */
  readonly devices?: () => readonly string[];
  /** Serves the playground's files for every path outside `/api`. */
  readonly assets?: MiddlewareHandler;
}

/**
 * Builds the lmtt HTTP app. Runtime-free: the Node entry adds the socket and
 * the static files, tests call `app.request()` directly.
 *
 * @example
 * const app = createApp({ services: createServices(DEFAULT_CONFIG) });
 * const response = await app.request('/api/health');
 */
export function createApp(deps: AppDeps) {
  const { services } = deps;
  const { config } = services;
  const devices = deps.devices ?? (() => [config.device]);
  const api = new Hono()
    .use(requestTimeout(config.request_timeout_ms))
    .use(jsonBodyLimit(config.max_body_bytes))
    .route('/health', healthRoutes(services, devices))
    .route('/ready', readyRoutes(services))
    .route('/models', modelRoutes(services))
    .route('/datasets', datasetRoutes(services))
    .route('/traces', traceRoutes(services))
    .route('/traces', traceDetailRoutes(services));
  const app = new Hono();
  if (config.cors_origins.length > 0)
    app.use('/api/*', cors({ origin: [...config.cors_origins], maxAge: 600 }));
  const routes = app.route('/api', api);
  if (deps.assets) app.use('*', deps.assets);
  app.notFound(notFoundHandler());
  app.onError(errorHandler(config.debug));
  return routes;
}

/** The app's type, for the typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>;

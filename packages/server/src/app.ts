import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { healthRoutes } from './routes/health.js';
import type { ServerStatus } from './routes/health.js';

/** What the app needs from the outside world. */
export interface AppDeps {
  /** Reports the server's current state for the health endpoint. */
  readonly status: () => ServerStatus;
  /** Serves the playground's files for every path outside `/api`. */
  readonly assets?: MiddlewareHandler;
  /** Include error details in responses; never on in production. */
  readonly debug?: boolean;
}

/**
 * Builds the lmtt HTTP app. Runtime-free: the Node entry adds the socket and
 * the static files, tests call `app.request()` directly.
 */
export function createApp(deps: AppDeps) {
  const api = new Hono().route('/health', healthRoutes(deps.status));
  const app = new Hono().route('/api', api);
  if (deps.assets) app.use('*', deps.assets);
  app.notFound((c) =>
    c.json({ code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` }, 404),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      return c.json({ code: 'HTTP_ERROR', message: error.message }, error.status);
    }
    const message = deps.debug ? String(error.stack ?? error) : 'internal server error';
    return c.json({ code: 'INTERNAL', message }, 500);
  });
  return app;
}

/** The app's type, for the typed client (`hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>;

import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError, toApiError } from '../errors/api-error.js';

/** Answers every thrown error as JSON `{ code, message }`; details only when `debug`. */
export function errorHandler(debug: boolean): ErrorHandler {
  return function errorHandler(error, c) {
    const api =
      error instanceof HTTPException
        ? new ApiError(error.status as ApiError['status'], 'HTTP_ERROR', error.message)
        : toApiError(error, debug);
    if (api.status >= 500 && api.code === 'INTERNAL') console.error(error);
    return c.json({ code: api.code, message: api.message }, api.status, api.headers);
  };
}

/** Answers an unknown route with a JSON `NOT_FOUND`. */
export function notFoundHandler(): NotFoundHandler {
  return function notFound(c) {
    const path = c.req.path.length > 200 ? `${c.req.path.slice(0, 200)}...` : c.req.path;
    return c.json({ code: 'NOT_FOUND', message: `no route ${c.req.method} ${path}` }, 404);
  };
}

import { Hono } from 'hono';
import { ApiError } from '../errors/api-error.js';
import type { ServerServices } from '../services/services.js';
import { sourceAvailable } from './health.js';

/**
 * `GET /` answers 200 `{ ready: true }` when traces can be served (the
 * default model's files are there and the queue has room), else 503
 * `NOT_READY` saying why.
 */
export function readyRoutes(services: ServerServices) {
  return new Hono().get('/', (c) => {
    const { config, scheduler } = services;
    if (!sourceAvailable(config.models[config.default_model]!))
      throw new ApiError(
        503,
        'NOT_READY',
        `the default model '${config.default_model}' is missing`,
      );
    const queue = scheduler.stats();
    if (queue.running >= queue.concurrency && queue.queued >= queue.maxQueue)
      throw new ApiError(503, 'NOT_READY', 'the job queue is full', {
        headers: { 'Retry-After': '1' },
      });
    return c.json({ ready: true as const });
  });
}

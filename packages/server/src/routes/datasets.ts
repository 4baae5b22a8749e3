import { Hono } from 'hono';
import type { ServerServices } from '../services/services.js';

/**
 * `GET /` names the preloaded dataset and, when allowed, the other files;
 * `GET /:name` answers one dataset's prompts.
 */
export function datasetRoutes(services: ServerServices) {
  const { datasets } = services;
  return new Hono()
    .get('/', async (c) => {
      const files = datasets.allowOthers ? await datasets.list() : [];
      return c.json({ preloaded: datasets.preloaded, files });
    })
    .get('/:name', async (c) => c.json(await datasets.open(c.req.param('name'))));
}

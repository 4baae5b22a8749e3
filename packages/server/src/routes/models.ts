import { Hono } from 'hono';
import { describeModel } from '../models/describe-model.js';
import type { ServerServices } from '../services/services.js';

/** `GET /` lists the configured models: name, family, size, whether loaded. */
export function modelRoutes(services: ServerServices) {
  return new Hono().get('/', async (c) => {
    const { config, engine } = services;
    const listings = await Promise.all(
      Object.entries(config.models).map(([name, source]) => describeModel(name, source, engine)),
    );
    return c.json({
      default: config.default_model,
      customModels: config.allow_custom_models && !config.demo_mode,
      models: listings,
    });
  });
}

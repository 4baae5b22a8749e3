import { Hono } from 'hono';
import { describeModel } from '../models/describe-model.js';
import type { ServerServices } from '../services/services.js';

/**
 * `GET /` lists the configured models (name, family, size, whether loaded)
 * and the devices and precisions trace requests may ask for, with the
 * defaults (the first listing probes the devices; later ones reuse it).
 */
export function modelRoutes(services: ServerServices) {
  return new Hono().get('/', async (c) => {
    const { config, engine } = services;
    const [listings, devices] = await Promise.all([
      Promise.all(
        Object.entries(config.models).map(([name, source]) => describeModel(name, source, engine)),
      ),
      services.devices.report(),
    ]);
    return c.json({
      default: config.default_model,
      customModels: config.allow_custom_models && !config.demo_mode,
      models: listings,
      devices: devices.available,
      device: config.device,
      dtype: config.dtype,
    });
  });
}

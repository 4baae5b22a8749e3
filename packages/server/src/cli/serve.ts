import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { registeredDevices } from '@lmtt/engine/node';
import { loadConfig } from '../config/load-config.js';
import type { ServerConfig } from '../config/config.js';
import { startServer } from '../node/serve.js';
import { sourceAvailable } from '../routes/health.js';
import { describeAvailable } from '../devices/device-probe.js';
import type { DeviceReport } from '../devices/device-probe.js';
import { createServices } from '../services/services.js';
import type { ServerServices } from '../services/services.js';
import { VERSION } from '../version.js';

/** Folder of the playground build that `npm run build` copies beside the server. */
const PLAYGROUND_DIR = fileURLToPath(new URL('../playground', import.meta.url));

function portOption(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new Error(`--port must be an integer from 0 to 65535, got '${value}'`);
  return port;
}

/** Loads the default model so that the first trace is fast and the device is known. */
async function preloadDefault(services: ServerServices): Promise<string> {
  const { config, engine } = services;
  const source = config.models[config.default_model]!;
  if (!sourceAvailable(source)) return 'missing (traces answer an error until its files are there)';
  try {
    const { device, dtype, fallbacks } = await engine.load({
      source,
      device: config.device,
      dtype: config.dtype,
    });
    const why = fallbacks.map((f) => `; ${f.device} unavailable: ${f.reason}`).join('');
    return `loaded on ${device} (${dtype})${why}`;
  } catch (error) {
    return `failed to load: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The start-up line on devices: what trace requests may ask for, and what did not start. */
function describeDevices(config: ServerConfig, report: DeviceReport): string {
  const skipped = report.unavailable.map(
    ({ device, reason }) => `; ${device} unavailable: ${reason}`,
  );
  return `devices: ${describeAvailable(report)}; default ${config.device} (${config.dtype})${skipped.join('')}`;
}

function describeModels(config: ServerConfig, defaultState: string): string[] {
  return Object.entries(config.models).map(([name, source]) => {
    const where = source.startsWith('/') ? 'local' : 'hub';
    const state = name === config.default_model ? `default, ${defaultState}` : 'loads on first use';
    return `  ${name} (${where} ${source}): ${state}`;
  });
}

/** `lmtt serve [--config FILE] [--port N] [--host H]`: starts the server until a signal. */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
    },
  });
  const loaded = await loadConfig(values.config);
  const config: ServerConfig = {
    ...loaded,
    host: values.host ?? loaded.host,
    port: values.port === undefined ? loaded.port : portOption(values.port),
  };
  const services = createServices(config);
  // The device probe starts devices in their own threads: it overlaps the preload.
  const [defaultState, devices] = await Promise.all([
    preloadDefault(services),
    services.devices.report(),
  ]);
  const staticDir = existsSync(PLAYGROUND_DIR) ? PLAYGROUND_DIR : undefined;
  const server = await startServer({
    host: config.host,
    port: config.port,
    staticDir,
    services,
    devices: registeredDevices,
  });
  console.log(`lmtt ${VERSION} serving on ${server.url}`);
  console.log(`models:\n${describeModels(config, defaultState).join('\n')}`);
  console.log(describeDevices(config, devices));
  console.log(
    `jobs: ${config.concurrency} at a time, queue ${config.max_queue}` +
      (config.demo_mode ? '; demo mode' : ''),
  );
  if (!staticDir) console.log('(playground not built: only the API is served)');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { writeTinyGpt2 } from '../../../engine/test/support/tiny-gpt2.js';
import type { TinyGpt2Options } from '../../../engine/test/support/tiny-gpt2.js';
import { createApp } from '../../src/app.js';
import type { ServerConfig } from '../../src/config/config.js';
import { parseConfig } from '../../src/config/parse-config.js';
import type { DeviceTester } from '../../src/devices/device-probe.js';
import type { ServerStatus } from '../../src/routes/health.js';
import { createServices } from '../../src/services/services.js';
import type { EngineOverrides, ServerServices } from '../../src/services/services.js';

/** Test engines in `support/engines/`, each a module the engine workers run instead of the engine. */
export type TestEngine =
  | 'busy'
  | 'crashing'
  | 'failing-load'
  | 'gated'
  | 'hanging'
  | 'not-tracing'
  | 'sleeping'
  | 'slow-load'
  | 'stuck';

/** Engine overrides that make the workers run the test engine `name`. */
export function testEngine(name: TestEngine): EngineOverrides {
  return { module: new URL(`./engines/${name}.ts`, import.meta.url) };
}

/**
 * The device tester test servers use unless given one: no GPU device starts,
 * so that a test never starts WebGPU or CUDA unless it means to.
 */
export const noGpuDevices: DeviceTester = (device) =>
  Promise.reject(new Error(`${device} is not probed in this test`));

/** A server app over a tiny random GPT-2 written to a temporary folder. */
export interface TinyServer {
  readonly root: string;
  readonly modelDir: string;
  readonly config: ServerConfig;
  readonly services: ServerServices;
  readonly app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

/** Writes a tiny model (named `tiny` in the config) and builds the app over it. */
export async function tinyServer(
  config: Record<string, unknown> = {},
  engine: EngineOverrides = {},
  model: Partial<TinyGpt2Options> = {},
): Promise<TinyServer> {
  const root = await mkdtemp(join(tmpdir(), 'lmtt-server-'));
  const tiny = await writeTinyGpt2(join(root, 'tiny'), { seed: 7, nLayers: 2, ...model });
  const parsed = parseConfig(
    { models: { tiny: tiny.dir }, default_model: 'tiny', ...config },
    root,
  );
  const services = createServices(parsed, { deviceTester: noGpuDevices, ...engine });
  return {
    root,
    modelDir: tiny.dir,
    config: parsed,
    services,
    app: createApp({ services }),
    async close() {
      await services.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A {@link tinyServer} of one test, closed when that test finishes. */
export async function tinyServerForTest(
  ...args: Parameters<typeof tinyServer>
): Promise<TinyServer> {
  const tiny = await tinyServer(...args);
  onTestFinished(() => tiny.close());
  return tiny;
}

/** `GET /api/health` of `tiny`. */
export async function healthOf(tiny: TinyServer): Promise<ServerStatus> {
  return (await (await tiny.app.request('/api/health')).json()) as ServerStatus;
}

/** One Server-Sent Event. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** Parses a whole SSE body. */
export function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      return { event, data: data.join('\n') };
    });
}

/** `POST /api/traces` with a JSON body. */
export function postTrace(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

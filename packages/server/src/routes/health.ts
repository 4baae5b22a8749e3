import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Hono } from 'hono';
import type { CacheStats } from '../cache/lru.js';
import type { ModelCacheStats } from '../cache/model-cache.js';
import type { AvailableDevice } from '../devices/device-probe.js';
import type { EngineWorkerStats, LiveCacheStats } from '../engine-pool/engine-pool.js';
import type { SchedulerStats } from '../jobs/scheduler.js';
import type { ServerServices } from '../services/services.js';
import { VERSION } from '../version.js';

/** What `GET /api/health` reports. */
export interface ServerStatus {
  readonly status: 'ok';
  readonly version: string;
  /** Devices the engine has a backend for, best first. */
  readonly devices: readonly string[];
  /** Parts of lmtt that are not available in this build yet. */
  readonly pending: readonly string[];
  /** The device and precision models are loaded with (`config.device`, `config.dtype`). */
  readonly device: string;
  readonly dtype: string;
  /**
   * Devices and precisions trace requests may ask for; `null` until the
   * device probe has finished (this endpoint starts it, never waits for it).
   */
  readonly availableDevices: readonly AvailableDevice[] | null;
  /** What a trace request may ask: prompt length in characters and tokens. */
  readonly limits: { readonly maxPromptChars: number; readonly maxPromptTokens: number };
  /** Only configured models and the preloaded dataset's prompts. */
  readonly demoMode: boolean;
  /** The default model and whether its files are there. */
  readonly defaultModel: { readonly name: string; readonly available: boolean };
  /** Loaded models over every engine worker, by source. */
  readonly models: ModelCacheStats;
  /** The engine workers (one per job slot): running traces, models, crashes. */
  readonly workers: readonly EngineWorkerStats[];
  readonly traces: CacheStats;
  /** Live trace states kept by the engine workers for detail questions, and those questions. */
  readonly live: LiveCacheStats;
  readonly queue: SchedulerStats;
}

/** Whether a model source can be loaded without asking anyone: a folder with a config, or a hub id. */
export function sourceAvailable(source: string): boolean {
  return !isAbsolute(source) || existsSync(join(source, 'config.json'));
}

/** Pieces of lmtt still to come, shown by the playground until they land. */
const PENDING: readonly string[] = [];

/** `GET /` reports the server's state: caches, queue, default model. Never blocks on work. */
export function healthRoutes(services: ServerServices, devices: () => readonly string[]) {
  return new Hono().get('/', (c) => {
    const { config } = services;
    void services.devices.report();
    const source = config.models[config.default_model]!;
    const status: ServerStatus = {
      status: 'ok',
      version: VERSION,
      devices: devices(),
      pending: PENDING,
      device: config.device,
      dtype: config.dtype,
      availableDevices: services.devices.known()?.available ?? null,
      limits: {
        maxPromptChars: config.max_user_string_length,
        maxPromptTokens: config.max_prompt_tokens,
      },
      demoMode: config.demo_mode,
      defaultModel: { name: config.default_model, available: sourceAvailable(source) },
      models: services.engine.modelStats(),
      workers: services.engine.workerStats(),
      traces: services.traceCache.stats(),
      live: services.engine.liveStats(),
      queue: services.scheduler.stats(),
    };
    return c.json(status);
  });
}

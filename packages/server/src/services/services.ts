import { TraceCache } from '../cache/trace-cache.js';
import type { ServerConfig } from '../config/config.js';
import { DatasetStore } from '../datasets/dataset-store.js';
import { DeviceProbe } from '../devices/device-probe.js';
import type { DeviceTester } from '../devices/device-probe.js';
import { nodeDeviceTester } from '../devices/node-device-tester.js';
import { EnginePool } from '../engine-pool/engine-pool.js';
import { JobScheduler } from '../jobs/scheduler.js';
import { TraceService } from '../traces/trace-service.js';

/** The server's stateful parts, shared by every request. */
export interface ServerServices {
  readonly config: ServerConfig;
  /** The engine workers, which own the loaded models and run traces. */
  readonly engine: EnginePool;
  readonly traceCache: TraceCache;
  readonly scheduler: JobScheduler;
  readonly datasets: DatasetStore;
  /** Which devices and precisions trace requests may ask for, probed once on first use. */
  readonly devices: DeviceProbe;
  readonly traces: TraceService;
  /** Disposes every loaded model and ends the engine workers. */
  close(): Promise<void>;
}

/** A replacement for the engine, for tests. */
export interface EngineOverrides {
  /**
   * A module URL the engine workers import instead of `@lmtt/engine/node`;
   * it exports `loadModel` and `trace` like it (usually wrapping them).
   */
  readonly module?: string | URL;
  /** How long a cancelled trace may run on before its worker is replaced (default 30 s). */
  readonly cancelGraceMs?: number;
  /** How devices are started to see whether they work (default: the engine's Node backends). */
  readonly deviceTester?: DeviceTester;
}

/**
 * Builds the engine workers (started on first use), the trace cache, the job
 * scheduler, the dataset store and the trace service for `config`.
 *
 * @example
 * const services = createServices(DEFAULT_CONFIG);
 * const app = createApp({ services });
 */
export function createServices(config: ServerConfig, engine: EngineOverrides = {}): ServerServices {
  const pool = new EnginePool({
    workers: config.concurrency,
    modelCacheBytes: config.model_cache_bytes,
    liveCacheBytes: config.live_cache_bytes,
    maxDetailQueue: config.max_detail_queue,
    engineModule: engine.module?.toString(),
    cancelGraceMs: engine.cancelGraceMs,
  });
  const traceCache = new TraceCache(config.trace_cache_bytes);
  const scheduler = new JobScheduler({
    concurrency: config.concurrency,
    maxQueue: config.max_queue,
  });
  const datasets = new DatasetStore(
    config.dataset_dir,
    config.preloaded_dataset_filename,
    config.allow_loading_dataset_files,
  );
  const devices = new DeviceProbe({
    allowed: config.devices,
    tester: engine.deviceTester ?? nodeDeviceTester(),
  });
  const traces = new TraceService({
    config,
    engine: pool,
    traces: traceCache,
    scheduler,
    datasets,
    devices,
  });
  return {
    config,
    engine: pool,
    traceCache,
    scheduler,
    datasets,
    devices,
    traces,
    close: () => pool.close(),
  };
}

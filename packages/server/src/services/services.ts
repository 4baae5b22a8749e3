import { loadModel } from '@lmtt/engine/node';
import type { trace } from '@lmtt/engine';
import { ModelCache } from '../cache/model-cache.js';
import type { ModelLoader } from '../cache/model-cache.js';
import { TraceCache } from '../cache/trace-cache.js';
import type { ServerConfig } from '../config/config.js';
import { DatasetStore } from '../datasets/dataset-store.js';
import { JobScheduler } from '../jobs/scheduler.js';
import { TraceService } from '../traces/trace-service.js';

/** The server's stateful parts, shared by every request. */
export interface ServerServices {
  readonly config: ServerConfig;
  readonly models: ModelCache;
  readonly traceCache: TraceCache;
  readonly scheduler: JobScheduler;
  readonly datasets: DatasetStore;
  readonly traces: TraceService;
  /** Disposes every loaded model. */
  close(): Promise<void>;
}

/** Replacements for the engine, for tests. */
export interface EngineOverrides {
  readonly loadModel?: ModelLoader;
  readonly trace?: typeof trace;
}

/**
 * Builds the caches, the job scheduler, the dataset store and the trace
 * service for `config`.
 *
 * @example
 * const services = createServices(DEFAULT_CONFIG);
 * const app = createApp({ services });
 */
export function createServices(config: ServerConfig, engine: EngineOverrides = {}): ServerServices {
  const models = new ModelCache(config.model_cache_bytes, engine.loadModel ?? loadModel, {
    device: config.device,
    dtype: config.dtype,
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
  const traces = new TraceService({
    config,
    models,
    traces: traceCache,
    scheduler,
    datasets,
    trace: engine.trace,
  });
  return { config, models, traceCache, scheduler, datasets, traces, close: () => models.close() };
}

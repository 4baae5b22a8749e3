/**
 * `@lmtt/engine/node`: the engine for Node.js, running ONNX Runtime
 * (`onnxruntime-node`) in worker threads. Importing it registers the `cpu`,
 * `cuda` and `webgpu` backends.
 *
 * @packageDocumentation
 */

import { loadModelWith } from './model/load.js';
import type { LoadOptions } from './model/load.js';
import type { Model } from './model/model.js';
import { nodePlatform } from './runtime/node/platform.js';
import { registerNodeBackends } from './runtime/node/register.js';

registerNodeBackends();

/** {@link LoadOptions} plus where Node caches hub downloads (default: `$LMTT_CACHE`, else the user cache folder). */
export interface NodeLoadOptions extends LoadOptions {
  readonly cacheDir?: string;
}

/**
 * Loads a model folder or Hugging Face id on the best device that starts.
 *
 * @example
 * const model = await loadModel('./models/lmtt-tiny-gpt2');
 * const result = await model.run('The war lasted from the year 1732 to the year 17');
 */
export function loadModel(idOrPath: string, options?: NodeLoadOptions): Promise<Model> {
  return loadModelWith(nodePlatform, idOrPath, options);
}

export {
  decodeTrace,
  encodeTrace,
  ffnNeurons,
  float32,
  headOutputs,
  hubSource,
  logitLens,
  promotedTokens,
  trace,
  validateTrace,
  LAYER_OUTPUTS,
  LmttError,
  Model,
  parseHubId,
  readCheckpoint,
  urlSource,
  isLmttError,
  registerBackend,
  registeredDevices,
  resolveBackend,
  sizeOf,
  TRACE_SCHEMA_VERSION,
} from './index.js';
export type {
  Backend,
  BackendSession,
  Device,
  ExternalDataFile,
  ForwardResult,
  LayerActivations,
  LmttErrorCode,
  LoadOptions,
  ModelInfo,
  Trace,
  TraceEvent,
  TraceOptions,
  ModelSource,
  ModelSpec,
  Progress,
  RunOptions,
  ResolvedBackend,
  SessionOptions,
  Tensor,
  TensorDType,
  TokenView,
} from './index.js';
export { createNodeBackend } from './runtime/node/node-backend.js';
export type { NodeBackend, NodeBackendOptions, NodeDevice } from './runtime/node/node-backend.js';
export { registerNodeBackends } from './runtime/node/register.js';
export { SWIFTSHADER_ICD, softwareVulkanDriver } from './runtime/node/software-vulkan.js';
export type { OrtLogLevel } from './runtime/worker/protocol.js';
export { localFolderSource } from './runtime/node/local-source.js';
export { defaultCacheDir, diskCache } from './runtime/node/disk-cache.js';
export { resolveSource } from './runtime/node/resolve-source.js';
export type { ResolveSourceOptions } from './runtime/node/resolve-source.js';

/**
 * `@lmtt/engine/web`: the engine for browsers, running ONNX Runtime Web
 * (WebGPU, WASM fallback) in a Web Worker. Importing it registers the
 * `webgpu` and `wasm` backends.
 *
 * @packageDocumentation
 */

import { loadModelWith } from './model/load.js';
import type { LoadOptions } from './model/load.js';
import type { Model } from './model/model.js';
import { webPlatform } from './runtime/web/platform.js';
import { registerWebBackends } from './runtime/web/register.js';

registerWebBackends();

/**
 * Loads a model URL or Hugging Face id on the best device that starts.
 *
 * @example
 * const model = await loadModel('/models/lmtt-tiny-gpt2');
 * const result = await model.run('The war lasted from the year 1732 to the year 17');
 */
export function loadModel(idOrPath: string, options?: LoadOptions): Promise<Model> {
  return loadModelWith(webPlatform, idOrPath, options);
}

export {
  decodeTrace,
  encodeTrace,
  ffnNeurons,
  float32,
  headOutputs,
  hubSource,
  liveSource,
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
  LiveSourceOptions,
  LiveState,
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
export { createWebBackend } from './runtime/web/web-backend.js';
export type { WebBackend, WebBackendOptions, WebDevice } from './runtime/web/web-backend.js';
export { registerWebBackends } from './runtime/web/register.js';
export type { OrtLogLevel } from './runtime/worker/protocol.js';
export { cacheStorageCache } from './runtime/web/cache-storage.js';
export { resolveSource } from './runtime/web/resolve-source.js';
export type { ResolveSourceOptions } from './runtime/web/resolve-source.js';

/**
 * `@lmtt/engine`: the platform-free engine core. It never imports ONNX
 * Runtime; `@lmtt/engine/node` and `@lmtt/engine/web` register backends.
 *
 * @packageDocumentation
 */

export { LmttError, isLmttError } from './errors.js';
export type { LmttErrorCode } from './errors.js';
export { registerBackend, registeredDevices, resolveBackend } from './backend/registry.js';
export type { ResolvedBackend } from './backend/registry.js';
export type {
  Backend,
  BackendSession,
  Device,
  ExternalDataFile,
  SessionOptions,
} from './backend/backend.js';
export { float32, sizeOf } from './backend/tensor.js';
export type { Tensor, TensorDType, TensorDataMap } from './backend/tensor.js';
export { TRACE_SCHEMA_VERSION } from './schema/index.js';
export type { TokenView } from './schema/index.js';

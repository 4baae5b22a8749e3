/**
 * `@lmtt/engine/node`: the engine for Node.js, running ONNX Runtime
 * (`onnxruntime-node`) in worker threads.
 *
 * @packageDocumentation
 */

export {
  LmttError,
  isLmttError,
  registerBackend,
  registeredDevices,
  resolveBackend,
  TRACE_SCHEMA_VERSION,
} from './index.js';
export type { Backend, BackendSession, Device, LmttErrorCode, Tensor, TokenView } from './index.js';

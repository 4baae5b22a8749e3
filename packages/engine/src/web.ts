/**
 * `@lmtt/engine/web`: the engine for browsers, running ONNX Runtime Web
 * (WebGPU, WASM fallback) in a Web Worker.
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

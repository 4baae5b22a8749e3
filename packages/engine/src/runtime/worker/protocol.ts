import type { InferenceSession } from 'onnxruntime-common';
import type { Device } from '../../backend/backend.js';

/**
 * A tensor as it crosses the thread boundary. Requests carry the engine's
 * dtypes; a worker answers with whatever dtype ONNX Runtime produced, and the
 * caller checks it (float16 always travels as `Uint16Array` bits).
 */
export interface WireTensor {
  readonly dtype: string;
  readonly dims: readonly number[];
  readonly data: ArrayBufferView;
}

/** ONNX Runtime log levels, quietest last. */
export type OrtLogLevel = 'verbose' | 'info' | 'warning' | 'error' | 'fatal';

/** Process-wide ONNX Runtime settings a worker applies before its first session. */
export interface HostSettings {
  readonly device: Device;
  readonly logLevel: OrtLogLevel;
  /** WASM threads (web only; Node takes threads per session). */
  readonly wasmThreads?: number;
}

/**
 * ONNX Runtime session options exactly as the worker passes them on. In Node,
 * an `externalData` entry whose `data` is a string names a file the worker
 * reads into memory (the fallback when the file cannot be memory-mapped).
 */
export type HostSessionOptions = InferenceSession.SessionOptions;

/** Every request a session worker understands. */
export type HostRequest =
  | {
      readonly op: 'init';
      /** A model with input x and output y, both float32 [1], run once as a device check. */
      readonly probe: Uint8Array;
      readonly probeInput: number;
      readonly options: HostSessionOptions;
      readonly settings: HostSettings;
    }
  | { readonly op: 'create'; readonly model: Uint8Array; readonly options: HostSessionOptions }
  | {
      readonly op: 'run';
      readonly session: number;
      readonly feeds: Readonly<Record<string, WireTensor>>;
      readonly fetches?: readonly string[];
    }
  | { readonly op: 'release'; readonly session: number };

/** What each request resolves to. */
export interface HostResults {
  /** The probe's output value. */
  init: number;
  create: {
    readonly session: number;
    readonly inputNames: readonly string[];
    readonly outputNames: readonly string[];
  };
  run: Record<string, WireTensor>;
  release: null;
}

/** A request with the id its answer carries back. */
export interface HostEnvelope {
  readonly id: number;
  readonly request: HostRequest;
}

/** A worker's answer to one {@link HostEnvelope}. */
export type HostAnswer =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { name: string; message: string } };

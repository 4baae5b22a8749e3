import type { Backend, ExternalDataFile, SessionOptions } from '../../backend/backend.js';
import type { HostAnswer, HostSettings, OrtLogLevel } from '../worker/protocol.js';
import type { PreparedOptions, SpawnedWorker } from '../worker/worker-backend.js';
import { WorkerBackend } from '../worker/worker-backend.js';

/** Devices `onnxruntime-web` runs on. */
export type WebDevice = 'webgpu' | 'wasm';

/** Settings of a browser backend. */
export interface WebBackendOptions {
  /**
   * WASM threads for this backend's worker (ONNX Runtime Web fixes them per
   * worker, so `SessionOptions.threads` is ignored in browsers). Default: up
   * to 4 when the page is cross-origin isolated, else 1 (threads need
   * `SharedArrayBuffer`).
   */
  readonly threads?: number;
  /** ONNX Runtime's log level in the worker. Default `'error'`. */
  readonly logLevel?: OrtLogLevel;
}

/** A {@link Backend} on `onnxruntime-web` whose sessions live in one Web Worker. */
export interface WebBackend extends Backend {
  readonly device: WebDevice;
  /** Ends the worker and with it every session; a later `init()` starts a new one. */
  dispose(): Promise<void>;
}

/**
 * A backend for `device` on `onnxruntime-web`, its sessions in a module Web
 * Worker that starts on `init()`. External data may be bytes or URLs; pass
 * URLs for large weights: the worker fetches them itself, so the bytes never
 * pass through the page.
 *
 * @example
 * const gpu = createWebBackend('webgpu');
 * await gpu.init(); // rejects when there is no WebGPU adapter
 */
export function createWebBackend(device: WebDevice, options: WebBackendOptions = {}): WebBackend {
  return new OrtWebBackend(device, options);
}

class OrtWebBackend extends WorkerBackend<WebDevice> implements WebBackend {
  readonly #options: WebBackendOptions;

  constructor(device: WebDevice, options: WebBackendOptions) {
    super(device, 'onnxruntime-web');
    this.#options = options;
  }

  protected spawnWorker(): SpawnedWorker {
    if (typeof Worker === 'undefined') throw new Error('Web Workers are not available here');
    const worker = new Worker(new URL('./session-worker.js', import.meta.url), { type: 'module' });
    return {
      postMessage: (message, transfer) => worker.postMessage(message, transfer),
      terminate: () => worker.terminate(),
      listen: (onAnswer, onStop) => {
        worker.addEventListener('message', (event: MessageEvent<HostAnswer>) =>
          onAnswer(event.data),
        );
        worker.addEventListener('messageerror', () =>
          onStop(new Error('an answer from the worker could not be deserialised')),
        );
        worker.addEventListener('error', (event) => {
          event.preventDefault();
          onStop(new Error(event.message || 'the worker script failed to load'));
        });
      },
    };
  }

  protected settings(): HostSettings {
    return {
      device: this.device,
      logLevel: this.#options.logLevel ?? 'error',
      wasmThreads: this.#options.threads ?? defaultThreads(),
    };
  }

  protected async prepare({
    externalData = [],
    memoryArena,
  }: SessionOptions): Promise<PreparedOptions> {
    const transfer: ArrayBuffer[] = [];
    const files = externalData.map((file) => toWebExternalData(file, transfer));
    return {
      options: {
        executionProviders: [this.device],
        ...(files.length && { externalData: files }),
        ...(memoryArena === false && { enableCpuMemArena: false }),
      },
      transfer,
    };
  }

  protected unavailable(message: string): string {
    return `${this.device === 'webgpu' ? 'WebGPU' : 'WASM'} could not start: ${message}`;
  }
}

/** Up to 4 threads where `SharedArrayBuffer` is allowed, else 1. */
function defaultThreads(): number {
  return globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
}

/**
 * One external-data file as ONNX Runtime Web takes it: bytes are copied (the
 * caller's stay usable) and the copy is transferred; URLs are made absolute
 * against the page, since the worker would resolve them against its script.
 */
function toWebExternalData(
  { location, source }: ExternalDataFile,
  transfer: ArrayBuffer[],
): { path: string; data: Uint8Array | string } {
  if (source instanceof Uint8Array) {
    const data = source.slice();
    transfer.push(data.buffer);
    return { path: location, data };
  }
  return { path: location, data: new URL(source, globalThis.location?.href).href };
}

import type { Tensor } from './tensor.js';

/** Where a backend runs: the device words users pick from. */
export type Device = 'cpu' | 'webgpu' | 'cuda' | 'wasm';

/**
 * Bytes of weights that a graph's external-data initializers point into.
 * `location` is exactly the string written in the graph's initializers.
 */
export interface ExternalDataFile {
  readonly location: string;
  /** An absolute file path (Node), a URL, or the bytes themselves. */
  readonly source: string | URL | Uint8Array;
}

/** Options for one ONNX session. */
export interface SessionOptions {
  readonly externalData?: readonly ExternalDataFile[];
  /** Intra-op threads; left to the runtime when absent. */
  readonly threads?: number;
  /**
   * Keep freed intermediate buffers in a per-session arena (default true).
   * Turn it off for graphs with large, rarely repeated intermediates, whose
   * arenas would otherwise each hold their peak for the session's life.
   */
  readonly memoryArena?: boolean;
}

/** A loaded ONNX graph that can be run many times. */
export interface BackendSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the graph. Implementations must not block the caller's thread. */
  run(
    feeds: Readonly<Record<string, Tensor>>,
    fetches?: readonly string[],
  ): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
}

/**
 * One execution device. The engine core only ever talks to this interface;
 * `@lmtt/engine/node` and `@lmtt/engine/web` register implementations.
 */
export interface Backend {
  readonly device: Device;
  /** Starts the device; rejects with a reason when it cannot. */
  init(): Promise<void>;
  /** Creates a session from a serialised ONNX model. */
  createSession(model: Uint8Array, options?: SessionOptions): Promise<BackendSession>;
  /**
   * Frees the device: ends the backend's worker and every session in it. A
   * later `init()` starts afresh. Optional: backends without resources omit it.
   */
  dispose?(): Promise<void>;
}

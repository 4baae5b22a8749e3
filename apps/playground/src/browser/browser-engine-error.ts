import type { BrowserEngineErrorCode } from './engine-protocol.js';

/** A browser trace that failed: the engine's code (e.g. `UNSUPPORTED_DTYPE`) or `WORKER_FAILED`. */
export class BrowserEngineError extends Error {
  override readonly name = 'BrowserEngineError';

  constructor(
    readonly code: BrowserEngineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

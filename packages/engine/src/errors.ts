/** Stable codes of every error the engine throws. */
export type LmttErrorCode =
  | 'BACKEND_UNAVAILABLE'
  | 'NO_BACKEND'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_FILE_MISSING'
  | 'BAD_SAFETENSORS'
  | 'UNSUPPORTED_MODEL'
  | 'UNSUPPORTED_DTYPE'
  | 'PROMPT_TOO_LONG'
  | 'EMPTY_PROMPT'
  | 'ABORTED'
  | 'DOWNLOAD_FAILED'
  | 'BAD_TRACE'
  | 'BAD_OPTION'
  | 'INTERNAL';

/**
 * An error with a stable machine-readable `code` and the underlying `cause`.
 *
 * @example
 * throw new LmttError('MODEL_FILE_MISSING', 'config.json not found in ./gpt2');
 */
export class LmttError extends Error {
  override readonly name = 'LmttError';

  constructor(
    readonly code: LmttErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether `error` is an {@link LmttError}, optionally with the given code. */
export function isLmttError(error: unknown, code?: LmttErrorCode): error is LmttError {
  return error instanceof LmttError && (code === undefined || error.code === code);
}

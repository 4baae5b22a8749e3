import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { LmttError } from '@lmtt/engine/node';

/** The JSON body of every error the server answers. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
}

/**
 * An error that maps onto one HTTP answer: a status, a stable `code` and a
 * message safe to show to clients.
 *
 * @example
 * throw new ApiError(404, 'UNKNOWN_MODEL', `no model named 'gpt5'`);
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, { cause: options?.cause });
    this.headers = options?.headers ?? {};
  }

  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers: Record<string, string>;
}

const ENGINE_STATUS: Record<string, ContentfulStatusCode> = {
  EMPTY_PROMPT: 400,
  PROMPT_TOO_LONG: 400,
  BAD_OPTION: 400,
  BAD_TRACE: 400,
  MODEL_NOT_FOUND: 404,
  MODEL_FILE_MISSING: 503,
  BAD_SAFETENSORS: 503,
  UNSUPPORTED_MODEL: 503,
  UNSUPPORTED_DTYPE: 503,
  NO_BACKEND: 503,
  BACKEND_UNAVAILABLE: 503,
  DOWNLOAD_FAILED: 503,
  ABORTED: 499 as ContentfulStatusCode,
};

/** The HTTP status of an engine error code (500 for codes not listed). */
export function statusOfCode(code: string): ContentfulStatusCode {
  return ENGINE_STATUS[code] ?? 500;
}

/**
 * Turns any thrown value into an {@link ApiError}; engine errors keep their
 * code, anything else becomes `INTERNAL` with its details only when `debug`.
 */
export function toApiError(error: unknown, debug: boolean): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof LmttError) {
    return new ApiError(statusOfCode(error.code), error.code, error.message, { cause: error });
  }
  const message = debug
    ? String((error as Error | undefined)?.stack ?? error)
    : 'internal server error';
  return new ApiError(500, 'INTERNAL', message, { cause: error });
}

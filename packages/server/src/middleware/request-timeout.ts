import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors/api-error.js';

/**
 * Fails a request that takes longer than `ms` with 504 `TIMEOUT`. A streamed
 * response counts as answered once its headers are ready: trace jobs have
 * their own time limit (`job_timeout_ms`).
 */
export function requestTimeout(ms: number): MiddlewareHandler {
  return async function requestTimeout(_c, next) {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new ApiError(504, 'TIMEOUT', `the request took over ${ms} ms`)),
        ms,
      );
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}

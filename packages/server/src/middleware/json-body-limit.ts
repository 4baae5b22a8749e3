import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** Refuses request bodies over `maxBytes` with 413 `BODY_TOO_LARGE`. */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      c.json(
        { code: 'BODY_TOO_LARGE', message: `the request body is over ${maxBytes} bytes` },
        413,
      ),
  });
}

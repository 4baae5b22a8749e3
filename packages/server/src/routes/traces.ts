import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ApiError } from '../errors/api-error.js';
import { readJson } from '../http/read-json.js';
import type { ServerServices } from '../services/services.js';

function detailParam(value: string | undefined): 'summary' | 'full' | undefined {
  if (value === undefined || value === 'summary' || value === 'full') return value;
  throw new ApiError(400, 'BAD_OPTION', 'detail must be summary or full');
}

/**
 * `POST /` streams a trace as Server-Sent Events, one per engine event (the
 * SSE `event` is its `type`, `data` its `encodeEvent` JSON, encoded in the
 * engine worker), ending with `done` or `error`. `GET /:id` answers a finished trace file.
 */
export function traceRoutes(services: ServerServices) {
  const { traces } = services;
  return new Hono()
    .post('/', async (c) => {
      const prepared = await traces.prepare(await readJson(c));
      // Answered already (request timeout) or the client left while the model loaded: start nothing.
      if (c.finalized || c.req.raw.signal.aborted)
        throw new ApiError(503, 'GONE', 'the request ended before the trace could start');
      const subscription = traces.start(prepared);
      c.header('Cache-Control', 'no-store');
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(
        c,
        async (stream) => {
          stream.onAbort(() => subscription.close());
          let id = 0;
          // Events come encoded (by the engine worker): writing them out is all that is left.
          for await (const { event, data } of subscription) {
            if (stream.aborted || stream.closed) break;
            await stream.writeSSE({ event: event.type, data, id: String(id++) });
          }
          subscription.close();
        },
        async (error, stream) => {
          subscription.close();
          const message = services.config.debug
            ? String(error.stack)
            : 'internal error while streaming';
          await stream.writeSSE({
            event: 'error',
            data: JSON.stringify({ type: 'error', code: 'INTERNAL', message }),
          });
        },
      );
    })
    .get('/:id', async (c) => {
      const entry = await traces.get(c.req.param('id'), detailParam(c.req.query('detail')));
      return c.body(entry.text, 200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'public, max-age=31536000, immutable',
      });
    });
}

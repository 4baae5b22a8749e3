import { Hono } from 'hono';
import type { Context } from 'hono';
import { TraceQueryError } from '@lmtt/engine/trace-query';
import type { UpdateBlock } from '@lmtt/engine/trace-query';
import type { NodeKind } from '@lmtt/engine/schema';
import { ApiError } from '../errors/api-error.js';
import type { ServerServices } from '../services/services.js';
import type { DetailQuery } from '../traces/detail-query.js';

/**
 * An integer parameter of a URL, `[0, 2^31)`.
 *
 * @throws ApiError 400 `BAD_PARAM`.
 */
function indexParam(name: string, value: string | undefined): number {
  if (value === undefined || !/^\d{1,9}$/.test(value))
    throw new ApiError(400, 'BAD_PARAM', `${name} must be a non-negative integer`);
  return Number(value);
}

/**
 * On-demand detail of a trace by id, with the answers of
 * `@lmtt/engine/trace-query` (the functions a static trace is read with):
 * from the cached full trace when there is one, else computed per question
 * by an engine worker from the trace's live state (DESIGN §2.4).
 * `GET /:id/edges/:edge/heads`, `GET /:id/heads?pos`, `GET /:id/heads/:layer/:head`,
 * `GET /:id/neurons/:layer/:pos`, `GET /:id/lens?kind&layer&pos`,
 * `GET /:id/promoted?block&layer&pos[&part]`.
 */
export function traceDetailRoutes(services: ServerServices) {
  /** Answers the question `query` builds about trace `:id`; its typed errors answer 400. */
  const ask = async <Q extends DetailQuery>(c: Context, query: () => Q) => {
    try {
      return await services.traces.detail(c.req.param('id')!, query, c.req.raw.signal);
    } catch (error) {
      if (error instanceof TraceQueryError) throw new ApiError(400, error.code, error.message);
      throw error;
    }
  };
  return new Hono()
    .get('/:id/edges/:edge/heads', async (c) =>
      c.json(
        await ask(c, () => {
          const edge = indexParam('edge', c.req.param('edge'));
          return { op: 'edgeHeads', edge } as const;
        }),
      ),
    )
    .get('/:id/heads', async (c) =>
      c.json(
        await ask(c, () => {
          const pos = indexParam('pos', c.req.query('pos'));
          return { op: 'headOverview', pos } as const;
        }),
      ),
    )
    .get('/:id/heads/:layer/:head', async (c) =>
      c.json(
        await ask(c, () => {
          const layer = indexParam('layer', c.req.param('layer'));
          const head = indexParam('head', c.req.param('head'));
          return { op: 'headMap', layer, head } as const;
        }),
      ),
    )
    .get('/:id/neurons/:layer/:pos', async (c) =>
      c.json(
        await ask(c, () => {
          const layer = indexParam('layer', c.req.param('layer'));
          const pos = indexParam('pos', c.req.param('pos'));
          return { op: 'neurons', layer, pos } as const;
        }),
      ),
    )
    .get('/:id/lens', async (c) =>
      c.json(
        await ask(c, () => {
          const kind = (c.req.query('kind') ?? 'resid_post') as NodeKind;
          const layer = kind === 'embed' ? -1 : indexParam('layer', c.req.query('layer'));
          const pos = indexParam('pos', c.req.query('pos'));
          return { op: 'lens', node: { kind, layer, pos } } as const;
        }),
      ),
    )
    .get('/:id/promoted', async (c) =>
      c.json(
        await ask(c, () => {
          const block = c.req.query('block') as UpdateBlock;
          const layer = indexParam('layer', c.req.query('layer'));
          const pos = indexParam('pos', c.req.query('pos'));
          const needsPart = block === 'head' || block === 'neuron';
          const part = needsPart ? indexParam('part', c.req.query('part')) : undefined;
          return { op: 'update', ref: { block, layer, pos, part } } as const;
        }),
      ),
    );
}

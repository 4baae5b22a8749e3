import { Hono } from 'hono';
import type { TraceFull } from '@lmtt/engine';
import {
  edgeHeads,
  ffnNeurons,
  headMap,
  headOverview,
  lensTokens,
  TraceQueryError,
  updateTokens,
} from '@lmtt/engine/trace-query';
import type { UpdateBlock } from '@lmtt/engine/trace-query';
import type { NodeKind } from '@lmtt/engine/schema';
import { ApiError } from '../errors/api-error.js';
import type { ServerServices } from '../services/services.js';

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

/** Runs a detail query, mapping its typed errors onto 400 answers. */
function answer<T>(query: () => T): T {
  try {
    return query();
  } catch (error) {
    if (error instanceof TraceQueryError) throw new ApiError(400, error.code, error.message);
    throw error;
  }
}

/**
 * On-demand detail of a trace by id, answered from its full trace (computed
 * once when only the summary is cached) by `@lmtt/engine/trace-query`, the
 * same functions a static trace is read with:
 * `GET /:id/edges/:edge/heads`, `GET /:id/heads?pos`, `GET /:id/heads/:layer/:head`,
 * `GET /:id/neurons/:layer/:pos`, `GET /:id/lens?kind&layer&pos`,
 * `GET /:id/promoted?block&layer&pos[&part]`.
 */
export function traceDetailRoutes(services: ServerServices) {
  const full = async (id: string) => (await services.traces.get(id, 'full')).trace as TraceFull;
  return new Hono()
    .get('/:id/edges/:edge/heads', async (c) => {
      const trace = await full(c.req.param('id'));
      const edge = indexParam('edge', c.req.param('edge'));
      return c.json(answer(() => edgeHeads(trace, edge)));
    })
    .get('/:id/heads', async (c) => {
      const trace = await full(c.req.param('id'));
      const pos = indexParam('pos', c.req.query('pos'));
      return c.json(answer(() => headOverview(trace, pos)));
    })
    .get('/:id/heads/:layer/:head', async (c) => {
      const trace = await full(c.req.param('id'));
      const layer = indexParam('layer', c.req.param('layer'));
      const head = indexParam('head', c.req.param('head'));
      return c.json(answer(() => headMap(trace, layer, head)));
    })
    .get('/:id/neurons/:layer/:pos', async (c) => {
      const trace = await full(c.req.param('id'));
      const layer = indexParam('layer', c.req.param('layer'));
      const pos = indexParam('pos', c.req.param('pos'));
      return c.json(answer(() => ffnNeurons(trace, layer, pos)));
    })
    .get('/:id/lens', async (c) => {
      const trace = await full(c.req.param('id'));
      const kind = (c.req.query('kind') ?? 'resid_post') as NodeKind;
      const layer = kind === 'embed' ? -1 : indexParam('layer', c.req.query('layer'));
      const pos = indexParam('pos', c.req.query('pos'));
      return c.json(answer(() => lensTokens(trace, { kind, layer, pos })));
    })
    .get('/:id/promoted', async (c) => {
      const trace = await full(c.req.param('id'));
      const block = c.req.query('block') as UpdateBlock;
      const layer = indexParam('layer', c.req.query('layer'));
      const pos = indexParam('pos', c.req.query('pos'));
      const needsPart = block === 'head' || block === 'neuron';
      const part = needsPart ? indexParam('part', c.req.query('part')) : undefined;
      return c.json(answer(() => updateTokens(trace, { block, layer, pos, part })));
    });
}

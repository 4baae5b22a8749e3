import { Hono } from 'hono';
import type { TraceFull } from '@lmtt/engine';
import { ApiError } from '../errors/api-error.js';
import type { ServerServices } from '../services/services.js';
import {
  edgeHeads,
  ffnNeurons,
  headMap,
  indexParam,
  lensOf,
  updateTokens,
} from '../traces/detail-tables.js';
import type { UpdateBlock } from '../traces/detail-tables.js';

const BLOCKS: readonly UpdateBlock[] = ['attn', 'mlp', 'head', 'neuron'];

/**
 * On-demand detail of a trace by id, answered from its full trace (computed
 * once when only the summary is cached):
 * `GET /:id/edges/:edge/heads`, `GET /:id/heads/:layer/:head`,
 * `GET /:id/neurons/:layer/:pos`, `GET /:id/lens?kind&layer&pos`,
 * `GET /:id/promoted?block&layer&pos[&part]`.
 */
export function traceDetailRoutes(services: ServerServices) {
  const full = async (id: string) => (await services.traces.get(id, 'full')).trace as TraceFull;
  return new Hono()
    .get('/:id/edges/:edge/heads', async (c) => {
      const trace = await full(c.req.param('id'));
      return c.json(edgeHeads(trace, indexParam('edge', c.req.param('edge'), 2 ** 31)));
    })
    .get('/:id/heads/:layer/:head', async (c) => {
      const trace = await full(c.req.param('id'));
      const layer = indexParam('layer', c.req.param('layer'), trace.model.nLayers);
      const head = indexParam('head', c.req.param('head'), trace.model.nHeads);
      return c.json(headMap(trace, layer, head));
    })
    .get('/:id/neurons/:layer/:pos', async (c) => {
      const trace = await full(c.req.param('id'));
      const layer = indexParam('layer', c.req.param('layer'), trace.model.nLayers);
      const pos = indexParam('pos', c.req.param('pos'), trace.tokens.length);
      return c.json(ffnNeurons(trace, layer, pos));
    })
    .get('/:id/lens', async (c) => {
      const trace = await full(c.req.param('id'));
      const kind = c.req.query('kind') ?? 'resid_post';
      const layer =
        kind === 'embed' ? 0 : indexParam('layer', c.req.query('layer'), trace.model.nLayers);
      const pos = indexParam('pos', c.req.query('pos'), trace.tokens.length);
      return c.json(lensOf(trace, kind, layer, pos));
    })
    .get('/:id/promoted', async (c) => {
      const trace = await full(c.req.param('id'));
      const block = c.req.query('block') as UpdateBlock;
      if (!BLOCKS.includes(block))
        throw new ApiError(400, 'BAD_PARAM', `block must be one of ${BLOCKS.join(', ')}`);
      const layer = indexParam('layer', c.req.query('layer'), trace.model.nLayers);
      const pos = indexParam('pos', c.req.query('pos'), trace.tokens.length);
      const parts =
        block === 'head' ? trace.model.nHeads : block === 'neuron' ? trace.settings.topNeurons : 1;
      const part = parts === 1 ? 0 : indexParam('part', c.req.query('part'), parts);
      return c.json(updateTokens(trace, block, layer, pos, part));
    });
}

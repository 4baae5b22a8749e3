import { LmttError } from '../errors.js';
import { topPredictions } from '../detail/top-predictions.js';
import { allRoutes } from '../graph/routes.js';
import { buildGraph } from '../graph/build-graph.js';
import type { Model } from '../model/model.js';
import { TRACE_SCHEMA_VERSION } from '../schema/index.js';
import type {
  LayerContributions,
  TraceEvent,
  TraceModelInfo,
  TracePredictions,
  TraceSummary,
} from '../schema/index.js';
import { forwardByLayer } from './forward-by-layer.js';
import { fullDetail } from './full-detail.js';
import { layerContributions } from './layer-attribution.js';
import { resolveTraceOptions } from './trace-options.js';
import type { TraceOptions } from './trace-options.js';
import { traceId } from './trace-id.js';

function modelInfo(model: Model, name?: string): TraceModelInfo {
  const { info, spec } = model;
  return {
    id: name ?? info.id,
    family: info.family,
    nLayers: spec.nLayers,
    nHeads: spec.nHeads,
    nKvHeads: spec.nKvHeads,
    dModel: spec.dModel,
    dMlp: spec.dMlp,
    dVocab: spec.dVocab,
    nCtx: spec.nCtx,
    device: info.device,
    dtype: info.dtype,
    // Only parallel models say so: sequential is what an absent field means.
    ...(spec.parallelBlock ? { blocks: 'parallel' as const } : {}),
  };
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted)
    throw new LmttError('ABORTED', 'the trace was cancelled', { cause: signal.reason });
}

/**
 * Traces `prompt` (text, or token ids as they are) through `model`: the forward pass, every layer's
 * contributions as soon as they are computed, the graph and the routes of
 * every prediction, and (with `detail: 'full'`) every table a static page
 * needs. Events arrive in this order: `tokens`, `progress`/`layer` per
 * layer, `predictions`, `graph`, `routes`, `done`; on failure one `error`
 * event ends the stream instead.
 *
 * @example
 * for await (const event of trace(model, 'When Mary and John went to the store, John gave a drink to')) {
 *   if (event.type === 'layer') console.log(event.layer, event.contributions.attention);
 * }
 */
export async function* trace(
  model: Model,
  prompt: string | readonly number[],
  options: TraceOptions = {},
): AsyncGenerator<TraceEvent> {
  try {
    yield* traceEvents(model, prompt, options);
  } catch (error) {
    const code = error instanceof LmttError ? error.code : 'INTERNAL';
    yield { type: 'error', code, message: error instanceof Error ? error.message : String(error) };
  }
}

async function* traceEvents(
  model: Model,
  input: string | readonly number[],
  options: TraceOptions,
): AsyncGenerator<TraceEvent> {
  const { settings, detail, chunkBytes, eps } = resolveTraceOptions(options);
  const { signal } = options;
  const { ids, tokens } =
    typeof input === 'string' ? model.tokenize(input, options.prependBos) : model.fromIds(input);
  const prompt = typeof input === 'string' ? input : model.tokenizer.decode(ids);
  const info = modelInfo(model, options.modelName);
  yield { type: 'tokens', model: info, settings, prompt, tokens };
  const L = model.spec.nLayers;
  yield { type: 'progress', stage: 'forward', done: 0, total: 1 };
  // Layer l is attributed here while the session worker runs layer l + 1.
  const run = forwardByLayer(model, ids, signal);
  const contributions: LayerContributions[] = [];
  for await (const activations of run.layers) {
    checkAborted(signal);
    const l = contributions.length;
    const layer = await layerContributions(model, l, activations, {
      distance: settings.distance,
      eps,
      chunkBytes,
      signal,
    });
    contributions.push(layer);
    yield { type: 'layer', layer: l, contributions: layer };
    yield { type: 'progress', stage: 'contributions', done: l + 1, total: L };
  }
  const forward = await run.result;
  yield { type: 'progress', stage: 'forward', done: 1, total: 1 };

  const predictions: TracePredictions = topPredictions(
    forward.logits,
    settings.topK,
    forward.logsumexp,
  );
  // `display` shows each id on its own: a prompt token's text can depend on its
  // neighbours (byte-fallback characters), a table's token cannot.
  const shown = model.display([...new Set([...ids, ...predictions.ids])]);
  const tokenTexts = new Map(shown.map((token) => [token.id, token.text]));
  yield { type: 'predictions', predictions, tokenTexts };

  const graph = buildGraph(contributions, settings, info.blocks);
  yield { type: 'graph', weights: graph.weights };
  const routes = allRoutes(graph);
  yield { type: 'routes', routes };

  const summary: TraceSummary = {
    version: TRACE_SCHEMA_VERSION,
    kind: 'summary',
    id: await traceId({
      model: info.id,
      device: info.device,
      dtype: info.dtype,
      prompt,
      prependBos: options.prependBos,
      settings,
      detail,
    }),
    createdAt: new Date().toISOString(),
    model: info,
    prompt,
    tokens,
    tokenTexts,
    settings,
    predictions,
    contributions:
      detail === 'full' ? contributions : contributions.map(({ heads: _heads, ...rest }) => rest),
    routes,
  };
  options.retain?.({ forward, contributions });
  if (detail === 'summary') {
    yield { type: 'done', trace: summary };
    return;
  }
  checkAborted(signal);
  yield { type: 'progress', stage: 'detail', done: 0, total: 1 };
  const full = await fullDetail(model, forward, summary, { eps, signal });
  yield { type: 'progress', stage: 'detail', done: 1, total: 1 };
  yield { type: 'done', trace: full };
}

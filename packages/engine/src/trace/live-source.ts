import { EPS } from '../attribution/proximity.js';
import { headOutputs } from '../detail/heads.js';
import { logitLens } from '../detail/lens.js';
import type { ResidualNode } from '../detail/lens.js';
import { ffnNeurons, neuronUpdates } from '../detail/neurons.js';
import { promotedTokens } from '../detail/promoted.js';
import type { ForwardResult } from '../model/forward.js';
import type { Model } from '../model/model.js';
import type { GraphNode } from '../schema/graph.js';
import type { LayerContributions } from '../schema/contributions.js';
import type { Trace } from '../schema/trace.js';
import { badParam, checkIndex } from '../trace-query/check-param.js';
import type {
  FfnNeurons,
  LensTokens,
  UpdateRef,
  UpdateTokens,
} from '../trace-query/detail-types.js';
import { edgeHeads, headMap, headOverview } from '../trace-query/read-detail.js';
import type { HeadTables } from '../trace-query/read-detail.js';
import type { TraceSource } from '../trace-query/trace-source.js';
import { DEFAULT_CHUNK_BYTES } from './attention-proximities.js';
import { layerContributions } from './layer-attribution.js';

/** What a trace computed and a live source can start from instead of recomputing it. */
export interface LiveState {
  readonly forward: ForwardResult;
  /** Every layer's contributions, `heads` included. */
  readonly contributions: readonly LayerContributions[];
}

/** Options of {@link liveSource}. */
export interface LiveSourceOptions {
  /** The forward pass and contributions of the trace, when still at hand (see `TraceOptions.retain`). */
  readonly state?: LiveState;
  /** The proximity floor the trace used (default 1e-5). */
  readonly eps?: number;
  /** Memory budget of one chunk of attention proximities, in bytes. */
  readonly chunkBytes?: number;
}

/** One memoised computation per key. */
function memo<T>(compute: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= compute();
    value.catch(() => (value = undefined)); // a failure is retried next time
    return value;
  };
}

/**
 * A {@link TraceSource} that answers every detail question of `trace` (a
 * summary is enough) on demand from `model`, as the reference tool does
 * per click (DESIGN §2.4): a lens or an update costs one row of the
 * vocabulary projection instead of the thousands a full trace precomputes.
 * The forward pass and the per-head shares are recomputed once, on the first
 * question that needs them, unless `options.state` hands them over. Answers
 * have the same shapes and errors as {@link staticSource} over the full
 * trace.
 *
 * @example
 * let state: LiveState | undefined;
 * for await (const event of trace(model, prompt, { retain: (s) => (state = s) })) …
 * const source = liveSource(model, summary, { state });
 * const lens = await source.lens({ kind: 'resid_mid', layer: 3, pos: 5 });
 */
export function liveSource(
  model: Model,
  trace: Trace,
  options: LiveSourceOptions = {},
): TraceSource {
  const { settings, tokens } = trace;
  const T = tokens.length;
  const { nLayers: L, nHeads: H, dModel: d } = model.spec;
  const { topK: K, topNeurons: N, distance } = settings;
  const eps = options.eps ?? EPS;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;

  const forward = memo(async () => options.state?.forward ?? model.run(tokens.map((t) => t.id)));
  const headTables = memo(async (): Promise<HeadTables> => {
    const run = await forward();
    const contributions = [];
    for (const [l, layer] of trace.contributions.entries()) {
      const heads =
        options.state?.contributions[l]?.heads ??
        layer.heads ??
        (await layerContributions(model, l, run.layers[l]!, { distance, eps, chunkBytes })).heads!;
      contributions.push({ attention: layer.attention, heads });
    }
    return {
      model: trace.model,
      tokens,
      settings,
      patterns: run.layers.map((layer) => layer['attn.pattern'].data),
      contributions,
    };
  });
  const headOutputsOf = new Map<number, () => Promise<Float32Array>>();
  const headOutput = (l: number) => {
    let get = headOutputsOf.get(l);
    if (!get) {
      get = memo(async () => (await headOutputs(model, l, (await forward()).layers[l]!)).data);
      headOutputsOf.set(l, get);
    }
    return get(); // [T, H, d_model]
  };

  /** Promoted and suppressed tokens of updates [n, d_model], one answer per row. */
  const project = (updates: Float32Array) =>
    promotedTokens(model, { dtype: 'float32', dims: [updates.length / d, d], data: updates }, K);
  const topNeuronsOf = async (layer: number, pos: number) => {
    const run = await forward();
    const [node] = await ffnNeurons(model, layer, run.layers[layer]!, [pos], {
      distance,
      eps,
      k: N,
    });
    const at = node!.neurons.map(({ neuron }) => ({ pos, neuron }));
    const updates = await neuronUpdates(model, layer, run.layers[layer]!, at); // [N, d_model]
    return { node: node!, updates };
  };

  const neurons = async (layer: number, pos: number): Promise<FfnNeurons> => {
    checkIndex('layer', layer, L);
    checkIndex('pos', pos, T);
    const { node, updates } = await topNeuronsOf(layer, pos);
    const tokensOf = await project(updates);
    return {
      layer,
      pos,
      residual: node.residual,
      neurons: node.neurons.map((n, i) => ({ index: n.neuron, share: n.share, ...tokensOf[i]! })),
    };
  };

  const lens = async (node: GraphNode): Promise<LensTokens> => {
    const { kind } = node;
    if (kind !== 'embed' && kind !== 'resid_mid' && kind !== 'resid_post')
      badParam('the lens reads embed, resid_mid or resid_post nodes');
    if (kind === 'resid_mid' && trace.model.blocks === 'parallel')
      badParam('a parallel block has no resid_mid: its attention writes into resid_post');
    const layer = kind === 'embed' ? -1 : checkIndex('layer', node.layer, L);
    const pos = checkIndex('pos', node.pos, T);
    const at: ResidualNode = { kind, layer, pos };
    const [row] = await logitLens(model, await forward(), [at], {
      k: K,
      normalize: settings.lensNormalize,
    });
    return {
      node: at,
      tokens: row!.map(({ id, text, logit, prob, previousRank }) => ({
        id,
        text,
        logit,
        prob,
        previousRank,
      })),
    };
  };

  const update = async (ref: UpdateRef): Promise<UpdateTokens> => {
    const { block } = ref;
    const layer = checkIndex('layer', ref.layer, L);
    const pos = checkIndex('pos', ref.pos, T);
    switch (block) {
      case 'attn':
      case 'mlp': {
        const hook = block === 'attn' ? 'attn_out' : 'mlp_out';
        const row = (await forward()).layers[layer]![hook].data.slice(pos * d, (pos + 1) * d);
        return { block, layer, pos, ...(await project(row))[0]! };
      }
      case 'head': {
        const head = checkIndex('part', ref.part ?? -1, H);
        const from = (pos * H + head) * d;
        const row = (await headOutput(layer)).slice(from, from + d);
        return { block, layer, pos, head, ...(await project(row))[0]! };
      }
      case 'neuron': {
        const rank = checkIndex('part', ref.part ?? -1, N);
        const { node, updates } = await topNeuronsOf(layer, pos);
        const neuron = node.neurons[rank]!.neuron;
        const row = updates.slice(rank * d, (rank + 1) * d);
        return { block, layer, pos, neuron, ...(await project(row))[0]! };
      }
      default:
        return badParam(`block must be one of attn, mlp, head, neuron, got ${String(block)}`);
    }
  };

  return {
    trace,
    async edgeHeads(edge, signal) {
      signal?.throwIfAborted();
      return edgeHeads(await headTables(), edge);
    },
    async headOverview(pos, signal) {
      signal?.throwIfAborted();
      checkIndex('pos', pos, T);
      return headOverview(await headTables(), pos);
    },
    async headMap(layer, head, signal) {
      signal?.throwIfAborted();
      checkIndex('layer', layer, L);
      checkIndex('head', head, H);
      return headMap(await headTables(), layer, head);
    },
    async neurons(layer, pos, signal) {
      signal?.throwIfAborted();
      return neurons(layer, pos);
    },
    async lens(node, signal) {
      signal?.throwIfAborted();
      return lens(node);
    },
    async update(ref, signal) {
      signal?.throwIfAborted();
      return update(ref);
    },
  };
}

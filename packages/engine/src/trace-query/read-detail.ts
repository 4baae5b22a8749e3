import { lensRow } from '../schema/lens.js';
import { edgeAt } from '../schema/routes.js';
import type { TopTokens } from '../schema/tables.js';
import type { TraceFull } from '../schema/trace.js';
import type { GraphNode } from '../schema/graph.js';
import type {
  EdgeHeads,
  FfnNeurons,
  HeadMap,
  HeadOverview,
  LensTokens,
  RankedToken,
  UpdateRef,
  UpdateTokens,
} from './detail-types.js';
import { badParam as bad, checkIndex as index } from './check-param.js';
import { TraceQueryError } from './query-error.js';

// Each function answers one detail question (DESIGN §2.4) from a full trace's
// tables; a server answers the same questions with the same shapes.

/**
 * What the head queries read: the attention patterns and every layer's
 * per-head shares. A full trace has them; an engine computes them on demand.
 */
export type HeadTables = Pick<TraceFull, 'model' | 'tokens' | 'settings' | 'patterns'> & {
  readonly contributions: readonly {
    readonly attention: Float32Array;
    readonly heads: Float32Array;
  }[];
};

function dims(trace: Pick<TraceFull, 'model' | 'tokens' | 'settings'>) {
  return {
    T: trace.tokens.length,
    L: trace.model.nLayers,
    H: trace.model.nHeads,
    K: trace.settings.topK,
    N: trace.settings.topNeurons,
  };
}

function ranked(trace: TraceFull, table: TopTokens, row: number): RankedToken[] {
  const K = trace.settings.topK;
  return Array.from({ length: K }, (_, k) => {
    const id = table.ids[row * K + k]!;
    return { id, text: trace.tokenTexts.get(id) ?? '', logit: table.logits[row * K + k]! };
  });
}

/**
 * The per-head shares of an attention edge.
 *
 * @param edge - canonical edge index (`edgeIndex` in `@lmtt/engine/schema`)
 * @throws TraceQueryError `BAD_PARAM` for an index outside the graph,
 *   `NOT_ATTENTION_EDGE` for a residual or FFN edge.
 */
export function edgeHeads(trace: HeadTables, edge: number): EdgeHeads {
  const { T, L, H } = dims(trace);
  const ref = edgeAt(index('edge', edge, 2 ** 31), T);
  if (ref.to.layer >= L) bad(`edge ${edge} is beyond the last layer`);
  if (ref.kind !== 'attention')
    throw new TraceQueryError(
      'NOT_ATTENTION_EDGE',
      `edge ${edge} is a ${ref.kind} edge: it has no heads`,
    );
  const { pos: t } = ref.to;
  const { pos: s } = ref.from;
  const layer = trace.contributions[ref.to.layer]!;
  const base = (t * T + s) * H;
  return {
    edge,
    layer: ref.to.layer,
    pos: t,
    keyPos: s,
    attention: layer.attention[t * T + s]!,
    heads: Array.from(layer.heads.subarray(base, base + H)),
  };
}

/**
 * Every head's share of `resid_mid[l][pos]`, summed over key positions: where
 * attention importance sits for one position, layers by heads.
 *
 * @throws TraceQueryError `BAD_PARAM` when pos is not a position.
 */
export function headOverview(trace: HeadTables, pos: number): HeadOverview {
  const { T, H } = dims(trace);
  index('pos', pos, T);
  const shares = trace.contributions.map(({ heads }) => {
    const row = new Float64Array(H); // [H]
    for (let s = 0; s <= pos; s++)
      for (let h = 0; h < H; h++) row[h]! += heads[(pos * T + s) * H + h]!;
    return Array.from(row);
  });
  return { pos, shares };
}

/**
 * One head's attention map and its contribution map, rows by query position.
 *
 * @throws TraceQueryError `BAD_PARAM` for a layer or head out of range.
 */
export function headMap(trace: HeadTables, layer: number, head: number): HeadMap {
  const { T, L, H } = dims(trace);
  index('layer', layer, L);
  index('head', head, H);
  const pattern = trace.patterns[layer]!; // [H, T, T]
  const shares = trace.contributions[layer]!.heads; // [T, T, H]
  const rows = (at: (t: number, s: number) => number) =>
    Array.from({ length: T }, (_, t) => Array.from({ length: T }, (_, s) => at(t, s)));
  return {
    layer,
    head,
    pattern: rows((t, s) => pattern[(head * T + t) * T + s]!),
    shares: rows((t, s) => shares[(t * T + s) * H + head]!),
  };
}

/**
 * The top contributing neurons of FFN node `mlp[layer][pos]`, each with the
 * tokens its output promotes and suppresses.
 *
 * @throws TraceQueryError `BAD_PARAM` for a layer or position out of range.
 */
export function ffnNeurons(trace: TraceFull, layer: number, pos: number): FfnNeurons {
  const { T, L, N } = dims(trace);
  index('layer', layer, L);
  index('pos', pos, T);
  const row = layer * T + pos;
  return {
    layer,
    pos,
    residual: trace.neurons.residual[row]!,
    neurons: Array.from({ length: N }, (_, n) => ({
      index: trace.neurons.indices[row * N + n]!,
      share: trace.neurons.shares[row * N + n]!,
      promoted: ranked(trace, trace.promoted.neurons, row * N + n),
      suppressed: ranked(trace, trace.suppressed.neurons, row * N + n),
    })),
  };
}

/**
 * The logit lens of a residual node (`embed`, `resid_mid` or `resid_post`).
 *
 * @throws TraceQueryError `BAD_PARAM` for an `mlp` node, one outside the
 *   graph, or a `resid_mid` of a parallel block, which has none.
 */
export function lensTokens(trace: TraceFull, node: GraphNode): LensTokens {
  const { T, L, K } = dims(trace);
  const { kind } = node;
  if (kind !== 'embed' && kind !== 'resid_mid' && kind !== 'resid_post')
    bad('the lens reads embed, resid_mid or resid_post nodes');
  if (kind === 'resid_mid' && trace.model.blocks === 'parallel')
    bad('a parallel block has no resid_mid: its attention writes into resid_post');
  const layer = kind === 'embed' ? -1 : index('layer', node.layer, L);
  const pos = index('pos', node.pos, T);
  const row = (lensRow({ kind, layer }) * T + pos) * K;
  return {
    node: { kind, layer, pos },
    tokens: Array.from({ length: K }, (_, k) => {
      const id = trace.lens.ids[row + k]!;
      return {
        id,
        text: trace.tokenTexts.get(id) ?? '',
        logit: trace.lens.logits[row + k]!,
        prob: trace.lens.probs[row + k]!,
        previousRank: trace.lens.previousRank[row + k]!,
      };
    }),
  };
}

/**
 * The promoted and suppressed tokens of an update: a block, one head, or one
 * of the node's top neurons.
 *
 * @throws TraceQueryError `BAD_PARAM` for an unknown block or an index out of range.
 */
export function updateTokens(trace: TraceFull, update: UpdateRef): UpdateTokens {
  const { T, L, H, N } = dims(trace);
  const { block } = update;
  const layer = index('layer', update.layer, L);
  const pos = index('pos', update.pos, T);
  const at = layer * T + pos;
  const table = (name: keyof TraceFull['promoted'], row: number) => ({
    promoted: ranked(trace, trace.promoted[name], row),
    suppressed: ranked(trace, trace.suppressed[name], row),
  });
  switch (block) {
    case 'attn':
      return { block, layer, pos, ...table('attnOut', at) };
    case 'mlp':
      return { block, layer, pos, ...table('mlpOut', at) };
    case 'head': {
      const head = index('part', update.part ?? -1, H);
      return { block, layer, pos, head, ...table('heads', at * H + head) };
    }
    case 'neuron': {
      const rank = index('part', update.part ?? -1, N);
      const neuron = trace.neurons.indices[at * N + rank]!;
      return { block, layer, pos, neuron, ...table('neurons', at * N + rank) };
    }
    default:
      return bad(`block must be one of attn, mlp, head, neuron, got ${String(block)}`);
  }
}

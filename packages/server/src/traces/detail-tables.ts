import { edgeAt, lensRow } from '@lmtt/engine/schema';
import type { TopTokens, TraceFull } from '@lmtt/engine/schema';
import { ApiError } from '../errors/api-error.js';

/** A token of a ranked table, with its text. */
export interface RankedToken {
  readonly id: number;
  readonly text: string;
  readonly logit: number;
}

/** The blocks whose updates have promoted and suppressed tokens. */
export type UpdateBlock = 'attn' | 'mlp' | 'head' | 'neuron';

function bad(message: string): never {
  throw new ApiError(400, 'BAD_PARAM', message);
}

/**
 * An integer parameter in `[0, below)`.
 *
 * @throws ApiError 400 `BAD_PARAM`.
 */
export function indexParam(name: string, value: string | undefined, below: number): number {
  if (value === undefined || !/^\d{1,9}$/.test(value))
    bad(`${name} must be a non-negative integer`);
  const index = Number(value);
  if (index >= below) bad(`${name} must be below ${below}, got ${index}`);
  return index;
}

function ranked(trace: TraceFull, table: TopTokens, row: number, k: number): RankedToken[] {
  return Array.from({ length: k }, (_, i) => {
    const id = table.ids[row * k + i]!;
    return { id, text: trace.tokenTexts.get(id) ?? '', logit: table.logits[row * k + i]! };
  });
}

function dims(trace: TraceFull) {
  return {
    T: trace.tokens.length,
    L: trace.model.nLayers,
    H: trace.model.nHeads,
    K: trace.settings.topK,
    N: trace.settings.topNeurons,
  };
}

/** The per-head shares of an attention edge (by canonical index). */
export function edgeHeads(trace: TraceFull, edge: number) {
  const { T, L, H } = dims(trace);
  const ref = edgeAt(edge, T);
  if (ref.to.layer >= L) bad(`edge ${edge} is beyond the last layer`);
  if (ref.kind !== 'attention')
    throw new ApiError(
      400,
      'NOT_ATTENTION_EDGE',
      `edge ${edge} is a ${ref.kind} edge: it has no heads`,
    );
  const t = ref.to.pos;
  const s = ref.from.pos;
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

/** One head's attention map [pos][key_pos] and its shares of every attention edge. */
export function headMap(trace: TraceFull, layer: number, head: number) {
  const { T, H } = dims(trace);
  const pattern = trace.patterns[layer]!;
  const shares = trace.contributions[layer]!.heads;
  const rows = (f: (t: number, s: number) => number) =>
    Array.from({ length: T }, (_, t) => Array.from({ length: T }, (_, s) => f(t, s)));
  return {
    layer,
    head,
    pattern: rows((t, s) => pattern[(head * T + t) * T + s]!),
    shares: rows((t, s) => shares[(t * T + s) * H + head]!),
  };
}

/** The top neurons of FFN node (layer, pos), each with its promoted and suppressed tokens. */
export function ffnNeurons(trace: TraceFull, layer: number, pos: number) {
  const { T, N, K } = dims(trace);
  const row = layer * T + pos;
  return {
    layer,
    pos,
    residual: trace.neurons.residual[row]!,
    neurons: Array.from({ length: N }, (_, n) => ({
      index: trace.neurons.indices[row * N + n]!,
      share: trace.neurons.shares[row * N + n]!,
      promoted: ranked(trace, trace.promoted.neurons, row * N + n, K),
      suppressed: ranked(trace, trace.suppressed.neurons, row * N + n, K),
    })),
  };
}

/** The logit lens of a residual node (`embed`, `resid_mid`, `resid_post`). */
export function lensOf(trace: TraceFull, kind: string, layer: number, pos: number) {
  const { T, L, K } = dims(trace);
  if (kind !== 'embed' && kind !== 'resid_mid' && kind !== 'resid_post')
    bad('kind must be embed, resid_mid or resid_post');
  if (kind !== 'embed' && layer >= L) bad(`layer must be below ${L}`);
  const row = (lensRow({ kind, layer: kind === 'embed' ? -1 : layer }) * T + pos) * K;
  return {
    node: { kind, layer: kind === 'embed' ? -1 : layer, pos },
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

/** The promoted and suppressed tokens of an update: a block, one head, or the n-th top neuron. */
export function updateTokens(
  trace: TraceFull,
  block: UpdateBlock,
  layer: number,
  pos: number,
  part: number,
) {
  const { T, H, N, K } = dims(trace);
  const at = layer * T + pos;
  const [table, row] =
    block === 'attn'
      ? (['attnOut', at] as const)
      : block === 'mlp'
        ? (['mlpOut', at] as const)
        : block === 'head'
          ? (['heads', at * H + part] as const)
          : (['neurons', at * N + part] as const);
  return {
    block,
    layer,
    pos,
    ...(block === 'head' ? { head: part } : {}),
    ...(block === 'neuron' ? { neuron: trace.neurons.indices[at * N + part]! } : {}),
    promoted: ranked(trace, trace.promoted[table], row, K),
    suppressed: ranked(trace, trace.suppressed[table], row, K),
  };
}

import type { Tensor } from '../backend/tensor.js';
import { buildLensGraph } from '../graphs/vocab-projection-graph.js';
import type { ForwardResult } from '../model/forward.js';
import type { Model } from '../model/model.js';
import type { GraphNode } from '../schema/index.js';
import { output, tokenRow } from './token-scores.js';
import type { TokenScore } from './token-scores.js';

/** A residual node the lens can read: the embedding or a state after attention or FFN. */
export type ResidualNode = GraphNode & { readonly kind: 'embed' | 'resid_mid' | 'resid_post' };

/** One top token of the lens, with where it stood one state earlier. */
export interface LensToken extends TokenScore {
  readonly prob: number;
  /** 0-based rank in this state's projection. */
  readonly rank: number;
  /** 0-based rank in the previous residual state's projection; -1 for the embedding, which has none. */
  readonly previousRank: number;
}

/** Options of {@link logitLens}. */
export interface LensOptions {
  /** Apply the final norm before the unembedding (default true). */
  readonly normalize?: boolean;
  readonly k?: number;
}

function stateOf(forward: ForwardResult, node: ResidualNode): Float32Array {
  const layer = forward.layers[node.layer];
  const state =
    node.kind === 'embed'
      ? forward.layers[0]!.resid_pre
      : node.kind === 'resid_mid'
        ? layer?.resid_mid
        : layer?.resid_post;
  if (!state) {
    const why = layer && node.kind === 'resid_mid' ? ' (a parallel block has none)' : '';
    throw new RangeError(`no residual state ${node.kind} at layer ${node.layer}${why}`);
  }
  const d = state.dims[1]!;
  if (node.pos < 0 || node.pos >= state.dims[0]!)
    throw new RangeError(`position ${node.pos} is outside the prompt`);
  return state.data.subarray(node.pos * d, (node.pos + 1) * d);
}

/**
 * The residual state before `node`: resid_mid follows resid_pre, resid_post
 * follows resid_mid, or resid_pre in a parallel block, which has no resid_mid.
 */
function previousOf(forward: ForwardResult, node: ResidualNode): ResidualNode {
  if (node.kind === 'embed') return node;
  if (node.kind === 'resid_post' && forward.layers[node.layer]?.resid_mid) {
    return { ...node, kind: 'resid_mid' };
  }
  return node.layer === 0
    ? { kind: 'embed', layer: -1, pos: node.pos }
    : { ...node, kind: 'resid_post', layer: node.layer - 1 };
}

/**
 * The logit lens of residual nodes (DESIGN §2.4): each state projected onto
 * the vocabulary, top tokens with probabilities and their rank one state
 * earlier.
 */
export async function logitLens(
  model: Model,
  forward: ForwardResult,
  nodes: readonly ResidualNode[],
  options: LensOptions = {},
): Promise<LensToken[][]> {
  const k = options.k ?? 10;
  const normalize = options.normalize ?? true;
  const d = model.spec.dModel;
  const N = nodes.length;
  const resid = new Float32Array(N * d); // [N, d_model]
  const previous = new Float32Array(N * d); // [N, d_model]
  nodes.forEach((node, n) => {
    resid.set(stateOf(forward, node), n * d);
    previous.set(stateOf(forward, previousOf(forward, node)), n * d);
  });
  const session = await model.session(`lens:${k}:${normalize}`, (checkpoint) =>
    buildLensGraph(model.spec, checkpoint, model.info.dtype, k, normalize),
  );
  // The rank comparison is [rows, k, d_vocab]: keep each run near 64 MiB.
  const rowsPerRun = Math.max(1, Math.floor((64 * 2 ** 20) / (k * model.spec.dVocab * 5)));
  const ids = new BigInt64Array(N * k);
  const logits = new Float32Array(N * k);
  const probs = new Float32Array(N * k);
  const ranks = new BigInt64Array(N * k);
  for (let n0 = 0; n0 < N; n0 += rowsPerRun) {
    const rows = Math.min(rowsPerRun, N - n0);
    const feeds: Record<string, Tensor> = {
      resid: { dtype: 'float32', dims: [rows, d], data: resid.slice(n0 * d, (n0 + rows) * d) },
      previous: {
        dtype: 'float32',
        dims: [rows, d],
        data: previous.slice(n0 * d, (n0 + rows) * d),
      },
    };
    const out = await session.run(feeds);
    ids.set(output(out, 'top_ids') as BigInt64Array, n0 * k);
    logits.set(output(out, 'top_logits') as Float32Array, n0 * k);
    probs.set(output(out, 'top_probs') as Float32Array, n0 * k);
    ranks.set(output(out, 'previous_ranks') as BigInt64Array, n0 * k);
  }
  return nodes.map((node, n) =>
    tokenRow(model, ids, logits, k, n).map((token, i) => ({
      ...token,
      prob: probs[n * k + i]!,
      rank: i,
      previousRank: node.kind === 'embed' ? -1 : Number(ranks[n * k + i]!),
    })),
  );
}

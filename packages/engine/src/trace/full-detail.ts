import { headOutputs } from '../detail/heads.js';
import { logitLens } from '../detail/lens.js';
import type { ResidualNode } from '../detail/lens.js';
import { ffnNeurons, neuronUpdates } from '../detail/neurons.js';
import { promotedTables } from '../detail/promoted.js';
import type { PromotedTables } from '../detail/promoted.js';
import { LmttError } from '../errors.js';
import type { ForwardResult } from '../model/forward.js';
import type { Model } from '../model/model.js';
import { lensNode, lensRowCount } from '../schema/index.js';
import type {
  TopTokens,
  TraceFull,
  TraceLens,
  TraceNeurons,
  TraceSummary,
} from '../schema/index.js';

interface DetailOptions {
  readonly eps: number;
  readonly signal?: AbortSignal;
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted)
    throw new LmttError('ABORTED', 'the trace was cancelled', { cause: signal.reason });
}

/** Rows `rows` [N, d] of a [T, d] tensor stacked layer after layer: [L * T, d]. */
function stack(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function split(tables: PromotedTables): [TopTokens, TopTokens] {
  return [
    { ids: tables.promotedIds, logits: tables.promotedLogits },
    { ids: tables.suppressedIds, logits: tables.suppressedLogits },
  ];
}

async function lensTable(
  model: Model,
  forward: ForwardResult,
  summary: TraceSummary,
  texts: Map<number, string>,
): Promise<TraceLens> {
  const { topK: K, lensNormalize } = summary.settings;
  const T = summary.tokens.length;
  const R = lensRowCount(model.spec.nLayers);
  const lens: TraceLens = {
    ids: new Int32Array(R * T * K),
    logits: new Float32Array(R * T * K),
    probs: new Float32Array(R * T * K),
    previousRank: new Int32Array(R * T * K),
  };
  for (let r = 0; r < R; r++) {
    const nodes = Array.from({ length: T }, (_, pos) => lensNode(r, pos) as ResidualNode);
    if (nodes[0]!.kind === 'resid_mid' && !forward.layers[nodes[0]!.layer]!.resid_mid) {
      // A parallel block has no resid_mid: its row holds no state (schema `TraceLens`).
      lens.ids.fill(-1, r * T * K, (r + 1) * T * K);
      lens.previousRank.fill(-1, r * T * K, (r + 1) * T * K);
      continue;
    }
    const rows = await logitLens(model, forward, nodes, { k: K, normalize: lensNormalize });
    rows.forEach((row, pos) =>
      row.forEach((token, k) => {
        const i = (r * T + pos) * K + k;
        lens.ids[i] = token.id;
        lens.logits[i] = token.logit;
        lens.probs[i] = token.prob;
        lens.previousRank[i] = token.previousRank;
        texts.set(token.id, token.text);
      }),
    );
  }
  return lens;
}

/**
 * Everything a static page needs beyond the summary (DESIGN §2.4, schema
 * `TraceFull`): attention maps, head contributions, the lens of every
 * residual node, promoted and suppressed tokens of every block, head and top
 * neuron update, and the top neurons of every FFN node.
 */
export async function fullDetail(
  model: Model,
  forward: ForwardResult,
  summary: TraceSummary,
  options: DetailOptions,
): Promise<TraceFull> {
  const { spec } = model;
  const { nLayers: L, nHeads: H, dModel: d } = spec;
  const { topK: K, topNeurons: N, distance } = summary.settings;
  const T = summary.tokens.length;
  const texts = new Map(summary.tokenTexts);
  const lens = await lensTable(model, forward, summary, texts);
  checkAborted(options.signal);

  const blocks = (hook: 'attn_out' | 'mlp_out') =>
    promotedTables(
      model,
      {
        dtype: 'float32',
        dims: [L * T, d],
        data: stack(forward.layers.map((layer) => layer[hook].data)),
      },
      K,
    );
  const [attnUp, attnDown] = split(await blocks('attn_out'));
  const [mlpUp, mlpDown] = split(await blocks('mlp_out'));

  const heads: Float32Array[] = [];
  for (const [l, layer] of forward.layers.entries()) {
    checkAborted(options.signal);
    heads.push((await headOutputs(model, l, layer)).data); // [T, H, d]
  }
  const [headUp, headDown] = split(
    await promotedTables(model, { dtype: 'float32', dims: [L * T * H, d], data: stack(heads) }, K),
  );

  const neurons: TraceNeurons = {
    indices: new Int32Array(L * T * N),
    shares: new Float32Array(L * T * N),
    residual: new Float32Array(L * T),
  };
  const updates = new Float32Array(L * T * N * d); // [L, T, N, d]
  const positions = Array.from({ length: T }, (_, t) => t);
  for (const [l, layer] of forward.layers.entries()) {
    checkAborted(options.signal);
    const nodes = await ffnNeurons(model, l, layer, positions, {
      distance,
      eps: options.eps,
      k: N,
    });
    const at = nodes.flatMap((node, pos) => node.neurons.map(({ neuron }) => ({ pos, neuron })));
    const layerUpdates = await neuronUpdates(model, l, layer, at); // [T N, d]
    let i = 0;
    nodes.forEach((node, t) => {
      neurons.residual[l * T + t] = node.residual;
      node.neurons.forEach((share, n) => {
        const row = (l * T + t) * N + n;
        neurons.indices[row] = share.neuron;
        neurons.shares[row] = share.share;
        updates.set(layerUpdates.subarray(i * d, (i + 1) * d), row * d);
        i++;
      });
    });
  }
  const [neuronUp, neuronDown] = split(
    await promotedTables(model, { dtype: 'float32', dims: [L * T * N, d], data: updates }, K),
  );

  const promoted = { attnOut: attnUp, mlpOut: mlpUp, heads: headUp, neurons: neuronUp };
  const suppressed = { attnOut: attnDown, mlpOut: mlpDown, heads: headDown, neurons: neuronDown };
  for (const table of [...Object.values(promoted), ...Object.values(suppressed)]) {
    const missing = [...new Set(table.ids)].filter((id) => !texts.has(id));
    model.display(missing).forEach((token) => texts.set(token.id, token.text));
  }
  return {
    ...summary,
    kind: 'full',
    tokenTexts: texts,
    contributions: summary.contributions.map((c) => {
      if (!c.heads) throw new LmttError('INTERNAL', `layer ${c.layer} contributions lack heads`);
      return { ...c, heads: c.heads };
    }),
    patterns: forward.layers.map((layer) => layer['attn.pattern'].data),
    lens,
    promoted,
    suppressed,
    neurons,
  };
}

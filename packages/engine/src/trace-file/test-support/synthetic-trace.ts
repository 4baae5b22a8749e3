import { lensRowCount } from '../../schema/lens.js';
import type { TraceModelInfo } from '../../schema/model-info.js';
import { edgeIndex } from '../../schema/routes.js';
import type { EdgeRef, TraceRoutes } from '../../schema/routes.js';
import { DEFAULT_TRACE_SETTINGS } from '../../schema/settings.js';
import type { TopTokens, UpdateProjections } from '../../schema/tables.js';
import type { TraceFull, TraceSummary } from '../../schema/trace.js';
import type { GraphNode } from '../../schema/graph.js';

/** Sizes of a synthetic trace. */
export interface SyntheticOptions {
  readonly nLayers?: number;
  readonly nHeads?: number;
  readonly nTokens?: number;
  readonly dVocab?: number;
  readonly dMlp?: number;
  readonly topK?: number;
  readonly topNeurons?: number;
  readonly seed?: number;
  /**
   * How token ids are drawn: `uniform` over the vocabulary (every table's
   * ids nearly all distinct: the largest token-text dictionary, the worst
   * case for size) or `zipf`, log-uniform like word frequencies (ids repeat
   * across tables, as in real traces). Default `uniform`.
   */
  readonly ids?: 'uniform' | 'zipf';
}

/** mulberry32: a small seeded generator of floats in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET =
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789  .,;:!?\'"\\\n\téü中→';

/**
 * A valid full trace of random values with realistic sizes and ranges:
 * shares normalised per node, causal maps, ranked tables, routes computed
 * from the contributions, token texts for every id. Uniformly random ids make
 * the token-text dictionary as large as it gets, so sizes are a worst case.
 */
export function syntheticTrace(options: SyntheticOptions = {}): TraceFull {
  const L = options.nLayers ?? 12;
  const H = options.nHeads ?? 12;
  const T = options.nTokens ?? 32;
  const dVocab = options.dVocab ?? 50257;
  const dMlp = options.dMlp ?? 3072;
  const K = options.topK ?? 10;
  const N = options.topNeurons ?? 10;
  const rand = random(options.seed ?? 1);
  const settings = { ...DEFAULT_TRACE_SETTINGS, topK: K, topNeurons: N };
  const model: TraceModelInfo = {
    id: 'synthetic/gpt2-like',
    family: 'gpt2',
    nLayers: L,
    nHeads: H,
    nKvHeads: H,
    dModel: 768,
    dMlp,
    dVocab,
    nCtx: 1024,
    device: 'cpu',
    dtype: 'fp32',
  };

  const tokenTexts = new Map<number, string>();
  const zipf = options.ids === 'zipf';
  const token = (): number => {
    const id = zipf
      ? Math.floor(Math.exp(rand() * Math.log(dVocab))) - 1
      : Math.floor(rand() * dVocab);
    if (!tokenTexts.has(id)) {
      const length = 1 + Math.floor(rand() * 12);
      let text = '';
      for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(rand() * ALPHABET.length)];
      tokenTexts.set(id, text);
    }
    return id;
  };
  /** `count` rows of `k` distinct token ids. */
  const idRows = (count: number, k: number): Int32Array => {
    const ids = new Int32Array(count * k);
    for (let row = 0; row < count; row++) {
      const seen = new Set<number>();
      for (let j = 0; j < k; j++) {
        let id = token();
        while (seen.has(id)) id = token();
        seen.add(id);
        ids[row * k + j] = id;
      }
    }
    return ids;
  };
  /** `count` rows of `k` values in [lo, hi), sorted within each row. */
  const sortedRows = (count: number, k: number, lo: number, hi: number, ascending: boolean) => {
    const values = new Float32Array(count * k);
    for (let row = 0; row < count; row++) {
      const part = Array.from({ length: k }, () => lo + rand() * (hi - lo));
      part.sort((a, b) => (ascending ? a - b : b - a));
      values.set(part, row * k);
    }
    return values;
  };
  /** `count` rows of the top `k` of `k + 1` normalised random weights, largest first. */
  const probabilityRows = (count: number, k: number): Float32Array => {
    const values = new Float32Array(count * k);
    for (let row = 0; row < count; row++) {
      const weights = Array.from({ length: k + 1 }, () => Math.exp(4 * rand()));
      const total = weights.reduce((a, b) => a + b, 0);
      weights.sort((a, b) => b - a);
      for (let j = 0; j < k; j++) values[row * k + j] = weights[j]! / total;
    }
    return values;
  };

  const tokens = Array.from({ length: T }, () => token()).map((id) => ({
    id,
    text: tokenTexts.get(id)!,
  }));

  const contributions = Array.from({ length: L }, (_, layer) => {
    const heads = new Float32Array(T * T * H); // [T, T, H]
    const attention = new Float32Array(T * T); // [T, T]
    const attentionResidual = new Float32Array(T); // [T]
    const ffn = new Float32Array(T); // [T]
    const ffnResidual = new Float32Array(T); // [T]
    for (let t = 0; t < T; t++) {
      // Skewed weights, so a few parts per node stand above the threshold.
      const parts = Array.from({ length: (t + 1) * H }, () => rand() ** 6);
      const residual = 0.5 + rand();
      const total = parts.reduce((a, b) => a + b, residual);
      for (let s = 0; s <= t; s++) {
        let sum = 0;
        for (let h = 0; h < H; h++) {
          const share = parts[s * H + h]! / total;
          heads[(t * T + s) * H + h] = share;
          sum += share;
        }
        attention[t * T + s] = sum;
      }
      attentionResidual[t] = residual / total;
      ffn[t] = rand();
      ffnResidual[t] = 1 - ffn[t]!;
    }
    return { layer, attention, attentionResidual, ffn, ffnResidual, heads };
  });

  const patterns = Array.from({ length: L }, () => {
    const pattern = new Float32Array(H * T * T); // [H, T, T]
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const row = Array.from({ length: t + 1 }, () => Math.exp(3 * rand()));
        const total = row.reduce((a, b) => a + b, 0);
        row.forEach((w, s) => (pattern[(h * T + t) * T + s] = w / total));
      }
    }
    return pattern;
  });

  const R = lensRowCount(L);
  const previousRank = new Int32Array(R * T * K); // [R, T, K]
  for (let i = 0; i < previousRank.length; i++) {
    previousRank[i] = i < T * K ? -1 : Math.floor(rand() ** 4 * dVocab);
  }
  const lens = {
    ids: idRows(R * T, K),
    logits: sortedRows(R * T, K, -5, 40, false),
    probs: probabilityRows(R * T, K),
    previousRank,
  };

  const table = (count: number, ascending: boolean): TopTokens => ({
    ids: idRows(count, K),
    logits: ascending ? sortedRows(count, K, -12, 0, true) : sortedRows(count, K, 0, 12, false),
  });
  const updates = (ascending: boolean): UpdateProjections => ({
    attnOut: table(L * T, ascending),
    mlpOut: table(L * T, ascending),
    heads: table(L * T * H, ascending),
    neurons: table(L * T * N, ascending),
  });

  const indices = new Int32Array(L * T * N); // [L, T, N]
  const shares = new Float32Array(L * T * N); // [L, T, N]
  const residual = new Float32Array(L * T); // [L, T]
  for (let node = 0; node < L * T; node++) {
    const chosen = new Set<number>();
    while (chosen.size < N) chosen.add(Math.floor(rand() * dMlp));
    indices.set([...chosen], node * N);
    const weights = Array.from({ length: N }, () => rand() ** 3).sort((a, b) => b - a);
    const rest = 1 + rand();
    const total = weights.reduce((a, b) => a + b, rest);
    weights.forEach((w, n) => (shares[node * N + n] = w / total));
    residual[node] = rest / total;
  }

  const predictions = { ids: idRows(T, K), probs: probabilityRows(T, K) };
  const promoted = updates(false);
  const suppressed = updates(true);
  return {
    version: 1,
    kind: 'full',
    id: `sha256:${Math.floor(rand() * 2 ** 48).toString(16)}`,
    createdAt: '2025-01-01T12:00:00.000Z',
    model,
    prompt: tokens.map((t) => t.text).join(''),
    tokens,
    tokenTexts,
    settings,
    predictions,
    contributions,
    routes: routesOf(contributions, L, T, settings.threshold),
    patterns,
    lens,
    promoted,
    suppressed,
    neurons: { indices, shares, residual },
  };
}

/**
 * Routes of every position: edges reachable backwards from
 * `resid_post[L-1][t]` through contributions above `threshold`.
 */
export function routesOf(
  contributions: TraceFull['contributions'],
  L: number,
  T: number,
  threshold: number,
): TraceRoutes {
  const all: number[][] = [];
  for (let target = 0; target < T; target++) {
    const edges: number[] = [];
    const add = (from: GraphNode, to: GraphNode, kind: EdgeRef['kind']) =>
      edges.push(edgeIndex({ from, to, kind }, T));
    let post = new Set([target]);
    for (let l = L - 1; l >= 0; l--) {
      const c = contributions[l]!;
      const input = (pos: number): GraphNode =>
        l === 0 ? { kind: 'embed', layer: -1, pos } : { kind: 'resid_post', layer: l - 1, pos };
      const mid = new Set<number>();
      for (const p of post) {
        const at = (kind: GraphNode['kind']): GraphNode => ({ kind, layer: l, pos: p });
        if (c.ffn[p]! > threshold) {
          add(at('resid_mid'), at('mlp'), 'ffn');
          add(at('mlp'), at('resid_post'), 'ffn');
          mid.add(p);
        }
        if (c.ffnResidual[p]! > threshold) {
          add(at('resid_mid'), at('resid_post'), 'residual');
          mid.add(p);
        }
      }
      post = new Set();
      for (const p of mid) {
        const to: GraphNode = { kind: 'resid_mid', layer: l, pos: p };
        for (let s = 0; s <= p; s++) {
          if (c.attention[p * T + s]! > threshold) {
            add(input(s), to, 'attention');
            post.add(s);
          }
        }
        if (c.attentionResidual[p]! > threshold) {
          add(input(p), to, 'residual');
          post.add(p);
        }
      }
    }
    all.push(edges.sort((a, b) => a - b));
  }
  const offsets = new Int32Array(T + 1); // [T + 1]
  all.forEach((edges, t) => (offsets[t + 1] = offsets[t]! + edges.length));
  return { offsets, edges: Int32Array.from(all.flat()) };
}

/** The summary of a full trace: no detail tables, no per-head contributions. */
export function summaryOf(trace: TraceFull): TraceSummary {
  const ids = new Set<number>([...trace.tokens.map((t) => t.id), ...trace.predictions.ids]);
  return {
    version: trace.version,
    kind: 'summary',
    id: trace.id,
    createdAt: trace.createdAt,
    model: trace.model,
    prompt: trace.prompt,
    tokens: trace.tokens,
    tokenTexts: new Map([...ids].map((id) => [id, trace.tokenTexts.get(id)!])),
    settings: trace.settings,
    predictions: trace.predictions,
    contributions: trace.contributions.map(({ heads: _h, ...layer }) => layer),
    routes: trace.routes,
  };
}

import { describe, expect, it } from 'vitest';
import { edgeIndex } from '../schema/routes.js';
import { syntheticTrace } from '../trace-file/test-support/synthetic-trace.js';
import {
  edgeHeads,
  ffnNeurons,
  headMap,
  headOverview,
  lensTokens,
  updateTokens,
} from './read-detail.js';
import { staticSource } from './static-source.js';
import { TraceQueryError } from './query-error.js';

const trace = syntheticTrace({ nLayers: 3, nHeads: 4, nTokens: 5, topK: 3, topNeurons: 2 });
const T = 5;
const H = 4;

function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof TraceQueryError ? error.code : 'other';
  }
  return undefined;
}

describe('detail queries over a full trace', () => {
  it('split an attention edge into heads that sum to its share', () => {
    const from = { kind: 'resid_post' as const, layer: 0, pos: 1 };
    const edge = edgeIndex(
      { from, to: { kind: 'resid_mid', layer: 1, pos: 3 }, kind: 'attention' },
      T,
    );
    const answer = edgeHeads(trace, edge);
    expect(answer).toMatchObject({ edge, layer: 1, pos: 3, keyPos: 1 });
    const layer = trace.contributions[1]!;
    expect(answer.heads).toEqual(
      Array.from(layer.heads.subarray((3 * T + 1) * H, (3 * T + 2) * H)),
    );
    const sum = answer.heads.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(answer.attention, 5);
  });

  it('refuse heads of a residual edge', () => {
    const mid = { kind: 'resid_mid' as const, layer: 0, pos: 2 };
    const post = { kind: 'resid_post' as const, layer: 0, pos: 2 };
    const edge = edgeIndex({ from: mid, to: post, kind: 'residual' }, T);
    expect(code(() => edgeHeads(trace, edge))).toBe('NOT_ATTENTION_EDGE');
    expect(code(() => edgeHeads(trace, -1))).toBe('BAD_PARAM');
    expect(code(() => edgeHeads(trace, 10 ** 6))).toBe('BAD_PARAM');
  });

  it('sum each head over key positions in the overview, which adds up with the residual to 1', () => {
    const { shares } = headOverview(trace, 4);
    expect(shares).toHaveLength(3);
    shares.forEach((row, l) => {
      const total = row.reduce((a, b) => a + b, 0) + trace.contributions[l]!.attentionResidual[4]!;
      expect(total).toBeCloseTo(1, 4);
    });
  });

  it('lay out a head map by query row and key column', () => {
    const map = headMap(trace, 2, 1);
    expect(map.pattern).toHaveLength(T);
    expect(map.pattern[2]![3]).toBe(0);
    expect(map.pattern[3]![1]).toBe(trace.patterns[2]![(1 * T + 3) * T + 1]);
    expect(map.shares[3]![1]).toBe(trace.contributions[2]!.heads[(3 * T + 1) * H + 1]);
    expect(code(() => headMap(trace, 3, 0))).toBe('BAD_PARAM');
    expect(code(() => headMap(trace, 0, 4))).toBe('BAD_PARAM');
  });

  it('list top neurons with their tokens, largest share first', () => {
    const answer = ffnNeurons(trace, 1, 2);
    expect(answer.neurons).toHaveLength(2);
    expect(answer.neurons[0]!.share).toBeGreaterThanOrEqual(answer.neurons[1]!.share);
    expect(answer.neurons[0]!.promoted).toHaveLength(3);
    expect(answer.neurons[0]!.promoted[0]!.text).toBe(
      trace.tokenTexts.get(answer.neurons[0]!.promoted[0]!.id),
    );
  });

  it('read the lens of residual nodes and refuse an FFN block', () => {
    const embed = lensTokens(trace, { kind: 'embed', layer: -1, pos: 0 });
    expect(embed.tokens.every((token) => token.previousRank === -1)).toBe(true);
    const post = lensTokens(trace, { kind: 'resid_post', layer: 2, pos: 4 });
    expect(post.tokens).toHaveLength(3);
    expect(post.node).toEqual({ kind: 'resid_post', layer: 2, pos: 4 });
    expect(code(() => lensTokens(trace, { kind: 'mlp', layer: 0, pos: 0 }))).toBe('BAD_PARAM');
    expect(code(() => lensTokens(trace, { kind: 'resid_mid', layer: 3, pos: 0 }))).toBe(
      'BAD_PARAM',
    );
  });

  it('project blocks, heads and neurons with promoted falling and suppressed rising', () => {
    for (const ref of [
      { block: 'attn', layer: 0, pos: 1 },
      { block: 'mlp', layer: 2, pos: 4 },
      { block: 'head', layer: 1, pos: 3, part: 2 },
      { block: 'neuron', layer: 1, pos: 3, part: 1 },
    ] as const) {
      const answer = updateTokens(trace, ref);
      const up = answer.promoted.map((token) => token.logit);
      const down = answer.suppressed.map((token) => token.logit);
      expect(up).toEqual([...up].sort((a, b) => b - a));
      expect(down).toEqual([...down].sort((a, b) => a - b));
    }
    const neuron = updateTokens(trace, { block: 'neuron', layer: 1, pos: 3, part: 1 });
    expect(neuron.neuron).toBe(trace.neurons.indices[(1 * T + 3) * 2 + 1]);
    expect(code(() => updateTokens(trace, { block: 'head', layer: 0, pos: 0 }))).toBe('BAD_PARAM');
  });
});

describe('staticSource', () => {
  it('answers from a full trace', async () => {
    const source = staticSource(trace);
    expect((await source.headMap(0, 0)).layer).toBe(0);
  });

  it('says a summary has no detail, and honours an aborted signal', async () => {
    const { patterns: _p, lens: _l, promoted: _pr, suppressed: _s, neurons: _n, ...rest } = trace;
    const summary = { ...rest, kind: 'summary' as const };
    await expect(staticSource(summary).neurons(0, 0)).rejects.toMatchObject({ code: 'NO_DETAIL' });
    await expect(
      staticSource(trace).lens({ kind: 'embed', layer: -1, pos: 0 }, AbortSignal.abort()),
    ).rejects.toThrow();
  });
});

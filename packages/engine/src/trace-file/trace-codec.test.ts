import { describe, expect, it } from 'vitest';
import type { TopTokens, UpdateProjections } from '../schema/tables.js';
import type { TraceFull } from '../schema/trace.js';
import { encodeFloat32 } from './array-json.js';
import type { TraceJson } from './file-schema.js';
import { roundToFloat16 } from './float16.js';
import { decodeTrace, encodeTrace } from './trace-codec.js';
import { summaryOf, syntheticTrace } from './test-support/synthetic-trace.js';

/** What a file keeps of `trace`: its float16 fields rounded, everything else as is. */
function asStored(trace: TraceFull): TraceFull {
  const table = (t: TopTokens): TopTokens => ({ ids: t.ids, logits: roundToFloat16(t.logits) });
  const updates = (u: UpdateProjections): UpdateProjections => ({
    attnOut: table(u.attnOut),
    mlpOut: table(u.mlpOut),
    heads: table(u.heads),
    neurons: table(u.neurons),
  });
  return {
    ...trace,
    contributions: trace.contributions.map((c) => ({ ...c, heads: roundToFloat16(c.heads) })),
    patterns: trace.patterns.map(roundToFloat16),
    lens: {
      ...trace.lens,
      logits: roundToFloat16(trace.lens.logits),
      probs: roundToFloat16(trace.lens.probs),
    },
    promoted: updates(trace.promoted),
    suppressed: updates(trace.suppressed),
  };
}

const MB = 1_000_000;

describe('trace files', () => {
  const full = syntheticTrace({ nLayers: 12, nHeads: 12, nTokens: 32, dVocab: 50257, topK: 10 });
  const text = encodeTrace(full);

  it('round-trips a full trace: exact fields exactly, float16 fields after rounding', () => {
    const decoded = decodeTrace(text);
    expect(decoded).toEqual(asStored(full));
    if (decoded.kind !== 'full') throw new Error('expected a full trace');
    // Exact fields, bit for bit.
    expect(decoded.contributions[3]!.attention).toEqual(full.contributions[3]!.attention);
    expect(decoded.predictions.probs).toEqual(full.predictions.probs);
    expect(decoded.neurons.shares).toEqual(full.neurons.shares);
    expect(decoded.routes).toEqual(full.routes);
    expect(decoded.tokenTexts).toEqual(full.tokenTexts);
    // The float16 fields really were rounded, so the check above is not vacuous.
    expect(decoded.lens.logits).not.toEqual(full.lens.logits);
    expect(decoded.patterns[0]).not.toEqual(full.patterns[0]);
  });

  it('keeps a 12-layer, 12-head full trace at T = 32 under 3 MB', () => {
    const bytes = new TextEncoder().encode(text).length;
    const zipf = encodeTrace(syntheticTrace({ ids: 'zipf' }));
    const zipfBytes = new TextEncoder().encode(zipf).length;
    const at = '12 layers x 12 heads, T = 32, K = 10, N = 10';
    console.log(`full trace, ${at}: ${(bytes / MB).toFixed(3)} MB with uniform ids (worst case)`);
    console.log(`full trace, ${at}: ${(zipfBytes / MB).toFixed(3)} MB with Zipf-like ids`);
    expect(bytes).toBeLessThan(3 * MB);
    expect(zipfBytes).toBeLessThan(bytes);
  });

  it('re-encodes a decoded trace to the same text', () => {
    expect(encodeTrace(decodeTrace(text))).toBe(text);
  });

  it('round-trips a summary exactly', () => {
    const summary = summaryOf(full);
    const summaryText = encodeTrace(summary);
    const bytes = new TextEncoder().encode(summaryText).length;
    console.log(
      `summary trace, 12 layers x 12 heads, T = 32, K = 10: ${(bytes / 1000).toFixed(1)} kB`,
    );
    expect(decodeTrace(summaryText)).toEqual(summary);
  });

  it('keeps heads in a summary that has them, as float16', () => {
    const summary = { ...summaryOf(full), contributions: full.contributions };
    const decoded = decodeTrace(encodeTrace(summary));
    expect(decoded.contributions[5]!.heads).toEqual(roundToFloat16(full.contributions[5]!.heads));
  });

  it('packs causal maps and reads a float field stored as float32 exactly', () => {
    const json = JSON.parse(text) as Extract<TraceJson, { kind: 'full' }>;
    expect(json.format).toBe('lmtt-trace');
    expect(json.patterns[0]!.causal).toBe(1);
    expect(json.contributions[0]!.heads.causal).toBe(0);
    json.lens.logits = encodeFloat32(full.lens.logits, json.lens.logits.shape, 'lens.logits');
    const decoded = decodeTrace(JSON.stringify(json));
    expect(decoded.kind === 'full' && decoded.lens.logits).toEqual(full.lens.logits);
  });

  it('stores a causal map with a nonzero entry above the diagonal whole, losslessly', () => {
    const small = syntheticTrace({
      nLayers: 2,
      nHeads: 2,
      nTokens: 4,
      dVocab: 100,
      dMlp: 16,
      topK: 3,
      topNeurons: 2,
    });
    // -0 is zero to the validator but not to a lossless file.
    small.patterns[1]![1] = -0;
    const json = JSON.parse(encodeTrace(small)) as Extract<TraceJson, { kind: 'full' }>;
    expect(json.patterns[1]!.causal).toBeUndefined();
    expect(json.patterns[0]!.causal).toBe(1);
    const decoded = decodeTrace(JSON.stringify(json));
    expect(decoded.kind === 'full' && Object.is(decoded.patterns[1]![1], -0)).toBe(true);
  });
});

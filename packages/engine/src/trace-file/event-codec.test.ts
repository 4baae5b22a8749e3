import { describe, expect, it } from 'vitest';
import { isLmttError } from '../errors.js';
import type { TraceEvent } from '../schema/events.js';
import { decodeEvent, encodeEvent } from './event-codec.js';
import { roundToFloat16 } from './float16.js';
import { TraceValidationError } from './issues.js';
import { summaryOf, syntheticTrace } from './test-support/synthetic-trace.js';

const full = syntheticTrace({
  nLayers: 3,
  nHeads: 4,
  nTokens: 9,
  dVocab: 5000,
  dMlp: 64,
  topK: 5,
  topNeurons: 3,
});

/** The events of a run that produced `full`, in stream order. */
function stream(): TraceEvent[] {
  const { model, settings, prompt, tokens, predictions, routes } = full;
  const predicted = new Map([...predictions.ids].map((id) => [id, full.tokenTexts.get(id)!]));
  const weights = Float32Array.from({ length: 3 * (45 + 36) }, (_, e) =>
    e % 7 === 0 ? 0 : (e % 10) / 10,
  );
  return [
    { type: 'tokens', model, settings, prompt, tokens },
    { type: 'progress', stage: 'forward', done: 0, total: 3 },
    ...full.contributions.map((contributions, layer): TraceEvent => ({
      type: 'layer',
      layer,
      contributions,
    })),
    { type: 'predictions', predictions, tokenTexts: predicted },
    { type: 'graph', weights },
    { type: 'routes', routes },
    { type: 'done', trace: summaryOf(full) },
  ];
}

describe('trace events', () => {
  it('round-trip through one line of JSON each; streamed heads as float16', () => {
    for (const event of stream()) {
      const line = encodeEvent(event);
      expect(line).not.toContain('\n');
      const expected =
        event.type === 'layer'
          ? {
              ...event,
              contributions: {
                ...event.contributions,
                heads: roundToFloat16(event.contributions.heads!),
              },
            }
          : event;
      expect(decodeEvent(line)).toEqual(expected);
    }
  });

  it('round-trips a full trace in a done event and an error event', () => {
    const decoded = decodeEvent(encodeEvent({ type: 'done', trace: full }));
    expect(decoded.type === 'done' && decoded.trace.kind).toBe('full');
    const error: TraceEvent = { type: 'error', code: 'ABORTED', message: 'the run was cancelled' };
    expect(decodeEvent(encodeEvent(error))).toEqual(error);
  });

  it('rejects malformed events with the path of the bad field', () => {
    const reject = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        expect(isLmttError(error, 'BAD_TRACE')).toBe(true);
        return (error as TraceValidationError).message;
      }
      throw new Error('expected a BAD_TRACE error');
    };
    const layer = full.contributions[1]!;
    expect(reject(() => encodeEvent({ type: 'layer', layer: 2, contributions: layer }))).toBe(
      'bad trace: contributions.layer: expected 2, got 1',
    );
    expect(reject(() => decodeEvent('{"type":"tokenz"}'))).toMatch(/^bad trace: type: expected \(/);
    expect(reject(() => decodeEvent('data: {}'))).toMatch(/^bad trace: \(root\): not JSON/);
    const line = JSON.parse(encodeEvent({ type: 'layer', layer: 1, contributions: layer }));
    line.contributions.ffn.shape = [8];
    expect(reject(() => decodeEvent(JSON.stringify(line)))).toBe(
      'bad trace: contributions.ffn: expected shape [9], got [8]',
    );
    const done = JSON.parse(encodeEvent({ type: 'done', trace: summaryOf(full) }));
    done.trace.version = 3;
    expect(reject(() => decodeEvent(JSON.stringify(done)))).toMatch(
      /^bad trace: trace\.version: expected 1, got 3/,
    );
    const badProgress = { type: 'progress', stage: 'forward', done: 4, total: 3 } as const;
    expect(reject(() => encodeEvent(badProgress))).toBe(
      'bad trace: done: expected at most total (3), got 4',
    );
    expect(() => decodeEvent('{"type":"tokenz"}')).toThrow(TraceValidationError);
  });
});

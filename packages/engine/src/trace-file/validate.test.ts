import { describe, expect, it } from 'vitest';
import { isLmttError } from '../errors.js';
import type { TraceFull } from '../schema/trace.js';
import { encodeFloat32 } from './array-json.js';
import type { TraceJson } from './file-schema.js';
import { TraceValidationError } from './issues.js';
import type { TraceIssue } from './issues.js';
import { decodeTrace, encodeTrace } from './trace-codec.js';
import { validateTrace } from './validate.js';
import { summaryOf, syntheticTrace } from './test-support/synthetic-trace.js';

/** The issues `run` throws, checking they come as a `BAD_TRACE` error. */
function issuesOf(run: () => unknown): readonly TraceIssue[] {
  try {
    run();
  } catch (error) {
    expect(isLmttError(error, 'BAD_TRACE')).toBe(true);
    expect(error).toBeInstanceOf(TraceValidationError);
    return (error as TraceValidationError).issues;
  }
  throw new Error('expected a BAD_TRACE error');
}

const full = syntheticTrace();
/** A token id that has no text in the trace. */
const idWithoutText = [...Array(full.model.dVocab).keys()].find((id) => !full.tokenTexts.has(id))!;

/** A copy of the full trace changed by `change`, which may return a replacement. */
function tampered(change: (trace: TraceFull) => unknown): unknown {
  const copy = structuredClone(full);
  return change(copy) ?? copy;
}

type FileTrace = Extract<TraceJson, { kind: 'full' }>;
const text = encodeTrace(full);

/** The full trace's file text changed by `change`. */
function tamperedFile(change: (json: FileTrace) => void): string {
  const json = JSON.parse(text) as FileTrace;
  change(json);
  return JSON.stringify(json);
}

describe('validateTrace', () => {
  it('accepts full and summary traces', () => {
    expect(validateTrace(full)).toEqual(full);
    expect(validateTrace(summaryOf(full)).kind).toBe('summary');
  });

  const cases: [string, () => unknown, string, string | RegExp][] = [
    [
      'another version',
      () => ({ ...full, version: 2 }),
      'version',
      /^expected 1, got 2: this reader/,
    ],
    [
      'an unknown kind',
      () => ({ ...full, kind: 'partial' }),
      'kind',
      /expected \("summary" \| "full"\), got "partial"/,
    ],
    [
      'a missing field',
      () => tampered(({ predictions: _, ...rest }) => rest),
      'predictions',
      'missing',
    ],
    [
      'a missing model field',
      () => tampered((t) => ({ ...t, model: { ...t.model, dVocab: undefined } })),
      'model.dVocab',
      /expected number/,
    ],
    [
      'an attention map of the wrong size',
      () =>
        tampered(
          (t) => void Object.assign(t.contributions[3]!, { attention: new Float32Array(1000) }),
        ),
      'contributions[3].attention',
      'expected 1024 values for shape [32, 32], got 1000',
    ],
    [
      'NaN in probabilities',
      () => tampered((t) => void (t.predictions.probs[5] = NaN)),
      'predictions.probs[0, 5]',
      'expected a value in [0, 1], got NaN',
    ],
    [
      'a negative token id',
      () => tampered((t) => void (t.lens.ids[0] = -3)),
      'lens.ids[0, 0, 0]',
      'expected a token id in [0, 50257), got -3',
    ],
    [
      'a token id beyond the vocabulary',
      () => tampered((t) => void (t.promoted.heads.ids[13] = 50257)),
      'promoted.heads.ids[0, 0, 1, 3]',
      'expected a token id in [0, 50257), got 50257',
    ],
    [
      'a token id without a text',
      () => tampered((t) => void (t.suppressed.neurons.ids[0] = idWithoutText)),
      'suppressed.neurons.ids[0, 0, 0, 0]',
      `token id ${idWithoutText} has no text in tokenTexts`,
    ],
    [
      "a token whose text is not its id's",
      () =>
        tampered((t) => ({
          ...t,
          tokens: t.tokens.map((k, i) => (i === 2 ? { ...k, text: '?!' } : k)),
        })),
      'tokens[2].text',
      /^expected ".*" \(the text of id \d+\), got "\?!"$/,
    ],
    [
      'a typed array of the wrong kind',
      () => tampered((t) => void Object.assign(t.contributions[0]!, { ffn: new Float64Array(32) })),
      'contributions[0].ffn',
      'expected Float32Array, got Float64Array',
    ],
    [
      'a plain array for a typed one',
      () => tampered((t) => void Object.assign(t.routes, { edges: [1, 2, 3] })),
      'routes.edges',
      'expected Int32Array, got Array',
    ],
    [
      'attention to a later position',
      () => tampered((t) => void (t.patterns[2]![1] = 0.5)),
      'patterns[2][0, 0, 1]',
      'expected 0 for key_pos 1 > pos 0, got 0.5',
    ],
    [
      'a share above 1',
      () => tampered((t) => void (t.contributions[1]!.ffn[4] = 1.5)),
      'contributions[1].ffn[4]',
      'expected a value in [0, 1], got 1.5',
    ],
    [
      'promoted tokens out of order',
      () => tampered((t) => void t.promoted.attnOut.logits.set([1, 2], 10)),
      'promoted.attnOut.logits[0, 1, 1]',
      /^expected non-increasing entries along the last axis, got 2 after 1/,
    ],
    [
      'a layer too few',
      () => tampered((t) => ({ ...t, contributions: t.contributions.slice(1) })),
      'contributions',
      'expected 12 layers, got 11',
    ],
    [
      'a previous rank in the embedding row',
      () => tampered((t) => void (t.lens.previousRank[7] = 4)),
      'lens.previousRank[0, 0, 7]',
      'expected -1 (the embedding has no previous state), got 4',
    ],
    [
      'a route edge past its position',
      () =>
        tampered(
          (t) =>
            void (t.routes.edges[t.routes.offsets[1]! - 1] =
              t.routes.edges[t.routes.offsets[32]! - 1]!),
        ),
      'routes.edges',
      /ends after position 0, whose route it is in/,
    ],
    [
      'a threshold above 1',
      () => tampered((t) => ({ ...t, settings: { ...t.settings, threshold: 2 } })),
      'settings.threshold',
      'expected <=1, got 2',
    ],
    [
      'more top tokens than the vocabulary has',
      () => tampered((t) => ({ ...t, settings: { ...t.settings, topK: 60000 } })),
      'settings.topK',
      'expected at most dVocab (50257), got 60000',
    ],
    [
      'a full trace without per-head contributions',
      () => tampered((t) => ({ ...t, contributions: summaryOf(t).contributions })),
      'contributions[0].heads',
      'missing',
    ],
    ['a bad timestamp', () => ({ ...full, createdAt: 'yesterday' }), 'createdAt', /timestamp/],
    ['not an object', () => 42, '(root)', /expected Object, got 42/],
  ];

  it.each(cases)('rejects %s, naming the field', (_, make, path, message) => {
    const value = make();
    const issues = issuesOf(() => validateTrace(value));
    const issue = issues.find((i) => i.path.startsWith(path));
    expect(issue, JSON.stringify(issues)).toBeDefined();
    if (typeof message === 'string') expect(issue!.message).toBe(message);
    else expect(issue!.message).toMatch(message);
  });

  it('says where in its message', () => {
    const bad = tampered(
      (t) => void Object.assign(t.contributions[3]!, { attention: new Float32Array(1000) }),
    );
    expect(() => validateTrace(bad)).toThrow(
      'bad trace: contributions[3].attention: expected 1024 values for shape [32, 32], got 1000',
    );
  });
});

describe('decodeTrace', () => {
  const fileCases: [string, () => string, string, string | RegExp][] = [
    ['text that is not JSON', () => '{"version": 1,', '(root)', /^not JSON: /],
    [
      'another version',
      () => tamperedFile((j) => Object.assign(j, { version: 2 })),
      'version',
      /^expected 1, got 2/,
    ],
    [
      'no format marker',
      () => tamperedFile((j) => Object.assign(j, { format: 'csv' })),
      'format',
      /expected "lmtt-trace"/,
    ],
    [
      'a declared shape that disagrees with the model',
      () =>
        tamperedFile(
          (j) =>
            void (j.contributions[3]!.attention = encodeFloat32(
              new Float32Array(32 * 31),
              [32, 31],
              '',
            )),
        ),
      'contributions[3].attention',
      'expected shape [32, 32], got [32, 31]',
    ],
    [
      'data that disagrees with its shape',
      () =>
        tamperedFile(
          (j) =>
            void (j.contributions[3]!.attention = {
              ...encodeFloat32(new Float32Array(1000), [1000], ''),
              shape: [32, 32],
            }),
        ),
      'contributions[3].attention',
      'expected 1024 values for shape [32, 32], got 1000',
    ],
    [
      'token ids stored as floats',
      () =>
        tamperedFile(
          (j) =>
            void (j.lens.ids = encodeFloat32(new Float32Array(25 * 32 * 10), [25, 32, 10], '')),
        ),
      'lens.ids',
      'expected dtype i32, got f32',
    ],
    [
      'a text too few',
      () => tamperedFile((j) => void j.tokenTexts.texts.pop()),
      'tokenTexts.texts',
      /^expected \d+ texts \(one per id set in present\), got \d+$/,
    ],
    [
      'NaN in a float16 field',
      () => tamperedFile((j) => void (j.lens.probs.data = `AH4${j.lens.probs.data.slice(3)}`)),
      'lens.probs[0, 0, 0]',
      'expected a value in [0, 1], got NaN',
    ],
    [
      'routes in neither form',
      () => tamperedFile((j) => void (j.routes = {})),
      'routes',
      'expected either `mask` or `offsets` and `edges`',
    ],
  ];

  it.each(fileCases)('rejects %s, naming the field', (_, make, path, message) => {
    const issues = issuesOf(() => decodeTrace(make()));
    const issue = issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    if (typeof message === 'string') expect(issue!.message).toBe(message);
    else expect(issue!.message).toMatch(message);
  });
});

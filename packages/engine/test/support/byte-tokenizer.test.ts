import { AutoTokenizer, env } from '@huggingface/transformers';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { END_OF_TEXT, byteLevelTokenizer } from './byte-tokenizer.js';

describe('byteLevelTokenizer', () => {
  let dir: string;
  const saved = { allowRemoteModels: env.allowRemoteModels, useFSCache: env.useFSCache };

  beforeAll(async () => {
    Object.assign(env, { allowRemoteModels: false, useFSCache: false });
    dir = await mkdtemp(join(tmpdir(), 'lmtt-tokenizer-'));
    const { tokenizer, tokenizerConfig } = byteLevelTokenizer(300);
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
    await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  });

  afterAll(async () => {
    Object.assign(env, saved);
    await rm(dir, { recursive: true, force: true });
  });

  it('has GPT-2 byte ids, learned merges, and <|endoftext|> last', () => {
    const { vocab, merges } = byteLevelTokenizer(300).tokenizer.model;
    expect(Object.keys(vocab)).toHaveLength(300);
    expect(new Set(Object.values(vocab)).size).toBe(300);
    expect(vocab['!']).toBe(0);
    expect(vocab['Ā']).toBe(188); // byte 0
    expect(vocab['Ġ']).toBe(220); // byte 32, the space
    expect(vocab[END_OF_TEXT]).toBe(299);
    expect(merges).toHaveLength(43);
    for (const [i, [left, right]] of merges.entries()) {
      expect(vocab[left]! < 256 + i && vocab[right]! < 256 + i).toBe(true);
      expect(vocab[left + right]).toBe(256 + i);
    }
    expect(byteLevelTokenizer(300)).toEqual(byteLevelTokenizer(300));
  });

  it('loads offline with transformers.js and round-trips text', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(dir);
    const { vocab } = byteLevelTokenizer(300).tokenizer.model;
    const text = 'The heads attend to the previous token. Naïve café ☕, 42!\n\tEnd';
    const ids = tokenizer.encode(text);
    expect(ids.length).toBeLessThan(new TextEncoder().encode(text).length);
    expect(ids).toContain(vocab['Ġthe']);
    expect(Math.max(...ids)).toBeLessThan(299);
    expect(tokenizer.decode(ids)).toBe(text);

    const withSpecial = tokenizer.encode(`a${END_OF_TEXT}b`);
    expect(withSpecial).toEqual([vocab['a'], 299, vocab['b']]);
    expect(tokenizer.decode(withSpecial, { skip_special_tokens: true })).toBe('ab');
    expect(tokenizer.eos_token_id).toBe(299);
  });

  it('refuses a vocabulary smaller than the 256 bytes plus <|endoftext|>', () => {
    expect(() => byteLevelTokenizer(256)).toThrow(/vocabSize must be an integer >= 257/);
  });
});

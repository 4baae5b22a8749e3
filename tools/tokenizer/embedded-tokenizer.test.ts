import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { encode as gpt2Encode } from 'gpt-tokenizer/encoding/r50k_base';
import { describe, expect, it } from 'vitest';
import { convertGpt2Tokenizer } from './convert-gpt2.js';

const MODEL = fileURLToPath(new URL('../../models/lmtt-tiny-gpt2/', import.meta.url));

describe('the embedded model’s tokenizer', () => {
  it('is exactly the converter’s output for GPT-2’s first 7,935 merges', () => {
    const shipped: unknown = JSON.parse(readFileSync(`${MODEL}tokenizer.json`, 'utf8'));
    const { tokenizer } = convertGpt2Tokenizer({ merges: 7935, modelMaxLength: 256 });
    expect(shipped).toEqual(JSON.parse(JSON.stringify(tokenizer)));
  });

  it('gives GPT-2’s ids for text within its vocabulary', async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    const loaded = await AutoTokenizer.from_pretrained(MODEL);
    const texts = [
      'The war lasted from the year 1732 to the year 17',
      'When Mary and John went to the store, John gave a drink to',
      'Thank you very much.',
      'The President of the United States',
      '5 + 4 = 9, 2 + 3 =',
    ];
    // Only text whose GPT-2 tokens all lie in the kept vocabulary has GPT-2's ids.
    const inVocabulary = texts.filter((text) => gpt2Encode(text).every((id) => id < 8191));
    expect(inVocabulary.length).toBeGreaterThanOrEqual(3);
    for (const text of inVocabulary) {
      expect(loaded.encode(text, { add_special_tokens: false })).toEqual(gpt2Encode(text));
    }
    for (const text of texts) {
      const ids = loaded.encode(text, { add_special_tokens: false });
      expect(ids.every((id) => id < 8191)).toBe(true);
      expect(loaded.decode(ids)).toBe(text);
    }
  });
});

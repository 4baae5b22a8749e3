import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/node.js';
import type { Model } from '../src/model/model.js';
import type { TraceEvent } from '../src/schema/index.js';
import { BYTE_CONTINUATION } from '../src/tokenizer/display.js';
import { trace } from '../src/trace/trace.js';
import { sentencePieceTokenizer } from './support/sentencepiece-tokenizer.js';
import { writeTinyGemma } from './support/tiny-gemma.js';
import { writeTinyGpt2 } from './support/tiny-gpt2.js';
import { writeTinyLlama } from './support/tiny-llama.js';
import { writeTinyOpt } from './support/tiny-opt.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-token-display-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** ASCII the tiny vocabularies know, and three characters they spell in byte-fallback pieces. */
const PROMPT = 'The cost is €5 🙂\nok, café';

async function withModel<T>(dir: string, use: (model: Model) => Promise<T>): Promise<T> {
  const model = await loadModel(dir, { device: 'cpu' });
  try {
    return await use(model);
  } finally {
    await model.dispose();
  }
}

/** The prompt's texts with continuation marks dropped: what the model read, in order. */
const joined = (texts: readonly string[]) => texts.filter((t) => t !== BYTE_CONTINUATION).join('');

describe('sentencepiece tokens as the model saw them', () => {
  it('Gemma: <bos> first, ▁ as a space, byte-fallback characters grouped one text per token', async () => {
    const tiny = await writeTinyGemma(join(root, 'gemma'), { seed: 1 });
    await withModel(tiny.dir, async (model) => {
      expect(model.tokenizer.pieceStyle).toBe('sentencepiece');
      const { ids, tokens } = model.tokenize(PROMPT);
      expect(ids[0]).toBe(2);
      expect(tokens[0]).toEqual({ id: 2, text: '<bos>' });
      expect(tokens.length).toBe(ids.length);
      const texts = tokens.map((t) => t.text);
      expect(joined(texts.slice(1))).toBe(PROMPT);
      const pieces = model.tokenizer.pieces(ids);
      const euro = texts.indexOf('€');
      expect(pieces.slice(euro, euro + 3)).toEqual(['<0xE2>', '<0x82>', '<0xAC>']);
      expect(texts.slice(euro, euro + 4)).toEqual(['€', '◌', '◌', '5']);
      const smile = texts.indexOf('\u{1F642}');
      expect(texts.slice(smile + 1, smile + 4)).toEqual(['◌', '◌', '◌']);
      expect(texts[smile + 4]).toBe('\n');
      expect(texts).toContain(' ');
      expect(texts.some((t) => t.includes('\u2581'))).toBe(false);
      // alone (as in a top-k list), a byte piece is its byte
      expect(model.display([ids[euro]!])[0]!.text).toBe('\\xe2');
      expect(model.tokenize(PROMPT, false).ids[0]).not.toBe(2);
    });
  });

  it("Llama 2 style: <s> first, the tokenizer's ▁ dummy prefix shown as a leading space", async () => {
    const { tokenizer, tokenizerConfig } = sentencePieceTokenizer('llama', 120);
    const tiny = await writeTinyLlama(join(root, 'llama2'), {
      modelType: 'llama',
      seed: 2,
      vocabSize: Object.keys(tokenizer.model.vocab).length,
    });
    await writeFile(join(tiny.dir, 'tokenizer.json'), JSON.stringify(tokenizer));
    await writeFile(join(tiny.dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
    await withModel(tiny.dir, async (model) => {
      const { ids, tokens } = model.tokenize(PROMPT);
      expect(tokens[0]).toEqual({ id: 1, text: '<s>' });
      expect(joined(tokens.slice(1).map((t) => t.text))).toBe(` ${PROMPT}`);
      expect(tokens.map((t) => t.text)).toContain('é');
      const result = await model.run(PROMPT);
      expect(result.ids).toEqual(ids);
    });
  });
});

describe('BOS by default as each model expects', () => {
  it('GPT-2: none', async () => {
    const tiny = await writeTinyGpt2(join(root, 'gpt2'), { seed: 3 });
    await withModel(tiny.dir, async (model) => {
      const { ids } = model.tokenize('hello world');
      expect(ids[0]).not.toBe(tiny.config.bos_token_id);
      expect(model.tokenizer.pieceStyle).toBe('byte-level');
      expect(model.tokenize('hello world', true).ids[0]).toBe(tiny.config.bos_token_id);
    });
  });

  it('OPT: its BOS (add_bos_token), once, even when the text starts with it', async () => {
    const tiny = await writeTinyOpt(join(root, 'opt'), { seed: 4 });
    const bos = tiny.config['bos_token_id'] as number;
    await withModel(tiny.dir, async (model) => {
      expect(model.tokenize('hello').ids[0]).toBe(bos);
      expect(model.tokenize('<|endoftext|>hello').ids.filter((id) => id === bos)).toHaveLength(1);
    });
  });

  it("Llama 3 style: the post-processor template's BOS when tokenizer_config.json is silent", async () => {
    const tiny = await writeTinyLlama(join(root, 'llama3'), { modelType: 'llama', seed: 5 });
    const file = (name: string) => join(tiny.dir, name);
    const json = JSON.parse(await readFile(file('tokenizer.json'), 'utf8'));
    const config = JSON.parse(await readFile(file('tokenizer_config.json'), 'utf8'));
    const bos = '<|endoftext|>';
    json.post_processor = {
      type: 'Sequence',
      processors: [
        json.post_processor,
        {
          type: 'TemplateProcessing',
          single: [
            { SpecialToken: { id: bos, type_id: 0 } },
            { Sequence: { id: 'A', type_id: 0 } },
          ],
          pair: [],
          special_tokens: { [bos]: { id: bos, ids: [299], tokens: [bos] } },
        },
      ],
    };
    delete config.add_bos_token;
    await writeFile(file('tokenizer.json'), JSON.stringify(json));
    await writeFile(file('tokenizer_config.json'), JSON.stringify(config));
    await withModel(tiny.dir, async (model) => {
      expect(model.tokenize('hello').tokens[0]).toEqual({ id: 299, text: bos });
    });
  });
});

describe('a trace of a Gemma prompt', () => {
  it('streams grouped prompt tokens, and per-id texts in tokenTexts', async () => {
    const tiny = await writeTinyGemma(join(root, 'gemma-trace'), { seed: 6 });
    await withModel(tiny.dir, async (model) => {
      const events: TraceEvent[] = [];
      for await (const event of trace(model, 'a €')) events.push(event);
      const first = events[0]!;
      if (first.type !== 'tokens') throw new Error(`first event ${first.type}`);
      expect(first.tokens.map((t) => t.text)).toEqual(['<bos>', 'a', ' ', '€', '◌', '◌']);
      const done = events.at(-1)!;
      if (done.type !== 'done') throw new Error(`last event ${JSON.stringify(done)}`);
      expect(done.trace.tokens).toEqual(first.tokens);
      expect(done.trace.tokenTexts.get(first.tokens[3]!.id)).toBe('\\xe2');
      expect(done.trace.tokenTexts.get(2)).toBe('<bos>');
    });
  });
});

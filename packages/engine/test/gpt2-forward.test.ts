import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '../src/backend/tensor.js';
import type { Model } from '../src/model/model.js';
import { loadModel } from '../src/node.js';
import { referenceGpt2 } from './support/reference-gpt2.js';
import { HOOKS, relativeError } from './support/parity.js';
import { writeTinyGpt2 } from './support/tiny-gpt2.js';
import type { TinyGpt2Options } from './support/tiny-gpt2.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-forward-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function tinyModel(name: string, options: TinyGpt2Options) {
  const tiny = await writeTinyGpt2(join(root, name), options);
  return { tiny, model: await loadModel(tiny.dir, { device: 'cpu' }) };
}

describe('GPT-2 forward on ONNX Runtime against the float64 reference', () => {
  const cases: [string, TinyGpt2Options][] = [
    ['f32', { seed: 1 }],
    ['f16 weights', { seed: 2, dtype: 'F16' }],
    ['bf16 weights', { seed: 3, dtype: 'BF16' }],
    [
      'sharded, prefixed, with lm_head and mask buffers',
      { seed: 4, shards: 3, prefix: 'transformer.', withLmHead: true, withAttnBiasBuffer: true },
    ],
    [
      '3 layers, exact gelu, d_mlp 48',
      { seed: 5, nLayers: 3, dModel: 48, nHeads: 6, activation: 'gelu', dMlp: 48 },
    ],
    ['relu', { seed: 6, activation: 'relu', vocabSize: 257 }],
  ];
  for (const [name, options] of cases) {
    it(`matches every intermediate and the logits to 1e-5 (${name})`, async () => {
      const { tiny, model } = await tinyModel(name.replace(/\W+/g, '-'), options);
      try {
        const ids = [12, 250, 7, 7, 99, 3, 180, 42, 12, 250];
        const result = await model.run(ids);
        const reference = referenceGpt2(tiny, ids);
        for (const [l, layer] of result.layers.entries()) {
          for (const hook of HOOKS) {
            expect(
              relativeError(layer[hook]!, reference.layers[l]![hook]),
              `layer ${l} ${hook}`,
            ).toBeLessThan(1e-5);
          }
        }
        expect(relativeError(result.ln_final, reference.ln_final)).toBeLessThan(1e-5);
        expect(relativeError(result.logits, reference.logits)).toBeLessThan(1e-5);
      } finally {
        await model.dispose();
      }
    });
  }
});

describe('the transparent forward pass', () => {
  let model: Model;
  beforeAll(async () => {
    ({ model } = await tinyModel('identities', { seed: 11, nLayers: 3 }));
  });
  afterAll(() => model.dispose());

  it('keeps the residual identities of DESIGN §2.1', async () => {
    const result = await model.run('the cat sat on the mat');
    const close = (a: Tensor<'float32'>, b: (i: number) => number) => {
      let err = 0;
      for (let i = 0; i < a.data.length; i++) err = Math.max(err, Math.abs(a.data[i]! - b(i)));
      return err;
    };
    for (const [l, layer] of result.layers.entries()) {
      const mid = layer.resid_mid!;
      expect(close(mid, (i) => layer.resid_pre.data[i]! + layer.attn_out.data[i]!)).toBeLessThan(
        1e-5,
      );
      expect(close(layer.resid_post, (i) => mid.data[i]! + layer.mlp_out.data[i]!)).toBeLessThan(
        1e-5,
      );
      if (l > 0) expect(layer.resid_pre).toBe(result.layers[l - 1]!.resid_post);
    }
  });

  it('shows the tokens exactly as the model saw them', async () => {
    // The tiny vocabulary has no merges for 'é' (c3 a9) or '—' (e2 80 94):
    // each byte is its own token, shown as that byte, never as U+FFFD.
    const prompt = 'Caf\u00e9 \u2014 tea\n\tnow';
    const result = await model.run(prompt);
    const shown = result.tokens.map((t) => t.text).join('');
    expect(shown).toBe('Caf\\xc3\\xa9 \\xe2\\x80\\x94 tea\n\tnow');
    expect(shown).not.toContain('\ufffd');
    expect(model.tokenizer.decode(result.ids)).toBe(prompt);
    expect(result.tokens.map((t) => t.id)).toEqual(result.ids);
    expect(result.logits.dims).toEqual([result.ids.length, 300]);
  });

  it('prepends BOS when asked', async () => {
    const result = await model.run('hello', { prependBos: true });
    expect(result.ids[0]).toBe(299);
    expect(result.tokens[0]!.text).toBe('<|endoftext|>');
  });

  it('streams each layer and stops at the next layer when aborted', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = model.run('abc def', {
      signal: controller.signal,
      onLayer: (l) => {
        seen.push(l);
        if (l === 0) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(seen).toEqual([0]);
  });

  it('refuses empty and over-long prompts with typed errors', async () => {
    await expect(model.run('')).rejects.toMatchObject({ code: 'EMPTY_PROMPT' });
    await expect(model.run('x '.repeat(200))).rejects.toMatchObject({
      code: 'PROMPT_TOO_LONG',
      message: expect.stringContaining('at most 64'),
    });
  });

  it('reports what it loaded', () => {
    expect(model.info).toMatchObject({ family: 'gpt2', nLayers: 3, device: 'cpu', dtype: 'fp32' });
  });
});

describe('bad model folders', () => {
  it('names a missing folder', async () => {
    await expect(loadModel(join(root, 'nope'), { device: 'cpu' })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
  });

  it('names a missing config.json', async () => {
    const { dir } = await writeTinyGpt2(join(root, 'no-config'), { seed: 1 });
    await rm(join(dir, 'config.json'));
    await expect(loadModel(dir, { device: 'cpu' })).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
      message: expect.stringContaining('config.json'),
    });
  });

  it('reports a corrupt safetensors header', async () => {
    const { dir } = await writeTinyGpt2(join(root, 'corrupt'), { seed: 1 });
    await writeFile(
      join(dir, 'model.safetensors'),
      new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0, 123]),
    );
    await expect(loadModel(dir, { device: 'cpu' })).rejects.toMatchObject({
      code: 'BAD_SAFETENSORS',
    });
  });

  it('names the supported families for an unknown model_type', async () => {
    const { dir, config } = await writeTinyGpt2(join(root, 'unknown'), { seed: 1 });
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, model_type: 'mamba' }));
    await expect(loadModel(dir, { device: 'cpu' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_MODEL',
      message:
        "model_type 'mamba' is not supported (supported: gpt2, llama, mistral, qwen2, opt, gpt_neox, phi, gemma)",
    });
  });
});

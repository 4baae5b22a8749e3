import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/node.js';
import { parityErrors } from './support/parity.js';
import { referenceLlama } from './support/reference-llama.js';
import { writeTinyLlama } from './support/tiny-llama.js';
import type { TinyLlamaOptions } from './support/tiny-llama.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-llama-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const LLAMA3_SCALING = {
  rope_type: 'llama3',
  factor: 8,
  low_freq_factor: 1,
  high_freq_factor: 4,
  original_max_position_embeddings: 64,
} as const;

/** 20 ids: enough positions that every rotary frequency turns visibly. */
const IDS = [12, 250, 7, 7, 99, 3, 180, 42, 12, 250, 299, 5, 61, 61, 200, 17, 8, 140, 33, 1];

describe('Llama-style forward on ONNX Runtime against the float64 reference', () => {
  const cases: [string, TinyLlamaOptions][] = [
    ['llama, GQA 4:2, untied', { modelType: 'llama', seed: 1 }],
    [
      'llama, multi-head, tied, eps 1e-5',
      { modelType: 'llama', seed: 2, nKvHeads: 4, tie: true, rmsNormEps: 1e-5 },
    ],
    [
      // theta 100 puts d_head 8's wavelengths (6.3, 20, 63, 199) in all three llama3 bands
      'llama 3 rope_scaling, GQA 4:1, 3 layers',
      {
        modelType: 'llama',
        seed: 3,
        nKvHeads: 1,
        nLayers: 3,
        ropeTheta: 100,
        ropeScaling: LLAMA3_SCALING,
      },
    ],
    [
      'llama, head_dim 12 (H d_head != d_model), attention_bias',
      { modelType: 'llama', seed: 4, headDim: 12, attentionBias: true },
    ],
    ['mistral, sliding_window', { modelType: 'mistral', seed: 5, slidingWindow: 32 }],
    ['qwen2, q/k/v biases, tied', { modelType: 'qwen2', seed: 6, tie: true, ropeTheta: 1e6 }],
    ['qwen2, q/k/v biases, untied, GQA 4:1', { modelType: 'qwen2', seed: 7, nKvHeads: 1 }],
    ['llama, bf16 weights', { modelType: 'llama', seed: 8, dtype: 'BF16' }],
    ['qwen2, f16 weights', { modelType: 'qwen2', seed: 10, dtype: 'F16' }],
  ];
  for (const [name, options] of cases) {
    it(`matches every intermediate and the logits to 1e-5 (${name})`, async () => {
      const tiny = await writeTinyLlama(join(root, name.replace(/\W+/g, '-')), options);
      const model = await loadModel(tiny.dir, { device: 'cpu' });
      try {
        const errors = parityErrors(await model.run(IDS), referenceLlama(tiny, IDS));
        for (const [hook, error] of errors) expect(error, hook).toBeLessThan(1e-5);
        expect(model.info.family).toBe(options.modelType);
      } finally {
        await model.dispose();
      }
    });
  }

  it('keeps the residual identities and caps the context at the sliding window', async () => {
    const tiny = await writeTinyLlama(join(root, 'window'), {
      modelType: 'mistral',
      seed: 9,
      slidingWindow: 16,
    });
    const model = await loadModel(tiny.dir, { device: 'cpu' });
    try {
      expect(model.info.nCtx).toBe(16);
      const result = await model.run('the cat sat');
      for (const layer of result.layers) {
        const mid = layer.resid_mid!;
        for (let i = 0; i < mid.data.length; i++) {
          expect(
            Math.abs(mid.data[i]! - layer.resid_pre.data[i]! - layer.attn_out.data[i]!),
          ).toBeLessThan(1e-5);
          expect(
            Math.abs(layer.resid_post.data[i]! - mid.data[i]! - layer.mlp_out.data[i]!),
          ).toBeLessThan(1e-5);
        }
      }
      await expect(model.run('x '.repeat(40))).rejects.toMatchObject({
        code: 'PROMPT_TOO_LONG',
        message: expect.stringContaining('at most 16'),
      });
    } finally {
      await model.dispose();
    }
  });
});

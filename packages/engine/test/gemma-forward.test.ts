import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headOutputs } from '../src/detail/heads.js';
import { loadModel } from '../src/node.js';
import { parityErrors } from './support/parity.js';
import { referenceGemma } from './support/reference-gemma.js';
import { writeTinyGemma } from './support/tiny-gemma.js';
import type { TinyGemmaOptions } from './support/tiny-gemma.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-gemma-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** 20 ids: enough positions that every rotary frequency turns visibly. */
const IDS = [2, 250, 7, 7, 99, 3, 180, 42, 12, 250, 400, 5, 61, 61, 200, 17, 8, 140, 33, 1];

describe('Gemma forward on ONNX Runtime against the float64 reference', () => {
  const cases: [string, TinyGemmaOptions][] = [
    ['MQA 4:1, head_dim 16 (H d_head 64, d_model 48)', { seed: 1 }],
    [
      'GQA 4:2, head_dim 8, attention_bias, no hidden_activation, eps 1e-5',
      {
        seed: 2,
        nKvHeads: 2,
        headDim: 8,
        attentionBias: true,
        hiddenActivation: null,
        rmsNormEps: 1e-5,
      },
    ],
    [
      'GQA 8:2, head_dim 12, 3 layers, theta 100',
      { seed: 3, nHeads: 8, nKvHeads: 2, headDim: 12, nLayers: 3, ropeTheta: 100 },
    ],
    ['multi-head, exact gelu', { seed: 4, nKvHeads: 4, hiddenActivation: 'gelu' }],
    ['bf16 weights (normaliser rounded to bfloat16)', { seed: 5, dtype: 'BF16' }],
    ['f16 weights (normaliser rounded to float16)', { seed: 6, dtype: 'F16', dModel: 40 }],
  ];
  for (const [name, options] of cases) {
    it(`matches every intermediate and the logits to 1e-5 (${name})`, async () => {
      const tiny = await writeTinyGemma(join(root, name.replace(/\W+/g, '-')), options);
      const model = await loadModel(tiny.dir, { device: 'cpu' });
      try {
        const errors = parityErrors(await model.run(IDS), referenceGemma(tiny, IDS));
        for (const [hook, error] of errors) expect(error, hook).toBeLessThan(1e-5);
        expect(model.info.family).toBe('gemma');
        expect(model.spec.nHeads * model.spec.dHead).not.toBe(model.spec.dModel);
      } finally {
        await model.dispose();
      }
    });
  }

  it('scales embeddings by sqrt(d_model) in the checkpoint dtype, and unembeds unscaled', async () => {
    const tiny = await writeTinyGemma(join(root, 'scale'), { seed: 7, dtype: 'BF16' });
    const model = await loadModel(tiny.dir, { device: 'cpu' });
    try {
      // sqrt(48) = 6.928..., 6.9375 in bfloat16
      expect(model.spec.embedScale).toBe(6.9375);
      const result = await model.run([300]);
      const row = tiny.weights.get('model.embed_tokens.weight')!.subarray(300 * 48, 301 * 48);
      row.forEach((w, i) =>
        expect(result.layers[0]!.resid_pre.data[i]).toBe(Math.fround(w * 6.9375)),
      );
    } finally {
      await model.dispose();
    }
  });

  it('decomposes attention into head outputs that sum to attn_out (H d_head != d_model)', async () => {
    const tiny = await writeTinyGemma(join(root, 'heads'), {
      seed: 8,
      nKvHeads: 2,
      attentionBias: true,
    });
    const model = await loadModel(tiny.dir, { device: 'cpu' });
    try {
      const forward = await model.run(IDS.slice(0, 9));
      const T = forward.ids.length;
      const d = 48;
      for (const [l, layer] of forward.layers.entries()) {
        const heads = await headOutputs(model, l, layer); // [T, H, d_model]
        expect(heads.dims).toEqual([T, 4, d]);
        const bias = tiny.weights.get(`model.layers.${l}.self_attn.o_proj.bias`)!; // [d_model]
        for (let t = 0; t < T; t++) {
          for (let i = 0; i < d; i++) {
            let sum = bias[i]!;
            for (let h = 0; h < 4; h++) sum += heads.data[(t * 4 + h) * d + i]!;
            expect(Math.abs(sum - layer.attn_out.data[t * d + i]!)).toBeLessThan(1e-5);
          }
        }
      }
    } finally {
      await model.dispose();
    }
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/node.js';
import { parityErrors } from './support/parity.js';
import { referencePhi } from './support/reference-phi.js';
import { writeTinyPhi } from './support/tiny-phi.js';
import type { TinyPhiOptions } from './support/tiny-phi.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-phi-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const IDS = [299, 12, 250, 7, 7, 99, 3, 180, 42, 12, 250, 5, 61];

describe('Phi forward on ONNX Runtime against the float64 reference', () => {
  const cases: [string, TinyPhiOptions][] = [
    ['shared LayerNorm, 4 of 8 head dims rotary, lm_head bias', { seed: 1 }],
    [
      'GQA 4:2, partial_rotary_factor 0.25 of d_head 16, gelu',
      {
        seed: 2,
        dModel: 64,
        nKvHeads: 2,
        partialRotaryFactor: 0.25,
        activation: 'gelu',
        ropeTheta: 1000,
      },
    ],
  ];
  for (const [name, options] of cases) {
    it(`matches every intermediate and the logits to 1e-5 (${name})`, async () => {
      const tiny = await writeTinyPhi(join(root, name.replace(/\W+/g, '-')), options);
      const model = await loadModel(tiny.dir, { device: 'cpu' });
      try {
        const result = await model.run(IDS);
        const errors = parityErrors(result, referencePhi(tiny, IDS));
        for (const [hook, error] of errors) expect(error, hook).toBeLessThan(1e-5);
        expect(model.info.family).toBe('phi');
        expect(result.layers[0]!.resid_mid).toBeUndefined();
      } finally {
        await model.dispose();
      }
    });
  }

  it('refuses qk_layernorm with a typed error naming it', async () => {
    const tiny = await writeTinyPhi(join(root, 'qk-layernorm'), { seed: 5, qkLayernorm: true });
    await expect(loadModel(tiny.dir, { device: 'cpu' })).rejects.toMatchObject({
      code: 'UNSUPPORTED_MODEL',
      message: expect.stringContaining('qk_layernorm'),
    });
  });
});

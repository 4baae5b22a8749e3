import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/node.js';
import { parityErrors } from './support/parity.js';
import { referenceOpt } from './support/reference-opt.js';
import { writeTinyOpt } from './support/tiny-opt.js';
import type { TinyOptOptions } from './support/tiny-opt.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-opt-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const IDS = [299, 12, 250, 7, 7, 99, 3, 180, 42, 12, 250, 5, 61];

describe('OPT forward on ONNX Runtime against the float64 reference', () => {
  const cases: [string, TinyOptOptions][] = [
    ['relu, biases, model.decoder. names', { seed: 1 }],
    ['3 layers, decoder. names, d_mlp 40', { seed: 2, nLayers: 3, prefix: 'decoder.', dMlp: 40 }],
    ['enable_bias false, gelu', { seed: 3, enableBias: false, activation: 'gelu' }],
  ];
  for (const [name, options] of cases) {
    it(`matches every intermediate and the logits to 1e-5 (${name})`, async () => {
      const tiny = await writeTinyOpt(join(root, name.replace(/\W+/g, '-')), options);
      const model = await loadModel(tiny.dir, { device: 'cpu' });
      try {
        const errors = parityErrors(await model.run(IDS), referenceOpt(tiny, IDS));
        for (const [hook, error] of errors) expect(error, hook).toBeLessThan(1e-5);
        expect(model.info.family).toBe('opt');
      } finally {
        await model.dispose();
      }
    });
  }

  it('prepends BOS as its tokenizer config says and reads max_position_embeddings tokens', async () => {
    const tiny = await writeTinyOpt(join(root, 'bos'), { seed: 4, maxPositions: 16 });
    const model = await loadModel(tiny.dir, { device: 'cpu' });
    try {
      const result = await model.run('the cat');
      expect(result.ids[0]).toBe(299);
      const errors = parityErrors(result, referenceOpt(tiny, result.ids));
      for (const [hook, error] of errors) expect(error, hook).toBeLessThan(1e-5);
      expect(model.info.nCtx).toBe(16);
      // 16 positions (table rows 2..17) are fine; the 17th is refused.
      await model.run(Array.from({ length: 16 }, (_, i) => i + 40));
      await expect(model.run('x '.repeat(20))).rejects.toMatchObject({ code: 'PROMPT_TOO_LONG' });
    } finally {
      await model.dispose();
    }
  });
});

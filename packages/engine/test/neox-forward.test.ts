import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/node.js';
import { parityErrors } from './support/parity.js';
import { referenceNeox } from './support/reference-neox.js';
import { writeTinyNeox } from './support/tiny-neox.js';
import type { TinyNeoxOptions } from './support/tiny-neox.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-neox-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const IDS = [299, 12, 250, 7, 7, 99, 3, 180, 42, 12, 250, 5, 61];

describe('GPT-NeoX forward on ONNX Runtime against the float64 reference', () => {
  const cases: [string, TinyNeoxOptions][] = [
    ['parallel residual, 6 of 12 head dims rotary', { seed: 1 }],
    ['sequential residual', { seed: 2, parallel: false }],
    [
      'rotary_pct 0.25 of d_head 16, base 500, gelu_new, 3 layers',
      { seed: 3, dModel: 64, rotaryPct: 0.25, rotaryBase: 500, activation: 'gelu_new', nLayers: 3 },
    ],
    ['rotary_pct 1 (every dimension rotates)', { seed: 4, rotaryPct: 1 }],
  ];
  for (const [name, options] of cases) {
    it(`matches every intermediate and the logits to 1e-5 (${name})`, async () => {
      const tiny = await writeTinyNeox(join(root, name.replace(/\W+/g, '-')), options);
      const model = await loadModel(tiny.dir, { device: 'cpu' });
      try {
        const result = await model.run(IDS);
        const errors = parityErrors(result, referenceNeox(tiny, IDS));
        for (const [hook, error] of errors) expect(error, hook).toBeLessThan(1e-5);
        expect(model.info.family).toBe('gpt_neox');
        expect(model.spec.parallelBlock).toBe(options.parallel ?? true);
        expect(result.layers[0]!.resid_mid === undefined).toBe(options.parallel ?? true);
      } finally {
        await model.dispose();
      }
    });
  }
});

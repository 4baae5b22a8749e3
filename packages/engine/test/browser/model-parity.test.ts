import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import type { WebDevice } from '../../src/runtime/web/web-backend.js';
import { loadModel } from '../../src/web.js';
import { parityErrors } from '../support/parity.js';
import { referenceFromJson } from '../support/reference-json.js';
import type { TinyFamily } from '../support/tiny-model-commands.js';

// The tiny vocabulary has no merges for 'é' (c3 a9) or '—' (e2 80 94): each
// byte is its own token, shown as that byte, never as U+FFFD.
const PROMPT = 'Caf\u00e9 \u2014 tea';
const SHOWN = ['C', 'a', 'f', '\\xc3', '\\xa9', ' ', '\\xe2', '\\x80', '\\x94', ' t', 'e', 'a'];

describe('the test server', () => {
  it('answers Range requests for model files, so weights headers are read by range', async () => {
    const url = await commands.tinyGpt2Url();
    const response = await fetch(`${url}/model.safetensors`, { headers: { Range: 'bytes=0-7' } });
    expect(response.status).toBe(206);
    expect((await response.arrayBuffer()).byteLength).toBe(8);
    expect((await fetch(`${url}/model.safetensors.index.json`, { method: 'HEAD' })).status).toBe(
      404,
    );
  });
});

describe.for<WebDevice>(['wasm', 'webgpu'])('a tiny GPT-2 loaded from a URL on %s', (device) => {
  it('matches every intermediate and the logits of the float64 reference to 1e-5', async () => {
    const url = await commands.tinyGpt2Url();
    const model = await loadModel(url, { device });
    try {
      // A device that cannot start falls back to the other: `fallbacks` then says why.
      expect(model.info).toMatchObject({ fallbacks: [], device, id: url, dtype: 'fp32' });
      const result = await model.run(PROMPT);

      expect(result.tokens.map((token) => token.text)).toEqual(SHOWN);
      expect(result.tokens.map((token) => token.id)).toEqual(result.ids);
      expect(model.tokenizer.decode(result.ids)).toBe(PROMPT);

      const reference = referenceFromJson(await commands.tinyGpt2Reference(result.ids));
      const errors = parityErrors(result, reference);
      expect(errors.size).toBe(2 * 9 + 2);
      for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-5);
    } finally {
      await model.dispose();
    }
  });
});

describe.for<[TinyFamily, WebDevice]>([
  ['llama', 'wasm'],
  ['llama', 'webgpu'],
  ['phi', 'wasm'],
  ['phi', 'webgpu'],
  ['gemma', 'wasm'],
  ['gemma', 'webgpu'],
])('a tiny %s on %s', ([family, device]) => {
  it('matches every intermediate and the logits of the float64 reference to 1e-5', async () => {
    const model = await loadModel(await commands.tinyFamilyUrl(family), { device });
    try {
      expect(model.info).toMatchObject({ fallbacks: [], device, dtype: 'fp32' });
      const result = await model.run('When Mary and John went');
      const reference = referenceFromJson(await commands.tinyFamilyReference(family, result.ids));
      const errors = parityErrors(result, reference);
      expect(errors.size).toBeGreaterThan(2 * 8);
      for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-5);
    } finally {
      await model.dispose();
    }
  });
});

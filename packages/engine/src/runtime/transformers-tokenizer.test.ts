import { env as ortEnv } from 'onnxruntime-common';
import { describe, expect, it } from 'vitest';
import { byteLevelTokenizer } from '../../test/support/byte-tokenizer.js';
import { loadTransformersTokenizer } from './transformers-tokenizer.js';

describe('tokenizers through @huggingface/transformers', () => {
  it('leave the ONNX Runtime settings of the host as they were', async () => {
    ortEnv.logLevel = 'error';
    ortEnv.wasm.wasmPaths = undefined;
    ortEnv.wasm.proxy = true;
    ortEnv.webgpu.powerPreference = 'low-power';
    const { tokenizer, tokenizerConfig } = byteLevelTokenizer(300);
    const loaded = await loadTransformersTokenizer({ tokenizer, config: tokenizerConfig });
    expect(loaded.decode(loaded.encode('hello'))).toBe('hello');
    expect(ortEnv.logLevel).toBe('error');
    expect(ortEnv.wasm.wasmPaths).toBeUndefined();
    expect(ortEnv.wasm.proxy).toBe(true);
    expect(ortEnv.webgpu.powerPreference).toBe('low-power');
  });

  it('apply add_bos_token from tokenizer_config.json, which the library ignores', async () => {
    const { tokenizer, tokenizerConfig } = byteLevelTokenizer(300);
    const withBos = await loadTransformersTokenizer({
      tokenizer,
      config: { ...tokenizerConfig, add_bos_token: true },
    });
    expect(withBos.addBosToken).toBe(true);
    expect(withBos.bosTokenId).toBe(299);
    const plain = await loadTransformersTokenizer({ tokenizer, config: tokenizerConfig });
    expect(plain.addBosToken).toBe(false);
  });
});

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readSafetensorsHeader,
  requireTensor,
  type SafetensorsHeader,
} from '../../src/weights/safetensors.js';
import { writeTinyGpt2 } from './tiny-gpt2.js';

async function readHeader(dir: string, file: string) {
  const bytes = await readFile(join(dir, file));
  const read = (offset: number, length: number) =>
    Promise.resolve(new Uint8Array(bytes.buffer, bytes.byteOffset + offset, length));
  return { bytes, header: await readSafetensorsHeader(file, read, bytes.length) };
}

/** BF16 values of a tensor, decoded by widening to float32. */
function bf16Values(bytes: Uint8Array, offset: number, length: number): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  const widened = new DataView(new ArrayBuffer(4));
  return Float64Array.from({ length: length / 2 }, (_, i) => {
    widened.setUint32(0, view.getUint16(2 * i, true) << 16);
    return widened.getFloat32(0);
  });
}

describe('writeTinyGpt2', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lmtt-tiny-gpt2-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes a sharded BF16 checkpoint that the parser reads back exactly', async () => {
    const dir = join(root, 'sharded');
    const model = await writeTinyGpt2(dir, {
      seed: 5,
      dtype: 'BF16',
      shards: 3,
      prefix: 'transformer.',
      withLmHead: true,
      withAttnBiasBuffer: true,
    });
    expect((await readdir(dir)).sort()).toEqual([
      'config.json',
      'model-00001-of-00003.safetensors',
      'model-00002-of-00003.safetensors',
      'model-00003-of-00003.safetensors',
      'model.safetensors.index.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const index = JSON.parse(await readFile(join(dir, 'model.safetensors.index.json'), 'utf8')) as {
      metadata: { total_size: number };
      weight_map: Record<string, string>;
    };

    const files = [...new Set(Object.values(index.weight_map))].sort();
    expect(files).toHaveLength(3);
    const shards = new Map<string, { bytes: Uint8Array; header: SafetensorsHeader }>();
    let totalSize = 0;
    for (const file of files) {
      const shard = await readHeader(dir, file);
      shards.set(file, shard);
      expect(shard.header.metadata).toEqual({ format: 'pt' });
      for (const entry of [
        ...shard.header.tensors.values(),
        ...shard.header.otherTensors.values(),
      ]) {
        expect(index.weight_map[entry.name]).toBe(file);
        totalSize += entry.length;
      }
    }
    expect(index.metadata.total_size).toBe(totalSize);
    expect(Object.keys(index.weight_map)).toHaveLength(model.weights.size + 1 + 2 * 2);

    for (const [name, stored] of model.weights) {
      const { bytes, header } = shards.get(index.weight_map[`transformer.${name}`]!)!;
      const entry = requireTensor(header, `transformer.${name}`);
      expect(entry.dtype).toBe('BF16');
      expect(bf16Values(bytes, entry.offset, entry.length)).toEqual(stored);
    }
    const lmHead = shards.get(index.weight_map['lm_head.weight']!)!;
    const lmHeadEntry = requireTensor(lmHead.header, 'lm_head.weight');
    expect(lmHeadEntry.shape).toEqual([300, 32]);
    expect(bf16Values(lmHead.bytes, lmHeadEntry.offset, lmHeadEntry.length)).toEqual(
      model.weights.get('wte.weight'),
    );
    const mask = shards.get(index.weight_map['transformer.h.1.attn.bias']!)!.header;
    expect(mask.tensors.get('transformer.h.1.attn.bias')).toMatchObject({
      dtype: 'F32',
      shape: [1, 1, 64, 64],
    });
  });

  it('writes a single-file model with Hugging Face GPT-2 config and tensor layouts', async () => {
    const dir = join(root, 'single');
    const model = await writeTinyGpt2(dir, { seed: 9, dMlp: 48, activation: 'relu' });
    const config: unknown = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config).toEqual(model.config);
    expect(config).toMatchObject({
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      n_embd: 32,
      n_layer: 2,
      n_head: 4,
      n_positions: 64,
      n_ctx: 64,
      n_inner: 48,
      vocab_size: 300,
      layer_norm_epsilon: 1e-5,
      activation_function: 'relu',
      bos_token_id: 299,
      eos_token_id: 299,
      scale_attn_weights: true,
      tie_word_embeddings: true,
      torch_dtype: 'float32',
    });

    const { header } = await readHeader(dir, 'model.safetensors');
    const shapes = Object.fromEntries(
      [...header.tensors].map(([name, entry]) => [name, entry.shape]),
    );
    expect(shapes).toMatchObject({
      'wte.weight': [300, 32],
      'wpe.weight': [64, 32],
      'h.0.attn.c_attn.weight': [32, 96],
      'h.0.attn.c_attn.bias': [96],
      'h.0.attn.c_proj.weight': [32, 32],
      'h.1.mlp.c_fc.weight': [32, 48],
      'h.1.mlp.c_proj.weight': [48, 32],
      'ln_f.bias': [32],
    });
    expect(header.tensors.size).toBe(2 + 2 * 12 + 2);
    for (const [name, values] of model.weights) {
      expect(header.tensors.get(name)!.length).toBe(4 * values.length);
      expect(
        values.every((v) => v !== 0 && Math.fround(v) === v),
        name,
      ).toBe(true);
    }
  });

  it('is deterministic in its seed', async () => {
    const a = await writeTinyGpt2(join(root, 'a'), { seed: 1, nLayers: 1 });
    const b = await writeTinyGpt2(join(root, 'b'), { seed: 1, nLayers: 1 });
    const c = await writeTinyGpt2(join(root, 'c'), { seed: 2, nLayers: 1 });
    expect(a.weights).toEqual(b.weights);
    expect(a.weights.get('wte.weight')).not.toEqual(c.weights.get('wte.weight'));
  });
});

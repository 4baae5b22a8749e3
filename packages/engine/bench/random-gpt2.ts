/**
 * Writes a GPT-2-shaped model with random weights for benchmarks: the
 * tensors are streamed to disk one at a time, so a 124M-parameter model never
 * sits in memory.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byteLevelTokenizer } from '../test/support/byte-tokenizer.js';
import { createRng } from '../test/support/rng.js';

/** Shape of the benchmark model. */
export interface RandomGpt2Shape {
  readonly nLayers: number;
  readonly dModel: number;
  readonly nHeads: number;
  readonly vocabSize: number;
  readonly nPositions: number;
}

/** GPT-2 small: 12 layers, d_model 768, 12 heads, 50257 tokens, 1024 positions. */
export const GPT2_SMALL: RandomGpt2Shape = {
  nLayers: 12,
  dModel: 768,
  nHeads: 12,
  vocabSize: 50257,
  nPositions: 1024,
};

function tensors(shape: RandomGpt2Shape): [string, number[]][] {
  const d = shape.dModel;
  const list: [string, number[]][] = [
    ['wte.weight', [shape.vocabSize, d]],
    ['wpe.weight', [shape.nPositions, d]],
  ];
  for (let l = 0; l < shape.nLayers; l++) {
    list.push(
      [`h.${l}.ln_1.weight`, [d]],
      [`h.${l}.ln_1.bias`, [d]],
      [`h.${l}.attn.c_attn.weight`, [d, 3 * d]],
      [`h.${l}.attn.c_attn.bias`, [3 * d]],
      [`h.${l}.attn.c_proj.weight`, [d, d]],
      [`h.${l}.attn.c_proj.bias`, [d]],
      [`h.${l}.ln_2.weight`, [d]],
      [`h.${l}.ln_2.bias`, [d]],
      [`h.${l}.mlp.c_fc.weight`, [d, 4 * d]],
      [`h.${l}.mlp.c_fc.bias`, [4 * d]],
      [`h.${l}.mlp.c_proj.weight`, [4 * d, d]],
      [`h.${l}.mlp.c_proj.bias`, [d]],
    );
  }
  list.push(['ln_f.weight', [d]], ['ln_f.bias', [d]]);
  return list;
}

/** Writes the model folder `dir` (F32 weights) and returns its size in bytes. */
export async function writeRandomGpt2(
  dir: string,
  shape: RandomGpt2Shape,
  seed = 1,
): Promise<number> {
  await mkdir(dir, { recursive: true });
  const list = tensors(shape);
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, dims] of list) {
    const bytes = dims.reduce((a, b) => a * b, 1) * 4;
    header[name] = { dtype: 'F32', shape: dims, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(json.length), true);
  const file = await open(join(dir, 'model.safetensors'), 'w');
  try {
    await file.write(prefix);
    await file.write(new TextEncoder().encode(json));
    const rng = createRng(seed);
    for (const [name, dims] of list) {
      const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
      const isNormWeight = /ln_.*\.weight$/.test(name);
      const std = name.endsWith('.bias') || isNormWeight ? 0.02 : 0.05;
      for (let i = 0; i < data.length; i++) data[i] = (isNormWeight ? 1 : 0) + std * rng.normal();
      await file.write(new Uint8Array(data.buffer));
    }
  } finally {
    await file.close();
  }
  const config = {
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    n_embd: shape.dModel,
    n_layer: shape.nLayers,
    n_head: shape.nHeads,
    n_positions: shape.nPositions,
    n_ctx: shape.nPositions,
    n_inner: null,
    vocab_size: shape.vocabSize,
    layer_norm_epsilon: 1e-5,
    activation_function: 'gelu_new',
    bos_token_id: shape.vocabSize - 1,
    eos_token_id: shape.vocabSize - 1,
  };
  const { tokenizer, tokenizerConfig } = byteLevelTokenizer(300);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  return 8 + json.length + offset;
}

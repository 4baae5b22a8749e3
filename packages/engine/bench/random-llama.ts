/**
 * Writes a Llama-shaped model with random weights for benchmarks, as
 * `LlamaForCausalLM` saves it. Tensors are generated and streamed to disk in
 * chunks, so a 1.2B-parameter model never sits in memory.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byteLevelTokenizer } from '../test/support/byte-tokenizer.js';
import { createRng } from '../test/support/rng.js';

/** Shape of the benchmark model. */
export interface RandomLlamaShape {
  readonly nLayers: number;
  readonly dModel: number;
  readonly nHeads: number;
  readonly nKvHeads: number;
  readonly dMlp: number;
  readonly vocabSize: number;
  readonly maxPositions: number;
  /** Unembedding tied to the token embeddings (no `lm_head.weight`). */
  readonly tie: boolean;
}

/**
 * Llama-3.2-1B: 16 layers, d_model 2048, 32 query and 8 key/value heads of
 * 64, d_mlp 8192, 128256 tokens, tied embeddings; 1.24B parameters.
 */
export const LLAMA_3_2_1B: RandomLlamaShape = {
  nLayers: 16,
  dModel: 2048,
  nHeads: 32,
  nKvHeads: 8,
  dMlp: 8192,
  vocabSize: 128256,
  maxPositions: 131072,
  tie: true,
};

/** Stored weight formats: bf16 as Llama 3.2 ships, or f32. */
export type RandomLlamaDType = 'BF16' | 'F32';

function tensors(shape: RandomLlamaShape): [string, number[]][] {
  const d = shape.dModel;
  const dHead = d / shape.nHeads;
  const kv = shape.nKvHeads * dHead;
  const list: [string, number[]][] = [['model.embed_tokens.weight', [shape.vocabSize, d]]];
  for (let l = 0; l < shape.nLayers; l++) {
    const p = `model.layers.${l}`;
    list.push(
      [`${p}.input_layernorm.weight`, [d]],
      [`${p}.self_attn.q_proj.weight`, [d, d]],
      [`${p}.self_attn.k_proj.weight`, [kv, d]],
      [`${p}.self_attn.v_proj.weight`, [kv, d]],
      [`${p}.self_attn.o_proj.weight`, [d, d]],
      [`${p}.post_attention_layernorm.weight`, [d]],
      [`${p}.mlp.gate_proj.weight`, [shape.dMlp, d]],
      [`${p}.mlp.up_proj.weight`, [shape.dMlp, d]],
      [`${p}.mlp.down_proj.weight`, [d, shape.dMlp]],
    );
  }
  list.push(['model.norm.weight', [d]]);
  if (!shape.tie) list.push(['lm_head.weight', [shape.vocabSize, d]]);
  return list;
}

/** Float32 values as bfloat16 bit patterns, rounded to nearest even. */
function toBf16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i]!;
    out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  }
  return out;
}

/** Elements generated and written at a time: 64 MiB of float32. */
const CHUNK = 1 << 24;

/**
 * Writes the model folder `dir` and returns the weight file's size in bytes.
 * Norm weights are 1 + N(0, 0.02^2), every other weight N(0, 0.02^2), as
 * Hugging Face initialises Llama; the tokenizer is a tiny byte-level one
 * (ids below 300), enough to feed the model any T tokens.
 */
export async function writeRandomLlama(
  dir: string,
  shape: RandomLlamaShape,
  dtype: RandomLlamaDType,
  seed = 1,
): Promise<number> {
  await mkdir(dir, { recursive: true });
  const list = tensors(shape);
  const bytesPerValue = dtype === 'BF16' ? 2 : 4;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, dims] of list) {
    const bytes = dims.reduce((a, b) => a * b, 1) * bytesPerValue;
    header[name] = { dtype, shape: dims, data_offsets: [offset, offset + bytes] };
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
      const mean = name.endsWith('norm.weight') ? 1 : 0;
      let left = dims.reduce((a, b) => a * b, 1);
      while (left > 0) {
        const chunk = new Float32Array(Math.min(left, CHUNK)); // [chunk]
        for (let i = 0; i < chunk.length; i++) chunk[i] = mean + 0.02 * rng.normal();
        const data = dtype === 'BF16' ? toBf16(chunk) : chunk;
        await file.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        left -= chunk.length;
      }
    }
  } finally {
    await file.close();
  }
  const config = {
    model_type: 'llama',
    architectures: ['LlamaForCausalLM'],
    hidden_size: shape.dModel,
    intermediate_size: shape.dMlp,
    num_hidden_layers: shape.nLayers,
    num_attention_heads: shape.nHeads,
    num_key_value_heads: shape.nKvHeads,
    head_dim: shape.dModel / shape.nHeads,
    hidden_act: 'silu',
    max_position_embeddings: shape.maxPositions,
    rms_norm_eps: 1e-5,
    rope_theta: 500000,
    rope_scaling: {
      rope_type: 'llama3',
      factor: 32,
      low_freq_factor: 1,
      high_freq_factor: 4,
      original_max_position_embeddings: 8192,
    },
    tie_word_embeddings: shape.tie,
    torch_dtype: dtype === 'BF16' ? 'bfloat16' : 'float32',
    vocab_size: shape.vocabSize,
    bos_token_id: 299,
    eos_token_id: 299,
  };
  const { tokenizer, tokenizerConfig } = byteLevelTokenizer(300);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  return 8 + json.length + offset;
}

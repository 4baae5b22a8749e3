import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WeightDType } from '../../src/weights/safetensors.js';
import { byteLevelTokenizer } from './byte-tokenizer.js';
import { createRng, type Rng } from './rng.js';
import {
  roundTo,
  tensorByteLength,
  writeSafetensors,
  type WriterTensor,
} from './safetensors-writer.js';

/** The activations Hugging Face GPT-2 configs name: `gelu_new` (tanh), `gelu` (erf), `relu`. */
export type Gpt2Activation = 'gelu_new' | 'gelu' | 'relu';

/** A GPT-2 `config.json`, with Hugging Face's field names. */
export interface Gpt2Config {
  readonly model_type: 'gpt2';
  readonly architectures: readonly ['GPT2LMHeadModel'];
  readonly activation_function: Gpt2Activation;
  readonly n_embd: number;
  readonly n_layer: number;
  readonly n_head: number;
  readonly n_positions: number;
  readonly n_ctx: number;
  /** d_mlp; `null` means 4 * n_embd. */
  readonly n_inner: number | null;
  readonly vocab_size: number;
  readonly layer_norm_epsilon: number;
  readonly bos_token_id: number;
  readonly eos_token_id: number;
  readonly scale_attn_weights: boolean;
  readonly tie_word_embeddings: boolean;
  readonly [field: string]: unknown;
}

/** Options of {@link writeTinyGpt2}; defaults in brackets. */
export interface TinyGpt2Options {
  readonly seed: number;
  /** [2] */
  readonly nLayers?: number;
  /** d_model [32] */
  readonly dModel?: number;
  /** [4] */
  readonly nHeads?: number;
  /** d_vocab, at least 257 [300] */
  readonly vocabSize?: number;
  /** [64] */
  readonly nPositions?: number;
  /** Stored dtype of every weight ['F32']. */
  readonly dtype?: WeightDType;
  /** Number of `.safetensors` files; more than 1 writes `model.safetensors.index.json` [1]. */
  readonly shards?: number;
  /** Tensor name prefix, as in checkpoints saved from `GPT2LMHeadModel` [''] */
  readonly prefix?: '' | 'transformer.';
  /** ['gelu_new'] */
  readonly activation?: Gpt2Activation;
  /** Sets `n_inner` [null: 4 * dModel] */
  readonly dMlp?: number;
  /** Also write `lm_head.weight`, a copy of `wte.weight` [false] */
  readonly withLmHead?: boolean;
  /** Also write each layer's `attn.bias` causal-mask buffer (F32 [1, 1, P, P]) and `attn.masked_bias` [false] */
  readonly withAttnBiasBuffer?: boolean;
}

/** A tiny GPT-2 written to disk, with the values it stores. */
export interface TinyGpt2 {
  readonly dir: string;
  readonly config: Gpt2Config;
  /**
   * Every parameter as stored (rounded to the dtype), by Hugging Face name
   * without the prefix; no `lm_head.weight` (tied) and no buffers.
   */
  readonly weights: ReadonlyMap<string, Float64Array>;
}

/** The parameters of one GPT-2 and their shapes, in checkpoint order. */
function parameterShapes(config: Gpt2Config): [string, number[]][] {
  const d = config.n_embd;
  const dMlp = config.n_inner ?? 4 * d;
  const shapes: [string, number[]][] = [
    ['wte.weight', [config.vocab_size, d]],
    ['wpe.weight', [config.n_positions, d]],
  ];
  for (let i = 0; i < config.n_layer; i++) {
    shapes.push(
      [`h.${i}.ln_1.weight`, [d]],
      [`h.${i}.ln_1.bias`, [d]],
      [`h.${i}.attn.c_attn.weight`, [d, 3 * d]],
      [`h.${i}.attn.c_attn.bias`, [3 * d]],
      [`h.${i}.attn.c_proj.weight`, [d, d]],
      [`h.${i}.attn.c_proj.bias`, [d]],
      [`h.${i}.ln_2.weight`, [d]],
      [`h.${i}.ln_2.bias`, [d]],
      [`h.${i}.mlp.c_fc.weight`, [d, dMlp]],
      [`h.${i}.mlp.c_fc.bias`, [dMlp]],
      [`h.${i}.mlp.c_proj.weight`, [dMlp, d]],
      [`h.${i}.mlp.c_proj.bias`, [d]],
    );
  }
  shapes.push(['ln_f.weight', [d]], ['ln_f.bias', [d]]);
  return shapes;
}

/**
 * Random values large enough that attention patterns are far from uniform
 * and no bias is zero, so a dropped term or a transposed matrix shows.
 */
function randomParameter(name: string, size: number, rng: Rng): Float64Array {
  const values = new Float64Array(size);
  const isLayerNorm = /(^|\.)ln_(1|2|f)\./.test(name);
  for (let i = 0; i < size; i++) {
    if (isLayerNorm && name.endsWith('.weight')) values[i] = 0.8 + 0.4 * rng.uniform();
    else if (name.endsWith('.bias')) values[i] = 0.1 * rng.normal();
    else values[i] = 0.2 * rng.normal();
  }
  return values;
}

/**
 * The buffers old GPT-2 checkpoints carry per layer and the engine must
 * ignore: `attn.bias`, the causal mask, and `attn.masked_bias`.
 */
function attentionBuffers(attn: string, nPositions: number): [string, WriterTensor][] {
  const mask = new Float64Array(nPositions * nPositions); // [P, P], 1 where key_pos <= pos
  for (let q = 0; q < nPositions; q++) mask.fill(1, q * nPositions, q * nPositions + q + 1);
  return [
    [`${attn}.bias`, { dtype: 'F32', shape: [1, 1, nPositions, nPositions], data: mask }],
    [`${attn}.masked_bias`, { dtype: 'F32', shape: [], data: [-1e4] }],
  ];
}

/** Splits tensors, in order, into `shards` non-empty groups of about equal byte size. */
function shard(tensors: [string, WriterTensor][], shards: number): [string, WriterTensor][][] {
  if (shards > tensors.length) throw new Error(`${shards} shards for ${tensors.length} tensors`);
  const target = tensors.reduce((sum, [, tensor]) => sum + tensorByteLength(tensor), 0) / shards;
  const groups: [string, WriterTensor][][] = [[]];
  let bytes = 0;
  tensors.forEach((entry, i) => {
    const emptyShardsLeft = shards - groups.length;
    const full =
      bytes + tensorByteLength(entry[1]) > target || tensors.length - i <= emptyShardsLeft;
    if (groups.at(-1)!.length > 0 && emptyShardsLeft > 0 && full) {
      groups.push([]);
      bytes = 0;
    }
    groups.at(-1)!.push(entry);
    bytes += tensorByteLength(entry[1]);
  });
  return groups;
}

/**
 * Writes a tiny random GPT-2 as a Hugging Face folder: `config.json`,
 * `model.safetensors` (or `model-0000k-of-0000n.safetensors` shards and
 * `model.safetensors.index.json`), `tokenizer.json` and `tokenizer_config.json`.
 * Tensor names and layouts are Hugging Face GPT-2's: Conv1D weights are
 * input-major ([in, out], y = x @ W + b), and `attn.c_attn` columns are
 * q | k | v, each split into heads of d_head consecutive columns.
 *
 * @example
 * const model = await writeTinyGpt2(dir, { seed: 1, dtype: 'BF16', shards: 2 });
 * const forward = referenceGpt2(model, [5, 17, 260]);
 */
export async function writeTinyGpt2(dir: string, options: TinyGpt2Options): Promise<TinyGpt2> {
  const {
    seed,
    nLayers = 2,
    dModel = 32,
    nHeads = 4,
    vocabSize = 300,
    nPositions = 64,
    dtype = 'F32',
    shards = 1,
    prefix = '',
    activation = 'gelu_new',
    dMlp,
    withLmHead = false,
    withAttnBiasBuffer = false,
  } = options;
  if (dModel % nHeads !== 0) {
    throw new Error(`dModel ${dModel} is not a multiple of nHeads ${nHeads}`);
  }
  const config: Gpt2Config = {
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    activation_function: activation,
    attn_pdrop: 0,
    bos_token_id: vocabSize - 1,
    embd_pdrop: 0,
    eos_token_id: vocabSize - 1,
    initializer_range: 0.02,
    layer_norm_epsilon: 1e-5,
    n_ctx: nPositions,
    n_embd: dModel,
    n_head: nHeads,
    n_inner: dMlp ?? null,
    n_layer: nLayers,
    n_positions: nPositions,
    reorder_and_upcast_attn: false,
    resid_pdrop: 0,
    scale_attn_by_inverse_layer_idx: false,
    scale_attn_weights: true,
    tie_word_embeddings: true,
    torch_dtype: { F32: 'float32', F16: 'float16', BF16: 'bfloat16' }[dtype],
    use_cache: true,
    vocab_size: vocabSize,
  };

  const rng = createRng(seed);
  const weights = new Map<string, Float64Array>();
  const tensors: [string, WriterTensor][] = [];
  for (const [name, shape] of parameterShapes(config)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const stored = randomParameter(name, size, rng).map((x) => roundTo(dtype, x));
    weights.set(name, stored);
    tensors.push([prefix + name, { dtype, shape, data: stored }]);
    if (withAttnBiasBuffer && name.endsWith('.attn.c_proj.bias')) {
      const layer = name.slice(0, -'.c_proj.bias'.length);
      tensors.push(...attentionBuffers(prefix + layer, nPositions));
    }
  }
  if (withLmHead) {
    tensors.push([
      'lm_head.weight',
      { dtype, shape: [vocabSize, dModel], data: weights.get('wte.weight')! },
    ]);
  }

  await mkdir(dir, { recursive: true });
  const metadata = { format: 'pt' };
  if (shards <= 1) {
    const bytes = writeSafetensors(Object.fromEntries(tensors), metadata);
    await writeFile(join(dir, 'model.safetensors'), bytes);
  } else {
    const weightMap: Record<string, string> = {};
    for (const [k, group] of shard(tensors, shards).entries()) {
      const file = `model-${String(k + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
      for (const [name] of group) weightMap[name] = file;
      await writeFile(join(dir, file), writeSafetensors(Object.fromEntries(group), metadata));
    }
    const totalSize = tensors.reduce((sum, [, tensor]) => sum + tensorByteLength(tensor), 0);
    const index = { metadata: { total_size: totalSize }, weight_map: weightMap };
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify(index, null, 2));
  }

  const { tokenizer, tokenizerConfig } = byteLevelTokenizer(vocabSize);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ ...tokenizerConfig, model_max_length: nPositions }, null, 2),
  );
  return { dir, config, weights };
}

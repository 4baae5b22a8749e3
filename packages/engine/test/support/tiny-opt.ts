import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byteLevelTokenizer } from './byte-tokenizer.js';
import { createRng } from './rng.js';
import { roundTo, writeSafetensors, type WriterTensor } from './safetensors-writer.js';

/** An OPT `config.json`, with Hugging Face's field names. */
export interface OptConfig {
  readonly model_type: 'opt';
  readonly hidden_size: number;
  readonly word_embed_proj_dim: number;
  readonly ffn_dim: number;
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  /** The position table has 2 more rows: OPT looks positions up at index + 2. */
  readonly max_position_embeddings: number;
  readonly vocab_size: number;
  readonly activation_function: 'relu' | 'gelu';
  readonly do_layer_norm_before: boolean;
  readonly enable_bias: boolean;
  readonly layer_norm_elementwise_affine: boolean;
  readonly tie_word_embeddings: boolean;
  readonly [field: string]: unknown;
}

/** Options of {@link writeTinyOpt}; defaults in brackets. */
export interface TinyOptOptions {
  readonly seed: number;
  /** [2] */
  readonly nLayers?: number;
  /** [32] */
  readonly dModel?: number;
  /** [4] */
  readonly nHeads?: number;
  /** [64] */
  readonly dMlp?: number;
  /** At least 257 [300] */
  readonly vocabSize?: number;
  /** [64] */
  readonly maxPositions?: number;
  /** ['relu'] */
  readonly activation?: 'relu' | 'gelu';
  /** [true] */
  readonly enableBias?: boolean;
  /** Tensor name prefix: `OPTForCausalLM` saves `model.decoder.`, `OPTModel` `decoder.` ['model.decoder.'] */
  readonly prefix?: 'model.decoder.' | 'decoder.';
  /** Prepend BOS in the tokenizer config [true, as OPT's does] */
  readonly addBosToken?: boolean;
}

/** A tiny OPT written to disk, with the values it stores. */
export interface TinyOpt {
  readonly dir: string;
  readonly config: OptConfig;
  /** Every tensor as stored, by Hugging Face name without the prefix (`embed_tokens.weight`). */
  readonly weights: ReadonlyMap<string, Float64Array>;
}

function parameterShapes(config: OptConfig): [string, number[]][] {
  const d = config.hidden_size;
  const f = config.ffn_dim;
  const bias = config.enable_bias;
  const shapes: [string, number[]][] = [
    ['embed_tokens.weight', [config.vocab_size, d]],
    ['embed_positions.weight', [config.max_position_embeddings + 2, d]],
  ];
  const linear = (name: string, out: number, inSize: number) => {
    shapes.push([`${name}.weight`, [out, inSize]]);
    if (bias) shapes.push([`${name}.bias`, [out]]);
  };
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `layers.${i}`;
    for (const proj of ['k_proj', 'v_proj', 'q_proj', 'out_proj'])
      linear(`${p}.self_attn.${proj}`, d, d);
    shapes.push([`${p}.self_attn_layer_norm.weight`, [d]], [`${p}.self_attn_layer_norm.bias`, [d]]);
    linear(`${p}.fc1`, f, d);
    linear(`${p}.fc2`, d, f);
    shapes.push([`${p}.final_layer_norm.weight`, [d]], [`${p}.final_layer_norm.bias`, [d]]);
  }
  shapes.push(['final_layer_norm.weight', [d]], ['final_layer_norm.bias', [d]]);
  return shapes;
}

/**
 * Writes a tiny random OPT as a Hugging Face folder: `config.json`,
 * `model.safetensors` (names and `nn.Linear` [out, in] layouts as
 * `OPTForCausalLM` saves them, no `lm_head.weight`: it is tied), and a
 * byte-level tokenizer whose config prepends BOS.
 *
 * @example
 * const tiny = await writeTinyOpt(dir, { seed: 3 });
 */
export async function writeTinyOpt(dir: string, options: TinyOptOptions): Promise<TinyOpt> {
  const {
    seed,
    nLayers = 2,
    dModel = 32,
    nHeads = 4,
    dMlp = 64,
    vocabSize = 300,
    maxPositions = 64,
    activation = 'relu',
    enableBias = true,
    prefix = 'model.decoder.',
    addBosToken = true,
  } = options;
  const config: OptConfig = {
    model_type: 'opt',
    architectures: ['OPTForCausalLM'],
    _remove_final_layer_norm: false,
    activation_dropout: 0,
    activation_function: activation,
    attention_dropout: 0,
    bos_token_id: vocabSize - 1,
    do_layer_norm_before: true,
    dropout: 0.1,
    enable_bias: enableBias,
    eos_token_id: vocabSize - 1,
    ffn_dim: dMlp,
    hidden_size: dModel,
    init_std: 0.02,
    layer_norm_elementwise_affine: true,
    layerdrop: 0,
    max_position_embeddings: maxPositions,
    num_attention_heads: nHeads,
    num_hidden_layers: nLayers,
    pad_token_id: 1,
    tie_word_embeddings: true,
    torch_dtype: 'float32',
    use_cache: true,
    vocab_size: vocabSize,
    word_embed_proj_dim: dModel,
  };
  const rng = createRng(seed);
  const weights = new Map<string, Float64Array>();
  const tensors: Record<string, WriterTensor> = {};
  for (const [name, shape] of parameterShapes(config)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      if (name.endsWith('layer_norm.weight')) values[i] = 0.8 + 0.4 * rng.uniform();
      else if (name.endsWith('.bias')) values[i] = 0.1 * rng.normal();
      else values[i] = 0.2 * rng.normal();
    }
    const stored = values.map((x) => roundTo('F32', x));
    weights.set(name, stored);
    tensors[prefix + name] = { dtype: 'F32', shape, data: stored };
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), writeSafetensors(tensors, { format: 'pt' }));
  const { tokenizer, tokenizerConfig } = byteLevelTokenizer(vocabSize);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify(
      { ...tokenizerConfig, add_bos_token: addBosToken, model_max_length: maxPositions },
      null,
      2,
    ),
  );
  return { dir, config, weights };
}

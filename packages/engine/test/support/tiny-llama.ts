import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WeightDType } from '../../src/weights/safetensors.js';
import { byteLevelTokenizer } from './byte-tokenizer.js';
import { createRng } from './rng.js';
import { roundTo, writeSafetensors, type WriterTensor } from './safetensors-writer.js';

/** The `model_type`s of the Llama-style families. */
export type LlamaModelType = 'llama' | 'mistral' | 'qwen2';

/** Llama 3's `rope_scaling`, with Hugging Face's field names. */
export interface Llama3RopeScalingConfig {
  readonly rope_type: 'llama3';
  readonly factor: number;
  readonly low_freq_factor: number;
  readonly high_freq_factor: number;
  readonly original_max_position_embeddings: number;
}

/** A Llama / Mistral / Qwen2 `config.json`, with Hugging Face's field names. */
export interface LlamaConfig {
  readonly model_type: LlamaModelType;
  readonly hidden_size: number;
  readonly intermediate_size: number;
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  readonly num_key_value_heads: number;
  /** Absent means hidden_size / num_attention_heads. */
  readonly head_dim?: number;
  readonly max_position_embeddings: number;
  readonly vocab_size: number;
  readonly rms_norm_eps: number;
  readonly rope_theta: number;
  readonly rope_scaling: Llama3RopeScalingConfig | null;
  readonly tie_word_embeddings: boolean;
  readonly hidden_act: 'silu';
  /** Llama only: biases on q, k, v and o. */
  readonly attention_bias?: boolean;
  /** Mistral, and Qwen2 with `use_sliding_window`. */
  readonly sliding_window?: number | null;
  readonly [field: string]: unknown;
}

/** Options of {@link writeTinyLlama}; defaults in brackets. */
export interface TinyLlamaOptions {
  readonly modelType: LlamaModelType;
  readonly seed: number;
  /** [2] */
  readonly nLayers?: number;
  /** [32] */
  readonly dModel?: number;
  /** [4] */
  readonly nHeads?: number;
  /** [2]: grouped-query attention */
  readonly nKvHeads?: number;
  /** Writes `head_dim` [absent: dModel / nHeads] */
  readonly headDim?: number;
  /** [48] */
  readonly dMlp?: number;
  /** At least 257 [300] */
  readonly vocabSize?: number;
  /** [64] */
  readonly maxPositions?: number;
  /** [false]: false writes `lm_head.weight` */
  readonly tie?: boolean;
  /** [10000] */
  readonly ropeTheta?: number;
  /** [null] */
  readonly ropeScaling?: Llama3RopeScalingConfig;
  /** Llama's `attention_bias` [false] */
  readonly attentionBias?: boolean;
  /** Mistral's `sliding_window` [null] */
  readonly slidingWindow?: number;
  /** [1e-6] */
  readonly rmsNormEps?: number;
  /** ['F32'] */
  readonly dtype?: WeightDType;
}

/** A tiny Llama-style model written to disk, with the values it stores. */
export interface TinyLlama {
  readonly dir: string;
  readonly config: LlamaConfig;
  /** Every tensor as stored (rounded to the dtype), by its full Hugging Face name. */
  readonly weights: ReadonlyMap<string, Float64Array>;
}

/** The tensors of one model and their shapes, in checkpoint order. */
function parameterShapes(config: LlamaConfig): [string, number[]][] {
  const d = config.hidden_size;
  const dHead = config.head_dim ?? d / config.num_attention_heads;
  const qWidth = config.num_attention_heads * dHead;
  const kvWidth = config.num_key_value_heads * dHead;
  const dMlp = config.intermediate_size;
  const qkvBias = config.model_type === 'qwen2' || config.attention_bias === true;
  const shapes: [string, number[]][] = [['model.embed_tokens.weight', [config.vocab_size, d]]];
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    shapes.push(
      [`${p}.input_layernorm.weight`, [d]],
      [`${p}.self_attn.q_proj.weight`, [qWidth, d]],
      [`${p}.self_attn.k_proj.weight`, [kvWidth, d]],
      [`${p}.self_attn.v_proj.weight`, [kvWidth, d]],
    );
    if (qkvBias) {
      shapes.push(
        [`${p}.self_attn.q_proj.bias`, [qWidth]],
        [`${p}.self_attn.k_proj.bias`, [kvWidth]],
        [`${p}.self_attn.v_proj.bias`, [kvWidth]],
      );
    }
    shapes.push([`${p}.self_attn.o_proj.weight`, [d, qWidth]]);
    if (config.attention_bias === true) shapes.push([`${p}.self_attn.o_proj.bias`, [d]]);
    shapes.push(
      [`${p}.post_attention_layernorm.weight`, [d]],
      [`${p}.mlp.gate_proj.weight`, [dMlp, d]],
      [`${p}.mlp.up_proj.weight`, [dMlp, d]],
      [`${p}.mlp.down_proj.weight`, [d, dMlp]],
    );
  }
  shapes.push(['model.norm.weight', [d]]);
  if (!config.tie_word_embeddings) shapes.push(['lm_head.weight', [config.vocab_size, d]]);
  return shapes;
}

/**
 * Writes a tiny random Llama, Mistral or Qwen2 as a Hugging Face folder:
 * `config.json`, `model.safetensors` (names and `nn.Linear` [out, in]
 * layouts as `LlamaForCausalLM` saves them), and a byte-level tokenizer.
 * Norm weights lie in [0.8, 1.2], biases and projections are normal with
 * standard deviation 0.1 and 0.2, large enough that a dropped term shows.
 *
 * @example
 * const tiny = await writeTinyLlama(dir, { modelType: 'qwen2', seed: 3, tie: true });
 */
export async function writeTinyLlama(dir: string, options: TinyLlamaOptions): Promise<TinyLlama> {
  const {
    modelType,
    seed,
    nLayers = 2,
    dModel = 32,
    nHeads = 4,
    nKvHeads = 2,
    headDim,
    dMlp = 48,
    vocabSize = 300,
    maxPositions = 64,
    tie = false,
    ropeTheta = 10000,
    ropeScaling,
    attentionBias,
    slidingWindow,
    rmsNormEps = 1e-6,
    dtype = 'F32',
  } = options;
  const config: LlamaConfig = {
    model_type: modelType,
    architectures: [
      { llama: 'LlamaForCausalLM', mistral: 'MistralForCausalLM', qwen2: 'Qwen2ForCausalLM' }[
        modelType
      ],
    ],
    attention_dropout: 0,
    bos_token_id: vocabSize - 1,
    eos_token_id: vocabSize - 1,
    hidden_act: 'silu',
    hidden_size: dModel,
    initializer_range: 0.02,
    intermediate_size: dMlp,
    max_position_embeddings: maxPositions,
    num_attention_heads: nHeads,
    num_hidden_layers: nLayers,
    num_key_value_heads: nKvHeads,
    rms_norm_eps: rmsNormEps,
    rope_scaling: ropeScaling ?? null,
    rope_theta: ropeTheta,
    tie_word_embeddings: tie,
    torch_dtype: { F32: 'float32', F16: 'float16', BF16: 'bfloat16' }[dtype],
    use_cache: true,
    vocab_size: vocabSize,
    ...(headDim !== undefined ? { head_dim: headDim } : {}),
    ...(modelType === 'llama' ? { attention_bias: attentionBias ?? false, mlp_bias: false } : {}),
    ...(modelType === 'mistral' ? { sliding_window: slidingWindow ?? null } : {}),
    ...(modelType === 'qwen2'
      ? { use_sliding_window: false, sliding_window: 4096, max_window_layers: nLayers }
      : {}),
  };

  const rng = createRng(seed);
  const weights = new Map<string, Float64Array>();
  const tensors: Record<string, WriterTensor> = {};
  for (const [name, shape] of parameterShapes(config)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      if (name.endsWith('norm.weight')) values[i] = 0.8 + 0.4 * rng.uniform();
      else if (name.endsWith('.bias')) values[i] = 0.1 * rng.normal();
      else values[i] = 0.2 * rng.normal();
    }
    const stored = values.map((x) => roundTo(dtype, x));
    weights.set(name, stored);
    tensors[name] = { dtype, shape, data: stored };
  }

  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), writeSafetensors(tensors, { format: 'pt' }));
  const { tokenizer, tokenizerConfig } = byteLevelTokenizer(vocabSize);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ ...tokenizerConfig, model_max_length: maxPositions }, null, 2),
  );
  return { dir, config, weights };
}

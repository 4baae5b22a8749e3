import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WeightDType } from '../../src/weights/safetensors.js';
import { createRng } from './rng.js';
import { roundTo, writeSafetensors, type WriterTensor } from './safetensors-writer.js';
import { sentencePieceTokenizer } from './sentencepiece-tokenizer.js';

/** A Gemma `config.json` as `GemmaConfig` saves it (Hugging Face's field names). */
export interface GemmaConfig {
  readonly model_type: 'gemma';
  readonly hidden_size: number;
  readonly intermediate_size: number;
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  readonly num_key_value_heads: number;
  readonly head_dim: number;
  readonly max_position_embeddings: number;
  readonly vocab_size: number;
  readonly rms_norm_eps: number;
  readonly rope_theta: number;
  /** `gelu` in early configs, which the model never used (see `hidden_activation`). */
  readonly hidden_act: string;
  /** Absent in early configs, which means `gelu_pytorch_tanh`. */
  readonly hidden_activation?: string;
  readonly attention_bias: boolean;
  readonly tie_word_embeddings?: boolean;
  readonly torch_dtype: 'float32' | 'float16' | 'bfloat16';
  readonly [field: string]: unknown;
}

/** Options of {@link writeTinyGemma}; defaults in brackets. */
export interface TinyGemmaOptions {
  readonly seed: number;
  /** [2] */
  readonly nLayers?: number;
  /** [48] */
  readonly dModel?: number;
  /** [4] */
  readonly nHeads?: number;
  /** [1]: multi-query attention, as gemma-2b */
  readonly nKvHeads?: number;
  /** [16]: n_heads d_head = 64, not d_model */
  readonly headDim?: number;
  /** [64] */
  readonly dMlp?: number;
  /** [64] */
  readonly maxPositions?: number;
  /** [10000] */
  readonly ropeTheta?: number;
  /** Writes `hidden_activation` ['gelu_pytorch_tanh']; null leaves it out, as early configs did. */
  readonly hiddenActivation?: string | null;
  /** [false] */
  readonly attentionBias?: boolean;
  /** [1e-6] */
  readonly rmsNormEps?: number;
  /** ['F32'], also `torch_dtype` */
  readonly dtype?: WeightDType;
}

/** A tiny Gemma written to disk, with the values it stores. */
export interface TinyGemma {
  readonly dir: string;
  readonly config: GemmaConfig;
  /** Every tensor as stored (rounded to the dtype), by its full Hugging Face name. */
  readonly weights: ReadonlyMap<string, Float64Array>;
}

/** The tensors of one model and their shapes, in checkpoint order. */
function parameterShapes(config: GemmaConfig): [string, number[]][] {
  const d = config.hidden_size;
  const qWidth = config.num_attention_heads * config.head_dim;
  const kvWidth = config.num_key_value_heads * config.head_dim;
  const dMlp = config.intermediate_size;
  const shapes: [string, number[]][] = [['model.embed_tokens.weight', [config.vocab_size, d]]];
  const linear = (name: string, out: number, inSize: number, bias: boolean) => {
    shapes.push([`${name}.weight`, [out, inSize]]);
    if (bias) shapes.push([`${name}.bias`, [out]]);
  };
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    shapes.push([`${p}.input_layernorm.weight`, [d]]);
    linear(`${p}.self_attn.q_proj`, qWidth, d, config.attention_bias);
    linear(`${p}.self_attn.k_proj`, kvWidth, d, config.attention_bias);
    linear(`${p}.self_attn.v_proj`, kvWidth, d, config.attention_bias);
    linear(`${p}.self_attn.o_proj`, d, qWidth, config.attention_bias);
    shapes.push([`${p}.post_attention_layernorm.weight`, [d]]);
    linear(`${p}.mlp.gate_proj`, dMlp, d, false);
    linear(`${p}.mlp.up_proj`, dMlp, d, false);
    linear(`${p}.mlp.down_proj`, d, dMlp, false);
  }
  shapes.push(['model.norm.weight', [d]]);
  return shapes;
}

/**
 * Writes a tiny random Gemma as a Hugging Face folder: `config.json`,
 * `model.safetensors` (names and `nn.Linear` [out, in] layouts as
 * `GemmaForCausalLM` saves them, no `lm_head.weight`: it is tied), and a
 * Gemma-style sentencepiece tokenizer with byte fallback. Norm weights are
 * stored as Gemma stores them, `scale - 1`, in [-0.2, 0.2]; projections and
 * embeddings are normal with standard deviation 0.2, biases 0.1.
 *
 * @example
 * const tiny = await writeTinyGemma(dir, { seed: 3, dtype: 'BF16' });
 */
export async function writeTinyGemma(dir: string, options: TinyGemmaOptions): Promise<TinyGemma> {
  const {
    seed,
    nLayers = 2,
    dModel = 48,
    nHeads = 4,
    nKvHeads = 1,
    headDim = 16,
    dMlp = 64,
    maxPositions = 64,
    ropeTheta = 10000,
    hiddenActivation = 'gelu_pytorch_tanh',
    attentionBias = false,
    rmsNormEps = 1e-6,
    dtype = 'F32',
  } = options;
  const { tokenizer, tokenizerConfig } = sentencePieceTokenizer('gemma', 120);
  const config: GemmaConfig = {
    architectures: ['GemmaForCausalLM'],
    attention_bias: attentionBias,
    attention_dropout: 0,
    bos_token_id: 2,
    eos_token_id: 1,
    head_dim: headDim,
    hidden_act: 'gelu',
    ...(hiddenActivation === null ? {} : { hidden_activation: hiddenActivation }),
    hidden_size: dModel,
    initializer_range: 0.02,
    intermediate_size: dMlp,
    max_position_embeddings: maxPositions,
    model_type: 'gemma',
    num_attention_heads: nHeads,
    num_hidden_layers: nLayers,
    num_key_value_heads: nKvHeads,
    pad_token_id: 0,
    rms_norm_eps: rmsNormEps,
    rope_scaling: null,
    rope_theta: ropeTheta,
    torch_dtype: ({ F32: 'float32', F16: 'float16', BF16: 'bfloat16' } as const)[dtype],
    transformers_version: '4.38.0',
    use_cache: true,
    vocab_size: Object.keys(tokenizer.model.vocab).length,
  };

  const rng = createRng(seed);
  const weights = new Map<string, Float64Array>();
  const tensors: Record<string, WriterTensor> = {};
  for (const [name, shape] of parameterShapes(config)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      if (name.endsWith('norm.weight')) values[i] = 0.4 * rng.uniform() - 0.2;
      else if (name.endsWith('.bias')) values[i] = 0.1 * rng.normal();
      else values[i] = 0.2 * rng.normal();
    }
    const stored = values.map((x) => roundTo(dtype, x));
    weights.set(name, stored);
    tensors[name] = { dtype, shape, data: stored };
  }

  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), writeSafetensors(tensors, { format: 'pt' }));
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ ...tokenizerConfig, model_max_length: maxPositions }, null, 2),
  );
  return { dir, config, weights };
}

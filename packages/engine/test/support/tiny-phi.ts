import { writeTinyCheckpoint } from './tiny-checkpoint.js';

/** A Phi (`PhiForCausalLM`) `config.json`, with Hugging Face's field names. */
export interface PhiConfig {
  readonly model_type: 'phi';
  readonly hidden_size: number;
  readonly intermediate_size: number;
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  readonly num_key_value_heads: number;
  readonly max_position_embeddings: number;
  readonly vocab_size: number;
  readonly partial_rotary_factor: number;
  readonly rope_theta: number;
  readonly layer_norm_eps: number;
  readonly hidden_act: 'gelu_new' | 'gelu';
  readonly qk_layernorm: boolean;
  readonly tie_word_embeddings: boolean;
  readonly [field: string]: unknown;
}

/** Options of {@link writeTinyPhi}; defaults in brackets. */
export interface TinyPhiOptions {
  readonly seed: number;
  /** [2] */
  readonly nLayers?: number;
  /** [32] */
  readonly dModel?: number;
  /** [4] */
  readonly nHeads?: number;
  /** [4] */
  readonly nKvHeads?: number;
  /** [64] */
  readonly dMlp?: number;
  /** At least 257 [300] */
  readonly vocabSize?: number;
  /** [64] */
  readonly maxPositions?: number;
  /** [0.5]: of d_head 8, 4 rotary dimensions */
  readonly partialRotaryFactor?: number;
  /** [10000] */
  readonly ropeTheta?: number;
  /** ['gelu_new'] */
  readonly activation?: PhiConfig['hidden_act'];
  /** [false] */
  readonly qkLayernorm?: boolean;
}

/** A tiny Phi written to disk, with the values it stores. */
export interface TinyPhi {
  readonly dir: string;
  readonly config: PhiConfig;
  /** Every tensor as stored, by full Hugging Face name (`model.embed_tokens.weight`). */
  readonly weights: ReadonlyMap<string, Float64Array>;
}

function parameterShapes(config: PhiConfig): [string, number[]][] {
  const d = config.hidden_size;
  const f = config.intermediate_size;
  const dHead = d / config.num_attention_heads;
  const kv = config.num_key_value_heads * dHead;
  const shapes: [string, number[]][] = [['model.embed_tokens.weight', [config.vocab_size, d]]];
  const linear = (name: string, out: number, inSize: number) =>
    shapes.push([`${name}.weight`, [out, inSize]], [`${name}.bias`, [out]]);
  const layerNorm = (name: string, size = d) =>
    shapes.push([`${name}.weight`, [size]], [`${name}.bias`, [size]]);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}`;
    linear(`${p}.self_attn.q_proj`, d, d);
    linear(`${p}.self_attn.k_proj`, kv, d);
    linear(`${p}.self_attn.v_proj`, kv, d);
    linear(`${p}.self_attn.dense`, d, d);
    if (config.qk_layernorm) {
      layerNorm(`${p}.self_attn.q_layernorm`, dHead);
      layerNorm(`${p}.self_attn.k_layernorm`, dHead);
    }
    linear(`${p}.mlp.fc1`, f, d);
    linear(`${p}.mlp.fc2`, d, f);
    layerNorm(`${p}.input_layernorm`);
  }
  layerNorm('model.final_layernorm');
  linear('lm_head', config.vocab_size, d);
  return shapes;
}

/**
 * Writes a tiny random Phi as a Hugging Face folder: `config.json`,
 * `model.safetensors` with `PhiForCausalLM`'s names and `nn.Linear` [out, in]
 * layouts (q/k/v/dense biases, an untied `lm_head` with a bias), and a
 * byte-level tokenizer.
 *
 * @example
 * const tiny = await writeTinyPhi(dir, { seed: 3, nKvHeads: 2 });
 */
export async function writeTinyPhi(dir: string, options: TinyPhiOptions): Promise<TinyPhi> {
  const {
    seed,
    nLayers = 2,
    dModel = 32,
    nHeads = 4,
    nKvHeads = 4,
    dMlp = 64,
    vocabSize = 300,
    maxPositions = 64,
    partialRotaryFactor = 0.5,
    ropeTheta = 10000,
    activation = 'gelu_new',
    qkLayernorm = false,
  } = options;
  const config: PhiConfig = {
    model_type: 'phi',
    architectures: ['PhiForCausalLM'],
    attention_dropout: 0,
    bos_token_id: vocabSize - 1,
    embd_pdrop: 0,
    eos_token_id: vocabSize - 1,
    hidden_act: activation,
    hidden_size: dModel,
    initializer_range: 0.02,
    intermediate_size: dMlp,
    layer_norm_eps: 1e-5,
    max_position_embeddings: maxPositions,
    num_attention_heads: nHeads,
    num_hidden_layers: nLayers,
    num_key_value_heads: nKvHeads,
    partial_rotary_factor: partialRotaryFactor,
    qk_layernorm: qkLayernorm,
    resid_pdrop: 0,
    rope_scaling: null,
    rope_theta: ropeTheta,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    use_cache: true,
    vocab_size: vocabSize,
  };
  const weights = await writeTinyCheckpoint(dir, {
    config,
    shapes: parameterShapes(config),
    seed,
    vocabSize,
    maxPositions,
  });
  return { dir, config, weights };
}

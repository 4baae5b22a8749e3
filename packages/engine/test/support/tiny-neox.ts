import { writeTinyCheckpoint } from './tiny-checkpoint.js';

/** A GPT-NeoX / Pythia `config.json`, with Hugging Face's field names. */
export interface NeoxConfig {
  readonly model_type: 'gpt_neox';
  readonly hidden_size: number;
  readonly intermediate_size: number;
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  readonly max_position_embeddings: number;
  readonly vocab_size: number;
  readonly rotary_pct: number;
  readonly rotary_emb_base: number;
  readonly layer_norm_eps: number;
  readonly hidden_act: 'gelu' | 'gelu_new' | 'relu';
  readonly use_parallel_residual: boolean;
  readonly attention_bias: boolean;
  readonly tie_word_embeddings: boolean;
  readonly [field: string]: unknown;
}

/** Options of {@link writeTinyNeox}; defaults in brackets. */
export interface TinyNeoxOptions {
  readonly seed: number;
  /** [2] */
  readonly nLayers?: number;
  /** [48] */
  readonly dModel?: number;
  /** [4] */
  readonly nHeads?: number;
  /** [80] */
  readonly dMlp?: number;
  /** At least 257 [300] */
  readonly vocabSize?: number;
  /** [64] */
  readonly maxPositions?: number;
  /** [0.5]: of d_head 12, 6 rotary dimensions */
  readonly rotaryPct?: number;
  /** [10000] */
  readonly rotaryBase?: number;
  /** [true] */
  readonly parallel?: boolean;
  /** ['gelu'] */
  readonly activation?: NeoxConfig['hidden_act'];
  /** [1e-5] */
  readonly layerNormEps?: number;
}

/** A tiny GPT-NeoX written to disk, with the values it stores. */
export interface TinyNeox {
  readonly dir: string;
  readonly config: NeoxConfig;
  /** Every tensor as stored, by full Hugging Face name (`gpt_neox.embed_in.weight`). */
  readonly weights: ReadonlyMap<string, Float64Array>;
}

function parameterShapes(config: NeoxConfig): [string, number[]][] {
  const d = config.hidden_size;
  const f = config.intermediate_size;
  const dHead = d / config.num_attention_heads;
  const rotary = Math.floor(dHead * config.rotary_pct);
  const shapes: [string, number[]][] = [['gpt_neox.embed_in.weight', [config.vocab_size, d]]];
  const linear = (name: string, out: number, inSize: number) =>
    shapes.push([`${name}.weight`, [out, inSize]], [`${name}.bias`, [out]]);
  const layerNorm = (name: string) => shapes.push([`${name}.weight`, [d]], [`${name}.bias`, [d]]);
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `gpt_neox.layers.${i}`;
    layerNorm(`${p}.input_layernorm`);
    layerNorm(`${p}.post_attention_layernorm`);
    // Pythia checkpoints carry this buffer; the engine computes its own.
    shapes.push([`${p}.attention.rotary_emb.inv_freq`, [rotary / 2]]);
    linear(`${p}.attention.query_key_value`, 3 * d, d);
    linear(`${p}.attention.dense`, d, d);
    linear(`${p}.mlp.dense_h_to_4h`, f, d);
    linear(`${p}.mlp.dense_4h_to_h`, d, f);
  }
  layerNorm('gpt_neox.final_layer_norm');
  shapes.push(['embed_out.weight', [config.vocab_size, d]]);
  return shapes;
}

/**
 * Writes a tiny random GPT-NeoX as a Hugging Face folder: `config.json`,
 * `model.safetensors` with `GPTNeoXForCausalLM`'s names and `nn.Linear`
 * [out, in] layouts (the fused `query_key_value` per head [q, k, v]), an
 * untied `embed_out`, and a byte-level tokenizer.
 *
 * @example
 * const tiny = await writeTinyNeox(dir, { seed: 3, parallel: false });
 */
export async function writeTinyNeox(dir: string, options: TinyNeoxOptions): Promise<TinyNeox> {
  const {
    seed,
    nLayers = 2,
    dModel = 48,
    nHeads = 4,
    dMlp = 80,
    vocabSize = 300,
    maxPositions = 64,
    rotaryPct = 0.5,
    rotaryBase = 10000,
    parallel = true,
    activation = 'gelu',
    layerNormEps = 1e-5,
  } = options;
  const config: NeoxConfig = {
    model_type: 'gpt_neox',
    architectures: ['GPTNeoXForCausalLM'],
    attention_bias: true,
    attention_dropout: 0,
    bos_token_id: vocabSize - 1,
    classifier_dropout: 0.1,
    eos_token_id: vocabSize - 1,
    hidden_act: activation,
    hidden_dropout: 0,
    hidden_size: dModel,
    initializer_range: 0.02,
    intermediate_size: dMlp,
    layer_norm_eps: layerNormEps,
    max_position_embeddings: maxPositions,
    num_attention_heads: nHeads,
    num_hidden_layers: nLayers,
    rope_scaling: null,
    rotary_emb_base: rotaryBase,
    rotary_pct: rotaryPct,
    tie_word_embeddings: false,
    torch_dtype: 'float32',
    use_cache: true,
    use_parallel_residual: parallel,
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

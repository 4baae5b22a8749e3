/**
 * Llama 2/3, Mistral and Qwen2 (`model_type` llama, mistral, qwen2): pre-RMSNorm
 * blocks, rotary positions in the half-rotation convention (`rope_theta`,
 * Llama 3 `rope_scaling`), separate `nn.Linear` q/k/v/o projections with
 * grouped-query attention (`num_key_value_heads`), SwiGLU MLP
 * (`silu(gate) * up`), no biases (except Qwen2's q/k/v, and Llama's
 * `attention_bias` / `mlp_bias`), tied or untied unembedding.
 *
 * A sliding attention window (Mistral's `sliding_window`, Qwen2's with
 * `use_sliding_window`) is honoured by capping `nCtx` at the window: no
 * prompt is long enough for the window to mask anything, so the plain causal
 * mask is exact.
 */
import { LmttError } from '../errors.js';
import type { Llama3RopeScaling, ModelSpec, NormSpec } from '../spec/model-spec.js';
import { intField, numberField, tokenIdField } from './config-fields.js';
import type { Family, RawConfig } from './family.js';
import { llamaStyleLayers } from './llama-layers.js';

type LlamaType = 'llama' | 'mistral' | 'qwen2';

function unsupported(modelType: LlamaType, why: string): LmttError {
  return new LmttError('UNSUPPORTED_MODEL', `${modelType}: ${why}`);
}

/** A finite number field of `rope_scaling`. */
function scalingNumber(modelType: LlamaType, scaling: RawConfig, key: string): number {
  const value = scaling[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw unsupported(modelType, `rope_scaling.${key} must be a positive number`);
  }
  return value;
}

/** Reads `rope_scaling`: none, `default`, or Llama 3's; refuses every other kind. */
function ropeScaling(modelType: LlamaType, config: RawConfig): Llama3RopeScaling | undefined {
  const raw = config['rope_scaling'];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw unsupported(modelType, 'rope_scaling is not an object');
  }
  const scaling = raw as RawConfig;
  const kind = scaling['rope_type'] ?? scaling['type'];
  if (kind === 'default') return undefined;
  if (kind !== 'llama3') {
    throw unsupported(
      modelType,
      `rope_scaling type '${String(kind)}' is not supported (supported: default, llama3)`,
    );
  }
  const result: Llama3RopeScaling = {
    kind: 'llama3',
    factor: scalingNumber(modelType, scaling, 'factor'),
    lowFreqFactor: scalingNumber(modelType, scaling, 'low_freq_factor'),
    highFreqFactor: scalingNumber(modelType, scaling, 'high_freq_factor'),
    originalMaxPositions: scalingNumber(modelType, scaling, 'original_max_position_embeddings'),
  };
  if (result.highFreqFactor <= result.lowFreqFactor) {
    throw unsupported(modelType, 'rope_scaling.high_freq_factor must exceed low_freq_factor');
  }
  return result;
}

/** The attention window, if the config turns one on. */
function slidingWindow(modelType: LlamaType, config: RawConfig): number | undefined {
  const window = config['sliding_window'];
  if (modelType === 'llama' || typeof window !== 'number') return undefined;
  if (modelType === 'qwen2' && config['use_sliding_window'] !== true) return undefined;
  return intField(config, 'sliding_window');
}

function headDim(modelType: LlamaType, config: RawConfig, dModel: number, nHeads: number): number {
  if (typeof config['head_dim'] === 'number') {
    const dHead = intField(config, 'head_dim');
    if (dHead % 2 !== 0) throw unsupported(modelType, `head_dim ${dHead} is odd`);
    return dHead;
  }
  if (dModel % nHeads !== 0 || (dModel / nHeads) % 2 !== 0) {
    throw unsupported(
      modelType,
      `hidden_size ${dModel} does not split into ${nHeads} heads of even size`,
    );
  }
  return dModel / nHeads;
}

function unembedWeight(
  modelType: LlamaType,
  config: RawConfig,
  weights: ReadonlySet<string>,
  embed: string,
): string {
  if (config['tie_word_embeddings'] === true) return embed;
  if (weights.has('lm_head.weight')) return 'lm_head.weight';
  throw unsupported(
    modelType,
    'tie_word_embeddings is not true but the checkpoint has no lm_head.weight',
  );
}

function toSpec(modelType: LlamaType, config: RawConfig, weights: ReadonlySet<string>): ModelSpec {
  const hiddenAct = config['hidden_act'] ?? 'silu';
  if (hiddenAct !== 'silu') {
    throw unsupported(
      modelType,
      `hidden_act '${String(hiddenAct)}' is not supported (supported: silu)`,
    );
  }
  const prefix = weights.has('model.embed_tokens.weight') ? 'model.' : '';
  const w = (name: string) => `${prefix}${name}`;
  const dModel = intField(config, 'hidden_size');
  const nHeads = intField(config, 'num_attention_heads');
  const nKvHeads =
    typeof config['num_key_value_heads'] === 'number'
      ? intField(config, 'num_key_value_heads')
      : nHeads;
  if (nHeads % nKvHeads !== 0) {
    throw unsupported(
      modelType,
      `num_attention_heads ${nHeads} is not a multiple of num_key_value_heads ${nKvHeads}`,
    );
  }
  const dHead = headDim(modelType, config, dModel, nHeads);
  const nLayers = intField(config, 'num_hidden_layers');
  const eps = numberField(config, 'rms_norm_eps', 1e-6);
  const norm = (name: string): NormSpec => ({ kind: 'rmsnorm', eps, weight: w(`${name}.weight`) });
  const qkvBias = modelType === 'qwen2' || config['attention_bias'] === true;
  const outBias = modelType !== 'qwen2' && config['attention_bias'] === true;
  const mlpBias = config['mlp_bias'] === true;
  const maxPositions = intField(config, 'max_position_embeddings');
  const window = slidingWindow(modelType, config);
  const scaling = ropeScaling(modelType, config);
  const embed = w('embed_tokens.weight');
  return {
    family: modelType,
    nLayers,
    dModel,
    nHeads,
    nKvHeads,
    dHead,
    dMlp: intField(config, 'intermediate_size'),
    dVocab: intField(config, 'vocab_size'),
    nCtx: window === undefined ? maxPositions : Math.min(maxPositions, window),
    activation: 'silu',
    parallelBlock: false,
    attnScale: 1 / Math.sqrt(dHead),
    embed,
    positions: {
      kind: 'rotary',
      theta: numberField(config, 'rope_theta', 10000),
      ...(scaling ? { scaling } : {}),
    },
    layers: llamaStyleLayers(nLayers, w, norm, { qkv: qkvBias, out: outBias, mlp: mlpBias }),
    lnFinal: norm('norm'),
    unembed: { weight: unembedWeight(modelType, config, weights, embed), layout: 'out_in' },
    bosTokenId: tokenIdField(config, 'bos_token_id'),
    eosTokenId: tokenIdField(config, 'eos_token_id'),
  };
}

function llamaLike(modelType: LlamaType): Family {
  return {
    name: modelType,
    modelTypes: [modelType],
    toSpec: (config, weights) => toSpec(modelType, config, weights),
  };
}

/** Llama 2 and 3 (`model_type: llama`). */
export const llama: Family = llamaLike('llama');
/** Mistral (`model_type: mistral`). */
export const mistral: Family = llamaLike('mistral');
/** Qwen2 (`model_type: qwen2`): q/k/v biases. */
export const qwen2: Family = llamaLike('qwen2');

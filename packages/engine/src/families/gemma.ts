/**
 * Gemma (`model_type: gemma`, Hugging Face `GemmaForCausalLM`: gemma-2b,
 * gemma-7b and their fine-tunes): Llama's block with four changes.
 * - RMSNorm scales by `1 + weight` (the checkpoint stores `scale - 1`), in
 *   float32 before the cast back.
 * - Token embeddings are multiplied by `sqrt(hidden_size)`, a normaliser the
 *   reference casts to the model's dtype first: sqrt(3072) = 55.4256 becomes
 *   55.5 in bfloat16. We round it to the checkpoint's `torch_dtype`, the
 *   dtype Hugging Face runs it in with `dtype: 'auto'`.
 * - GeGLU MLP, `gelu_tanh(gate) * up`. Early configs say `hidden_act: gelu`
 *   but the model was trained with the tanh approximation; Hugging Face
 *   reads `hidden_activation` and falls back to the tanh form, and so do we.
 * - `head_dim` is independent of `hidden_size / num_attention_heads`
 *   (gemma-7b: 16 heads of 256 on a 3072-wide residual).
 * Rotary positions in the half-rotation convention with `rope_theta`,
 * multi-query (gemma-2b) or multi-head attention, unembedding tied to the
 * embeddings (unscaled).
 *
 * Gemma 2 and 3 change the computation beyond this (see
 * {@link REFUSED_GEMMA_TYPES}) and are refused.
 */
import { LmttError } from '../errors.js';
import type { Activation, ModelSpec, NormSpec } from '../spec/model-spec.js';
import { intField, numberField, tokenIdField } from './config-fields.js';
import type { Family, RawConfig } from './family.js';
import { llamaStyleLayers } from './llama-layers.js';

/** Later Gemma `model_type`s and why the engine cannot run them. */
export const REFUSED_GEMMA_TYPES: Readonly<Record<string, string>> = {
  gemma2:
    'Gemma 2 soft-caps attention scores and final logits with tanh, adds norms after attention and the MLP (sandwich norms), alternates sliding-window and global attention and scales queries by query_pre_attn_scalar; the engine implements none of these',
  gemma3:
    'Gemma 3 adds q/k norms, sandwich norms, per-layer rotary bases and interleaved sliding-window attention; the engine implements none of these',
  gemma3_text:
    'Gemma 3 adds q/k norms, sandwich norms, per-layer rotary bases and interleaved sliding-window attention; the engine implements none of these',
};

/** Activation names Gemma configs use, onto the engine's. */
const ACTIVATIONS: Record<string, Activation> = {
  gelu_pytorch_tanh: 'gelu_new',
  gelu_new: 'gelu_new',
  gelu_fast: 'gelu_new',
  gelu: 'gelu',
};

/** Significand bits (after the leading 1) of the dtypes a checkpoint may declare. */
const SIGNIFICAND_BITS: Record<string, number> = { bfloat16: 7, float16: 10, float32: 23 };

function unsupported(why: string): LmttError {
  return new LmttError('UNSUPPORTED_MODEL', `gemma: ${why}`);
}

/** `hidden_activation`, else the tanh-approximated GELU Gemma was trained with. */
function activationOf(config: RawConfig): Activation {
  const name = config['hidden_activation'] ?? 'gelu_pytorch_tanh';
  const activation = typeof name === 'string' ? ACTIVATIONS[name] : undefined;
  if (!activation) {
    throw unsupported(
      `hidden_activation '${String(name)}' is not supported (supported: ${Object.keys(ACTIVATIONS).join(', ')})`,
    );
  }
  return activation;
}

/** `x` rounded to nearest-even with `bits` significand bits (x positive and normal). */
function roundSignificand(x: number, bits: number): number {
  const quantum = 2 ** (Math.floor(Math.log2(x)) - bits);
  const scaled = x / quantum;
  const nearest = Math.round(scaled);
  const even = nearest - scaled === 0.5 && nearest % 2 !== 0 ? nearest - 1 : nearest;
  return even * quantum;
}

/** `sqrt(hidden_size)` in the checkpoint's dtype (`torch_dtype`, or `dtype` in newer configs). */
function embedScale(config: RawConfig, dModel: number): number {
  const dtype = config['torch_dtype'] ?? config['dtype'];
  const known = typeof dtype === 'string' && Object.hasOwn(SIGNIFICAND_BITS, dtype);
  return roundSignificand(Math.sqrt(dModel), known ? SIGNIFICAND_BITS[dtype]! : 23);
}

/** `rope_theta` (or `rope_parameters.rope_theta`); refuses any rope scaling. */
function ropeTheta(config: RawConfig): number {
  const parameters = config['rope_parameters'];
  const nested =
    parameters && typeof parameters === 'object' ? (parameters as RawConfig) : undefined;
  const scaling = config['rope_scaling'] ?? nested;
  const kind =
    scaling && typeof scaling === 'object'
      ? ((scaling as RawConfig)['rope_type'] ?? (scaling as RawConfig)['type'] ?? 'default')
      : 'default';
  if (kind !== 'default') {
    throw unsupported(`rope scaling '${String(kind)}' is not supported (supported: default)`);
  }
  return numberField(config, 'rope_theta', nested ? numberField(nested, 'rope_theta', 1e4) : 1e4);
}

function headDim(config: RawConfig, dModel: number, nHeads: number): number {
  const dHead =
    typeof config['head_dim'] === 'number' ? intField(config, 'head_dim') : dModel / nHeads;
  if (!Number.isInteger(dHead) || dHead % 2 !== 0) {
    throw unsupported(`head size ${dHead} is not an even integer`);
  }
  return dHead;
}

function unembedWeight(config: RawConfig, weights: ReadonlySet<string>, embed: string): string {
  if (config['tie_word_embeddings'] !== false) return embed;
  if (weights.has('lm_head.weight')) return 'lm_head.weight';
  throw unsupported('tie_word_embeddings is false but the checkpoint has no lm_head.weight');
}

/** The Gemma family. */
export const gemma: Family = {
  name: 'gemma',
  modelTypes: ['gemma'],
  toSpec(config, weights): ModelSpec {
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
        `num_attention_heads ${nHeads} is not a multiple of num_key_value_heads ${nKvHeads}`,
      );
    }
    const dHead = headDim(config, dModel, nHeads);
    const nLayers = intField(config, 'num_hidden_layers');
    const eps = numberField(config, 'rms_norm_eps', 1e-6);
    const norm = (name: string): NormSpec => ({
      kind: 'rmsnorm',
      eps,
      weight: w(`${name}.weight`),
      weightOffset: 1,
    });
    const bias = config['attention_bias'] === true;
    const embed = w('embed_tokens.weight');
    return {
      family: 'gemma',
      nLayers,
      dModel,
      nHeads,
      nKvHeads,
      dHead,
      dMlp: intField(config, 'intermediate_size'),
      dVocab: intField(config, 'vocab_size'),
      nCtx: intField(config, 'max_position_embeddings'),
      activation: activationOf(config),
      parallelBlock: false,
      attnScale: 1 / Math.sqrt(dHead),
      embed,
      embedScale: embedScale(config, dModel),
      positions: { kind: 'rotary', theta: ropeTheta(config) },
      layers: llamaStyleLayers(nLayers, w, norm, { qkv: bias, out: bias, mlp: false }),
      lnFinal: norm('norm'),
      unembed: { weight: unembedWeight(config, weights, embed), layout: 'out_in' },
      bosTokenId: tokenIdField(config, 'bos_token_id'),
      eosTokenId: tokenIdField(config, 'eos_token_id'),
    };
  },
};

/**
 * OPT (`model_type: opt`, facebook/opt-125m and up): pre-LayerNorm blocks,
 * learned positions looked up at index + 2, separate `nn.Linear` q/k/v/out
 * projections, ReLU MLP (`fc1`, `fc2`), biases everywhere (`enable_bias`),
 * unembedding tied to the token embeddings unless an `lm_head.weight` is
 * untied. The tokenizer prepends `</s>` (id 2) as BOS (`add_bos_token`).
 *
 * Refused: the post-LayerNorm variant (`do_layer_norm_before: false`, OPT-350m),
 * a projected embedding (`word_embed_proj_dim` other than `hidden_size`), no
 * final LayerNorm (`_remove_final_layer_norm`) and LayerNorms without
 * weights (`layer_norm_elementwise_affine: false`).
 */
import { LmttError } from '../errors.js';
import type { Activation, LinearSpec, ModelSpec, NormSpec } from '../spec/model-spec.js';
import { intField, tokenIdField } from './config-fields.js';
import type { Family, RawConfig } from './family.js';

/** Offset OPT adds to every position index before the table lookup. */
const POSITION_OFFSET = 2;

const ACTIVATIONS: Record<string, Activation> = {
  relu: 'relu',
  gelu: 'gelu',
  gelu_new: 'gelu_new',
  silu: 'silu',
};

function unsupported(why: string): LmttError {
  return new LmttError('UNSUPPORTED_MODEL', `opt: ${why}`);
}

function refuseVariants(config: RawConfig, dModel: number): void {
  if (config['do_layer_norm_before'] === false) {
    throw unsupported(
      'post-LayerNorm blocks (do_layer_norm_before: false, as in OPT-350m) are not supported',
    );
  }
  const projected = config['word_embed_proj_dim'];
  if (typeof projected === 'number' && projected !== dModel) {
    throw unsupported(
      `word_embed_proj_dim ${projected} differs from hidden_size ${dModel} (projected embeddings, as in OPT-350m) and is not supported`,
    );
  }
  if (config['_remove_final_layer_norm'] === true) {
    throw unsupported(
      'a model without its final LayerNorm (_remove_final_layer_norm) is not supported',
    );
  }
  if (config['layer_norm_elementwise_affine'] === false) {
    throw unsupported(
      'LayerNorms without weights (layer_norm_elementwise_affine: false) are not supported',
    );
  }
}

function activationOf(config: RawConfig): Activation {
  const name = config['activation_function'] ?? 'relu';
  const activation = typeof name === 'string' ? ACTIVATIONS[name] : undefined;
  if (!activation) {
    throw unsupported(
      `activation_function '${String(name)}' is not supported (supported: ${Object.keys(ACTIVATIONS).join(', ')})`,
    );
  }
  return activation;
}

/** The OPT family. */
export const opt: Family = {
  name: 'opt',
  modelTypes: ['opt'],
  toSpec(config, weights): ModelSpec {
    const dModel = intField(config, 'hidden_size');
    refuseVariants(config, dModel);
    const prefix = weights.has('model.decoder.embed_tokens.weight') ? 'model.decoder.' : 'decoder.';
    const w = (name: string) => `${prefix}${name}`;
    const nHeads = intField(config, 'num_attention_heads');
    if (dModel % nHeads !== 0) {
      throw unsupported(`hidden_size ${dModel} is not divisible by num_attention_heads ${nHeads}`);
    }
    const dHead = dModel / nHeads;
    const bias = config['enable_bias'] !== false;
    const norm = (name: string): NormSpec => ({
      kind: 'layernorm',
      eps: 1e-5,
      weight: w(`${name}.weight`),
      bias: w(`${name}.bias`),
    });
    const linear = (name: string): LinearSpec => ({
      weight: w(`${name}.weight`),
      layout: 'out_in',
      ...(bias ? { bias: w(`${name}.bias`) } : {}),
    });
    const nLayers = intField(config, 'num_hidden_layers');
    const embed = w('embed_tokens.weight');
    const untied = config['tie_word_embeddings'] === false && weights.has('lm_head.weight');
    return {
      family: 'opt',
      nLayers,
      dModel,
      nHeads,
      nKvHeads: nHeads,
      dHead,
      dMlp: intField(config, 'ffn_dim'),
      dVocab: intField(config, 'vocab_size'),
      nCtx: intField(config, 'max_position_embeddings'),
      activation: activationOf(config),
      parallelBlock: false,
      // HF scales q after its projection (bias included): the same as scaling q·k.
      attnScale: 1 / Math.sqrt(dHead),
      embed,
      positions: { kind: 'learned', weight: w('embed_positions.weight'), offset: POSITION_OFFSET },
      layers: Array.from({ length: nLayers }, (_, l) => {
        const layer = `layers.${l}`;
        return {
          ln1: norm(`${layer}.self_attn_layer_norm`),
          qkv: {
            kind: 'separate' as const,
            q: linear(`${layer}.self_attn.q_proj`),
            k: linear(`${layer}.self_attn.k_proj`),
            v: linear(`${layer}.self_attn.v_proj`),
          },
          attnOut: linear(`${layer}.self_attn.out_proj`),
          ln2: norm(`${layer}.final_layer_norm`),
          mlp: { kind: 'plain' as const, in: linear(`${layer}.fc1`), out: linear(`${layer}.fc2`) },
        };
      }),
      lnFinal: norm('final_layer_norm'),
      unembed: { weight: untied ? 'lm_head.weight' : embed, layout: 'out_in' },
      bosTokenId: tokenIdField(config, 'bos_token_id'),
      eosTokenId: tokenIdField(config, 'eos_token_id'),
    };
  },
};

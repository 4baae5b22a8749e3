/**
 * GPT-2 (gpt2, distilgpt2, gpt2-medium/large/xl and any `model_type: gpt2`
 * checkpoint): pre-LayerNorm blocks, learned positions, fused Conv1D q|k|v
 * projection stored [d_model, 3 d_model], GELU MLP, tied unembedding.
 */
import { LmttError } from '../errors.js';
import type { Activation, LinearSpec, ModelSpec, NormSpec } from '../spec/model-spec.js';
import { intField, numberField, tokenIdField } from './config-fields.js';
import type { Family, RawConfig } from './family.js';

const ACTIVATIONS: Record<string, Activation> = {
  gelu_new: 'gelu_new',
  gelu_pytorch_tanh: 'gelu_new',
  gelu_fast: 'gelu_new',
  gelu: 'gelu',
  relu: 'relu',
};

function activationOf(config: RawConfig): Activation {
  const name = config['activation_function'] ?? 'gelu_new';
  const activation = typeof name === 'string' ? ACTIVATIONS[name] : undefined;
  if (!activation) {
    throw new LmttError(
      'UNSUPPORTED_MODEL',
      `gpt2: activation_function '${String(name)}' is not supported (supported: ${Object.keys(ACTIVATIONS).join(', ')})`,
    );
  }
  return activation;
}

function refuseVariants(config: RawConfig): void {
  if (config['scale_attn_by_inverse_layer_idx'] === true) {
    throw new LmttError(
      'UNSUPPORTED_MODEL',
      'gpt2: scale_attn_by_inverse_layer_idx is not supported',
    );
  }
  if (config['add_cross_attention'] === true) {
    throw new LmttError(
      'UNSUPPORTED_MODEL',
      'gpt2: cross-attention (add_cross_attention) is not supported',
    );
  }
}

/** The GPT-2 family. */
export const gpt2: Family = {
  name: 'gpt2',
  modelTypes: ['gpt2'],
  toSpec(config, weights): ModelSpec {
    refuseVariants(config);
    const prefix = weights.has('transformer.wte.weight') ? 'transformer.' : '';
    const w = (name: string) => `${prefix}${name}`;
    const dModel = intField(config, 'n_embd', 'hidden_size');
    const nHeads = intField(config, 'n_head', 'num_attention_heads');
    if (dModel % nHeads !== 0) {
      throw new LmttError(
        'UNSUPPORTED_MODEL',
        `gpt2: n_embd ${dModel} is not divisible by n_head ${nHeads}`,
      );
    }
    const eps = numberField(config, 'layer_norm_epsilon', 1e-5);
    const norm = (name: string): NormSpec => ({
      kind: 'layernorm',
      eps,
      weight: w(`${name}.weight`),
      bias: w(`${name}.bias`),
    });
    const conv1d = (name: string): LinearSpec => ({
      weight: w(`${name}.weight`),
      layout: 'in_out',
      bias: w(`${name}.bias`),
    });
    const nLayers = intField(config, 'n_layer', 'num_hidden_layers');
    const dHead = dModel / nHeads;
    const untied = config['tie_word_embeddings'] === false && weights.has('lm_head.weight');
    return {
      family: 'gpt2',
      nLayers,
      dModel,
      nHeads,
      nKvHeads: nHeads,
      dHead,
      dMlp: typeof config['n_inner'] === 'number' ? intField(config, 'n_inner') : 4 * dModel,
      dVocab: intField(config, 'vocab_size'),
      nCtx: intField(config, 'n_positions', 'n_ctx', 'max_position_embeddings'),
      activation: activationOf(config),
      parallelBlock: false,
      attnScale: config['scale_attn_weights'] === false ? 1 : 1 / Math.sqrt(dHead),
      embed: w('wte.weight'),
      positions: { kind: 'learned', weight: w('wpe.weight'), offset: 0 },
      layers: Array.from({ length: nLayers }, (_, l) => ({
        ln1: norm(`h.${l}.ln_1`),
        qkv: { kind: 'fused', proj: conv1d(`h.${l}.attn.c_attn`) },
        attnOut: conv1d(`h.${l}.attn.c_proj`),
        ln2: norm(`h.${l}.ln_2`),
        mlp: { kind: 'plain', in: conv1d(`h.${l}.mlp.c_fc`), out: conv1d(`h.${l}.mlp.c_proj`) },
      })),
      lnFinal: norm('ln_f'),
      unembed: { weight: untied ? 'lm_head.weight' : w('wte.weight'), layout: 'out_in' },
      bosTokenId: tokenIdField(config, 'bos_token_id'),
      eosTokenId: tokenIdField(config, 'eos_token_id'),
    };
  },
};

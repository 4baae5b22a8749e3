/**
 * Phi (`model_type: phi`, Hugging Face's `PhiForCausalLM`: microsoft/phi-1,
 * phi-1_5, phi-2): parallel blocks in which ONE LayerNorm (`input_layernorm`)
 * feeds both attention and MLP, `resid_post = resid_pre + attn_out +
 * mlp_out`; separate q/k/v projections with biases (grouped-query through
 * `num_key_value_heads`), output projection `dense`; partial rotary positions
 * (`partial_rotary_factor` of each head's dimensions, base `rope_theta`) in
 * the half-rotation convention; `fc1`/`fc2` MLP with `gelu_new`; final
 * LayerNorm `final_layernorm`; untied unembedding `lm_head` with a bias.
 *
 * Refused: per-head q/k LayerNorms (`qk_layernorm`), `rope_scaling`, odd or
 * empty rotary widths.
 */
import { LmttError } from '../errors.js';
import type { Activation, LinearSpec, ModelSpec, NormSpec } from '../spec/model-spec.js';
import { intField, numberField, tokenIdField } from './config-fields.js';
import type { Family, RawConfig } from './family.js';

const ACTIVATIONS: Record<string, Activation> = {
  gelu_new: 'gelu_new',
  gelu_fast: 'gelu_new',
  gelu_pytorch_tanh: 'gelu_new',
  gelu: 'gelu',
  relu: 'relu',
};

function unsupported(why: string): LmttError {
  return new LmttError('UNSUPPORTED_MODEL', `phi: ${why}`);
}

function activationOf(config: RawConfig): Activation {
  const name = config['hidden_act'] ?? 'gelu_new';
  const activation = typeof name === 'string' ? ACTIVATIONS[name] : undefined;
  if (!activation) {
    throw unsupported(
      `hidden_act '${String(name)}' is not supported (supported: ${Object.keys(ACTIVATIONS).join(', ')})`,
    );
  }
  return activation;
}

function refuseVariants(config: RawConfig): void {
  if (config['qk_layernorm'] === true) {
    throw unsupported('per-head q/k LayerNorms (qk_layernorm: true) are not supported');
  }
  const scaling = config['rope_scaling'];
  if (scaling !== undefined && scaling !== null) {
    const fields = typeof scaling === 'object' ? (scaling as RawConfig) : {};
    const kind = fields['rope_type'] ?? fields['type'] ?? scaling;
    if (kind !== 'default') {
      throw unsupported(`rope_scaling type '${String(kind)}' is not supported (supported: none)`);
    }
  }
}

/** The rotated width: `int(d_head * partial_rotary_factor)`, as Hugging Face truncates it. */
function rotaryDimsOf(config: RawConfig, dHead: number): number {
  const factor = numberField(config, 'partial_rotary_factor', 0.5);
  const dims = Math.floor(dHead * factor);
  if (!(factor > 0 && factor <= 1) || dims === 0 || dims % 2 !== 0) {
    throw unsupported(
      `partial_rotary_factor ${factor} of head size ${dHead} gives ${dims} rotary dimensions (an even number from 2 to ${dHead} is supported)`,
    );
  }
  return dims;
}

function unembedOf(config: RawConfig, weights: ReadonlySet<string>, embed: string): LinearSpec {
  const bias = weights.has('lm_head.bias') ? { bias: 'lm_head.bias' } : {};
  if (config['tie_word_embeddings'] === true) return { weight: embed, layout: 'out_in', ...bias };
  if (weights.has('lm_head.weight')) return { weight: 'lm_head.weight', layout: 'out_in', ...bias };
  throw unsupported('tie_word_embeddings is not true but the checkpoint has no lm_head.weight');
}

/** The Phi family (phi-1, phi-1.5, phi-2 in Hugging Face layout). */
export const phi: Family = {
  name: 'phi',
  modelTypes: ['phi'],
  toSpec(config, weights): ModelSpec {
    refuseVariants(config);
    const prefix = weights.has('model.embed_tokens.weight') ? 'model.' : '';
    const w = (name: string) => `${prefix}${name}`;
    const dModel = intField(config, 'hidden_size');
    const nHeads = intField(config, 'num_attention_heads');
    const nKvHeads =
      typeof config['num_key_value_heads'] === 'number'
        ? intField(config, 'num_key_value_heads')
        : nHeads;
    if (dModel % nHeads !== 0 || nHeads % nKvHeads !== 0) {
      throw unsupported(
        `hidden_size ${dModel}, num_attention_heads ${nHeads} and num_key_value_heads ${nKvHeads} do not divide evenly`,
      );
    }
    const dHead = dModel / nHeads;
    const eps = numberField(config, 'layer_norm_eps', 1e-5);
    const norm = (name: string): NormSpec => ({
      kind: 'layernorm',
      eps,
      weight: w(`${name}.weight`),
      bias: w(`${name}.bias`),
    });
    const linear = (name: string): LinearSpec => ({
      weight: w(`${name}.weight`),
      layout: 'out_in',
      bias: w(`${name}.bias`),
    });
    const nLayers = intField(config, 'num_hidden_layers');
    const embed = w('embed_tokens.weight');
    return {
      family: 'phi',
      nLayers,
      dModel,
      nHeads,
      nKvHeads,
      dHead,
      dMlp: intField(config, 'intermediate_size'),
      dVocab: intField(config, 'vocab_size'),
      nCtx: intField(config, 'max_position_embeddings'),
      activation: activationOf(config),
      parallelBlock: true,
      attnScale: 1 / Math.sqrt(dHead),
      embed,
      positions: {
        kind: 'rotary',
        theta: numberField(config, 'rope_theta', 10000),
        rotaryDims: rotaryDimsOf(config, dHead),
      },
      layers: Array.from({ length: nLayers }, (_, l) => {
        const layer = `layers.${l}`;
        return {
          ln1: norm(`${layer}.input_layernorm`),
          qkv: {
            kind: 'separate' as const,
            q: linear(`${layer}.self_attn.q_proj`),
            k: linear(`${layer}.self_attn.k_proj`),
            v: linear(`${layer}.self_attn.v_proj`),
          },
          attnOut: linear(`${layer}.self_attn.dense`),
          mlp: {
            kind: 'plain' as const,
            in: linear(`${layer}.mlp.fc1`),
            out: linear(`${layer}.mlp.fc2`),
          },
        };
      }),
      lnFinal: norm('final_layernorm'),
      unembed: unembedOf(config, weights, embed),
      bosTokenId: tokenIdField(config, 'bos_token_id'),
      eosTokenId: tokenIdField(config, 'eos_token_id'),
    };
  },
};

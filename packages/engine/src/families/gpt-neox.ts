/**
 * GPT-NeoX and Pythia (`model_type: gpt_neox`, EleutherAI/pythia-*,
 * gpt-neox-20b): pre-LayerNorm blocks with biases, attention and MLP in
 * parallel (`use_parallel_residual`, the default) or in sequence, a fused
 * `query_key_value` projection laid out per head ([q, k, v] chunks of d_head
 * for each head in turn), partial rotary positions (`rotary_pct` of each
 * head's dimensions, base `rotary_emb_base`) in the half-rotation
 * convention, GELU MLP (`dense_h_to_4h`, `dense_4h_to_h`), and an untied
 * unembedding `embed_out` without bias.
 *
 * Refused: `rope_scaling` (linear and dynamic NTK), odd or empty rotary widths.
 */
import { LmttError } from '../errors.js';
import type { Activation, LinearSpec, ModelSpec, NormSpec } from '../spec/model-spec.js';
import { intField, numberField, tokenIdField } from './config-fields.js';
import type { Family, RawConfig } from './family.js';

const ACTIVATIONS: Record<string, Activation> = {
  gelu: 'gelu',
  gelu_new: 'gelu_new',
  gelu_fast: 'gelu_new',
  gelu_pytorch_tanh: 'gelu_new',
  relu: 'relu',
};

function unsupported(why: string): LmttError {
  return new LmttError('UNSUPPORTED_MODEL', `gpt_neox: ${why}`);
}

function activationOf(config: RawConfig): Activation {
  const name = config['hidden_act'] ?? 'gelu';
  const activation = typeof name === 'string' ? ACTIVATIONS[name] : undefined;
  if (!activation) {
    throw unsupported(
      `hidden_act '${String(name)}' is not supported (supported: ${Object.keys(ACTIVATIONS).join(', ')})`,
    );
  }
  return activation;
}

/** The rotated width: `int(d_head * rotary_pct)`, as Hugging Face truncates it. */
function rotaryDimsOf(config: RawConfig, dHead: number): number {
  const pct =
    typeof config['rotary_pct'] === 'number'
      ? numberField(config, 'rotary_pct', 0.25)
      : numberField(config, 'partial_rotary_factor', 0.25);
  const dims = Math.floor(dHead * pct);
  if (!(pct > 0 && pct <= 1) || dims === 0 || dims % 2 !== 0) {
    throw unsupported(
      `rotary_pct ${pct} of head size ${dHead} gives ${dims} rotary dimensions (an even number from 2 to ${dHead} is supported)`,
    );
  }
  return dims;
}

function refuseVariants(config: RawConfig): void {
  const scaling = config['rope_scaling'];
  if (scaling !== undefined && scaling !== null) {
    const fields = typeof scaling === 'object' ? (scaling as RawConfig) : {};
    const kind = fields['rope_type'] ?? fields['type'] ?? scaling;
    if (kind !== 'default') {
      throw unsupported(`rope_scaling type '${String(kind)}' is not supported (supported: none)`);
    }
  }
}

function unembedWeight(config: RawConfig, weights: ReadonlySet<string>, embed: string): string {
  if (config['tie_word_embeddings'] === true) return embed;
  if (weights.has('embed_out.weight')) return 'embed_out.weight';
  throw unsupported('tie_word_embeddings is not true but the checkpoint has no embed_out.weight');
}

/** The GPT-NeoX / Pythia family. */
export const gptNeox: Family = {
  name: 'gpt_neox',
  modelTypes: ['gpt_neox'],
  toSpec(config, weights): ModelSpec {
    refuseVariants(config);
    const prefix = weights.has('gpt_neox.embed_in.weight') ? 'gpt_neox.' : '';
    const w = (name: string) => `${prefix}${name}`;
    const dModel = intField(config, 'hidden_size');
    const nHeads = intField(config, 'num_attention_heads');
    if (dModel % nHeads !== 0) {
      throw unsupported(`hidden_size ${dModel} is not divisible by num_attention_heads ${nHeads}`);
    }
    const dHead = dModel / nHeads;
    const eps = numberField(config, 'layer_norm_eps', 1e-5);
    const bias = config['attention_bias'] !== false;
    const norm = (name: string): NormSpec => ({
      kind: 'layernorm',
      eps,
      weight: w(`${name}.weight`),
      bias: w(`${name}.bias`),
    });
    const linear = (name: string, withBias = true): LinearSpec => ({
      weight: w(`${name}.weight`),
      layout: 'out_in',
      ...(withBias ? { bias: w(`${name}.bias`) } : {}),
    });
    const nLayers = intField(config, 'num_hidden_layers');
    const embed = w('embed_in.weight');
    const theta =
      typeof config['rotary_emb_base'] === 'number'
        ? numberField(config, 'rotary_emb_base', 10000)
        : numberField(config, 'rope_theta', 10000);
    return {
      family: 'gpt_neox',
      nLayers,
      dModel,
      nHeads,
      nKvHeads: nHeads,
      dHead,
      dMlp: intField(config, 'intermediate_size'),
      dVocab: intField(config, 'vocab_size'),
      nCtx: intField(config, 'max_position_embeddings'),
      activation: activationOf(config),
      parallelBlock: config['use_parallel_residual'] !== false,
      attnScale: 1 / Math.sqrt(dHead),
      embed,
      positions: { kind: 'rotary', theta, rotaryDims: rotaryDimsOf(config, dHead) },
      layers: Array.from({ length: nLayers }, (_, l) => {
        const layer = `layers.${l}`;
        return {
          ln1: norm(`${layer}.input_layernorm`),
          qkv: {
            kind: 'fused_per_head' as const,
            proj: linear(`${layer}.attention.query_key_value`, bias),
          },
          attnOut: linear(`${layer}.attention.dense`, bias),
          ln2: norm(`${layer}.post_attention_layernorm`),
          mlp: {
            kind: 'plain' as const,
            in: linear(`${layer}.mlp.dense_h_to_4h`),
            out: linear(`${layer}.mlp.dense_4h_to_h`),
          },
        };
      }),
      lnFinal: norm('final_layer_norm'),
      unembed: { weight: unembedWeight(config, weights, embed), layout: 'out_in' },
      bosTokenId: tokenIdField(config, 'bos_token_id'),
      eosTokenId: tokenIdField(config, 'eos_token_id'),
    };
  },
};

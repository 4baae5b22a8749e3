import { add, layerNorm, linearOutIn } from './reference-ops.js';
import {
  causalAttention,
  partialInverseFrequencies,
  rotatePartial,
} from './reference-attention.js';
import { activate } from './reference-gpt2.js';
import type { Array64 } from './reference-gpt2.js';
import type { ParityLayer, ParityReference } from './parity.js';
import type { PhiConfig } from './tiny-phi.js';

/** What the reference needs of a model: its config and weights by full Hugging Face name. */
export interface ReferencePhiModel {
  readonly config: PhiConfig;
  readonly weights: ReadonlyMap<string, Float64Array>;
}

/**
 * An independent float64 forward pass of a Hugging Face Phi
 * (`PhiForCausalLM`), with plain loops: one LayerNorm feeds attention and
 * MLP, `resid_post = resid_pre + attn_out + mlp_out` (no `resid_mid`);
 * rotary on the first `int(d_head * partial_rotary_factor)` dimensions of q
 * and k; `lm_head` with its bias.
 *
 * @param model - Config and weights, e.g. from `writeTinyPhi`.
 * @param ids - Token ids, at most `max_position_embeddings` of them.
 */
export function referencePhi(model: ReferencePhiModel, ids: readonly number[]): ParityReference {
  const { config } = model;
  const T = ids.length;
  const d = config.hidden_size;
  const H = config.num_attention_heads;
  const Hkv = config.num_key_value_heads;
  const dHead = d / H;
  const f = config.intermediate_size;
  const V = config.vocab_size;
  const eps = config.layer_norm_eps;
  const weight = (name: string): Float64Array => {
    const value = model.weights.get(name);
    if (!value) throw new Error(`referencePhi: no weight '${name}'`);
    return value;
  };
  if (T === 0 || T > config.max_position_embeddings) throw new Error(`referencePhi: ${T} tokens`);
  const rotary = Math.floor(dHead * config.partial_rotary_factor);
  const frequencies = partialInverseFrequencies(config.rope_theta, rotary); // [rotary / 2]

  const embed = weight('model.embed_tokens.weight'); // [V, d]
  let resid: Float64Array = new Float64Array(T * d); // [T, d]
  ids.forEach((id, t) => resid.set(embed.subarray(id * d, (id + 1) * d), t * d));

  const layers: ParityLayer[] = [];
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = (name: string) => weight(`model.layers.${l}.${name}`);
    const proj = (x: Float64Array, name: string, out: number) =>
      linearOutIn(x, T, p(`${name}.weight`), p(`${name}.bias`), out);
    const residPre = resid; // [T, d]
    const x = layerNorm(residPre, p('input_layernorm.weight'), p('input_layernorm.bias'), eps); // [T, d]
    const q = proj(x, 'self_attn.q_proj', H * dHead); // [T, H, d_head]
    const k = proj(x, 'self_attn.k_proj', Hkv * dHead); // [T, H_kv, d_head]
    const v = proj(x, 'self_attn.v_proj', Hkv * dHead); // [T, H_kv, d_head]
    rotatePartial(q, T, H, dHead, frequencies);
    rotatePartial(k, T, Hkv, dHead, frequencies);
    const { pattern, z } = causalAttention(q, k, v, T, H, Hkv, dHead);
    const attnOut = proj(z, 'self_attn.dense', d); // [T, d]
    const mlpPre = proj(x, 'mlp.fc1', f); // [T, d_mlp]
    const mlpPost = mlpPre.map((value) => activate(config.hidden_act, value)); // [T, d_mlp]
    const mlpOut = proj(mlpPost, 'mlp.fc2', d); // [T, d]
    const residPost = add(add(residPre, attnOut), mlpOut); // [T, d]
    const at = (dims: number[], data: Float64Array): Array64 => ({ dims, data });
    layers.push({
      resid_pre: at([T, d], residPre),
      'attn.pattern': at([H, T, T], pattern),
      'attn.v': at([T, Hkv, dHead], v),
      attn_out: at([T, d], attnOut),
      'mlp.pre': at([T, f], mlpPre),
      'mlp.post': at([T, f], mlpPost),
      mlp_out: at([T, d], mlpOut),
      resid_post: at([T, d], residPost),
    });
    resid = residPost;
  }

  const lnFinal = layerNorm(
    resid,
    weight('model.final_layernorm.weight'),
    weight('model.final_layernorm.bias'),
    eps,
  ); // [T, d]
  const logits = linearOutIn(lnFinal, T, weight('lm_head.weight'), weight('lm_head.bias'), V); // [T, V]
  return {
    layers,
    ln_final: { dims: [T, d], data: lnFinal },
    logits: { dims: [T, V], data: logits },
  };
}

import { add, layerNorm, linearOutIn } from './reference-ops.js';
import {
  causalAttention,
  partialInverseFrequencies,
  rotatePartial,
} from './reference-attention.js';
import { activate } from './reference-gpt2.js';
import type { Array64 } from './reference-gpt2.js';
import type { ParityLayer, ParityReference } from './parity.js';
import type { NeoxConfig } from './tiny-neox.js';

/** What the reference needs of a model: its config and weights by full Hugging Face name. */
export interface ReferenceNeoxModel {
  readonly config: NeoxConfig;
  readonly weights: ReadonlyMap<string, Float64Array>;
}

/**
 * An independent float64 forward pass of a Hugging Face GPT-NeoX
 * (`GPTNeoXForCausalLM`), with plain loops: the fused `query_key_value`
 * output viewed as [T, H, 3 d_head] and cut into each head's q, k, v; rotary
 * on the first `int(d_head * rotary_pct)` dimensions of q and k; with
 * `use_parallel_residual` `x + attn(ln1(x)) + mlp(ln2(x))` (no `resid_mid`),
 * else `x + attn(ln1(x))` then `+ mlp(ln2(.))`.
 *
 * @param model - Config and weights, e.g. from `writeTinyNeox`.
 * @param ids - Token ids, at most `max_position_embeddings` of them.
 */
export function referenceNeox(model: ReferenceNeoxModel, ids: readonly number[]): ParityReference {
  const { config } = model;
  const T = ids.length;
  const d = config.hidden_size;
  const H = config.num_attention_heads;
  const dHead = d / H;
  const f = config.intermediate_size;
  const V = config.vocab_size;
  const eps = config.layer_norm_eps;
  const weight = (name: string): Float64Array => {
    const value = model.weights.get(name);
    if (!value) throw new Error(`referenceNeox: no weight '${name}'`);
    return value;
  };
  if (T === 0 || T > config.max_position_embeddings) throw new Error(`referenceNeox: ${T} tokens`);
  const rotary = Math.floor(dHead * config.rotary_pct);
  const frequencies = partialInverseFrequencies(config.rotary_emb_base, rotary); // [rotary / 2]

  const embed = weight('gpt_neox.embed_in.weight'); // [V, d]
  let resid: Float64Array = new Float64Array(T * d); // [T, d]
  ids.forEach((id, t) => resid.set(embed.subarray(id * d, (id + 1) * d), t * d));

  const layers: ParityLayer[] = [];
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = (name: string) => weight(`gpt_neox.layers.${l}.${name}`);
    const norm = (x: Float64Array, name: string) =>
      layerNorm(x, p(`${name}.weight`), p(`${name}.bias`), eps);
    const residPre = resid; // [T, d]
    const x = norm(residPre, 'input_layernorm'); // [T, d]
    const qkv = linearOutIn(
      x,
      T,
      p('attention.query_key_value.weight'),
      p('attention.query_key_value.bias'),
      3 * d,
    ); // [T, H, 3 d_head]
    const q = new Float64Array(T * d); // [T, H, d_head]
    const k = new Float64Array(T * d); // [T, H, d_head]
    const v = new Float64Array(T * d); // [T, H, d_head]
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < H; h++) {
        const from = (t * H + h) * 3 * dHead;
        const to = (t * H + h) * dHead;
        q.set(qkv.subarray(from, from + dHead), to);
        k.set(qkv.subarray(from + dHead, from + 2 * dHead), to);
        v.set(qkv.subarray(from + 2 * dHead, from + 3 * dHead), to);
      }
    }
    rotatePartial(q, T, H, dHead, frequencies);
    rotatePartial(k, T, H, dHead, frequencies);
    const { pattern, z } = causalAttention(q, k, v, T, H, H, dHead);
    const attnOut = linearOutIn(z, T, p('attention.dense.weight'), p('attention.dense.bias'), d); // [T, d]

    const residMid = config.use_parallel_residual ? undefined : add(residPre, attnOut); // [T, d]
    const y = norm(residMid ?? residPre, 'post_attention_layernorm'); // [T, d]
    const mlpPre = linearOutIn(y, T, p('mlp.dense_h_to_4h.weight'), p('mlp.dense_h_to_4h.bias'), f); // [T, d_mlp]
    const mlpPost = mlpPre.map((value) => activate(config.hidden_act, value)); // [T, d_mlp]
    const mlpOut = linearOutIn(
      mlpPost,
      T,
      p('mlp.dense_4h_to_h.weight'),
      p('mlp.dense_4h_to_h.bias'),
      d,
    ); // [T, d]
    const residPost = residMid ? add(residMid, mlpOut) : add(add(residPre, attnOut), mlpOut); // [T, d]
    const at = (dims: number[], data: Float64Array): Array64 => ({ dims, data });
    layers.push({
      resid_pre: at([T, d], residPre),
      'attn.pattern': at([H, T, T], pattern),
      'attn.v': at([T, H, dHead], v),
      attn_out: at([T, d], attnOut),
      ...(residMid ? { resid_mid: at([T, d], residMid) } : {}),
      'mlp.pre': at([T, f], mlpPre),
      'mlp.post': at([T, f], mlpPost),
      mlp_out: at([T, d], mlpOut),
      resid_post: at([T, d], residPost),
    });
    resid = residPost;
  }

  const lnFinal = layerNorm(
    resid,
    weight('gpt_neox.final_layer_norm.weight'),
    weight('gpt_neox.final_layer_norm.bias'),
    eps,
  ); // [T, d]
  const logits = linearOutIn(lnFinal, T, weight('embed_out.weight'), undefined, V); // [T, V]
  return {
    layers,
    ln_final: { dims: [T, d], data: lnFinal },
    logits: { dims: [T, V], data: logits },
  };
}

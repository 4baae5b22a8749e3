import { add, layerNorm, linearOutIn } from './reference-ops.js';
import { activate } from './reference-gpt2.js';
import type { Array64, ReferenceForward, ReferenceLayer } from './reference-gpt2.js';
import type { OptConfig } from './tiny-opt.js';

/** What the reference needs of a model: its config and weights by unprefixed Hugging Face name. */
export interface ReferenceOptModel {
  readonly config: OptConfig;
  readonly weights: ReadonlyMap<string, Float64Array>;
}

/**
 * An independent float64 forward pass of a Hugging Face OPT (`OPTForCausalLM`,
 * pre-LayerNorm), with plain loops: token embedding plus the position table
 * at t + 2, q scaled by 1/sqrt(d_head) after its projection as HF does,
 * returning every activation the engine exposes.
 *
 * @param model - Config and weights, e.g. from `writeTinyOpt`.
 * @param ids - Token ids, at most `max_position_embeddings` of them.
 */
export function referenceOpt(model: ReferenceOptModel, ids: readonly number[]): ReferenceForward {
  const { config } = model;
  const T = ids.length;
  const d = config.hidden_size;
  const H = config.num_attention_heads;
  const dHead = d / H;
  const f = config.ffn_dim;
  const V = config.vocab_size;
  const weight = (name: string): Float64Array => {
    const value = model.weights.get(name);
    if (!value) throw new Error(`referenceOpt: no weight '${name}'`);
    return value;
  };
  const bias = (name: string) => (config.enable_bias ? weight(name) : undefined);
  if (T === 0 || T > config.max_position_embeddings) throw new Error(`referenceOpt: ${T} tokens`);

  const tokens = weight('embed_tokens.weight'); // [V, d]
  const places = weight('embed_positions.weight'); // [P + 2, d]
  let resid: Float64Array = new Float64Array(T * d); // [T, d]
  ids.forEach((id, t) => {
    for (let i = 0; i < d; i++) resid[t * d + i] = tokens[id * d + i]! + places[(t + 2) * d + i]!;
  });

  const layers: ReferenceLayer[] = [];
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = `layers.${l}.`;
    const residPre = resid; // [T, d]
    const x = layerNorm(
      residPre,
      weight(`${p}self_attn_layer_norm.weight`),
      weight(`${p}self_attn_layer_norm.bias`),
      1e-5,
    ); // [T, d]
    const proj = (name: string) =>
      linearOutIn(
        x,
        T,
        weight(`${p}self_attn.${name}.weight`),
        bias(`${p}self_attn.${name}.bias`),
        d,
      );
    const q = proj('q_proj').map((value) => value / Math.sqrt(dHead)); // [T, H, d_head], scaled
    const k = proj('k_proj'); // [T, H, d_head]
    const v = proj('v_proj'); // [T, H, d_head]
    const pattern = new Float64Array(H * T * T); // [H, T, T]
    const z = new Float64Array(T * d); // [T, H * d_head]
    for (let h = 0; h < H; h++) {
      for (let t = 0; t < T; t++) {
        const scores = new Float64Array(t + 1); // [t + 1]
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let e = 0; e < dHead; e++)
            dot += q[t * d + h * dHead + e]! * k[s * d + h * dHead + e]!;
          scores[s] = dot;
        }
        const max = Math.max(...scores);
        const exps = scores.map((score) => Math.exp(score - max)); // [t + 1]
        const total = exps.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= t; s++) pattern[(h * T + t) * T + s] = exps[s]! / total;
        for (let e = 0; e < dHead; e++) {
          let sum = 0;
          for (let s = 0; s <= t; s++)
            sum += pattern[(h * T + t) * T + s]! * v[s * d + h * dHead + e]!;
          z[t * d + h * dHead + e] = sum;
        }
      }
    }
    const attnOut = linearOutIn(
      z,
      T,
      weight(`${p}self_attn.out_proj.weight`),
      bias(`${p}self_attn.out_proj.bias`),
      d,
    ); // [T, d]
    const residMid = add(residPre, attnOut); // [T, d]
    const y = layerNorm(
      residMid,
      weight(`${p}final_layer_norm.weight`),
      weight(`${p}final_layer_norm.bias`),
      1e-5,
    ); // [T, d]
    const mlpPre = linearOutIn(y, T, weight(`${p}fc1.weight`), bias(`${p}fc1.bias`), f); // [T, d_mlp]
    const mlpPost = mlpPre.map((value) => activate(config.activation_function, value)); // [T, d_mlp]
    const mlpOut = linearOutIn(mlpPost, T, weight(`${p}fc2.weight`), bias(`${p}fc2.bias`), d); // [T, d]
    const residPost = add(residMid, mlpOut); // [T, d]
    const at = (dims: number[], data: Float64Array): Array64 => ({ dims, data });
    layers.push({
      resid_pre: at([T, d], residPre),
      'attn.pattern': at([H, T, T], pattern),
      'attn.v': at([T, H, dHead], v),
      attn_out: at([T, d], attnOut),
      resid_mid: at([T, d], residMid),
      'mlp.pre': at([T, f], mlpPre),
      'mlp.post': at([T, f], mlpPost),
      mlp_out: at([T, d], mlpOut),
      resid_post: at([T, d], residPost),
    });
    resid = residPost;
  }
  const lnFinal = layerNorm(
    resid,
    weight('final_layer_norm.weight'),
    weight('final_layer_norm.bias'),
    1e-5,
  ); // [T, d]
  const logits = linearOutIn(lnFinal, T, tokens, undefined, V); // [T, V]
  return {
    layers,
    ln_final: { dims: [T, d], data: lnFinal },
    logits: { dims: [T, V], data: logits },
  };
}

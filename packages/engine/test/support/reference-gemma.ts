import type { Array64, ReferenceForward, ReferenceLayer } from './reference-gpt2.js';
import { activate } from './reference-gpt2.js';
import { add, linearOutIn } from './reference-ops.js';
import { roundTo } from './safetensors-writer.js';
import type { GemmaConfig } from './tiny-gemma.js';

/** What the reference needs of a model: its config and weights by full Hugging Face name. */
export interface ReferenceGemmaModel {
  readonly config: GemmaConfig;
  readonly weights: ReadonlyMap<string, Float64Array>;
}

/** `GemmaRMSNorm`: `x / sqrt(mean(x^2) + eps) * (1 + w)` per row. */
function gemmaRmsNorm(x: Float64Array, w: Float64Array, eps: number): Float64Array {
  const d = w.length;
  const y = new Float64Array(x.length); // [T, d]
  for (let r = 0; r < x.length / d; r++) {
    let meanSquare = 0;
    for (let i = 0; i < d; i++) meanSquare += x[r * d + i]! ** 2 / d;
    const scale = 1 / Math.sqrt(meanSquare + eps);
    for (let i = 0; i < d; i++) y[r * d + i] = x[r * d + i]! * scale * (1 + w[i]!);
  }
  return y;
}

/** `rotate_half` rotary embedding of each head of `x` [T, heads, d_head], in place. */
function rotate(x: Float64Array, T: number, heads: number, dHead: number, theta: number): void {
  const half = dHead / 2;
  for (let t = 0; t < T; t++) {
    for (let h = 0; h < heads; h++) {
      const row = (t * heads + h) * dHead;
      for (let i = 0; i < half; i++) {
        const angle = t / theta ** ((2 * i) / dHead);
        const a = x[row + i]!;
        const b = x[row + half + i]!;
        x[row + i] = a * Math.cos(angle) - b * Math.sin(angle);
        x[row + half + i] = b * Math.cos(angle) + a * Math.sin(angle);
      }
    }
  }
}

/**
 * An independent float64 forward pass of a Hugging Face `GemmaForCausalLM`,
 * with plain loops, returning every activation the engine exposes. As
 * `modeling_gemma.py`: embeddings times `sqrt(hidden_size)` rounded to the
 * model's `torch_dtype`, RMSNorm by `1 + weight`, GeGLU with the tanh GELU
 * (unless `hidden_activation` says `gelu`), attention over `head_dim`-wide
 * heads with grouped keys and values, unembedding by the unscaled embeddings.
 * `mlp.pre` is the gate's pre-activation and `mlp.post` is `gelu(gate) * up`.
 *
 * @param model - Config and weights, e.g. from `writeTinyGemma`.
 * @param ids - Token ids, at most `max_position_embeddings` of them.
 */
export function referenceGemma(
  model: ReferenceGemmaModel,
  ids: readonly number[],
): ReferenceForward {
  const { config } = model;
  const T = ids.length;
  const d = config.hidden_size;
  const H = config.num_attention_heads;
  const Hkv = config.num_key_value_heads;
  const dHead = config.head_dim;
  const dMlp = config.intermediate_size;
  const V = config.vocab_size;
  const eps = config.rms_norm_eps;
  const bias = config.attention_bias;
  const act = config.hidden_activation === 'gelu' ? 'gelu' : 'gelu_new';
  const weight = (name: string): Float64Array => {
    const value = model.weights.get(name);
    if (!value) throw new Error(`referenceGemma: no weight '${name}'`);
    return value;
  };
  if (T === 0 || T > config.max_position_embeddings) throw new Error(`referenceGemma: ${T} tokens`);

  const embed = weight('model.embed_tokens.weight'); // [V, d]
  const dtype = ({ float32: 'F32', float16: 'F16', bfloat16: 'BF16' } as const)[config.torch_dtype];
  const normalizer = roundTo(dtype, Math.sqrt(d));
  let resid: Float64Array = new Float64Array(T * d); // [T, d]
  ids.forEach((id, t) => {
    for (let i = 0; i < d; i++) resid[t * d + i] = embed[id * d + i]! * normalizer;
  });

  const layers: ReferenceLayer[] = [];
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = (name: string) => weight(`model.layers.${l}.${name}`);
    const projection = (x: Float64Array, name: string, out: number, withBias: boolean) =>
      linearOutIn(x, T, p(`${name}.weight`), withBias ? p(`${name}.bias`) : undefined, out);
    const residPre = resid; // [T, d]
    const x = gemmaRmsNorm(residPre, p('input_layernorm.weight'), eps); // [T, d]
    const q = projection(x, 'self_attn.q_proj', H * dHead, bias); // [T, H, d_head]
    const k = projection(x, 'self_attn.k_proj', Hkv * dHead, bias); // [T, H_kv, d_head]
    const v = projection(x, 'self_attn.v_proj', Hkv * dHead, bias); // [T, H_kv, d_head]
    rotate(q, T, H, dHead, config.rope_theta);
    rotate(k, T, Hkv, dHead, config.rope_theta);

    const pattern = new Float64Array(H * T * T); // [H, T, T]
    const z = new Float64Array(T * H * dHead); // [T, H * d_head]
    for (let h = 0; h < H; h++) {
      const kv = Math.floor(h / (H / Hkv));
      for (let t = 0; t < T; t++) {
        const scores = new Float64Array(t + 1); // [t + 1]
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let e = 0; e < dHead; e++) {
            dot += q[(t * H + h) * dHead + e]! * k[(s * Hkv + kv) * dHead + e]!;
          }
          scores[s] = dot * dHead ** -0.5;
        }
        const max = Math.max(...scores);
        const exps = scores.map((score) => Math.exp(score - max)); // [t + 1]
        const total = exps.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= t; s++) pattern[(h * T + t) * T + s] = exps[s]! / total;
        for (let e = 0; e < dHead; e++) {
          let sum = 0;
          for (let s = 0; s <= t; s++) {
            sum += pattern[(h * T + t) * T + s]! * v[(s * Hkv + kv) * dHead + e]!;
          }
          z[(t * H + h) * dHead + e] = sum;
        }
      }
    }
    const attnOut = linearOutIn(
      z,
      T,
      p('self_attn.o_proj.weight'),
      bias ? p('self_attn.o_proj.bias') : undefined,
      d,
    ); // [T, d]
    const residMid = add(residPre, attnOut); // [T, d]

    const y = gemmaRmsNorm(residMid, p('post_attention_layernorm.weight'), eps); // [T, d]
    const gate = projection(y, 'mlp.gate_proj', dMlp, false); // [T, d_mlp]
    const up = projection(y, 'mlp.up_proj', dMlp, false); // [T, d_mlp]
    const post = gate.map((g, i) => activate(act, g) * up[i]!); // [T, d_mlp]
    const mlpOut = linearOutIn(post, T, p('mlp.down_proj.weight'), undefined, d); // [T, d]
    const residPost = add(residMid, mlpOut); // [T, d]
    const at = (dims: number[], data: Float64Array): Array64 => ({ dims, data });
    layers.push({
      resid_pre: at([T, d], residPre),
      'attn.pattern': at([H, T, T], pattern),
      'attn.v': at([T, Hkv, dHead], v),
      attn_out: at([T, d], attnOut),
      resid_mid: at([T, d], residMid),
      'mlp.pre': at([T, dMlp], gate),
      'mlp.post': at([T, dMlp], post),
      mlp_out: at([T, d], mlpOut),
      resid_post: at([T, d], residPost),
    });
    resid = residPost;
  }

  const lnFinal = gemmaRmsNorm(resid, weight('model.norm.weight'), eps); // [T, d]
  const logits = linearOutIn(lnFinal, T, embed, undefined, V); // [T, V]
  return {
    layers,
    ln_final: { dims: [T, d], data: lnFinal },
    logits: { dims: [T, V], data: logits },
  };
}

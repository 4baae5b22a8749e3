import { add, linearOutIn } from './reference-ops.js';
import type { Array64, ReferenceForward, ReferenceLayer } from './reference-gpt2.js';
import type { LlamaConfig } from './tiny-llama.js';

/** What the reference needs of a model: its config and weights by full Hugging Face name. */
export interface ReferenceLlamaModel {
  readonly config: LlamaConfig;
  readonly weights: ReadonlyMap<string, Float64Array>;
}

/** `x / sqrt(mean(x^2) + eps) * w` per row. */
function rmsNorm(x: Float64Array, w: Float64Array, eps: number): Float64Array {
  const d = w.length;
  const y = new Float64Array(x.length); // [T, d]
  for (let r = 0; r < x.length / d; r++) {
    let meanSquare = 0;
    for (let i = 0; i < d; i++) meanSquare += x[r * d + i]! ** 2 / d;
    const scale = 1 / Math.sqrt(meanSquare + eps);
    for (let i = 0; i < d; i++) y[r * d + i] = x[r * d + i]! * scale * w[i]!;
  }
  return y;
}

/**
 * Hugging Face's rotary inverse frequencies, `_compute_default_rope_parameters`
 * then, for `rope_type: 'llama3'`, `_compute_llama3_parameters`.
 */
export function referenceInverseFrequencies(config: LlamaConfig, dHead: number): Float64Array {
  const frequencies = new Float64Array(dHead / 2); // [d_head / 2]
  for (let i = 0; i < dHead / 2; i++) {
    const base = 1 / config.rope_theta ** ((2 * i) / dHead);
    const scaling = config.rope_scaling;
    if (!scaling) {
      frequencies[i] = base;
      continue;
    }
    const lowWavelength = scaling.original_max_position_embeddings / scaling.low_freq_factor;
    const highWavelength = scaling.original_max_position_embeddings / scaling.high_freq_factor;
    const wavelength = (2 * Math.PI) / base;
    let adjusted = wavelength > lowWavelength ? base / scaling.factor : base;
    if (!(wavelength < highWavelength) && !(wavelength > lowWavelength)) {
      const smooth =
        (scaling.original_max_position_embeddings / wavelength - scaling.low_freq_factor) /
        (scaling.high_freq_factor - scaling.low_freq_factor);
      adjusted = ((1 - smooth) * adjusted) / scaling.factor + smooth * adjusted;
    }
    frequencies[i] = adjusted;
  }
  return frequencies;
}

/** Rotates each head of `x` [T, heads, d_head] in place: pair (i, i + d/2) by angle t f[i]. */
function rotate(x: Float64Array, T: number, heads: number, frequencies: Float64Array): void {
  const half = frequencies.length;
  for (let t = 0; t < T; t++) {
    for (let h = 0; h < heads; h++) {
      const row = (t * heads + h) * 2 * half;
      for (let i = 0; i < half; i++) {
        const angle = t * frequencies[i]!;
        const a = x[row + i]!;
        const b = x[row + half + i]!;
        x[row + i] = a * Math.cos(angle) - b * Math.sin(angle);
        x[row + half + i] = b * Math.cos(angle) + a * Math.sin(angle);
      }
    }
  }
}

/**
 * An independent float64 forward pass of a Hugging Face Llama, Mistral or
 * Qwen2 (`LlamaForCausalLM` and kin), with plain loops, returning every
 * activation the engine exposes. `mlp.pre` is the gate's pre-activation and
 * `mlp.post` is `silu(gate) * up`.
 *
 * @param model - Config and weights, e.g. from `writeTinyLlama`.
 * @param ids - Token ids, at most `max_position_embeddings` of them.
 */
export function referenceLlama(
  model: ReferenceLlamaModel,
  ids: readonly number[],
): ReferenceForward {
  const { config } = model;
  const T = ids.length;
  const d = config.hidden_size;
  const H = config.num_attention_heads;
  const Hkv = config.num_key_value_heads;
  const dHead = config.head_dim ?? d / H;
  const dMlp = config.intermediate_size;
  const V = config.vocab_size;
  const eps = config.rms_norm_eps;
  const qkvBias = config.model_type === 'qwen2' || config.attention_bias === true;
  const weight = (name: string): Float64Array => {
    const value = model.weights.get(name);
    if (!value) throw new Error(`referenceLlama: no weight '${name}'`);
    return value;
  };
  if (T === 0 || T > config.max_position_embeddings) throw new Error(`referenceLlama: ${T} tokens`);
  const frequencies = referenceInverseFrequencies(config, dHead); // [d_head / 2]

  const embed = weight('model.embed_tokens.weight'); // [V, d]
  let resid: Float64Array = new Float64Array(T * d); // [T, d]
  ids.forEach((id, t) => resid.set(embed.subarray(id * d, (id + 1) * d), t * d));

  const layers: ReferenceLayer[] = [];
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const p = (name: string) => weight(`model.layers.${l}.${name}`);
    const bias = (name: string, on: boolean) => (on ? p(name) : undefined);
    const residPre = resid; // [T, d]
    const x = rmsNorm(residPre, p('input_layernorm.weight'), eps); // [T, d]
    const q = linearOutIn(
      x,
      T,
      p('self_attn.q_proj.weight'),
      bias('self_attn.q_proj.bias', qkvBias),
      H * dHead,
    ); // [T, H, d_head]
    const k = linearOutIn(
      x,
      T,
      p('self_attn.k_proj.weight'),
      bias('self_attn.k_proj.bias', qkvBias),
      Hkv * dHead,
    ); // [T, H_kv, d_head]
    const v = linearOutIn(
      x,
      T,
      p('self_attn.v_proj.weight'),
      bias('self_attn.v_proj.bias', qkvBias),
      Hkv * dHead,
    ); // [T, H_kv, d_head]
    rotate(q, T, H, frequencies);
    rotate(k, T, Hkv, frequencies);

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
          scores[s] = dot / Math.sqrt(dHead);
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
      bias('self_attn.o_proj.bias', config.attention_bias === true),
      d,
    ); // [T, d]
    const residMid = add(residPre, attnOut); // [T, d]

    const y = rmsNorm(residMid, p('post_attention_layernorm.weight'), eps); // [T, d]
    const gate = linearOutIn(y, T, p('mlp.gate_proj.weight'), undefined, dMlp); // [T, d_mlp]
    const up = linearOutIn(y, T, p('mlp.up_proj.weight'), undefined, dMlp); // [T, d_mlp]
    const post = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i]!); // [T, d_mlp]
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

  const lnFinal = rmsNorm(resid, weight('model.norm.weight'), eps); // [T, d]
  const unembed = config.tie_word_embeddings ? embed : weight('lm_head.weight'); // [V, d]
  const logits = linearOutIn(lnFinal, T, unembed, undefined, V); // [T, V]
  return {
    layers,
    ln_final: { dims: [T, d], data: lnFinal },
    logits: { dims: [T, V], data: logits },
  };
}

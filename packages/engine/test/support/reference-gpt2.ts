import { add, layerNorm, transpose } from './reference-ops.js';
import type { Gpt2Activation, Gpt2Config } from './tiny-gpt2.js';

/** A float64 tensor: row-major `data` of shape `dims`. */
export interface Array64 {
  readonly dims: number[];
  readonly data: Float64Array;
}

/** One layer's activations, under TransformerLens hook names. */
export interface ReferenceLayer {
  /** [T, d_model] */
  readonly resid_pre: Array64;
  /** [n_heads, T, T] softmax(q·k / sqrt(d_head)), zero above the diagonal */
  readonly 'attn.pattern': Array64;
  /** [T, n_heads, d_head], including the value bias */
  readonly 'attn.v': Array64;
  /** [T, d_model], including the output bias */
  readonly attn_out: Array64;
  /** [T, d_model] */
  readonly resid_mid: Array64;
  /** [T, d_mlp] before the activation */
  readonly 'mlp.pre': Array64;
  /** [T, d_mlp] after the activation */
  readonly 'mlp.post': Array64;
  /** [T, d_model] */
  readonly mlp_out: Array64;
  /** [T, d_model] */
  readonly resid_post: Array64;
}

/** Every activation of one forward pass. */
export interface ReferenceForward {
  readonly layers: readonly ReferenceLayer[];
  /** [T, d_model] after the final LayerNorm */
  readonly ln_final: Array64;
  /** [T, d_vocab] */
  readonly logits: Array64;
}

/** What the reference needs of a model: its config and weights by unprefixed Hugging Face name. */
export interface ReferenceModel {
  readonly config: Pick<
    Gpt2Config,
    | 'n_embd'
    | 'n_head'
    | 'n_layer'
    | 'n_positions'
    | 'n_inner'
    | 'vocab_size'
    | 'layer_norm_epsilon'
    | 'activation_function'
  >;
  readonly weights: ReadonlyMap<string, Float64Array>;
}

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * The error function to within a few ulps: its Maclaurin series below 1, the
 * continued fraction of erfc from 1 on (300 terms reach float64 precision there).
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a >= 6) return Math.sign(x); // erfc(6) < 2e-17
  let value: number;
  if (a < 1) {
    // erf(a) = 2/sqrt(pi) sum_n (-1)^n a^(2n+1) / (n! (2n+1))
    let power = a;
    let sum = a;
    for (let n = 1; Math.abs(power) > 1e-18; n++) {
      power *= (-a * a) / n;
      sum += power / (2 * n + 1);
    }
    value = (2 / SQRT_PI) * sum;
  } else {
    // erfc(a) = e^(-a^2)/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), evaluated from the tail
    let fraction = a;
    for (let k = 300; k >= 1; k--) fraction = a + k / 2 / fraction;
    value = 1 - expMinusSquare(a) / SQRT_PI / fraction;
  }
  return x < 0 ? -value : value;
}

/**
 * e^(-a^2) without the rounding error of a * a, which e^ would scale by a^2:
 * a = hi + lo with hi short enough that hi * hi is exact.
 */
function expMinusSquare(a: number): number {
  const hi = Math.round(a * 4096) / 4096;
  const lo = a - hi;
  return Math.exp(-hi * hi) * Math.exp(-lo * (2 * hi + lo));
}

/** The activation a GPT-2 config names: `gelu_new` is the tanh approximation, `gelu` the exact erf form. */
export function activate(name: Gpt2Activation, x: number): number {
  switch (name) {
    case 'gelu_new':
      return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    case 'gelu':
      return 0.5 * x * (1 + erf(x / Math.SQRT2));
    case 'relu':
      return Math.max(0, x);
  }
}

/** [rows, n] @ [n, cols] + bias, all row-major. */
function linear(
  x: Float64Array,
  rows: number,
  weight: Float64Array,
  bias: Float64Array,
): Float64Array {
  const cols = bias.length;
  const n = weight.length / cols;
  const y = new Float64Array(rows * cols); // [rows, cols]
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let sum = bias[c]!;
      for (let i = 0; i < n; i++) sum += x[r * n + i]! * weight[i * cols + c]!;
      y[r * cols + c] = sum;
    }
  }
  return y;
}

/**
 * An independent float64 forward pass of a Hugging Face GPT-2, with plain
 * loops, returning every activation the engine exposes.
 *
 * @param model - Config and weights, e.g. from {@link writeTinyGpt2}.
 * @param ids - Token ids, at most `n_positions` of them.
 * @example
 * const { layers, logits } = referenceGpt2(model, [1, 2, 3]);
 */
export function referenceGpt2(model: ReferenceModel, ids: readonly number[]): ReferenceForward {
  const { config } = model;
  const T = ids.length;
  const d = config.n_embd;
  const nHeads = config.n_head;
  const dHead = d / nHeads;
  const dMlp = config.n_inner ?? 4 * d;
  const V = config.vocab_size;
  const eps = config.layer_norm_epsilon;
  const weight = (name: string): Float64Array => {
    const value = model.weights.get(name);
    if (!value) throw new Error(`referenceGpt2: no weight '${name}'`);
    return value;
  };
  if (T === 0 || T > config.n_positions) throw new Error(`referenceGpt2: ${T} tokens`);
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= V)
      throw new Error(`referenceGpt2: token id ${id}`);
  }

  const wte = weight('wte.weight'); // [V, d]
  const wpe = weight('wpe.weight'); // [P, d]
  let resid: Float64Array = new Float64Array(T * d); // [T, d]
  ids.forEach((id, t) => {
    for (let i = 0; i < d; i++) resid[t * d + i] = wte[id * d + i]! + wpe[t * d + i]!;
  });

  const layers: ReferenceLayer[] = [];
  for (let l = 0; l < config.n_layer; l++) {
    const p = (name: string) => weight(`h.${l}.${name}`);
    const residPre = resid; // [T, d]
    const x = layerNorm(residPre, p('ln_1.weight'), p('ln_1.bias'), eps); // [T, d]
    const qkv = linear(x, T, p('attn.c_attn.weight'), p('attn.c_attn.bias')); // [T, 3d]: q | k | v
    const qkvAt = (part: number, t: number, h: number, e: number) =>
      qkv[t * 3 * d + part * d + h * dHead + e]!;

    const pattern = new Float64Array(nHeads * T * T); // [n_heads, T, T]
    const v = new Float64Array(T * nHeads * dHead); // [T, n_heads, d_head]
    const z = new Float64Array(T * d); // [T, n_heads * d_head]
    for (let h = 0; h < nHeads; h++) {
      for (let t = 0; t < T; t++) {
        for (let e = 0; e < dHead; e++) v[(t * nHeads + h) * dHead + e] = qkvAt(2, t, h, e);
      }
      for (let t = 0; t < T; t++) {
        const scores = new Float64Array(t + 1); // [t + 1]: key_pos <= pos
        for (let s = 0; s <= t; s++) {
          let dot = 0;
          for (let e = 0; e < dHead; e++) dot += qkvAt(0, t, h, e) * qkvAt(1, s, h, e);
          scores[s] = dot / Math.sqrt(dHead);
        }
        const max = Math.max(...scores);
        const exps = scores.map((score) => Math.exp(score - max)); // [t + 1]
        const total = exps.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= t; s++) pattern[(h * T + t) * T + s] = exps[s]! / total;
        for (let e = 0; e < dHead; e++) {
          let sum = 0;
          for (let s = 0; s <= t; s++) sum += pattern[(h * T + t) * T + s]! * qkvAt(2, s, h, e);
          z[t * d + h * dHead + e] = sum;
        }
      }
    }
    const attnOut = linear(z, T, p('attn.c_proj.weight'), p('attn.c_proj.bias')); // [T, d]
    const residMid = add(residPre, attnOut); // [T, d]

    const y = layerNorm(residMid, p('ln_2.weight'), p('ln_2.bias'), eps); // [T, d]
    const mlpPre = linear(y, T, p('mlp.c_fc.weight'), p('mlp.c_fc.bias')); // [T, d_mlp]
    const mlpPost = mlpPre.map((value) => activate(config.activation_function, value)); // [T, d_mlp]
    const mlpOut = linear(mlpPost, T, p('mlp.c_proj.weight'), p('mlp.c_proj.bias')); // [T, d]
    const residPost = add(residMid, mlpOut); // [T, d]

    layers.push({
      resid_pre: { dims: [T, d], data: residPre },
      'attn.pattern': { dims: [nHeads, T, T], data: pattern },
      'attn.v': { dims: [T, nHeads, dHead], data: v },
      attn_out: { dims: [T, d], data: attnOut },
      resid_mid: { dims: [T, d], data: residMid },
      'mlp.pre': { dims: [T, dMlp], data: mlpPre },
      'mlp.post': { dims: [T, dMlp], data: mlpPost },
      mlp_out: { dims: [T, d], data: mlpOut },
      resid_post: { dims: [T, d], data: residPost },
    });
    resid = residPost;
  }

  const lnFinal = layerNorm(resid, weight('ln_f.weight'), weight('ln_f.bias'), eps); // [T, d]
  const logits = linear(lnFinal, T, transpose(wte, V, d), new Float64Array(V)); // [T, V]
  return {
    layers,
    ln_final: { dims: [T, d], data: lnFinal },
    logits: { dims: [T, V], data: logits },
  };
}

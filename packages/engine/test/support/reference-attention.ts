/** Float64 causal self-attention with partial rotary positions, shared by the GPT-NeoX and Phi references. */

/** Hugging Face's default rotary inverse frequencies over a rotated width `dims`: `theta^(-2i / dims)`. */
export function partialInverseFrequencies(theta: number, dims: number): Float64Array {
  return Float64Array.from({ length: dims / 2 }, (_, i) => 1 / theta ** ((2 * i) / dims)); // [dims / 2]
}

/**
 * Rotates the first `2 * frequencies.length` dimensions of each head of `x`
 * [T, heads, d_head] in place, `rotate_half` style: pair (i, i + r/2) turns by
 * angle t f[i]; the other dimensions pass through.
 */
export function rotatePartial(
  x: Float64Array,
  T: number,
  heads: number,
  dHead: number,
  frequencies: Float64Array,
): void {
  const half = frequencies.length;
  for (let t = 0; t < T; t++) {
    for (let h = 0; h < heads; h++) {
      const row = (t * heads + h) * dHead;
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
 * Causal softmax attention of queries q [T, H, d_head] over keys k and values
 * v [T, H_kv, d_head] (query head h reads kv head h / (H / H_kv)), scores
 * scaled by 1/sqrt(d_head).
 *
 * @returns `pattern` [H, T, T] (0 above the diagonal) and `z` [T, H, d_head].
 */
export function causalAttention(
  q: Float64Array,
  k: Float64Array,
  v: Float64Array,
  T: number,
  H: number,
  Hkv: number,
  dHead: number,
): { pattern: Float64Array; z: Float64Array } {
  const pattern = new Float64Array(H * T * T); // [H, T, T]
  const z = new Float64Array(T * H * dHead); // [T, H, d_head]
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
  return { pattern, z };
}

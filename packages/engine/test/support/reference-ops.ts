/** Float64 building blocks shared by the per-family reference forwards (plain loops). */

/** `x W^T + b` for an `nn.Linear` weight [out, in]; x is [rows, in], the result [rows, out]. */
export function linearOutIn(
  x: Float64Array,
  rows: number,
  weight: Float64Array,
  bias: Float64Array | undefined,
  outSize: number,
): Float64Array {
  const inSize = weight.length / outSize;
  const y = new Float64Array(rows * outSize); // [rows, out]
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outSize; o++) {
      let sum = bias ? bias[o]! : 0;
      for (let i = 0; i < inSize; i++) sum += x[r * inSize + i]! * weight[o * inSize + i]!;
      y[r * outSize + o] = sum;
    }
  }
  return y;
}

/** (x - mean) / sqrt(var + eps) * w + b per row, with the biased variance. */
export function layerNorm(
  x: Float64Array,
  w: Float64Array,
  b: Float64Array,
  eps: number,
): Float64Array {
  const d = w.length;
  const y = new Float64Array(x.length); // [T, d]
  for (let r = 0; r < x.length / d; r++) {
    const row = x.subarray(r * d, (r + 1) * d);
    const mean = row.reduce((s, v) => s + v, 0) / d;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / d;
    const scale = 1 / Math.sqrt(variance + eps);
    for (let i = 0; i < d; i++) y[r * d + i] = (row[i]! - mean) * scale * w[i]! + b[i]!;
  }
  return y;
}

/** Elementwise a + b. */
export function add(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v + b[i]!);
}

/** [rows, cols] -> [cols, rows], e.g. an `nn.Linear` weight [out, in] as [in, out]. */
export function transpose(x: Float64Array, rows: number, cols: number): Float64Array {
  const y = new Float64Array(x.length); // [cols, rows]
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) y[c * rows + r] = x[r * cols + c]!;
  return y;
}

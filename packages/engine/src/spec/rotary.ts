import type { Llama3RopeScaling, RotaryPositions } from './model-spec.js';

/** Llama 3's adjustment of one inverse frequency (see {@link Llama3RopeScaling}). */
function llama3Adjusted(frequency: number, scaling: Llama3RopeScaling): number {
  const { factor, lowFreqFactor, highFreqFactor, originalMaxPositions } = scaling;
  const wavelength = (2 * Math.PI) / frequency;
  if (wavelength < originalMaxPositions / highFreqFactor) return frequency;
  if (wavelength > originalMaxPositions / lowFreqFactor) return frequency / factor;
  const smooth =
    (originalMaxPositions / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
  return (1 - smooth) * (frequency / factor) + smooth * frequency;
}

/**
 * The rotary inverse frequencies `theta^(-2i / d_head)` for i < d_head / 2,
 * after any scaling, in float64: position t rotates pair i by `t * f[i]`.
 *
 * @param positions - The model's rotary settings.
 * @param dHead - The rotated width (even).
 * @returns [d_head / 2]
 * @example
 * rotaryInverseFrequencies({ kind: 'rotary', theta: 10000 }, 4); // [1, 0.01]
 */
export function rotaryInverseFrequencies(positions: RotaryPositions, dHead: number): Float64Array {
  const frequencies = new Float64Array(dHead / 2); // [d_head / 2]
  for (let i = 0; i < dHead / 2; i++) {
    const frequency = 1 / positions.theta ** ((2 * i) / dHead);
    frequencies[i] = positions.scaling ? llama3Adjusted(frequency, positions.scaling) : frequency;
  }
  return frequencies;
}

/** cos and sin of every position's rotation angles, each [T, 1, rotary], float32. */
export interface RotaryTableData {
  readonly cos: Float32Array;
  readonly sin: Float32Array;
}

/**
 * The rotation tables for positions 0..T-1 over the rotated width `dims`:
 * the angle `t * f[i]` rounded to float32 as Hugging Face computes it, its
 * cosine and sine in float64 rounded once, repeated over both halves of the
 * width. Computed here rather than in the graph because WebGPU's `cos` and
 * `sin` are only required to be within 2^-11 of the truth on [-pi, pi] (and
 * are unbounded outside it), which moved attention patterns by ~2e-4.
 *
 * @param dims - The rotated width (d_head, or fewer for partial rotary; even).
 */
export function rotaryTableData(
  positions: RotaryPositions,
  dims: number,
  T: number,
): RotaryTableData {
  const half = dims / 2;
  const frequencies = Float32Array.from(rotaryInverseFrequencies(positions, dims)); // [rotary / 2]
  const cos = new Float32Array(T * dims); // [T, 1, rotary]
  const sin = new Float32Array(T * dims); // [T, 1, rotary]
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(t * frequencies[i]!);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[t * dims + i] = c;
      cos[t * dims + half + i] = c;
      sin[t * dims + i] = s;
      sin[t * dims + half + i] = s;
    }
  }
  return { cos, sin };
}

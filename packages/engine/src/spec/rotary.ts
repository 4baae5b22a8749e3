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

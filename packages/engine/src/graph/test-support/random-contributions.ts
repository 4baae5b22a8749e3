import type { LayerContributions } from '../../schema/contributions.js';

/**
 * Random but valid contributions for L layers of T tokens: each node's
 * shares are positive and sum to 1, skewed so that a threshold of a few
 * percent keeps some edges and drops others. Deterministic for a seed.
 *
 * @param uniform - A source of uniforms in [0, 1), e.g. `createRng(seed).uniform`.
 * @example
 * const layers = randomContributions(createRng(1).uniform, 4, 10);
 */
export function randomContributions(
  uniform: () => number,
  nLayers: number,
  nTokens: number,
): LayerContributions[] {
  const T = nTokens;
  // exp of a scaled uniform gives weights spread over ~3 orders of magnitude
  const weight = () => Math.exp(8 * uniform());
  return Array.from({ length: nLayers }, (_, layer) => {
    const attention = new Float32Array(T * T); // [T, T]
    const attentionResidual = new Float32Array(T); // [T]
    const ffn = new Float32Array(T); // [T]
    const ffnResidual = new Float32Array(T); // [T]
    for (let t = 0; t < T; t++) {
      const raw = Array.from({ length: t + 2 }, weight); // s = 0..t, then the residual
      const total = raw.reduce((a, b) => a + b, 0);
      for (let s = 0; s <= t; s++) attention[t * T + s] = raw[s]! / total;
      attentionResidual[t] = raw[t + 1]! / total;
      const share = uniform() ** 2;
      ffn[t] = share;
      ffnResidual[t] = 1 - share;
    }
    return { layer, attention, attentionResidual, ffn, ffnResidual };
  });
}

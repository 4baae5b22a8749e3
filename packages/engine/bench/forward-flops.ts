import type { RandomGpt2Shape } from './random-gpt2.js';

/**
 * Multiply-add FLOPs (2 per multiply-add) of the matrix products of one
 * GPT-2 forward pass over T tokens: q|k|v, scores, pattern·v, output
 * projection, the MLP, and the unembedding.
 */
export function gpt2ForwardFlops(shape: RandomGpt2Shape, T: number): number {
  const d = shape.dModel;
  const perLayer = 2 * T * d * 3 * d + 2 * 2 * T * T * d + 2 * T * d * d + 2 * 2 * T * d * 4 * d;
  return shape.nLayers * perLayer + 2 * T * d * shape.vocabSize;
}

import type { RandomGpt2Shape } from './random-gpt2.js';
import type { RandomLlamaShape } from './random-llama.js';

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

/**
 * Multiply-add FLOPs of the matrix products of one Llama forward pass over T
 * tokens: q, k, v (grouped), scores, pattern·v, output projection, the
 * gated MLP (gate, up, down), and the unembedding.
 */
export function llamaForwardFlops(shape: RandomLlamaShape, T: number): number {
  const d = shape.dModel;
  const kv = (shape.nKvHeads * d) / shape.nHeads;
  const perLayer =
    2 * T * d * (d + 2 * kv) + 2 * 2 * T * T * d + 2 * T * d * d + 3 * 2 * T * d * shape.dMlp;
  return shape.nLayers * perLayer + 2 * T * d * shape.vocabSize;
}

import type { Tensor } from '../backend/tensor.js';

/** The top next tokens at every position. */
export interface TopPredictions {
  /** [T, k] token ids, most probable first (ties: the lower id first). */
  readonly ids: Int32Array;
  /** [T, k] their probabilities: a softmax over the whole vocabulary. */
  readonly probs: Float32Array;
}

/**
 * The k most probable next tokens at every position, read straight off the
 * forward pass's final logits [T, d_vocab] (the final norm is already
 * applied there), so a trace never projects the last residual states a
 * second time. The softmax's log normaliser comes from `logsumexp` [T] when
 * given (the unembedding graph computes it), else it is summed here in
 * float64.
 */
export function topPredictions(
  logits: Tensor<'float32'>,
  k: number,
  logsumexp?: Tensor<'float32'>,
): TopPredictions {
  const [T, V] = logits.dims as [number, number];
  const K = Math.min(k, V);
  const ids = new Int32Array(T * K); // [T, K]
  const probs = new Float32Array(T * K); // [T, K]
  const topIds = new Int32Array(K);
  const topLogits = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    const row = logits.data.subarray(t * V, (t + 1) * V); // [V]
    topIds.fill(-1);
    topLogits.fill(-Infinity);
    let max = -Infinity;
    for (let i = 0; i < V; i++) {
      const x = row[i]!;
      if (x > max) max = x;
      if (x <= topLogits[K - 1]!) continue;
      // Insert x, keeping earlier (lower) ids ahead of equal logits.
      let j = K - 1;
      for (; j > 0 && topLogits[j - 1]! < x; j--) {
        topLogits[j] = topLogits[j - 1]!;
        topIds[j] = topIds[j - 1]!;
      }
      topLogits[j] = x;
      topIds[j] = i;
    }
    let normaliser = logsumexp?.data[t];
    if (normaliser === undefined) {
      let sum = 0;
      for (let i = 0; i < V; i++) sum += Math.exp(row[i]! - max);
      normaliser = max + Math.log(sum);
    }
    for (let j = 0; j < K; j++) {
      ids[t * K + j] = topIds[j]!;
      probs[t * K + j] = Math.exp(topLogits[j]! - normaliser);
    }
  }
  return { ids, probs };
}

import type { Tensor } from '../backend/tensor.js';
import { LmttError } from '../errors.js';
import type { Model } from '../model/model.js';

/** One vocabulary entry of a projection. */
export interface TokenScore {
  readonly id: number;
  /** Display text, as the model's tokens are shown. */
  readonly text: string;
  /** The logit (or the update's logit contribution). */
  readonly logit: number;
}

/** Reads a float32 or int64 output of a detail graph. */
export function output(out: Record<string, Tensor>, name: string): Float32Array | BigInt64Array {
  const tensor = out[name];
  if (!tensor || (tensor.dtype !== 'float32' && tensor.dtype !== 'int64')) {
    throw new LmttError('INTERNAL', `detail graph gave no output '${name}'`);
  }
  return tensor.data as Float32Array | BigInt64Array;
}

/** Row `n` of a [N, k] id/score pair as token scores. */
export function tokenRow(
  model: Model,
  ids: BigInt64Array,
  logits: Float32Array,
  k: number,
  n: number,
): TokenScore[] {
  const row = Array.from(ids.subarray(n * k, (n + 1) * k), Number);
  const texts = model.display(row);
  return row.map((id, i) => ({ id, text: texts[i]!.text, logit: logits[n * k + i]! }));
}

/** Checks a 2-D float32 batch of vectors [N, d_model]. */
export function checkVectors(model: Model, vectors: Tensor<'float32'>): void {
  const d = model.spec.dModel;
  if (
    vectors.dims.length !== 2 ||
    vectors.dims[1] !== d ||
    vectors.data.length !== vectors.dims[0]! * d
  ) {
    throw new RangeError(`expected vectors [N, ${d}], got [${vectors.dims.join(', ')}]`);
  }
}

/** Element types the engine exchanges with a backend. */
export type TensorDType = 'float32' | 'float16' | 'int64' | 'int32';

/** Typed array behind each {@link TensorDType} (float16 travels as raw bits). */
export interface TensorDataMap {
  float32: Float32Array;
  float16: Uint16Array;
  int64: BigInt64Array;
  int32: Int32Array;
}

/**
 * A plain, runtime-free tensor: row-major `data` with shape `dims`.
 * Attribution, graph and lens code work on these and nothing else.
 */
export interface Tensor<D extends TensorDType = TensorDType> {
  readonly dtype: D;
  readonly dims: readonly number[];
  readonly data: TensorDataMap[D];
}

/** Number of elements of a shape. */
export function sizeOf(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

/**
 * A float32 tensor over `data` with shape `dims`.
 *
 * @throws RangeError when `data.length` does not match the shape.
 */
export function float32(data: Float32Array, dims: readonly number[]): Tensor<'float32'> {
  if (data.length !== sizeOf(dims)) {
    throw new RangeError(`float32 tensor: ${data.length} values for shape [${dims.join(', ')}]`);
  }
  return { dtype: 'float32', dims: [...dims], data };
}

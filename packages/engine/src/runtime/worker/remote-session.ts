import type { BackendSession } from '../../backend/backend.js';
import type { Tensor, TensorDType } from '../../backend/tensor.js';
import { isLmttError, LmttError } from '../../errors.js';
import type { HostResults, WireTensor } from './protocol.js';
import type { WorkerChannel } from './worker-channel.js';

const ARRAY_OF: Record<TensorDType, abstract new (...args: never[]) => ArrayBufferView> = {
  float32: Float32Array,
  float16: Uint16Array,
  int64: BigInt64Array,
  int32: Int32Array,
};

/**
 * Wraps a failure inside the worker as an engine error that keeps ONNX
 * Runtime's message; errors that already are engine errors pass through.
 */
export function workerFailure(what: string, error: unknown): LmttError {
  if (isLmttError(error)) return error;
  const message = (error instanceof Error ? error.message : String(error)).trim();
  return new LmttError('INTERNAL', `${what}: ${message}`, { cause: error });
}

/**
 * A session that lives in a worker. Feeds are copied once into compact
 * buffers that are transferred (the caller's arrays stay usable); outputs are
 * transferred back without a copy.
 */
export class RemoteSession implements BackendSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly #channel: WorkerChannel;
  readonly #id: number;
  readonly #label: string;
  #released: Promise<void> | undefined;

  /** @param label names the session's backend in errors, e.g. `onnxruntime-node cpu`. */
  constructor(channel: WorkerChannel, created: HostResults['create'], label: string) {
    this.#channel = channel;
    this.#id = created.session;
    this.inputNames = created.inputNames;
    this.outputNames = created.outputNames;
    this.#label = label;
  }

  async run(
    feeds: Readonly<Record<string, Tensor>>,
    fetches?: readonly string[],
  ): Promise<Record<string, Tensor>> {
    const wire: Record<string, WireTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, tensor] of Object.entries(feeds)) {
      const data = tensor.data.slice();
      wire[name] = { dtype: tensor.dtype, dims: [...tensor.dims], data };
      transfer.push(data.buffer);
    }
    let outputs: HostResults['run'];
    try {
      outputs = await this.#channel.call(
        { op: 'run', session: this.#id, feeds: wire, ...(fetches && { fetches }) },
        transfer,
      );
    } catch (error) {
      throw workerFailure(`${this.#label} run failed`, error);
    }
    const result: Record<string, Tensor> = {};
    for (const [name, tensor] of Object.entries(outputs)) result[name] = fromWire(name, tensor);
    return result;
  }

  release(): Promise<void> {
    this.#released ??= this.#channel.call({ op: 'release', session: this.#id }).then(
      () => undefined,
      (error: unknown) => {
        throw workerFailure(`${this.#label} release failed`, error);
      },
    );
    return this.#released;
  }
}

/**
 * Checks a worker's output against the engine's dtypes.
 *
 * @throws LmttError `UNSUPPORTED_DTYPE` for any other element type.
 */
function fromWire(name: string, tensor: WireTensor): Tensor {
  const dtype = tensor.dtype as TensorDType;
  const ArrayType = Object.hasOwn(ARRAY_OF, dtype) ? ARRAY_OF[dtype] : undefined;
  if (!ArrayType || !(tensor.data instanceof ArrayType)) {
    throw new LmttError(
      'UNSUPPORTED_DTYPE',
      `output "${name}" has element type ${tensor.dtype}; the engine exchanges ${Object.keys(ARRAY_OF).join(', ')}`,
    );
  }
  return tensor as Tensor;
}

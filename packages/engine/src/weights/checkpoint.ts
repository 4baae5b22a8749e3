import { LmttError } from '../errors.js';
import type { ModelSource, SourceOptions } from '../source/source.js';
import { readSafetensorsHeader } from './safetensors.js';
import type { TensorEntry } from './safetensors.js';

const SINGLE = 'model.safetensors';
const INDEX = 'model.safetensors.index.json';

/** A tensor of the checkpoint and the file it lives in. */
export interface CheckpointTensor extends TensorEntry {
  /** File name inside the repository (the external-data `location`). */
  readonly file: string;
}

/** Every tensor of a safetensors checkpoint, single-file or sharded. */
export interface Checkpoint {
  /** Weight files, in order. */
  readonly files: readonly string[];
  /** Total bytes of tensor data. */
  readonly bytes: number;
  readonly tensors: ReadonlyMap<string, CheckpointTensor>;
  /**
   * The tensor called `name`.
   *
   * @throws LmttError `MODEL_FILE_MISSING` when the checkpoint lacks it.
   */
  get(name: string): CheckpointTensor;
}

/**
 * The weight files: `model.safetensors` when there is one (asked first, so a
 * single-file model costs no failed request for an index), else the shards
 * an index names.
 */
async function shardsOf(source: ModelSource, options?: SourceOptions): Promise<string[]> {
  if (await source.has(SINGLE, options)) return [SINGLE];
  if (await source.has(INDEX, options)) {
    const index = JSON.parse(await (await source.open(INDEX, options)).text(options)) as {
      weight_map?: Record<string, string>;
    };
    if (!index.weight_map || typeof index.weight_map !== 'object') {
      throw new LmttError('BAD_SAFETENSORS', `${INDEX} of ${source.id} has no weight_map`);
    }
    return [...new Set(Object.values(index.weight_map))];
  }
  const legacy = (await source.has('pytorch_model.bin', options))
    ? ' (pytorch_model.bin is not read: convert it to safetensors)'
    : '';
  throw new LmttError('MODEL_FILE_MISSING', `${source.id} has no ${SINGLE} or ${INDEX}${legacy}`);
}

/**
 * Reads the headers of a model's safetensors files (a few range reads; no
 * weights are loaded).
 */
export async function readCheckpoint(
  source: ModelSource,
  options?: SourceOptions,
): Promise<Checkpoint> {
  const files = await shardsOf(source, options);
  const tensors = new Map<string, CheckpointTensor>();
  const others = new Map<string, string>();
  let bytes = 0;
  for (const file of files) {
    const handle = await source.open(file, options);
    const header = await readSafetensorsHeader(
      `${source.id}/${file}`,
      (offset, length) => handle.read(offset, length, options),
      handle.size,
    );
    for (const entry of header.tensors.values()) {
      tensors.set(entry.name, { ...entry, file });
      bytes += entry.length;
    }
    for (const entry of header.otherTensors.values()) others.set(entry.name, entry.dtype);
  }
  return {
    files,
    bytes,
    tensors,
    get(name) {
      const tensor = tensors.get(name);
      const otherDtype = others.get(name);
      if (!tensor && otherDtype) {
        throw new LmttError(
          'UNSUPPORTED_DTYPE',
          `weight '${name}' of ${source.id} is ${otherDtype}; supported: F32, F16, BF16`,
        );
      }
      if (!tensor) {
        throw new LmttError(
          'MODEL_FILE_MISSING',
          `weight '${name}' is not in the checkpoint of ${source.id}`,
        );
      }
      return tensor;
    },
  };
}

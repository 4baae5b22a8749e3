import { LmttError } from '../errors.js';
import type { MaterializedFile, ModelFile } from './source.js';

/** A whole file held by a {@link FileCache}. */
export interface CachedFile {
  /** Size in bytes. */
  readonly size: number;
  /** Reads `length` bytes from `offset` out of the cached copy. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The file as ONNX Runtime takes it: a path on disk (Node) or the bytes (browsers). */
  materialize(): Promise<MaterializedFile>;
}

/** Options of {@link FileCache.put}. */
export interface FileCachePutOptions {
  /**
   * The expected size in bytes. A body of any other length is rejected and
   * nothing is stored.
   */
  readonly size?: number;
  /** Stops the write; nothing is stored and `put` rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called with the number of bytes stored so far, after each chunk. */
  readonly onProgress?: (stored: number) => void;
}

/**
 * Where downloaded model files are kept between runs: a folder on disk in
 * Node, Cache Storage in browsers. A `put` is all or nothing: an aborted or
 * failed download never leaves a partial file behind that a later `get`
 * would return.
 *
 * Keys are built with {@link cacheKey}.
 */
export interface FileCache {
  /** The cached file under `key`, or `undefined` when there is none. */
  get(key: string): Promise<CachedFile | undefined>;
  /**
   * Streams `body` into the cache under `key` (replacing what was there) and
   * returns the stored file.
   */
  put(
    key: string,
    body: ReadableStream<Uint8Array>,
    options?: FileCachePutOptions,
  ): Promise<CachedFile>;
}

/**
 * A cache key made of `parts`: each part is percent-encoded into one
 * `/`-separated segment that is also a safe file name (no `/`, never `.` or
 * `..`), so parts that contain `/` (a repository id, a branch like
 * `refs/pr/1`) cannot collide with other keys.
 *
 * @example
 * cacheKey('hub', 'huggingface.co', 'openai-community/gpt2', 'main', 'config.json');
 * // 'hub/huggingface.co/openai-community%2Fgpt2/main/config.json'
 */
export function cacheKey(...parts: readonly string[]): string {
  return parts
    .map((part) => {
      if (part === '') throw new RangeError('a cache key part must not be empty');
      return encodeURIComponent(part).replace(/^\.\.?$/, (dots) => '%2E'.repeat(dots.length));
    })
    .join('/');
}

/**
 * A {@link ModelFile} that reads a cached copy: no network access.
 *
 * @param name The file's path inside its repository.
 */
export function cachedModelFile(name: string, cached: CachedFile): ModelFile {
  return {
    name,
    size: cached.size,
    read: async (offset, length, options) => {
      if (options?.signal?.aborted) {
        throw new LmttError('ABORTED', `reading ${name} was aborted`, {
          cause: options.signal.reason,
        });
      }
      checkReadRange(name, cached.size, offset, length);
      return cached.read(offset, length);
    },
    text: async () => new TextDecoder().decode(await cached.read(0, cached.size)),
  };
}

/**
 * Checks the arguments of {@link ModelFile.read}: whole non-negative numbers
 * that stay inside the file.
 *
 * @throws RangeError when they do not.
 */
export function checkReadRange(name: string, size: number, offset: number, length: number): void {
  const whole = Number.isInteger(offset) && Number.isInteger(length) && offset >= 0 && length >= 0;
  if (!whole || offset + length > size) {
    throw new RangeError(`cannot read ${length} bytes at ${offset} of ${name} (${size} bytes)`);
  }
}

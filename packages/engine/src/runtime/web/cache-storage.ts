import { LmttError } from '../../errors.js';
import type { CachedFile, FileCache } from '../../source/file-cache.js';

/** Options of {@link cacheStorageCache}. */
export interface CacheStorageCacheOptions {
  /** The Cache Storage to use (default: the page's or worker's `caches`). */
  readonly storage?: CacheStorage;
  /** The name of the cache inside it (default `lmtt-models`). */
  readonly name?: string;
}

/**
 * A {@link FileCache} in the browser's Cache Storage. A `put` is stored only
 * when its whole body arrived, so an aborted download leaves nothing behind.
 * Cached files are read through a disk-backed Blob; `materialize` gives the
 * bytes.
 *
 * @example
 * const source = hubSource('openai-community/gpt2', { cache: cacheStorageCache() });
 */
export function cacheStorageCache(options: CacheStorageCacheOptions = {}): FileCache {
  const name = options.name ?? 'lmtt-models';

  function open(): Promise<Cache> {
    const storage = options.storage ?? (typeof caches === 'undefined' ? undefined : caches);
    if (!storage) {
      throw new LmttError(
        'DOWNLOAD_FAILED',
        'cannot cache model files: Cache Storage is unavailable (browsers offer it only on https:// and localhost pages)',
      );
    }
    return storage.open(name);
  }

  async function get(key: string): Promise<CachedFile | undefined> {
    const response = await (await open()).match(requestUrl(key));
    if (!response) return undefined;
    const blob = await response.blob();
    return {
      size: blob.size,
      read: async (offset, length) =>
        new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
      materialize: async () => ({ kind: 'bytes', bytes: new Uint8Array(await blob.arrayBuffer()) }),
    };
  }

  return {
    get,
    async put(key, body, putOptions = {}) {
      const { size, signal, onProgress } = putOptions;
      let stored = 0;
      const counted = body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            stored += chunk.length;
            controller.enqueue(chunk);
            onProgress?.(stored);
          },
          flush() {
            if (size !== undefined && stored !== size) {
              throw new LmttError(
                'DOWNLOAD_FAILED',
                `the download of ${key} ended after ${stored} of ${size} bytes`,
              );
            }
          },
        }),
        { signal },
      );
      const cache = await open();
      await cache.put(requestUrl(key), new Response(counted));
      const file = await get(key);
      if (!file) throw new LmttError('DOWNLOAD_FAILED', `Cache Storage did not keep ${key}`);
      return file;
    },
  };
}

/** Cache Storage keys are http(s) requests: a fixed made-up origin, the key in the query. */
function requestUrl(key: string): string {
  return `https://lmtt.invalid/file?key=${encodeURIComponent(key)}`;
}

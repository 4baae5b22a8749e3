import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LmttError } from '../../errors.js';
import type { CachedFile, FileCache, FileCachePutOptions } from '../../source/file-cache.js';
import { readFileRange } from './local-source.js';

/**
 * The cache folder used when none is given: `$LMTT_CACHE`, else
 * `$XDG_CACHE_HOME/lmtt`, else `~/.cache/lmtt`.
 *
 * @param env The environment to read (default `process.env`).
 */
export function defaultCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const lmttCache = env['LMTT_CACHE'];
  if (lmttCache) return resolve(lmttCache);
  const xdgCache = env['XDG_CACHE_HOME'];
  if (xdgCache) return resolve(xdgCache, 'lmtt');
  return join(homedir(), '.cache', 'lmtt');
}

/**
 * A {@link FileCache} in a folder on disk: each key is a file below `dir`.
 * Downloads are written to a temporary file beside their place and renamed
 * into it when complete, so a killed or failed download never leaves a
 * corrupt cached file. Files are materialized as their path, never copied
 * into memory.
 *
 * @param dir The cache folder (default {@link defaultCacheDir}); created when needed.
 * @example
 * const source = hubSource('openai-community/gpt2', { cache: diskCache() });
 */
export function diskCache(dir: string = defaultCacheDir()): FileCache {
  const root = resolve(dir);

  function pathOf(key: string): string {
    const segments = key.split('/');
    for (const segment of segments) {
      if (segment === '' || segment === '.' || segment === '..' || /[\\\0]/.test(segment)) {
        throw new RangeError(`invalid cache key ${JSON.stringify(key)}`);
      }
    }
    return join(root, ...segments);
  }

  return {
    async get(key) {
      const path = pathOf(key);
      try {
        const stats = await stat(path);
        return stats.isFile() ? cachedFile(path, stats.size) : undefined;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },

    async put(key, body, options) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${randomUUID()}.part`;
      const stored = await writeAll(temp, body, options);
      await rename(temp, path);
      return cachedFile(path, stored);
    },
  };
}

/** Streams `body` into a new file at `path`; removes the file on any failure. */
async function writeAll(
  path: string,
  body: ReadableStream<Uint8Array>,
  options: FileCachePutOptions = {},
): Promise<number> {
  const { signal, size, onProgress } = options;
  const reader = body.getReader();
  // Cancelling the reader ends a pending read() at once, even when the body
  // itself does not follow the signal.
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener('abort', onAbort);
  let handle: FileHandle | undefined;
  try {
    signal?.throwIfAborted();
    handle = await open(path, 'wx');
    let stored = 0;
    for (;;) {
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) break;
      for (let written = 0; written < value.length;) {
        written += (await handle.write(value, written)).bytesWritten;
      }
      stored += value.length;
      onProgress?.(stored);
    }
    if (size !== undefined && stored !== size) {
      throw new LmttError(
        'DOWNLOAD_FAILED',
        `the download of ${path} ended after ${stored} of ${size} bytes`,
      );
    }
    await handle.datasync();
    const finished = handle;
    handle = undefined;
    await finished.close();
    return stored;
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    await handle?.close();
    await rm(path, { force: true });
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function cachedFile(path: string, size: number): CachedFile {
  return {
    size,
    read: (offset, length) => readFileRange(path, offset, length),
    materialize: () => Promise.resolve({ kind: 'path', path }),
  };
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

import { LmttError } from '../errors.js';
import { cachedModelFile, cacheKey, checkReadRange } from './file-cache.js';
import type { CachedFile, FileCache } from './file-cache.js';
import type { MaterializedFile, ModelFile, ModelSource, SourceOptions } from './source.js';

/** Options of {@link urlSource}. */
export interface UrlSourceOptions {
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: typeof fetch;
  /**
   * Where materialized files are kept. Without one, `materialize` downloads
   * the file into memory on every call.
   */
  readonly cache?: FileCache;
}

/**
 * A model folder in Hugging Face layout served as static files over plain
 * HTTP, e.g. the playground's embedded model.
 *
 * `has` is a HEAD request; `open().read()` a `Range` request (when the server
 * ignores `Range`, the whole file is fetched once and sliced); `materialize`
 * gives the bytes, from `cache` when there is one.
 *
 * @param baseUrl The folder's URL, absolute or (in a page) relative to it.
 * @example
 * const source = urlSource('/models/tiny-gpt2');
 * const config = JSON.parse(await (await source.open('config.json')).text());
 */
export function urlSource(baseUrl: string, options: UrlSourceOptions = {}): ModelSource {
  return new UrlSource(baseUrl, options);
}

class UrlSource implements ModelSource {
  readonly id: string;
  readonly #base: string;
  readonly #fetch: typeof fetch;
  readonly #cache: FileCache | undefined;

  constructor(baseUrl: string, options: UrlSourceOptions) {
    this.id = baseUrl;
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#cache = options.cache;
  }

  async has(name: string, options?: SourceOptions): Promise<boolean> {
    if (await this.#cached(name)) return true;
    const signal = options?.signal;
    let response = await this.#request(name, { method: 'HEAD' }, signal);
    if (response.status === 405 || response.status === 501) {
      response = await this.#request(name, { headers: { Range: 'bytes=0-0' } }, signal);
      await response.body?.cancel();
    }
    if (response.ok) return true;
    if (response.status === 404 || response.status === 410) return false;
    throw this.#httpError(name, response);
  }

  async open(name: string, options?: SourceOptions): Promise<ModelFile> {
    const cached = await this.#cached(name);
    if (cached) return cachedModelFile(name, cached);
    const signal = options?.signal;
    const probe = await this.#request(name, { headers: { Range: 'bytes=0-0' } }, signal);
    if (probe.status === 206 || probe.status === 416) {
      await probe.body?.cancel();
      const size = Number(probe.headers.get('Content-Range')?.split('/').pop());
      if (Number.isInteger(size) && (probe.status === 206 || size === 0)) {
        return this.#remoteFile(name, size);
      }
    }
    if (probe.status === 200) {
      const whole = await this.#body(name, probe, signal);
      return this.#remoteFile(name, whole.length, whole);
    }
    throw this.#httpError(name, probe);
  }

  async materialize(name: string, options?: SourceOptions): Promise<MaterializedFile> {
    const signal = options?.signal;
    const phase = `download ${name}`;
    const cached = await this.#cached(name);
    if (cached) return cached.materialize();
    const response = await this.#request(name, {}, signal);
    if (!response.ok || !response.body) throw this.#httpError(name, response);
    const total = contentLength(response);
    const onProgress = (loaded: number) => options?.onProgress?.({ phase, loaded, total });
    onProgress(0);
    if (!this.#cache) {
      return { kind: 'bytes', bytes: await this.#body(name, response, signal, onProgress) };
    }
    try {
      const file = await this.#cache.put(this.#key(name), response.body, {
        size: total,
        signal,
        onProgress,
      });
      return await file.materialize();
    } catch (error) {
      throw this.#failure(name, error, signal);
    }
  }

  #remoteFile(name: string, size: number, whole?: Uint8Array): ModelFile {
    let full = whole;
    return {
      name,
      size,
      read: async (offset, length, options) => {
        const signal = options?.signal;
        checkReadRange(name, size, offset, length);
        if (length === 0) return new Uint8Array(0);
        if (full) return full.slice(offset, offset + length);
        const range = `bytes=${offset}-${offset + length - 1}`;
        const response = await this.#request(name, { headers: { Range: range } }, signal);
        if (response.status === 206) {
          const bytes = await this.#body(name, response, signal);
          if (bytes.length === length) return bytes;
          throw new LmttError(
            'DOWNLOAD_FAILED',
            `${this.#url(name)} sent ${bytes.length} bytes for ${range}`,
          );
        }
        if (response.status !== 200) throw this.#httpError(name, response);
        // The server ignored Range and sent the whole file: keep it for later reads.
        full = await this.#body(name, response, signal);
        return full.slice(offset, offset + length);
      },
      text: async (options) => {
        if (full) return new TextDecoder().decode(full);
        const response = await this.#request(name, {}, options?.signal);
        if (!response.ok) throw this.#httpError(name, response);
        return new TextDecoder().decode(await this.#body(name, response, options?.signal));
      },
    };
  }

  #cached(name: string): Promise<CachedFile | undefined> {
    return this.#cache ? this.#cache.get(this.#key(name)) : Promise.resolve(undefined);
  }

  #key(name: string): string {
    return cacheKey('url', this.#base, name);
  }

  #url(name: string): string {
    return `${this.#base}/${name.split('/').map(encodeURIComponent).join('/')}`;
  }

  async #request(name: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    try {
      return await this.#fetch(this.#url(name), { ...init, signal });
    } catch (error) {
      throw this.#failure(name, error, signal);
    }
  }

  /** The whole body of `response`, reporting the bytes received so far. */
  async #body(
    name: string,
    response: Response,
    signal?: AbortSignal,
    onProgress?: (loaded: number) => void,
  ): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    try {
      const reader = (response.body ?? new Blob().stream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.length;
        onProgress?.(loaded);
      }
    } catch (error) {
      throw this.#failure(name, error, signal);
    }
    const bytes = new Uint8Array(loaded);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  }

  #httpError(name: string, response: Response): LmttError {
    const url = this.#url(name);
    if (response.status === 404 || response.status === 410) {
      return new LmttError(
        'MODEL_FILE_MISSING',
        `no ${name} at ${this.#base} (HTTP ${response.status})`,
      );
    }
    return new LmttError(
      'DOWNLOAD_FAILED',
      `${url} answered HTTP ${response.status} ${response.statusText}`.trimEnd(),
    );
  }

  #failure(name: string, error: unknown, signal?: AbortSignal): LmttError {
    if (error instanceof LmttError) return error;
    if (signal?.aborted) {
      return new LmttError('ABORTED', `reading ${this.#url(name)} was aborted`, { cause: error });
    }
    const detail = error instanceof Error ? error.message : String(error);
    return new LmttError('DOWNLOAD_FAILED', `reading ${this.#url(name)} failed: ${detail}`, {
      cause: error,
    });
  }
}

/** The body's length, unless it is compressed in transit (then it is not the file's). */
function contentLength(response: Response): number | undefined {
  const encoding = response.headers.get('Content-Encoding');
  if (encoding && encoding !== 'identity') return undefined;
  const length = Number(response.headers.get('Content-Length') ?? NaN);
  return Number.isInteger(length) && length >= 0 ? length : undefined;
}

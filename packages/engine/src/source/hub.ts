import { downloadFile, fileDownloadInfo, HUB_URL, HubApiError } from '@huggingface/hub';
import type { FileDownloadInfoOutput } from '@huggingface/hub';
import { LmttError } from '../errors.js';
import { cachedModelFile, cacheKey, checkReadRange } from './file-cache.js';
import type { CachedFile, FileCache } from './file-cache.js';
import type { MaterializedFile, ModelFile, ModelSource, SourceOptions } from './source.js';

/** A Hugging Face model id split into repository and revision. */
export interface HubId {
  /** `owner/name` or `name`. */
  readonly repo: string;
  /** A branch, tag or commit sha, when the id named one after `@`. */
  readonly revision?: string;
}

// The hub's own rule: word characters, `-` and `.`, starting and ending with a
// word character, no `--` or `..`; a name has at most 96 characters.
const OWNER = /^\w(?:[\w.-]*\w)?$/;
const NAME = /^\w(?:[\w.-]{0,94}\w)?$/;

/**
 * Parses `owner/name`, `name`, optionally followed by `@revision`; returns
 * `undefined` for anything else (a path, a URL).
 *
 * @example
 * parseHubId('openai-community/gpt2@main'); // { repo: 'openai-community/gpt2', revision: 'main' }
 * parseHubId('./models/tiny'); // undefined
 */
export function parseHubId(id: string): HubId | undefined {
  const at = id.indexOf('@');
  const repo = at < 0 ? id : id.slice(0, at);
  const revision = at < 0 ? undefined : id.slice(at + 1);
  if (revision !== undefined && !/^[^\s@]+$/.test(revision)) return undefined;
  const [first = '', second, ...rest] = repo.split('/');
  if (rest.length > 0) return undefined;
  const [owner, name] = second === undefined ? [undefined, first] : [first, second];
  if (owner !== undefined && !OWNER.test(owner)) return undefined;
  if (!NAME.test(name) || /--|\.\./.test(repo)) return undefined;
  return revision === undefined ? { repo } : { repo, revision };
}

/** Options of {@link hubSource}. */
export interface HubSourceOptions {
  /**
   * A branch, tag or commit sha (default: the `@revision` of the id, else
   * `main`).
   */
  readonly revision?: string;
  /** A Hugging Face access token (`hf_...`) for private and gated repositories. */
  readonly accessToken?: string;
  /** The hub to talk to (default `https://huggingface.co`). */
  readonly hubUrl?: string;
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Where materialized files are kept. */
  readonly cache: FileCache;
}

/**
 * A model repository on the Hugging Face hub, read through `@huggingface/hub`.
 *
 * `open(name).read()` is one HTTP range request; `text()` and `materialize()`
 * download the whole file once into `cache` and serve it from there
 * afterwards, with no network access.
 *
 * Revisions: the cache key holds the revision as given. A commit sha is
 * immutable, so its cached files are always right. A branch or tag such as
 * `main` is resolved by the hub on every request that reaches it, but a file
 * already cached under that name is reused as it was when downloaded: pin a
 * commit sha for reproducible results, or clear the cache to follow a branch.
 *
 * @param repo `owner/name` or `name`, optionally `@revision`.
 * @throws LmttError `MODEL_NOT_FOUND` when `repo` is not a hub id.
 * @example
 * const source = hubSource('openai-community/gpt2', { cache: diskCache() });
 * const config = JSON.parse(await (await source.open('config.json')).text());
 */
export function hubSource(repo: string, options: HubSourceOptions): ModelSource {
  return new HubSource(repo, options);
}

class HubSource implements ModelSource {
  readonly id: string;
  readonly #repo: string;
  readonly #revision: string;
  readonly #hubUrl: string;
  readonly #accessToken: string | undefined;
  readonly #fetch: typeof fetch | undefined;
  readonly #cache: FileCache;
  /** Size and address of each file probed so far. */
  readonly #infos = new Map<string, FileDownloadInfoOutput>();

  constructor(id: string, options: HubSourceOptions) {
    const parsed = parseHubId(id);
    if (!parsed) {
      throw new LmttError(
        'MODEL_NOT_FOUND',
        `"${id}" is not a Hugging Face model id (owner/name or name, optionally @revision)`,
      );
    }
    if (parsed.revision && options.revision && parsed.revision !== options.revision) {
      throw new LmttError(
        'MODEL_NOT_FOUND',
        `"${id}" names revision ${parsed.revision} but revision ${options.revision} was also asked for`,
      );
    }
    this.id = id;
    this.#repo = parsed.repo;
    this.#revision = options.revision ?? parsed.revision ?? 'main';
    this.#hubUrl = (options.hubUrl ?? HUB_URL).replace(/\/+$/, '');
    this.#accessToken = options.accessToken;
    this.#fetch = options.fetch;
    this.#cache = options.cache;
  }

  async has(name: string, options?: SourceOptions): Promise<boolean> {
    if (await this.#cached(name)) return true;
    if (this.#immutable && (await this.#cache.get(this.#absentKey(name)))) return false;
    const exists = (await this.#info(name, options?.signal)) !== undefined;
    if (!exists && this.#immutable) {
      // A commit never gains files: remember the absence so a pinned model
      // loads again with the hub unreachable.
      await this.#cache.put(this.#absentKey(name), new Blob([]).stream(), { size: 0 });
    }
    return exists;
  }

  /** Whether the revision is a commit sha, whose files never change. */
  get #immutable(): boolean {
    return /^[0-9a-f]{40}$/.test(this.#revision);
  }

  #absentKey(name: string): string {
    return cacheKey('hub-absent', new URL(this.#hubUrl).host, this.#repo, this.#revision, name);
  }

  async open(name: string, options?: SourceOptions): Promise<ModelFile> {
    const cached = await this.#cached(name);
    if (cached) return cachedModelFile(name, cached);
    const info = await this.#info(name, options?.signal);
    if (!info) throw this.#missing(name);
    return {
      name,
      size: info.size,
      read: (offset, length, readOptions) => this.#read(name, info, offset, length, readOptions),
      text: async (textOptions) => {
        const file = (await this.#cached(name)) ?? (await this.#download(name, textOptions));
        return decodeText(await file.read(0, file.size));
      },
    };
  }

  async materialize(name: string, options?: SourceOptions): Promise<MaterializedFile> {
    const file = (await this.#cached(name)) ?? (await this.#download(name, options));
    return file.materialize();
  }

  #cached(name: string): Promise<CachedFile | undefined> {
    return this.#cache.get(this.#key(name));
  }

  #key(name: string): string {
    return cacheKey('hub', new URL(this.#hubUrl).host, this.#repo, this.#revision, name);
  }

  /** Probes a file (one `Range: bytes=0-0` request); `undefined` when it does not exist. */
  async #info(name: string, signal?: AbortSignal): Promise<FileDownloadInfoOutput | undefined> {
    const known = this.#infos.get(name);
    if (known) return known;
    try {
      const info = await fileDownloadInfo({
        repo: this.#repo,
        path: name,
        revision: this.#revision,
        hubUrl: this.#hubUrl,
        accessToken: this.#accessToken,
        fetch: this.#fetchWith(signal),
      });
      if (!info) return undefined;
      this.#infos.set(name, info);
      return info;
    } catch (error) {
      throw this.#failure(name, error, signal);
    }
  }

  /**
   * The lazy Blob of `downloadFile` for a probed file: no request is made
   * until it is read, and each read carries `signal`. The xet protocol is
   * turned off so that reads are plain HTTP (range) requests.
   */
  async #blob(name: string, info: FileDownloadInfoOutput, signal?: AbortSignal): Promise<Blob> {
    const blob = await downloadFile({
      repo: this.#repo,
      path: name,
      revision: this.#revision,
      hubUrl: this.#hubUrl,
      accessToken: this.#accessToken,
      fetch: this.#fetchWith(signal),
      downloadInfo: info,
      xet: false,
    });
    if (!blob) throw this.#missing(name);
    return blob;
  }

  async #read(
    name: string,
    info: FileDownloadInfoOutput,
    offset: number,
    length: number,
    options?: SourceOptions,
  ): Promise<Uint8Array> {
    const signal = options?.signal;
    if (signal?.aborted) throw this.#failure(name, signal.reason, signal);
    checkReadRange(name, info.size, offset, length);
    if (length === 0) return new Uint8Array(0);
    let bytes: Uint8Array;
    try {
      const blob = await this.#blob(name, info, signal);
      bytes = new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    } catch (error) {
      throw this.#failure(name, error, signal);
    }
    if (bytes.length === length) return bytes;
    // A server that ignored the Range header sent the whole file.
    if (bytes.length === info.size) return bytes.subarray(offset, offset + length);
    throw new LmttError(
      'DOWNLOAD_FAILED',
      `reading ${length} bytes at ${offset} of ${name} from ${this.#where()} returned ${bytes.length} bytes`,
    );
  }

  async #download(name: string, options?: SourceOptions): Promise<CachedFile> {
    const signal = options?.signal;
    const onProgress = options?.onProgress;
    const phase = `download ${name}`;
    try {
      const info = await this.#info(name, signal);
      if (!info) throw this.#missing(name);
      const blob = await this.#blob(name, info, signal);
      onProgress?.({ phase, loaded: 0, total: info.size });
      return await this.#cache.put(this.#key(name), blob.stream(), {
        size: info.size,
        signal,
        onProgress: (loaded) => onProgress?.({ phase, loaded, total: info.size }),
      });
    } catch (error) {
      throw this.#failure(name, error, signal);
    }
  }

  #fetchWith(signal: AbortSignal | undefined): typeof fetch | undefined {
    if (!signal) return this.#fetch;
    const base = this.#fetch ?? fetch;
    return (input, init) => base(input, { ...init, signal });
  }

  #where(): string {
    return `${this.#repo}@${this.#revision} on ${this.#hubUrl}`;
  }

  #missing(name: string): LmttError {
    return new LmttError('MODEL_FILE_MISSING', `no ${name} in ${this.#where()}`);
  }

  /** Why the hub answered `status` to a request for a file that exists or not. */
  #refusal(status: number): string | undefined {
    // The hub answers 401 for a private repository and a missing one alike.
    if (status === 401 && this.#accessToken) {
      return 'the repository does not exist, or the access token was refused';
    }
    if (status === 401) {
      return 'the repository does not exist, or it is private or gated: pass an access token';
    }
    if (status === 403) {
      return 'access refused: a gated repository needs its conditions accepted on the hub, and a token with read access';
    }
    if (status === 404) return 'the repository or revision does not exist';
    return undefined;
  }

  /** The typed error for anything that went wrong while talking to the hub. */
  #failure(name: string, error: unknown, signal?: AbortSignal): LmttError {
    if (error instanceof LmttError) return error;
    if (signal?.aborted) {
      return new LmttError('ABORTED', `reading ${name} from ${this.#where()} was aborted`, {
        cause: error,
      });
    }
    const detail = error instanceof Error ? error.message : String(error);
    if (error instanceof HubApiError) {
      const refusal = this.#refusal(error.statusCode);
      if (refusal) {
        return new LmttError(
          'MODEL_NOT_FOUND',
          `cannot read ${this.#where()}: ${refusal} (HTTP ${error.statusCode}: ${detail})`,
          { cause: error },
        );
      }
    }
    return new LmttError(
      'DOWNLOAD_FAILED',
      `reading ${name} from ${this.#where()} failed: ${detail}`,
      { cause: error },
    );
  }
}

function decodeText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

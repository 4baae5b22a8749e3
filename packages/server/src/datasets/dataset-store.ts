import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ApiError } from '../errors/api-error.js';

/** A dataset file's prompts. */
export interface Dataset {
  readonly name: string;
  readonly prompts: readonly string[];
}

/** Dataset files this large or larger are refused. */
const MAX_DATASET_BYTES = 8 * 1024 * 1024;
/** Plain file names only: no separators, no leading dot, a known extension. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\.(txt|json|jsonl)$/;

function parsePrompts(name: string, text: string): string[] {
  switch (extname(name)) {
    case '.json': {
      const json: unknown = JSON.parse(text);
      if (!Array.isArray(json) || !json.every((p) => typeof p === 'string'))
        throw new Error('expected a JSON list of prompt strings');
      return json as string[];
    }
    case '.jsonl':
      return text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => {
          const value: unknown = JSON.parse(line);
          const prompt = typeof value === 'string' ? value : (value as { prompt?: unknown }).prompt;
          if (typeof prompt !== 'string')
            throw new Error('expected a string or {"prompt"} per line');
          return prompt;
        });
    default:
      return text.split('\n').filter((line) => line.trim());
  }
}

/**
 * Prompt datasets read only from one configured folder, by plain file name:
 * `.txt` (one prompt a line), `.json` (a list of strings) or `.jsonl`.
 */
export class DatasetStore {
  readonly #cache = new Map<string, Promise<Dataset>>();

  constructor(
    private readonly dir: string | null,
    readonly preloaded: string | null,
    readonly allowOthers: boolean,
  ) {}

  /** The preloaded dataset, or none. */
  async preloadedDataset(): Promise<Dataset | undefined> {
    return this.preloaded === null ? undefined : this.#read(this.preloaded);
  }

  /**
   * The dataset files a client may open.
   *
   * @throws ApiError 403 `DATASETS_DISABLED` unless `allow_loading_dataset_files`.
   */
  async list(): Promise<string[]> {
    if (!this.allowOthers || this.dir === null)
      throw new ApiError(403, 'DATASETS_DISABLED', 'loading dataset files is turned off');
    const names = await readdir(this.dir).catch(() => []);
    return names.filter((name) => NAME.test(name)).sort();
  }

  /**
   * One dataset file by name.
   *
   * @throws ApiError 400 `BAD_DATASET_NAME`, 403 `DATASETS_DISABLED`, 404 `DATASET_NOT_FOUND`.
   */
  async open(name: string): Promise<Dataset> {
    if (!NAME.test(name) || name.includes('..'))
      throw new ApiError(400, 'BAD_DATASET_NAME', 'a dataset is named by a plain file name');
    if (name !== this.preloaded && !this.allowOthers)
      throw new ApiError(403, 'DATASETS_DISABLED', 'loading dataset files is turned off');
    return this.#read(name);
  }

  #read(name: string): Promise<Dataset> {
    const cached = this.#cache.get(name);
    if (cached) return cached;
    const reading = this.#load(name);
    this.#cache.set(name, reading);
    reading.catch(() => this.#cache.delete(name));
    return reading;
  }

  async #load(name: string): Promise<Dataset> {
    if (this.dir === null) throw new ApiError(404, 'DATASET_NOT_FOUND', `no dataset '${name}'`);
    const path = join(this.dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new ApiError(404, 'DATASET_NOT_FOUND', `no dataset '${name}'`);
    if (info.size > MAX_DATASET_BYTES)
      throw new ApiError(413, 'DATASET_TOO_LARGE', `dataset '${name}' is too large`);
    try {
      return { name, prompts: parsePrompts(name, await readFile(path, 'utf8')) };
    } catch (error) {
      throw new ApiError(422, 'BAD_DATASET', `dataset '${name}': ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}

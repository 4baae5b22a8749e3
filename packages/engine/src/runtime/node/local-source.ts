import { open, readdir, readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { LmttError } from '../../errors.js';
import { checkReadRange } from '../../source/file-cache.js';
import type {
  MaterializedFile,
  ModelFile,
  ModelSource,
  SourceOptions,
} from '../../source/source.js';

/** How many folder entries a missing-file error lists. */
const LISTED_ENTRIES = 20;

/**
 * A model folder in Hugging Face layout on this machine's disk. Reads go
 * straight to the files (`read()` reads only the bytes asked for) and
 * `materialize()` returns the file's own path: nothing is copied or cached.
 * The folder is looked at lazily, on each call.
 *
 * @param dir The folder, absolute or relative to the working directory.
 * @example
 * const source = localFolderSource('./models/tiny-gpt2');
 * const weights = await source.materialize('model.safetensors'); // { kind: 'path', path: '/…/model.safetensors' }
 */
export function localFolderSource(dir: string): ModelSource {
  return new LocalFolderSource(dir);
}

/**
 * Reads `length` bytes at `offset` of the file at `path`, without reading
 * the rest of it. Returns fewer bytes only when the file ends first.
 */
export async function readFileRange(
  path: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  const handle = await open(path, 'r');
  try {
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(bytes, filled, length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === length ? bytes : bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

class LocalFolderSource implements ModelSource {
  readonly id: string;
  readonly #root: string;

  constructor(dir: string) {
    this.id = dir;
    this.#root = resolve(dir);
  }

  async has(name: string, options?: SourceOptions): Promise<boolean> {
    checkSignal(name, options?.signal);
    const stats = await statOrUndefined(this.#path(name));
    if (stats) return stats.isFile();
    await this.#listing();
    return false;
  }

  async open(name: string, options?: SourceOptions): Promise<ModelFile> {
    const { path, size } = await this.#file(name, options?.signal);
    return {
      name,
      size,
      read: async (offset, length, readOptions) => {
        checkSignal(name, readOptions?.signal);
        checkReadRange(path, size, offset, length);
        const bytes = await readFileRange(path, offset, length);
        if (bytes.length < length) {
          throw new LmttError('MODEL_FILE_MISSING', `${path} shrank while it was being read`);
        }
        return bytes;
      },
      text: async (textOptions) => {
        checkSignal(name, textOptions?.signal);
        return readFile(path, 'utf8');
      },
    };
  }

  async materialize(name: string, options?: SourceOptions): Promise<MaterializedFile> {
    const { path } = await this.#file(name, options?.signal);
    return { kind: 'path', path };
  }

  async #file(name: string, signal?: AbortSignal): Promise<{ path: string; size: number }> {
    checkSignal(name, signal);
    const path = this.#path(name);
    const stats = await statOrUndefined(path);
    if (stats?.isFile()) return { path, size: stats.size };
    const found = await this.#listing();
    const what = stats
      ? `${name} in ${this.#root} is a folder, not a file`
      : `no ${name} in ${this.#root}`;
    throw new LmttError('MODEL_FILE_MISSING', `${what} (found: ${found})`);
  }

  #path(name: string): string {
    const path = resolve(this.#root, name);
    const inside = relative(this.#root, path);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new LmttError('MODEL_FILE_MISSING', `${name} is not a file inside ${this.#root}`);
    }
    return path;
  }

  /**
   * What the folder contains, for error messages.
   *
   * @throws LmttError `MODEL_NOT_FOUND` when the folder does not exist.
   */
  async #listing(): Promise<string> {
    let entries;
    try {
      entries = await readdir(this.#root, { withFileTypes: true });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        const problem = code === 'ENOENT' ? 'does not exist' : 'is not a folder';
        throw new LmttError('MODEL_NOT_FOUND', `the model folder ${this.#root} ${problem}`, {
          cause: error,
        });
      }
      throw error;
    }
    if (entries.length === 0) return 'nothing, the folder is empty';
    const names = entries
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
      .sort();
    const more = names.length - LISTED_ENTRIES;
    return names.slice(0, LISTED_ENTRIES).join(', ') + (more > 0 ? `, and ${more} more` : '');
  }
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function checkSignal(name: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new LmttError('ABORTED', `reading ${name} was aborted`, { cause: signal.reason });
  }
}

import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { LmttError } from '../../errors.js';
import { hubSource, parseHubId } from '../../source/hub.js';
import type { ModelSource } from '../../source/source.js';
import { diskCache } from './disk-cache.js';
import { localFolderSource } from './local-source.js';

/** Options of {@link resolveSource} (Node). */
export interface ResolveSourceOptions {
  /** Hub revision: a branch, tag or commit sha (default: the id's `@revision`, else `main`). */
  readonly revision?: string;
  /** Hub access token (default `$HF_TOKEN`). */
  readonly accessToken?: string;
  /** The hub to talk to (default `$HF_ENDPOINT`, else `https://huggingface.co`). */
  readonly hubUrl?: string;
  /** The download cache folder (default: see {@link defaultCacheDir}). */
  readonly cacheDir?: string;
}

/**
 * The source a user means by a model name: an existing folder (absolute,
 * relative to the working directory, `./x`, `../x`, `~/x`) is read in place;
 * anything else shaped like `owner/name[@revision]` comes from the hub
 * through the disk cache.
 *
 * @throws LmttError `MODEL_NOT_FOUND` when a path names no folder, or when
 * the name is neither a folder nor a hub id.
 * @example
 * await resolveSource('./models/tiny-gpt2'); // local folder
 * await resolveSource('openai-community/gpt2@607a30d783dfa663caf39e06633721c8d4cfcd7e'); // hub
 */
export async function resolveSource(
  idOrPath: string,
  options: ResolveSourceOptions = {},
): Promise<ModelSource> {
  const path = expandHome(idOrPath);
  const stats = await stat(path).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (stats?.isDirectory()) return localFolderSource(path);
  if (stats) {
    throw new LmttError('MODEL_NOT_FOUND', `${resolve(path)} is a file, not a model folder`);
  }
  if (looksLikePath(idOrPath) || !parseHubId(idOrPath)) {
    const hint = looksLikePath(idOrPath) ? '' : ' and is not a Hugging Face id (owner/name)';
    throw new LmttError(
      'MODEL_NOT_FOUND',
      `the model folder ${resolve(path)} does not exist${hint}`,
    );
  }
  return hubSource(idOrPath, {
    revision: options.revision,
    accessToken: options.accessToken ?? (process.env['HF_TOKEN'] || undefined),
    hubUrl: options.hubUrl ?? (process.env['HF_ENDPOINT'] || undefined),
    cache: diskCache(options.cacheDir),
  });
}

function expandHome(path: string): string {
  if (path === '~') return homedir();
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

/** Whether the user clearly wrote a path (and so never meant a hub id). */
function looksLikePath(id: string): boolean {
  return (
    isAbsolute(id) ||
    id === '.' ||
    id === '..' ||
    id === '~' ||
    /^(\.\.?|~)[\\/]/.test(id) ||
    id.includes('\\')
  );
}

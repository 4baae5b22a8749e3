import { LmttError } from '../../errors.js';
import { hubSource, parseHubId } from '../../source/hub.js';
import type { ModelSource } from '../../source/source.js';
import { urlSource } from '../../source/url.js';
import { cacheStorageCache } from './cache-storage.js';

/** Options of {@link resolveSource} (browser). */
export interface ResolveSourceOptions {
  /** Hub revision: a branch, tag or commit sha (default: the id's `@revision`, else `main`). */
  readonly revision?: string;
  /** Hub access token (`hf_...`). */
  readonly accessToken?: string;
  /** The hub to talk to (default `https://huggingface.co`). */
  readonly hubUrl?: string;
}

/**
 * The source a page means by a model name: a URL (`http(s)://…`, `/…`,
 * `./…`, `../…`) is a folder served over HTTP, read without a cache (the
 * browser's HTTP cache applies); anything shaped like `owner/name[@revision]`
 * comes from the hub through Cache Storage.
 *
 * @throws LmttError `MODEL_NOT_FOUND` when the name is neither.
 * @example
 * await resolveSource('/models/tiny-gpt2'); // served by the page's own server
 * await resolveSource('openai-community/gpt2'); // hub, cached in Cache Storage
 */
export async function resolveSource(
  id: string,
  options: ResolveSourceOptions = {},
): Promise<ModelSource> {
  if (/^(https?:\/\/|\/|\.\.?\/)/.test(id)) return urlSource(id);
  if (!parseHubId(id)) {
    throw new LmttError(
      'MODEL_NOT_FOUND',
      `"${id}" is neither a URL nor a Hugging Face model id (owner/name, optionally @revision)`,
    );
  }
  return hubSource(id, { ...options, cache: cacheStorageCache() });
}

import type { Device } from '../backend/backend.js';
import type { ModelSource } from '../source/source.js';
import type { TokenizerFactory } from '../tokenizer/tokenizer.js';

/** Where to find a model on the hub. */
export interface HubOptions {
  /** A branch, tag or commit; pin a commit for reproducible, offline-cacheable loads. */
  readonly revision?: string;
  /** A Hugging Face access token for gated or private repositories. */
  readonly accessToken?: string;
  /** Another hub endpoint (a mirror, or a local fake in tests). */
  readonly hubUrl?: string;
}

/** What a platform entry (`@lmtt/engine/node`, `@lmtt/engine/web`) provides the core. */
export interface Platform {
  /** Devices to try, best first, when the user names none. */
  readonly defaultDevices: readonly Device[];
  /** Turns a folder path, hub id or URL into a source. */
  resolveSource(idOrPath: string, options: HubOptions): Promise<ModelSource>;
  readonly loadTokenizer: TokenizerFactory;
  /** Largest checkpoint the platform can hold, in bytes (browsers: about 2 GB). */
  readonly maxWeightBytes?: number;
}

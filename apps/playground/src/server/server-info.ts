import { SAMPLE_PROMPTS } from '../state/view-state.js';
import { fetchHealth, fetchModels, fetchPrompts } from './server-api.js';
import type { ModelListing } from './server-api.js';

/** What the playground needs to know of the lmtt server it was served by. */
export interface ServerInfo {
  readonly models: readonly ModelListing[];
  readonly defaultModel: string;
  readonly customModels: boolean;
  /** The one device the server runs models on. */
  readonly devices: readonly string[];
  readonly dtype: string;
  /** The preloaded dataset's prompts, else the reference tool's samples. */
  readonly prompts: readonly string[];
  readonly maxPromptChars: number;
}

/**
 * Asks the server about itself: models, device, limits and prompts.
 *
 * @throws ServerError when there is no server (a static host) or it refuses.
 */
export async function fetchServerInfo(signal?: AbortSignal): Promise<ServerInfo> {
  const [health, list, prompts] = await Promise.all([
    fetchHealth(signal),
    fetchModels(signal),
    fetchPrompts(signal),
  ]);
  return {
    models: list.models,
    defaultModel: list.default,
    customModels: list.customModels,
    devices: [health.device ?? health.devices[0] ?? 'cpu'],
    dtype: health.dtype ?? 'fp32',
    prompts: prompts.length ? prompts : SAMPLE_PROMPTS,
    maxPromptChars: health.limits?.maxPromptChars ?? 1000,
  };
}

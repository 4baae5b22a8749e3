import { SAMPLE_PROMPTS } from '../state/view-state.js';
import { fetchHealth, fetchModels, fetchPrompts } from './server-api.js';
import type { ModelListing, ServerDevice } from './server-api.js';

/** What the playground needs to know of the lmtt server it was served by. */
export interface ServerInfo {
  readonly models: readonly ModelListing[];
  readonly defaultModel: string;
  readonly customModels: boolean;
  /** The devices a trace may ask for, each with its precisions. */
  readonly devices: readonly ServerDevice[];
  /** The device and precision a trace that names none runs on. */
  readonly device: string;
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
  const device = list.device ?? health.device ?? health.devices[0] ?? 'cpu';
  const dtype = list.dtype ?? health.dtype ?? 'fp32';
  return {
    models: list.models,
    defaultModel: list.default,
    customModels: list.customModels,
    // A server from before device choice runs everything on its one device.
    devices: list.devices ?? [{ device, dtypes: [dtype] }],
    device,
    dtype,
    prompts: prompts.length ? prompts : SAMPLE_PROMPTS,
    maxPromptChars: health.limits?.maxPromptChars ?? 1000,
  };
}

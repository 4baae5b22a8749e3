import { resolveTraceOptions } from '@lmtt/engine';
import type { TraceSettings } from '@lmtt/engine';
import { ApiError } from '../errors/api-error.js';

/** The JSON body of `POST /api/traces`. */
export interface TraceRequestBody {
  /** A model name from the config (default: `default_model`). */
  readonly model?: string;
  readonly prompt: string;
  readonly settings?: Partial<TraceSettings> & {
    readonly detail?: 'summary' | 'full';
    readonly prependBos?: boolean;
  };
}

/** A trace request with every setting resolved and checked. */
export interface TraceRequest {
  readonly model: string | undefined;
  readonly prompt: string;
  readonly settings: TraceSettings;
  readonly detail: 'summary' | 'full';
  readonly prependBos: boolean | undefined;
}

const SETTING_TYPES: Record<string, 'string' | 'number' | 'boolean'> = {
  distance: 'string',
  threshold: 'number',
  renormalize: 'boolean',
  lensNormalize: 'boolean',
  topK: 'number',
  topNeurons: 'number',
  detail: 'string',
  prependBos: 'boolean',
};

function bad(key: string, message: string): never {
  throw new ApiError(400, 'BAD_REQUEST', `${key}: ${message}`);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the body of `POST /api/traces` and resolves its settings.
 *
 * @throws ApiError 400 `BAD_REQUEST` naming the bad field, `BAD_OPTION` for a bad setting value.
 */
export function parseTraceRequest(body: unknown): TraceRequest {
  if (!isObject(body)) bad('(body)', 'expected a JSON object');
  for (const key of Object.keys(body)) {
    if (key !== 'model' && key !== 'prompt' && key !== 'settings') bad(key, 'unknown field');
  }
  const { model, prompt, settings = {} } = body;
  if (model !== undefined && typeof model !== 'string') bad('model', 'expected a string');
  if (typeof prompt !== 'string') bad('prompt', 'expected a string');
  if (!isObject(settings)) bad('settings', 'expected an object');
  for (const [key, value] of Object.entries(settings)) {
    const type = Object.hasOwn(SETTING_TYPES, key) ? SETTING_TYPES[key] : undefined;
    if (!type) bad(`settings.${key}`, 'unknown setting');
    if (typeof value !== type) bad(`settings.${key}`, `expected a ${type}`);
  }
  try {
    const resolved = resolveTraceOptions(settings);
    return {
      model,
      prompt,
      settings: resolved.settings,
      detail: resolved.detail,
      prependBos: settings.prependBos as boolean | undefined,
    };
  } catch (error) {
    throw new ApiError(400, 'BAD_OPTION', (error as Error).message, { cause: error });
  }
}

/** A string naming everything that determines a trace, for sharing jobs and caching. */
export function requestKey(
  source: string,
  dtype: string,
  request: Omit<TraceRequest, 'model'>,
  detail = request.detail,
): string {
  const s = request.settings;
  return JSON.stringify([
    source,
    dtype,
    request.prompt,
    request.prependBos ?? null,
    detail,
    s.distance,
    s.threshold,
    s.renormalize,
    s.lensNormalize,
    s.topK,
    s.topNeurons,
  ]);
}

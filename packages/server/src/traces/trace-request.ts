import { resolveTraceOptions } from '@lmtt/engine';
import type { TraceSettings } from '@lmtt/engine';
import { CONFIG_DEVICES, CONFIG_DTYPES } from '../config/config.js';
import type { ConfigDevice, ConfigDType } from '../config/config.js';
import { ApiError } from '../errors/api-error.js';

/** The JSON body of `POST /api/traces`. */
export interface TraceRequestBody {
  /** A model name from the config (default: `default_model`). */
  readonly model?: string;
  readonly prompt: string;
  /** The device to trace on (default: the config's `device`); one the server reports available. */
  readonly device?: ConfigDevice;
  /** The precision (default: the config's `dtype` on its device, else `fp32`). */
  readonly dtype?: ConfigDType;
  readonly settings?: Partial<TraceSettings> & {
    readonly detail?: 'summary' | 'full';
    readonly prependBos?: boolean;
  };
}

/** A trace request with every setting resolved and checked. */
export interface TraceRequest {
  readonly model: string | undefined;
  readonly prompt: string;
  /** As asked; the trace service resolves the defaults. */
  readonly device: ConfigDevice | undefined;
  readonly dtype: ConfigDType | undefined;
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

const FIELDS = new Set(['model', 'prompt', 'device', 'dtype', 'settings']);

function oneOf<T extends string>(key: string, value: unknown, values: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !values.includes(value as T))
    bad(key, `expected one of ${values.join(', ')}`);
  return value as T;
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
  for (const key of Object.keys(body)) if (!FIELDS.has(key)) bad(key, 'unknown field');
  const { model, prompt, settings = {} } = body;
  const device = oneOf('device', body['device'], CONFIG_DEVICES);
  const dtype = oneOf('dtype', body['dtype'], CONFIG_DTYPES);
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
      device,
      dtype,
      settings: resolved.settings,
      detail: resolved.detail,
      prependBos: settings.prependBos as boolean | undefined,
    };
  } catch (error) {
    throw new ApiError(400, 'BAD_OPTION', (error as Error).message, { cause: error });
  }
}

/**
 * A string naming everything that determines a trace, for sharing jobs and
 * caching: the model source, the device and precision it runs on, the prompt
 * and the settings.
 */
export function requestKey(
  model: { readonly source: string; readonly device: string; readonly dtype: string },
  request: Omit<TraceRequest, 'model' | 'device' | 'dtype'>,
  detail = request.detail,
): string {
  const s = request.settings;
  return JSON.stringify([
    model.source,
    model.device,
    model.dtype,
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

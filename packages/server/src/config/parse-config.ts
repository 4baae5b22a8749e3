import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_CONFIG } from './config.js';
import { CONFIG_DEVICES, CONFIG_DTYPES } from './config.js';
import type { ConfigDevice, ServerConfig } from './config.js';
import { ConfigError } from './config-error.js';

type Check = (value: unknown, key: string) => unknown;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const boolean: Check = (v, key) => {
  if (typeof v !== 'boolean') throw new ConfigError(key, `expected true or false, got ${show(v)}`);
  return v;
};

const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (v, key) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new ConfigError(key, `expected an integer from ${min} to ${max}, got ${show(v)}`);
    return v;
  };

const string: Check = (v, key) => {
  if (typeof v !== 'string' || v.length === 0)
    throw new ConfigError(key, `expected a non-empty string, got ${show(v)}`);
  return v;
};

const nullable =
  (check: Check): Check =>
  (v, key) =>
    v === null ? null : check(v, key);

const oneOf =
  (...values: readonly string[]): Check =>
  (v, key) => {
    if (typeof v !== 'string' || !values.includes(v))
      throw new ConfigError(key, `expected one of ${values.join(', ')}, got ${show(v)}`);
    return v;
  };

const strings: Check = (v, key) => {
  if (!Array.isArray(v)) throw new ConfigError(key, `expected a list of strings, got ${show(v)}`);
  return v.map((item, i) => string(item, `${key}[${i}]`));
};

const deviceList: Check = (v, key) => {
  if (!Array.isArray(v) || v.length === 0)
    throw new ConfigError(key, `expected a non-empty list of devices, got ${show(v)}`);
  const devices = v.map((item, i) => oneOf(...CONFIG_DEVICES)(item, `${key}[${i}]`));
  return [...new Set(devices)];
};

const modelMap: Check = (v, key) => {
  if (!isObject(v))
    throw new ConfigError(key, `expected an object of name to model, got ${show(v)}`);
  const entries = Object.entries(v);
  if (entries.length === 0) throw new ConfigError(key, 'expected at least one model');
  for (const [name, source] of entries) {
    if (!/^[\w.@/-]{1,100}$/.test(name))
      throw new ConfigError(`${key}.${name}`, 'a model name may use letters, digits and _ . @ / -');
    string(source, `${key}.${name}`);
  }
  return v;
};

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

const CHECKS: { readonly [K in keyof ServerConfig]: Check } = {
  models: modelMap,
  default_model: string,
  max_user_string_length: integer(1, 1_000_000),
  max_prompt_tokens: integer(1, 1_000_000),
  preloaded_dataset_filename: nullable(string),
  allow_loading_dataset_files: boolean,
  dataset_dir: nullable(string),
  demo_mode: boolean,
  allow_custom_models: boolean,
  debug: boolean,
  device: oneOf(...CONFIG_DEVICES),
  dtype: oneOf(...CONFIG_DTYPES),
  devices: nullable(deviceList),
  model_cache_bytes: integer(1),
  trace_cache_bytes: integer(1),
  live_cache_bytes: integer(0),
  concurrency: integer(1, 64),
  max_queue: integer(0, 10_000),
  max_detail_queue: integer(1, 10_000),
  job_timeout_ms: integer(1),
  request_timeout_ms: integer(1),
  max_body_bytes: integer(1, 64 * 1024 ** 2),
  cors_origins: strings,
  host: string,
  port: integer(0, 65535),
};

/** Resolves a local model path against the config's folder; hub ids stay as they are. */
function resolveSource(source: string, baseDir: string): string {
  const local = source.startsWith('.') || isAbsolute(source);
  return local ? resolve(baseDir, source) : source;
}

/**
 * Validates a parsed config JSON over {@link DEFAULT_CONFIG}; relative paths
 * resolve against `baseDir` (the config file's folder).
 *
 * @throws ConfigError naming the first bad key.
 * @example
 * parseConfig({ models: { gpt2: 'openai-community/gpt2' }, default_model: 'gpt2' }, process.cwd());
 */
export function parseConfig(json: unknown, baseDir: string): ServerConfig {
  if (!isObject(json)) throw new ConfigError('(root)', `expected a JSON object, got ${show(json)}`);
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(json)) {
    const check = Object.hasOwn(CHECKS, key) ? CHECKS[key as keyof ServerConfig] : undefined;
    if (!check) throw new ConfigError(key, 'unknown key');
    merged[key] = check(value, key);
  }
  const config = merged as unknown as ServerConfig;
  if ('models' in json && !('default_model' in json)) {
    merged.default_model = Object.keys(config.models)[0];
  }
  if (!Object.hasOwn(config.models, config.default_model))
    throw new ConfigError('default_model', `'${config.default_model}' is not a key of models`);
  const datasetDir = config.dataset_dir === null ? null : resolve(baseDir, config.dataset_dir);
  if (config.preloaded_dataset_filename !== null && datasetDir === null)
    throw new ConfigError('preloaded_dataset_filename', 'needs dataset_dir');
  if (config.demo_mode && config.preloaded_dataset_filename === null)
    throw new ConfigError(
      'demo_mode',
      'needs preloaded_dataset_filename: demo mode traces its prompts',
    );
  if (config.demo_mode && config.allow_custom_models)
    throw new ConfigError('allow_custom_models', 'must be false in demo_mode');
  if (config.devices !== null && !config.devices.includes(config.device))
    throw new ConfigError('devices', `must include device '${config.device}'`);
  const models = Object.fromEntries(
    Object.entries(config.models).map(([name, source]) => [name, resolveSource(source, baseDir)]),
  );
  return {
    ...config,
    device: config.device satisfies ConfigDevice,
    models,
    dataset_dir: datasetDir,
  };
}

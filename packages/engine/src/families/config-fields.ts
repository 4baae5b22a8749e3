import { LmttError } from '../errors.js';
import type { RawConfig } from './family.js';

/** Reads a required positive integer field of `config.json`. */
export function intField(config: RawConfig, ...keys: string[]): number {
  for (const key of keys) {
    const value = config[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  }
  throw new LmttError(
    'UNSUPPORTED_MODEL',
    `config.json has no positive integer ${keys.map((k) => `'${k}'`).join(' or ')}`,
  );
}

/** Reads an optional number field of `config.json`. */
export function numberField(config: RawConfig, key: string, fallback: number): number {
  const value = config[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Reads an optional integer token id, which configs sometimes give as a list. */
export function tokenIdField(config: RawConfig, key: string): number | undefined {
  const value = config[key];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  return undefined;
}

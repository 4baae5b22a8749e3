import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DEFAULT_CONFIG } from './config.js';
import type { ServerConfig } from './config.js';
import { ConfigError } from './config-error.js';
import { parseConfig } from './parse-config.js';

/**
 * Reads and validates a config file; without a file, the defaults.
 *
 * @throws ConfigError when the file cannot be read, is not JSON or has a bad key.
 */
export async function loadConfig(file?: string): Promise<ServerConfig> {
  if (file === undefined) return DEFAULT_CONFIG;
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('(file)', `cannot read ${path}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('(file)', `${path} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseConfig(json, dirname(path));
}

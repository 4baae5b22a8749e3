import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_MODEL } from '../cli/default-model.js';
import { DEFAULT_CONFIG } from './config.js';
import { loadConfig } from './load-config.js';
import { parseConfig } from './parse-config.js';

describe('parseConfig', () => {
  it('defaults to the embedded model, offline, on loopback', async () => {
    expect(await loadConfig()).toBe(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.models[DEFAULT_CONFIG.default_model]).toBe(EMBEDDED_MODEL);
    expect(DEFAULT_CONFIG).toMatchObject({
      host: '127.0.0.1',
      demo_mode: false,
      allow_custom_models: false,
    });
  });

  it('resolves local model paths against the config folder and keeps hub ids', () => {
    const config = parseConfig({ models: { a: './m', b: 'openai-community/gpt2' } }, '/srv/lmtt');
    expect(config.models).toEqual({ a: '/srv/lmtt/m', b: 'openai-community/gpt2' });
    expect(config.default_model).toBe('a');
  });

  it.each([
    [[], '(root)'],
    [{ port: 70000 }, 'port'],
    [{ port: '80' }, 'port'],
    [{ device: 'tpu' }, 'device'],
    [{ dtype: 'bf16' }, 'dtype'],
    [{ devices: [] }, 'devices'],
    [{ devices: 'cpu' }, 'devices'],
    [{ devices: ['cpu', 'tpu'] }, 'devices[1]'],
    [{ devices: ['webgpu'] }, 'devices'],
    [{ models: {} }, 'models'],
    [{ models: { 'a b': 'x/y' } }, 'models.a b'],
    [{ models: { a: 3 } }, 'models.a'],
    [{ default_model: 'nope' }, 'default_model'],
    [{ cors_origins: ['ok', 1] }, 'cors_origins[1]'],
    [{ maxQueue: 3 }, 'maxQueue'],
    [{ demo_mode: 'yes' }, 'demo_mode'],
    [{ demo_mode: true }, 'demo_mode'],
    [
      {
        demo_mode: true,
        allow_custom_models: true,
        dataset_dir: '.',
        preloaded_dataset_filename: 'p.txt',
      },
      'allow_custom_models',
    ],
    [{ preloaded_dataset_filename: 'p.txt' }, 'preloaded_dataset_filename'],
    [{ max_user_string_length: 0 }, 'max_user_string_length'],
    [{ live_cache_bytes: -1 }, 'live_cache_bytes'],
    [{ live_cache_bytes: 1.5 }, 'live_cache_bytes'],
    [{ max_detail_queue: 0 }, 'max_detail_queue'],
  ])('rejects %j naming %s', (json, key) => {
    expect(() => parseConfig(json, '/')).toThrow(
      expect.objectContaining({ code: 'BAD_CONFIG', key }),
    );
  });

  it('keeps an allow-list of devices, without repeats', () => {
    expect(DEFAULT_CONFIG.devices).toBeNull();
    expect(parseConfig({ devices: ['cpu', 'webgpu', 'cpu'] }, '/').devices).toEqual([
      'cpu',
      'webgpu',
    ]);
  });

  it('names the file when it is not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lmtt-config-'));
    await writeFile(join(dir, 'bad.json'), '{ "port": ');
    await expect(loadConfig(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json is not JSON/);
    await expect(loadConfig(join(dir, 'missing.json'))).rejects.toThrow(/cannot read/);
  });
});

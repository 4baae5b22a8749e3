import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub } from '../../../test/support/fake-hub.js';
import type { FakeHub } from '../../../test/support/fake-hub.js';
import { resolveSource } from './resolve-source.js';

let dir: string;
let hub: FakeHub;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lmtt-resolve-'));
  await writeFile(join(dir, 'config.json'), '{"local":true}');
  hub = await startFakeHub({
    repos: { 'acme/tiny': { revisions: { main: { 'config.json': '{"hub":true}' } } } },
  });
});
afterAll(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

async function configOf(idOrPath: string): Promise<string> {
  const source = await resolveSource(idOrPath, { hubUrl: hub.url, cacheDir: join(dir, 'cache') });
  return (await source.open('config.json')).text();
}

describe('resolveSource (Node)', () => {
  it('reads an existing folder in place, absolute or relative', async () => {
    expect(await configOf(dir)).toBe('{"local":true}');
    expect(await configOf(relative(process.cwd(), dir))).toBe('{"local":true}');
    expect(hub.requests).toEqual([]);
  });

  it('reads a hub id from the hub', async () => {
    expect(await configOf('acme/tiny')).toBe('{"hub":true}');
    expect(hub.requests[0]?.url).toBe('/acme/tiny/resolve/main/config.json');
  });

  it('says a path-like name that does not exist is a missing folder', async () => {
    hub.requests.length = 0;
    await expect(configOf('./no/such/model')).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: `the model folder ${join(process.cwd(), 'no/such/model')} does not exist`,
    });
    await expect(configOf('~/no-such-lmtt-model')).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: `the model folder ${join(homedir(), 'no-such-lmtt-model')} does not exist`,
    });
    await expect(configOf('a/b/c')).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: expect.stringContaining('does not exist and is not a Hugging Face id'),
    });
    await expect(configOf(join(dir, 'config.json'))).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: `${join(dir, 'config.json')} is a file, not a model folder`,
    });
    expect(hub.requests).toEqual([]);
  });
});

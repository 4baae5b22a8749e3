import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskCache } from '../src/runtime/node/disk-cache.js';
import type { Progress } from '../src/source/source.js';
import { urlSource } from '../src/source/url.js';
import { startFakeHub } from './support/fake-hub.js';
import type { FakeHub } from './support/fake-hub.js';

const weights = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 13) % 256);
const repos = {
  'acme/tiny': {
    revisions: { main: { 'config.json': '{"n_layer":2}', 'model.safetensors': weights } },
  },
};

let server: FakeHub;
let noRanges: FakeHub;
let cacheDir: string;

beforeAll(async () => {
  server = await startFakeHub({ repos });
  noRanges = await startFakeHub({ repos, ignoreRange: true });
  cacheDir = await mkdtemp(join(tmpdir(), 'lmtt-url-cache-'));
});
afterAll(async () => {
  await Promise.all([server.close(), noRanges.close()]);
  await rm(cacheDir, { recursive: true, force: true });
});

/** A static model folder: the fake hub's resolve path serves plain files. */
function folder(of: FakeHub): string {
  return `${of.url}/acme/tiny/resolve/main/`;
}

describe('urlSource', () => {
  it('checks files with HEAD', async () => {
    server.requests.length = 0;
    const source = urlSource(folder(server));
    expect(await source.has('config.json')).toBe(true);
    expect(await source.has('tokenizer.json')).toBe(false);
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([
      ['HEAD', '/acme/tiny/resolve/main/config.json'],
      ['HEAD', '/acme/tiny/resolve/main/tokenizer.json'],
    ]);
  });

  it('reads with range requests', async () => {
    const file = await urlSource(folder(server)).open('model.safetensors');
    expect(file.size).toBe(weights.length);
    server.requests.length = 0;
    expect(await file.read(150_000, 16)).toEqual(weights.slice(150_000, 150_016));
    expect(server.requests).toEqual([
      expect.objectContaining({ method: 'GET', range: 'bytes=150000-150015' }),
    ]);
  });

  it('falls back to one whole download when the server ignores Range', async () => {
    const source = urlSource(folder(noRanges));
    const file = await source.open('model.safetensors');
    expect(file.size).toBe(weights.length);
    noRanges.requests.length = 0;
    expect(await file.read(10, 4)).toEqual(weights.slice(10, 14));
    expect(await file.read(199_996, 4)).toEqual(weights.slice(199_996));
    expect(noRanges.requests).toEqual([]);
    expect(await (await source.open('config.json')).text()).toBe('{"n_layer":2}');
  });

  it('materializes as bytes with progress, or once into a cache', async () => {
    const events: Progress[] = [];
    const bytes = await urlSource(folder(server)).materialize('model.safetensors', {
      onProgress: (progress) => events.push(progress),
    });
    expect(bytes.kind === 'bytes' && bytes.bytes.length).toBe(weights.length);
    expect(events.at(-1)).toEqual({
      phase: 'download model.safetensors',
      loaded: weights.length,
      total: weights.length,
    });

    const cached = urlSource(folder(server), { cache: diskCache(cacheDir) });
    const first = await cached.materialize('model.safetensors');
    expect(first.kind).toBe('path');
    server.requests.length = 0;
    expect(await cached.materialize('model.safetensors')).toEqual(first);
    expect(await (await cached.open('model.safetensors')).read(0, 3)).toEqual(weights.slice(0, 3));
    expect(server.requests).toEqual([]);
  });

  it('reports missing files, failures and aborts as LmttErrors', async () => {
    const source = urlSource(folder(server));
    await expect(source.open('tokenizer.json')).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
      message: `no tokenizer.json at ${folder(server).slice(0, -1)} (HTTP 404)`,
    });
    await expect(source.materialize('tokenizer.json')).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
    });
    await expect(
      source.materialize('model.safetensors', { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(urlSource(`${server.url}/elsewhere`).open('config.json')).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
    });
    await expect(urlSource('http://127.0.0.1:1/x').has('config.json')).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
    });
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LmttError } from '../src/errors.js';
import { diskCache } from '../src/runtime/node/disk-cache.js';
import { hubSource } from '../src/source/hub.js';
import type { Progress } from '../src/source/source.js';
import { startFakeHub } from './support/fake-hub.js';
import type { FakeHub } from './support/fake-hub.js';

const PINNED = '0123456789abcdef0123456789abcdef01234567';
const SIZE = 300_000;
const mainWeights = pattern(SIZE, 7);
const pinnedWeights = pattern(SIZE, 11);
const CONFIG = '{"model_type":"gpt2","n_layer":2}';

function pattern(size: number, step: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * step) % 251);
}

/** A digest to compare large byte arrays with (`toEqual` on 300 kB is slow). */
function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function fileDigest(path: string): Promise<string> {
  return digest(await readFile(path));
}

let hub: FakeHub;
let cacheDir: string;

beforeAll(async () => {
  hub = await startFakeHub({
    repos: {
      'acme/tiny': {
        revisions: {
          main: { 'config.json': CONFIG, 'model.safetensors': mainWeights },
          [PINNED]: { 'config.json': CONFIG, 'model.safetensors': pinnedWeights },
        },
      },
      'acme/secret': { private: true, revisions: { main: { 'config.json': CONFIG } } },
    },
  });
});
afterAll(() => hub.close());

beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'lmtt-hub-cache-'));
  hub.requests.length = 0;
  return () => rm(cacheDir, { recursive: true, force: true });
});

function tiny(revision?: string) {
  return hubSource('acme/tiny', { hubUrl: hub.url, revision, cache: diskCache(cacheDir) });
}

async function cachedFiles(): Promise<string[]> {
  const entries = await readdir(cacheDir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

describe('hubSource', () => {
  it('reads a slice with one range request and downloads nothing else', async () => {
    const file = await tiny().open('model.safetensors');
    expect(file.size).toBe(SIZE);
    expect(hub.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/acme/tiny/resolve/main/model.safetensors',
        range: 'bytes=0-0',
      }),
    ]);
    hub.requests.length = 0;

    const bytes = await file.read(100_000, 64);

    expect(bytes).toEqual(mainWeights.subarray(100_000, 100_064));
    expect(hub.requests).toEqual([
      expect.objectContaining({ method: 'GET', range: 'bytes=100000-100063' }),
    ]);
    expect(await cachedFiles()).toEqual([]);
  });

  it('tells which files exist and reads text', async () => {
    const source = tiny();
    expect(await source.has('config.json')).toBe(true);
    expect(await source.has('pytorch_model.bin')).toBe(false);
    expect(await (await source.open('config.json')).text()).toBe(CONFIG);
  });

  it('materializes once with monotone progress; later calls make no request', async () => {
    const events: Progress[] = [];
    const first = await tiny().materialize('model.safetensors', {
      onProgress: (progress) => events.push(progress),
    });

    expect(first.kind).toBe('path');
    const path = first.kind === 'path' ? first.path : '';
    expect(await fileDigest(path)).toBe(digest(mainWeights));
    expect(hub.requests.filter((request) => request.range === undefined)).toHaveLength(1);
    const loaded = events.map((event) => event.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(loaded.at(-1)).toBe(SIZE);
    expect(events.every((e) => e.phase === 'download model.safetensors' && e.total === SIZE)).toBe(
      true,
    );

    hub.requests.length = 0;
    const again = tiny();
    expect(await again.materialize('model.safetensors')).toEqual(first);
    const cached = await again.open('model.safetensors');
    expect(await cached.read(10, 5)).toEqual(mainWeights.subarray(10, 15));
    expect(await again.has('model.safetensors')).toBe(true);
    expect(hub.requests).toEqual([]);
  });

  it('keeps revisions apart', async () => {
    const main = tiny();
    const pinned = tiny(PINNED);
    expect(await (await pinned.open('model.safetensors')).read(0, 32)).toEqual(
      pinnedWeights.subarray(0, 32),
    );
    expect(hub.requests[0]?.url).toBe(`/acme/tiny/resolve/${PINNED}/model.safetensors`);

    const a = await main.materialize('model.safetensors');
    const b = await hubSource(`acme/tiny@${PINNED}`, {
      hubUrl: hub.url,
      cache: diskCache(cacheDir),
    }).materialize('model.safetensors');

    expect(a).not.toEqual(b);
    expect(await fileDigest(b.kind === 'path' ? b.path : '')).toBe(digest(pinnedWeights));
    expect(await cachedFiles()).toHaveLength(2);
  });

  it('sends the access token, which a private repository requires', async () => {
    const withToken = hubSource('acme/secret', {
      hubUrl: hub.url,
      accessToken: hub.token,
      cache: diskCache(cacheDir),
    });
    expect(await (await withToken.open('config.json')).text()).toBe(CONFIG);
    expect(hub.requests.length).toBeGreaterThan(0);
    expect(hub.requests.every((r) => r.authorization === `Bearer ${hub.token}`)).toBe(true);

    const anonymous = hubSource('acme/secret', { hubUrl: hub.url, cache: diskCache(cacheDir) });
    await expect(anonymous.open('model.safetensors')).rejects.toMatchObject({
      name: 'LmttError',
      code: 'MODEL_NOT_FOUND',
      message: expect.stringMatching(/private or gated: pass an access token \(HTTP 401/),
    });

    const wrong = hubSource('acme/secret', {
      hubUrl: hub.url,
      accessToken: 'hf_wrong',
      cache: diskCache(cacheDir),
    });
    await expect(wrong.has('tokenizer.json')).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
      message: expect.stringContaining('or the access token was refused (HTTP 401'),
    });
  });

  it('reports a missing file, repository or revision', async () => {
    const source = tiny();
    await expect(source.open('tokenizer.json')).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
      message: `no tokenizer.json in acme/tiny@main on ${hub.url}`,
    });
    await expect(source.materialize('tokenizer.json')).rejects.toMatchObject({
      code: 'MODEL_FILE_MISSING',
    });
    await expect(tiny('v9').open('config.json')).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
    const missing = hubSource('acme/none', { hubUrl: hub.url, cache: diskCache(cacheDir) });
    await expect(missing.has('config.json')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(() => hubSource('a/b/c', { cache: diskCache(cacheDir) })).toThrow(LmttError);
  });

  it('stops a download on abort and caches nothing', async () => {
    const slow = await startFakeHub({
      repos: { 'acme/tiny': { revisions: { main: { 'model.safetensors': mainWeights } } } },
      throttle: { bytes: 16_384, delayMs: 5 },
    });
    try {
      const source = hubSource('acme/tiny', { hubUrl: slow.url, cache: diskCache(cacheDir) });
      const controller = new AbortController();
      let last = 0;
      const download = source.materialize('model.safetensors', {
        signal: controller.signal,
        onProgress: ({ loaded }) => {
          last = loaded;
          if (loaded > 0) controller.abort();
        },
      });

      await expect(download).rejects.toMatchObject({ code: 'ABORTED' });
      expect(last).toBeLessThan(SIZE);
      expect(await cachedFiles()).toEqual([]);

      const done = await source.materialize('model.safetensors');
      expect(await fileDigest(done.kind === 'path' ? done.path : '')).toBe(digest(mainWeights));
    } finally {
      await slow.close();
    }
  });

  it('rejects reads outside the file and honours an aborted signal', async () => {
    const file = await tiny().open('model.safetensors');
    await expect(file.read(SIZE - 1, 2)).rejects.toThrow(RangeError);
    await expect(file.read(0, 0)).resolves.toEqual(new Uint8Array(0));
    await expect(file.read(0, 4, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });

  it('turns an unreachable hub into DOWNLOAD_FAILED', async () => {
    const gone = await startFakeHub({ repos: {} });
    await gone.close();
    const source = hubSource('acme/tiny', { hubUrl: gone.url, cache: diskCache(cacheDir) });
    await expect(source.open('config.json')).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
      cause: expect.any(Error),
    });
  });
});

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Progress } from '../src/source/source.js';
import { defaultCacheDir, loadModel } from '../src/node.js';
import type { LoadOptions } from '../src/node.js';
import { startFakeHub } from './support/fake-hub.js';
import type { FakeHub, FakeHubOptions, FakeRepo } from './support/fake-hub.js';
import { writeTinyGpt2 } from './support/tiny-gpt2.js';
import type { TinyGpt2 } from './support/tiny-gpt2.js';

const PINNED = '4f0c3a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const IDS = [12, 250, 7, 7, 99, 3, 180, 42, 12, 250];
const FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];

let root: string;
let tiny: TinyGpt2;
let weightBytes: number;
let repos: FakeHubOptions['repos'];
let hub: FakeHub;
let expectedLogits: Float32Array;
/** This test's download cache, through `$LMTT_CACHE`: `LoadOptions` has no `cacheDir`. */
let cacheDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-hub-model-'));
  tiny = await writeTinyGpt2(join(root, 'tiny'), { seed: 31 });
  weightBytes = (await stat(join(tiny.dir, 'model.safetensors'))).size;
  const files = Object.fromEntries(FILES.map((name) => [name, { path: join(tiny.dir, name) }]));
  const repo: FakeRepo = { revisions: { [PINNED]: files } };
  repos = { 'acme/tiny': repo };
  hub = await startFakeHub({ repos });
  const local = await loadModel(tiny.dir, { device: 'cpu' });
  try {
    expectedLogits = (await local.run(IDS)).logits.data;
  } finally {
    await local.dispose();
  }
});
afterAll(async () => {
  await hub.close();
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  cacheDir = await mkdtemp(join(root, 'cache-'));
  vi.stubEnv('LMTT_CACHE', cacheDir);
  hub.requests.length = 0;
  return () => {
    vi.unstubAllEnvs();
  };
});

/** Names of the files in this test's cache folder. */
async function cachedFiles(): Promise<string[]> {
  const entries = await readdir(cacheDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('hub-absent'))
    .map((entry) => entry.name)
    .sort();
}

function loadTiny(hubUrl: string, options: LoadOptions = {}) {
  return loadModel('acme/tiny', { hubUrl, revision: PINNED, device: 'cpu', ...options });
}

describe('loadModel from the hub', () => {
  it('caches in $LMTT_CACHE and gives the logits of the local folder, twice', async () => {
    expect(defaultCacheDir()).toBe(cacheDir);
    const first = await loadTiny(hub.url);
    try {
      expect(first.info).toMatchObject({ id: 'acme/tiny', family: 'gpt2', device: 'cpu' });
      expect((await first.run(IDS)).logits.data).toEqual(expectedLogits);
    } finally {
      await first.dispose();
    }
    expect(hub.requests.every((r) => r.url.startsWith(`/acme/tiny/resolve/${PINNED}/`))).toBe(true);
    expect(await cachedFiles()).toEqual(FILES);

    hub.requests.length = 0;
    const second = await loadTiny(hub.url);
    try {
      expect((await second.run(IDS)).logits.data).toEqual(expectedLogits);
    } finally {
      await second.dispose();
    }
    // Probes (`Range: bytes=0-0`) aside, nothing is fetched again.
    expect(hub.requests.filter((r) => r.range !== 'bytes=0-0')).toEqual([]);
  });

  it('loads a pinned revision again from the cache with the hub offline', async () => {
    // A commit is immutable: `HubOptions.revision` promises offline-cacheable loads.
    const once = await startFakeHub({ repos });
    const first = await loadTiny(once.url).finally(() => once.close());
    await first.dispose();

    const offline = await loadTiny(once.url);
    try {
      expect((await offline.run(IDS)).logits.data).toEqual(expectedLogits);
    } finally {
      await offline.dispose();
    }
  });

  it('reports download progress up to the file size, then session creation up to the total', async () => {
    const events: Progress[] = [];
    const model = await loadTiny(hub.url, { onProgress: (progress) => events.push(progress) });
    await model.dispose();

    const download = events.filter((e) => e.phase === 'download model.safetensors');
    const loaded = download.map((e) => e.loaded);
    expect(download.length).toBeGreaterThan(1);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(loaded.at(-1)).toBe(weightBytes);
    expect(download.every((e) => e.total === weightBytes)).toBe(true);

    const sessions = events.filter((e) => e.phase === 'create sessions');
    expect(sessions.map((e) => [e.loaded, e.total])).toEqual(
      [0, 1, 2, 3, 4].map((loaded) => [loaded, 4]), // embed, 2 layers, unembed
    );
    expect(events.indexOf(download.at(-1)!)).toBeLessThan(events.indexOf(sessions[0]!));
    expect(new Set(events.map((e) => e.phase))).toEqual(
      new Set(['download model.safetensors', 'create sessions']),
    );
  });

  it('stops with ABORTED when aborted mid-download, and caches no weights', async () => {
    const slow = await startFakeHub({ repos, throttle: { bytes: 8_192, delayMs: 5 } });
    try {
      const controller = new AbortController();
      let last = 0;
      const loading = loadTiny(slow.url, {
        signal: controller.signal,
        onProgress: ({ phase, loaded }) => {
          if (phase !== 'download model.safetensors') return;
          last = loaded;
          if (loaded > 0) controller.abort();
        },
      });
      await expect(loading).rejects.toMatchObject({ name: 'LmttError', code: 'ABORTED' });
      expect(last).toBeGreaterThan(0);
      expect(last).toBeLessThan(weightBytes);
      expect(await cachedFiles()).not.toContain('model.safetensors');
    } finally {
      await slow.close();
    }
  });

  it('stops with ABORTED when aborted while sessions are created', async () => {
    const controller = new AbortController();
    const loading = loadTiny(hub.url, {
      signal: controller.signal,
      onProgress: ({ phase, loaded }) => {
        if (phase === 'create sessions' && loaded === 1) controller.abort();
      },
    });
    await expect(loading).rejects.toMatchObject({ name: 'LmttError', code: 'ABORTED' });
  });

  it('stops with ABORTED when the signal is already aborted', async () => {
    await expect(loadTiny(hub.url, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'LmttError',
      code: 'ABORTED',
    });
    expect(await cachedFiles()).toEqual([]);
  });
});

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey } from '../../source/file-cache.js';
import { defaultCacheDir, diskCache } from './disk-cache.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lmtt-disk-cache-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function filesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

const KEY = cacheKey('hub', 'huggingface.co', 'acme/tiny', 'refs/pr/1', 'onnx/model.onnx');

describe('diskCache', () => {
  it('stores a stream under its key with progress and reads it back as a path', async () => {
    const cache = diskCache(dir);
    expect(await cache.get(KEY)).toBeUndefined();
    const progress: number[] = [];

    const put = await cache.put(KEY, streamOf(Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5)), {
      size: 5,
      onProgress: (stored) => progress.push(stored),
    });

    expect(progress).toEqual([3, 5]);
    const path = join(
      dir,
      'hub',
      'huggingface.co',
      'acme%2Ftiny',
      'refs%2Fpr%2F1',
      'onnx%2Fmodel.onnx',
    );
    expect(await put.materialize()).toEqual({ kind: 'path', path });
    const got = await cache.get(KEY);
    expect(got?.size).toBe(5);
    expect(await got?.read(1, 3)).toEqual(Uint8Array.of(2, 3, 4));
    expect(new Uint8Array(await readFile(path))).toEqual(Uint8Array.of(1, 2, 3, 4, 5));
  });

  it('keeps nothing when the body fails, is aborted or has the wrong size', async () => {
    const cache = diskCache(dir);
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Uint8Array.of(1));
        controller.error(new Error('connection reset'));
      },
    });
    await expect(cache.put(KEY, failing)).rejects.toThrow('connection reset');

    const controller = new AbortController();
    const endless = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(new Uint8Array(1024)),
    });
    const aborted = cache.put(KEY, endless, {
      signal: controller.signal,
      onProgress: (stored) => stored >= 4096 && controller.abort(),
    });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });

    await expect(cache.put(KEY, streamOf(Uint8Array.of(1, 2)), { size: 3 })).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
    });

    expect(await cache.get(KEY)).toBeUndefined();
    expect(await filesIn(dir)).toEqual([]);
  });

  it('refuses keys that would leave its folder', async () => {
    await expect(diskCache(dir).get('hub/../../etc')).rejects.toThrow(RangeError);
  });
});

describe('defaultCacheDir', () => {
  it('prefers $LMTT_CACHE, then $XDG_CACHE_HOME/lmtt, then ~/.cache/lmtt', () => {
    expect(defaultCacheDir({ LMTT_CACHE: '/c/lmtt', XDG_CACHE_HOME: '/x' })).toBe('/c/lmtt');
    expect(defaultCacheDir({ LMTT_CACHE: '', XDG_CACHE_HOME: '/x' })).toBe(resolve('/x/lmtt'));
    expect(defaultCacheDir({})).toBe(join(homedir(), '.cache', 'lmtt'));
  });
});

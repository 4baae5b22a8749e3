import { describe, expect, it } from 'vitest';
import { fakeCacheStorage } from '../../../test/support/fake-cache-storage.js';
import { cacheStorageCache } from './cache-storage.js';

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

describe('cacheStorageCache', () => {
  it('stores a stream with progress and gives back bytes', async () => {
    const storage = fakeCacheStorage();
    const cache = cacheStorageCache({ storage });
    expect(await cache.get('hub/a')).toBeUndefined();
    const progress: number[] = [];

    await cache.put('hub/a', streamOf(Uint8Array.of(1, 2), Uint8Array.of(3)), {
      size: 3,
      onProgress: (stored) => progress.push(stored),
    });

    expect(progress).toEqual([2, 3]);
    expect([...storage.entries.keys()]).toEqual(['https://lmtt.invalid/file?key=hub%2Fa']);
    const file = await cache.get('hub/a');
    expect(file?.size).toBe(3);
    expect(await file?.read(1, 2)).toEqual(Uint8Array.of(2, 3));
    expect(await file?.materialize()).toEqual({ kind: 'bytes', bytes: Uint8Array.of(1, 2, 3) });
  });

  it('keeps nothing when the body fails, is aborted or has the wrong size', async () => {
    const storage = fakeCacheStorage();
    const cache = cacheStorageCache({ storage });
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(Uint8Array.of(1));
        controller.error(new Error('connection reset'));
      },
    });
    await expect(cache.put('k', failing)).rejects.toThrow('connection reset');

    const controller = new AbortController();
    const endless = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(64)) });
    const aborted = cache.put('k', endless, {
      signal: controller.signal,
      onProgress: (stored) => stored >= 256 && controller.abort(),
    });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });

    await expect(cache.put('k', streamOf(Uint8Array.of(1)), { size: 2 })).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
    });
    expect(storage.entries.size).toBe(0);
  });

  it('explains when Cache Storage is unavailable', async () => {
    expect(typeof caches).toBe('undefined');
    await expect(cacheStorageCache().get('k')).rejects.toMatchObject({
      code: 'DOWNLOAD_FAILED',
      message: expect.stringContaining('Cache Storage is unavailable'),
    });
  });
});

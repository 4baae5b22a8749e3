import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeHub } from '../../../test/support/fake-hub.js';
import type { FakeHub } from '../../../test/support/fake-hub.js';
import { fakeCacheStorage } from '../../../test/support/fake-cache-storage.js';
import { resolveSource } from './resolve-source.js';

let hub: FakeHub;

beforeAll(async () => {
  hub = await startFakeHub({
    repos: {
      'acme/tiny': { revisions: { main: { 'model.safetensors': Uint8Array.of(7, 8, 9) } } },
    },
  });
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await hub.close();
});

describe('resolveSource (browser)', () => {
  it('reads a URL as a served folder', async () => {
    const source = await resolveSource(`${hub.url}/acme/tiny/resolve/main`);
    expect(await source.materialize('model.safetensors')).toEqual({
      kind: 'bytes',
      bytes: Uint8Array.of(7, 8, 9),
    });
  });

  it('reads a hub id from the hub through Cache Storage', async () => {
    const storage = fakeCacheStorage();
    vi.stubGlobal('caches', storage);
    const source = await resolveSource('acme/tiny', { hubUrl: hub.url });
    expect(await source.materialize('model.safetensors')).toEqual({
      kind: 'bytes',
      bytes: Uint8Array.of(7, 8, 9),
    });
    expect(storage.entries.size).toBe(1);
  });

  it('rejects a name that is neither', async () => {
    await expect(resolveSource('not a model')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });
});

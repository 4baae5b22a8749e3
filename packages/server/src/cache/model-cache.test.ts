import { describe, expect, it } from 'vitest';
import { ModelCache } from './model-cache.js';

function fakeLoader() {
  const loads: string[] = [];
  const disposed: string[] = [];
  const load = async (source: string) => {
    loads.push(source);
    await new Promise((resolve) => setTimeout(resolve, 1));
    return {
      info: { weightBytes: 60 },
      dispose: async () => void disposed.push(source),
    };
  };
  return { load, loads, disposed };
}

describe('ModelCache', () => {
  it('shares concurrent loads and disposes the least recently used beyond its budget', async () => {
    const fake = fakeLoader();
    const cache = new ModelCache(100, fake.load);
    const [a1, a2] = await Promise.all([cache.acquire('a'), cache.acquire('a')]);
    expect(fake.loads).toEqual(['a']);
    expect(a1.model).toBe(a2.model);
    a1.release();
    a2.release();
    const b = await cache.acquire('b');
    b.release();
    expect(fake.disposed).toEqual(['a']);
    expect(cache.stats()).toMatchObject({ loaded: ['b'], bytes: 60, evictions: 1 });
  });

  it('never evicts a model in use', async () => {
    const fake = fakeLoader();
    const cache = new ModelCache(100, fake.load);
    const a = await cache.acquire('a');
    const b = await cache.acquire('b');
    expect(fake.disposed).toEqual([]);
    a.release();
    expect(fake.disposed).toEqual(['a']);
    b.release();
    await cache.close();
    expect(fake.disposed).toEqual(['a', 'b']);
  });
});

/** A {@link fakeCacheStorage}: a `CacheStorage` whose stored bodies are visible, by request URL. */
export type FakeCacheStorage = CacheStorage & { readonly entries: Map<string, Uint8Array> };

/**
 * An in-memory stand-in for the browser's `CacheStorage` (only `open`,
 * `match` and `put`) that, like the real one, stores a response only once
 * its whole body has been read: a body that fails stores nothing.
 */
export function fakeCacheStorage(): FakeCacheStorage {
  const entries = new Map<string, Uint8Array>();
  const cache = {
    async match(url: string) {
      const bytes = entries.get(url);
      return bytes && new Response(bytes.slice());
    },
    async put(url: string, response: Response) {
      entries.set(url, new Uint8Array(await response.arrayBuffer()));
    },
  };
  const storage = { entries, open: async () => cache };
  return storage as unknown as FakeCacheStorage;
}

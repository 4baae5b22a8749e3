import { SizedLru } from './lru.js';
import type { CacheStats } from './lru.js';

/** What the cache needs of a loaded model: its size, and how to unload it. */
export interface CacheableModel {
  readonly info: { readonly weightBytes: number };
  dispose(): Promise<void>;
}

/** Loads the model of a key; an engine worker's load in production, a fake in tests. */
export type ModelLoader<M extends CacheableModel> = (key: string) => Promise<M>;

/** A model borrowed from the cache; `release` it when done so it may be evicted. */
export interface ModelLease<M extends CacheableModel> {
  readonly model: M;
  release(): void;
}

/** What the health endpoint reports about loaded models. */
export interface ModelCacheStats extends CacheStats {
  readonly loaded: readonly string[];
  readonly loading: readonly string[];
}

/**
 * Loaded models by key, least recently used evicted (and disposed) beyond a
 * budget of weight bytes. A model in use is never evicted; concurrent
 * requests for one key share one load.
 */
export class ModelCache<M extends CacheableModel> {
  readonly #lru: SizedLru<string, M>;
  readonly #loading = new Map<string, Promise<M>>();
  readonly #leases = new Map<string, number>();

  constructor(
    budgetBytes: number,
    private readonly load: ModelLoader<M>,
  ) {
    this.#lru = new SizedLru(budgetBytes, (_key, model) => void model.dispose());
  }

  /** The model of `key` when loaded now, without borrowing it. */
  peek(key: string): M | undefined {
    return this.#lru.peek(key);
  }

  /** Borrows the model of `key`, loading it first when needed. */
  async acquire(key: string): Promise<ModelLease<M>> {
    // Pin before loading so that no release in between can evict it.
    this.#leases.set(key, (this.#leases.get(key) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.#leases.get(key) ?? 1) - 1;
      if (left > 0) this.#leases.set(key, left);
      else this.#leases.delete(key);
      this.#lru.shrink(this.#pinned);
    };
    try {
      const model = this.#lru.get(key) ?? (await this.#loadOnce(key));
      return { model, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  readonly #pinned = (key: string) => this.#leases.has(key);

  #loadOnce(key: string): Promise<M> {
    const pending = this.#loading.get(key);
    if (pending) return pending;
    const loading = this.load(key)
      .then((model) => {
        this.#lru.set(key, model, model.info.weightBytes, this.#pinned);
        return model;
      })
      .finally(() => this.#loading.delete(key));
    this.#loading.set(key, loading);
    return loading;
  }

  /** Evicts (and disposes) every model whose key matches, even in use: its worker is gone. */
  evict(matches: (key: string) => boolean): void {
    for (const key of this.#lru.keys()) if (matches(key)) this.#lru.delete(key);
  }

  /** Disposes every loaded model. */
  async close(): Promise<void> {
    for (const key of this.#lru.keys()) this.#lru.delete(key);
    await Promise.allSettled(this.#loading.values());
  }

  stats(): ModelCacheStats {
    return { ...this.#lru.stats(), loaded: this.#lru.keys(), loading: [...this.#loading.keys()] };
  }
}

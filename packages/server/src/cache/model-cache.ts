import type { Model, NodeLoadOptions } from '@lmtt/engine/node';
import { SizedLru } from './lru.js';
import type { CacheStats } from './lru.js';

/** Loads a model; `loadModel` of `@lmtt/engine/node` in production, a fake in tests. */
export type ModelLoader = (source: string, options: NodeLoadOptions) => Promise<Model>;

/** A model borrowed from the cache; `release` it when done so it may be evicted. */
export interface ModelLease {
  readonly model: Model;
  release(): void;
}

/** What the health endpoint reports about loaded models. */
export interface ModelCacheStats extends CacheStats {
  readonly loaded: readonly string[];
  readonly loading: readonly string[];
}

/**
 * Loaded models, least recently used evicted (and disposed) beyond a budget
 * of weight bytes. A model in use is never evicted; concurrent requests for
 * one model share one load.
 */
export class ModelCache {
  readonly #lru: SizedLru<string, Model>;
  readonly #loading = new Map<string, Promise<Model>>();
  readonly #leases = new Map<string, number>();

  constructor(
    budgetBytes: number,
    private readonly load: ModelLoader,
    private readonly options: NodeLoadOptions = {},
  ) {
    this.#lru = new SizedLru(budgetBytes, (_key, model) => void model.dispose());
  }

  /** The model of `source` when loaded now, without borrowing it. */
  peek(source: string): Model | undefined {
    return this.#lru.peek(source);
  }

  /** Borrows the model of `source`, loading it first when needed. */
  async acquire(source: string): Promise<ModelLease> {
    // Pin before loading so that no release in between can evict it.
    this.#leases.set(source, (this.#leases.get(source) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.#leases.get(source) ?? 1) - 1;
      if (left > 0) this.#leases.set(source, left);
      else this.#leases.delete(source);
      this.#lru.shrink(this.#pinned);
    };
    try {
      const model = this.#lru.get(source) ?? (await this.#loadOnce(source));
      return { model, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  readonly #pinned = (source: string) => this.#leases.has(source);

  #loadOnce(source: string): Promise<Model> {
    const pending = this.#loading.get(source);
    if (pending) return pending;
    const loading = this.load(source, this.options)
      .then((model) => {
        this.#lru.set(source, model, model.info.weightBytes, this.#pinned);
        return model;
      })
      .finally(() => this.#loading.delete(source));
    this.#loading.set(source, loading);
    return loading;
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

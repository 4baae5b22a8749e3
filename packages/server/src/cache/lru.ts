/** What a size-bounded cache reports. */
export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly budgetBytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

/**
 * A least-recently-used map bounded by the sum of its entries' sizes; pinned
 * entries may hold it over budget until they are unpinned. `onEvict` runs for every
 * entry that leaves because of the budget or `delete`.
 */
export class SizedLru<K, V> {
  readonly #entries = new Map<K, { value: V; size: number }>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(
    readonly budgetBytes: number,
    private readonly onEvict: (key: K, value: V) => void = () => {},
  ) {}

  /** The value under `key`, now the most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** The value under `key` without touching its recency or the stats. */
  peek(key: K): V | undefined {
    return this.#entries.get(key)?.value;
  }

  /**
   * Stores `value`, then evicts least recently used entries while over budget,
   * skipping those `pinned` says must stay.
   */
  set(key: K, value: V, size: number, pinned: (key: K) => boolean = () => false): boolean {
    this.delete(key);
    this.#entries.set(key, { value, size });
    this.#bytes += size;
    this.shrink(pinned);
    return this.#entries.has(key);
  }

  /** Evicts least recently used unpinned entries until within budget. */
  shrink(pinned: (key: K) => boolean = () => false): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.budgetBytes) break;
      if (pinned(key)) continue;
      this.#entries.delete(key);
      this.#bytes -= entry.size;
      this.#evictions++;
      this.onEvict(key, entry.value);
    }
  }

  /** Removes `key`, calling `onEvict`. */
  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.size;
    this.onEvict(key, entry.value);
  }

  /** Every key, least recently used first. */
  keys(): K[] {
    return [...this.#entries.keys()];
  }

  stats(): CacheStats {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      budgetBytes: this.budgetBytes,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
    };
  }
}

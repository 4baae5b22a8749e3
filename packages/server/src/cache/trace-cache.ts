import type { Trace } from '@lmtt/engine';
import type { TraceRequest } from '../traces/trace-request.js';
import { SizedLru } from './lru.js';
import type { CacheStats } from './lru.js';

/** A finished trace with its file text and what produced it. */
export interface CachedTrace {
  readonly trace: Trace;
  /** `encodeTrace(trace)`: what `GET /api/traces/:id` answers. */
  readonly text: string;
  /** The request key of the trace, and of its full sibling when it is a summary. */
  readonly requestKey: string;
  readonly fullRequestKey: string;
  /** The config name of the model. */
  readonly model: string;
  /** The request that produced it. */
  readonly request: TraceRequest;
}

/**
 * Finished traces by id, least recently used evicted beyond a budget of
 * encoded bytes; also found by the request that produced them.
 */
export class TraceCache {
  readonly #lru: SizedLru<string, CachedTrace>;
  readonly #byRequest = new Map<string, string>();

  constructor(budgetBytes: number) {
    this.#lru = new SizedLru(budgetBytes, (_id, entry) => {
      if (this.#byRequest.get(entry.requestKey) === entry.trace.id)
        this.#byRequest.delete(entry.requestKey);
    });
  }

  get(id: string): CachedTrace | undefined {
    return this.#lru.get(id);
  }

  /** The trace a request with this key produced, when still cached. */
  byRequest(requestKey: string): CachedTrace | undefined {
    const id = this.#byRequest.get(requestKey);
    return id === undefined ? undefined : this.#lru.get(id);
  }

  put(entry: CachedTrace): void {
    if (this.#lru.set(entry.trace.id, entry, Buffer.byteLength(entry.text)))
      this.#byRequest.set(entry.requestKey, entry.trace.id);
  }

  stats(): CacheStats {
    return this.#lru.stats();
  }
}

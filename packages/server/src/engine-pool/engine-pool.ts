import type { TraceSummary } from '@lmtt/engine';
import type { ModelInfo } from '@lmtt/engine/node';
import { SizedLru } from '../cache/lru.js';
import type { CacheStats } from '../cache/lru.js';
import { ModelCache } from '../cache/model-cache.js';
import type { ModelCacheStats, ModelLease } from '../cache/model-cache.js';
import { ApiError } from '../errors/api-error.js';
import type { DetailAnswer, DetailQuery } from '../traces/detail-query.js';
import { EngineThread } from './engine-thread.js';
import type { EngineEvent } from './engine-thread.js';
import { modelKey } from './protocol.js';
import type { ModelRef, WorkerTraceOptions } from './protocol.js';

/** How an {@link EnginePool} is set up. */
export interface EnginePoolOptions {
  /** Engine workers: one per job that may run at once (the config's `concurrency`). */
  readonly workers: number;
  /** Budget of loaded weights, over every worker together. */
  readonly modelCacheBytes: number;
  /** Budget of live trace states (forward passes and contributions kept for detail), over every worker. */
  readonly liveCacheBytes: number;
  /** Detail questions that may be pending at once; beyond it `detail` refuses with 429. */
  readonly maxDetailQueue: number;
  /**
   * The module the workers take `loadModel` and `trace` from (default
   * `@lmtt/engine/node`): tests pass a wrapper of the engine.
   */
  readonly engineModule?: string;
  /**
   * How long a cancelled trace may run on before its worker is ended and
   * replaced (default 30 s): the engine stops at its next layer, so only a
   * stuck worker takes longer.
   */
  readonly cancelGraceMs?: number;
}

/** What the health endpoint reports about one engine worker. */
export interface EngineWorkerStats {
  /** Whether its thread is running now (threads start on first use). */
  readonly started: boolean;
  /** Traces running on it now. */
  readonly jobs: number;
  /** Model sources loaded in it (once per device and precision). */
  readonly loaded: readonly string[];
  /** Times its thread died and was replaced. */
  readonly crashes: number;
}

/** What the health endpoint reports about live trace states and detail questions. */
export interface LiveCacheStats extends CacheStats {
  /** Detail questions sent to the workers and not answered yet. */
  readonly pending: number;
  readonly maxPending: number;
  /** Detail questions refused with 429. */
  readonly rejected: number;
}

/** A trace's live state in one worker, as the main thread's live cache holds it. */
interface LiveEntry {
  readonly worker: number;
  /** The model's {@link modelKey}. */
  readonly model: string;
  readonly thread: EngineThread;
}

/** A model loaded in one worker, as the main thread's model cache holds it. */
interface WorkerModel {
  readonly info: ModelInfo;
  dispose(): Promise<void>;
}

interface Slot {
  thread: EngineThread | undefined;
  jobs: number;
  crashes: number;
}

/** Cache keys name a worker and a model: `<worker>:<device>:<dtype>:<source>`. */
const keyOf = (worker: number, model: ModelRef) => `${worker}:${modelKey(model)}`;
const KEY = /^(\d+):([^:]+):([^:]+):(.*)$/s;
function parseKey(key: string): { worker: number; model: ModelRef } {
  const [, worker, device, dtype, source] = KEY.exec(key)!;
  return {
    worker: Number(worker),
    model: {
      source: source!,
      device: device as ModelRef['device'],
      dtype: dtype as ModelRef['dtype'],
    },
  };
}
const workerOfKey = (key: string) => parseKey(key).worker;
const sourceOfKey = (key: string) => parseKey(key).model.source;

/**
 * The engine workers: threads that own the loaded models, run traces and
 * answer detail questions, so that the event loop of the main thread only
 * routes and streams.
 *
 * One model cache on the main thread decides which models stay loaded in
 * which worker (least recently used evicted beyond the budget, never while
 * in use); one live cache decides which workers keep which traces' forward
 * passes for detail questions. A trace runs on the worker with the fewest
 * traces, preferring one that has its model; a detail question on the
 * worker that keeps its trace's state. A worker that dies fails its calls
 * with `WORKER_CRASHED`, loses its models and states, and a fresh thread
 * takes its place on next use.
 */
export class EnginePool {
  readonly #options: EnginePoolOptions;
  readonly #slots: Slot[];
  readonly #models: ModelCache<WorkerModel>;
  /** Which worker keeps the live state of which trace id, LRU by estimated bytes. */
  readonly #live: SizedLru<string, LiveEntry>;
  /** Trace ids whose live state a worker is making now, so that their questions meet there. */
  readonly #making = new Map<string, number>();
  #detailPending = 0;
  #detailRejected = 0;
  /** Moving average of a detail question's time, for `Retry-After`. */
  #detailAverageMs = 500;

  constructor(options: EnginePoolOptions) {
    this.#options = options;
    this.#slots = Array.from({ length: options.workers }, () => ({
      thread: undefined,
      jobs: 0,
      crashes: 0,
    }));
    this.#models = new ModelCache(options.modelCacheBytes, (key) => this.#load(key));
    this.#live = new SizedLru(options.liveCacheBytes, (trace, entry) => {
      if (entry.thread.alive) entry.thread.forget(trace);
    });
  }

  /** Loads `model` (when it is not loaded yet) and describes it. */
  async load(model: ModelRef): Promise<ModelInfo> {
    const lease = await this.#models.acquire(keyOf(this.#pick(model), model));
    lease.release();
    return lease.model.info;
  }

  /** What a loaded model of `source` is (on any device), without loading it. */
  info(source: string): ModelInfo | undefined {
    for (const key of this.#models.stats().loaded) {
      if (sourceOfKey(key) !== source) continue;
      const loaded = this.#models.peek(key);
      if (loaded) return loaded.info;
    }
    return undefined;
  }

  /** The number of tokens `prompt` has for `model`. */
  async tokenCount(model: ModelRef, prompt: string, prependBos?: boolean): Promise<number> {
    return this.#with(this.#pick(model), model, (thread) =>
      thread.call({ op: 'tokenize', model, prompt, prependBos }),
    );
  }

  /**
   * Traces `prompt` through `model` on a worker, yielding the
   * engine's events as they arrive. Aborting `signal` stops the engine at
   * its next layer; the stream then ends with its `ABORTED` event.
   *
   * @throws ApiError `WORKER_CRASHED` when the worker dies, or the load's error.
   */
  async *trace(
    model: ModelRef,
    prompt: string,
    options: WorkerTraceOptions,
    signal: AbortSignal,
  ): AsyncGenerator<EngineEvent> {
    const worker = this.#pick(model, true);
    const slot = this.#slots[worker]!;
    slot.jobs++;
    try {
      const lease = await this.#models.acquire(keyOf(worker, model));
      try {
        const thread = this.#thread(worker);
        const entry = { worker, model: modelKey(model), thread };
        for await (const event of thread.trace(model, prompt, options, signal)) {
          if (event.event.type === 'done' && event.retainedBytes !== undefined)
            this.#live.set(event.event.trace.id, entry, event.retainedBytes);
          yield event;
        }
      } finally {
        lease.release();
      }
    } finally {
      slot.jobs--;
    }
  }

  /**
   * Answers a detail question about the trace of `summary` (traced with
   * `model`) on the worker that keeps its live state; when none
   * does, a worker with the model makes one, which recomputes the forward
   * pass once, and keeps it. Aborting `signal` answers at once and drops the
   * question if it has not started.
   *
   * @throws ApiError 429 `QUEUE_FULL` with `Retry-After` over `maxDetailQueue`
   *   pending questions, `WORKER_CRASHED`; the query's `TraceQueryError`.
   */
  async detail<Q extends DetailQuery>(
    summary: TraceSummary,
    model: ModelRef,
    query: Q,
    signal: AbortSignal,
  ): Promise<DetailAnswer<Q>> {
    const { maxDetailQueue } = this.#options;
    if (this.#detailPending >= maxDetailQueue) {
      this.#detailRejected++;
      const waitMs = ((this.#detailPending + 1) * this.#detailAverageMs) / this.#slots.length;
      throw new ApiError(429, 'QUEUE_FULL', 'too many detail questions: try again shortly', {
        headers: { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) },
      });
    }
    this.#detailPending++;
    const started = Date.now();
    try {
      return (await this.#askLive(summary, model, query, signal)) as DetailAnswer<Q>;
    } finally {
      this.#detailPending--;
      this.#detailAverageMs = 0.8 * this.#detailAverageMs + 0.2 * (Date.now() - started);
    }
  }

  async #askLive(
    summary: TraceSummary,
    model: ModelRef,
    query: DetailQuery,
    signal: AbortSignal,
  ): Promise<unknown> {
    const { id } = summary;
    const held = this.#live.get(id);
    const worker = held?.worker ?? this.#making.get(id) ?? this.#pick(model);
    const lease = await this.#models.acquire(keyOf(worker, model));
    const thread = this.#thread(worker);
    // The summary goes along only when the worker may lack the state (a
    // worker answers `found: false` rather than guess).
    const has = this.#live.peek(id)?.thread === thread;
    if (!has) this.#making.set(id, worker);
    try {
      const ask = (withSummary: boolean) =>
        thread.detail(
          { op: 'detail', trace: id, model, summary: withSummary ? summary : undefined, query },
          signal,
        );
      let reply = await ask(!has);
      if (!reply.found) reply = await ask(true);
      if (!reply.found) throw new Error('the engine worker made no live source of the trace');
      if (reply.retainedBytes !== undefined)
        this.#live.set(id, { worker, model: modelKey(model), thread }, reply.retainedBytes);
      return reply.value;
    } finally {
      if (!has && this.#making.get(id) === worker) this.#making.delete(id);
      lease.release();
    }
  }

  /** Live trace states over every worker, and the detail questions pending. */
  liveStats(): LiveCacheStats {
    return {
      ...this.#live.stats(),
      pending: this.#detailPending,
      maxPending: this.#options.maxDetailQueue,
      rejected: this.#detailRejected,
    };
  }

  /** The model cache, by model source (a model in two workers counts twice in `bytes`). */
  modelStats(): ModelCacheStats {
    const stats = this.#models.stats();
    const sources = (keys: readonly string[]) => [...new Set(keys.map(sourceOfKey))];
    return { ...stats, loaded: sources(stats.loaded), loading: sources(stats.loading) };
  }

  workerStats(): EngineWorkerStats[] {
    const loaded = this.#models.stats().loaded;
    return this.#slots.map((slot, worker) => ({
      started: slot.thread?.alive === true,
      jobs: slot.jobs,
      loaded: loaded.filter((key) => workerOfKey(key) === worker).map(sourceOfKey),
      crashes: slot.crashes,
    }));
  }

  /**
   * Ends every worker, and with it every model and load in progress (a load
   * may be a long download: shutting down does not wait for it).
   */
  async close(): Promise<void> {
    const threads = this.#slots.map((slot) => slot.thread);
    for (const slot of this.#slots) slot.thread = undefined;
    await Promise.all(threads.map((thread) => thread?.terminate()));
    await this.#models.close();
  }

  /**
   * The worker for work on `model`: the fewest running traces first, then
   * one that has the model (or, for a quick call, has it before anything).
   */
  #pick(model: ModelRef, forTrace = false): number {
    const has = (worker: number) =>
      this.#models.peek(keyOf(worker, model)) !== undefined ||
      this.#models.stats().loading.includes(keyOf(worker, model));
    let best = 0;
    let bestRank = Infinity;
    this.#slots.forEach((slot, worker) => {
      const rank = forTrace
        ? slot.jobs * 2 + (has(worker) ? 0 : 1)
        : (has(worker) ? 0 : this.#slots.length * 2) + slot.jobs;
      if (rank < bestRank) [best, bestRank] = [worker, rank];
    });
    return best;
  }

  /** The worker's thread, started (or replaced after a crash) on demand. */
  #thread(worker: number): EngineThread {
    const slot = this.#slots[worker]!;
    if (slot.thread?.alive) return slot.thread;
    const { engineModule = '@lmtt/engine/node' } = this.#options;
    const thread = new EngineThread(
      { engineModule },
      (reason) => this.#crashed(worker, thread, reason),
      this.#options.cancelGraceMs ?? 30_000,
    );
    slot.thread = thread;
    return thread;
  }

  #crashed(worker: number, thread: EngineThread, reason: Error): void {
    const slot = this.#slots[worker]!;
    if (slot.thread !== thread) return;
    slot.crashes++;
    slot.thread = undefined;
    console.error(`lmtt: engine worker ${worker} stopped: ${reason.stack ?? reason.message}`);
    this.#models.evict((key) => workerOfKey(key) === worker);
    this.#forgetLive((entry) => entry.thread === thread);
  }

  /** Drops the live states that match from the live cache (and from their live workers). */
  #forgetLive(matches: (entry: LiveEntry) => boolean): void {
    for (const trace of this.#live.keys()) {
      const entry = this.#live.peek(trace);
      if (entry && matches(entry)) this.#live.delete(trace);
    }
  }

  async #load(key: string): Promise<WorkerModel> {
    const { worker, model } = parseKey(key);
    const thread = this.#thread(worker);
    const info = await thread.call({ op: 'load', model });
    return {
      info,
      // A model of a worker that died went with it. Live states run on the model: they go too.
      dispose: async () => {
        const ownKey = modelKey(model);
        this.#forgetLive((entry) => entry.thread === thread && entry.model === ownKey);
        if (thread.alive) await thread.call({ op: 'dispose', model }).catch(() => undefined);
      },
    };
  }

  /** Runs a quick call on the worker's thread with `model` held. */
  async #with<T>(
    worker: number,
    model: ModelRef,
    call: (thread: EngineThread) => Promise<T>,
  ): Promise<T> {
    const lease: ModelLease<WorkerModel> = await this.#models.acquire(keyOf(worker, model));
    try {
      return await call(this.#thread(worker));
    } finally {
      lease.release();
    }
  }
}

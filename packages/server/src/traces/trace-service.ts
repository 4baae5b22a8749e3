import { encodeTrace, LmttError } from '@lmtt/engine';
import type { Trace, TraceSummary } from '@lmtt/engine';
import { edgeHeads, staticSource } from '@lmtt/engine/trace-query';
import type { CachedTrace, TraceCache } from '../cache/trace-cache.js';
import type { ServerConfig } from '../config/config.js';
import type { ConfigDevice, ConfigDType } from '../config/config.js';
import type { DatasetStore } from '../datasets/dataset-store.js';
import { describeAvailable } from '../devices/device-probe.js';
import type { DeviceProbe } from '../devices/device-probe.js';
import type { EnginePool } from '../engine-pool/engine-pool.js';
import type { ModelRef } from '../engine-pool/protocol.js';
import { ApiError, statusOfCode, toApiError } from '../errors/api-error.js';
import type { JobSubscription } from '../jobs/job.js';
import type { JobScheduler } from '../jobs/scheduler.js';
import { askSource } from './detail-query.js';
import type { DetailAnswer, DetailQuery } from './detail-query.js';
import { streamed, streamedDone } from './streamed-event.js';
import type { StreamedEvent } from './streamed-event.js';
import { parseTraceRequest, requestKey } from './trace-request.js';
import type { TraceRequest } from './trace-request.js';

/** What a {@link TraceService} works with. */
export interface TraceServiceDeps {
  readonly config: ServerConfig;
  readonly engine: EnginePool;
  readonly traces: TraceCache;
  readonly scheduler: JobScheduler;
  readonly datasets: DatasetStore;
  readonly devices: DeviceProbe;
}

/** A checked trace request, ready to run. */
export interface PreparedTrace {
  /** The request, with its device and precision resolved. */
  readonly request: TraceRequest;
  /** Config name of the model. */
  readonly model: string;
  /** The model source and the device and precision it runs on. */
  readonly ref: ModelRef;
  readonly key: string;
}

/** A trace id: the engine's SHA-256 content hash, lowercase hex. */
const TRACE_ID = /^[0-9a-f]{64}$/;

function single(event: StreamedEvent): JobSubscription<StreamedEvent> {
  return {
    close() {},
    async *[Symbol.asyncIterator]() {
      yield event;
    },
  };
}

/** The summary form of a full trace (same id: it names the computation). */
function summaryOf(trace: Trace): TraceSummary {
  if (trace.kind === 'summary') return trace;
  return {
    version: trace.version,
    kind: 'summary',
    id: trace.id,
    createdAt: trace.createdAt,
    model: trace.model,
    prompt: trace.prompt,
    tokens: trace.tokens,
    tokenTexts: trace.tokenTexts,
    settings: trace.settings,
    predictions: trace.predictions,
    contributions: trace.contributions.map(({ heads: _heads, ...layer }) => layer),
    routes: trace.routes,
  };
}

/**
 * Checks an edge of a summary as `edgeHeads` would, with no shares to read:
 * a bad edge is refused before a worker computes every layer's head shares.
 *
 * @throws TraceQueryError `BAD_PARAM`, `NOT_ATTENTION_EDGE`.
 */
function checkEdge(summary: TraceSummary, edge: number): void {
  const none = new Float32Array(0);
  edgeHeads(
    {
      model: summary.model,
      tokens: summary.tokens,
      settings: summary.settings,
      patterns: [],
      contributions: summary.contributions.map(({ attention }) => ({ attention, heads: none })),
    },
    edge,
  );
}

/**
 * Turns trace requests into shared, queued, cached runs on the engine
 * workers: checks the request against the config, joins an identical run in
 * flight, answers from the trace cache, and computes a full trace when
 * `?detail=full` asks for one. Detail questions are answered from a cached
 * full trace, else on demand by the engine workers.
 */
export class TraceService {
  constructor(private readonly deps: TraceServiceDeps) {}

  /**
   * The model source of a config name (default: `default_model`).
   *
   * @throws ApiError 404 `UNKNOWN_MODEL`.
   */
  modelSource(name: string | undefined): { model: string; source: string } {
    const { config } = this.deps;
    const model = name ?? config.default_model;
    if (Object.hasOwn(config.models, model)) return { model, source: config.models[model]! };
    const hubId = /^[\w.-]{1,96}\/[\w.-]{1,96}(@[\w.-]{1,64})?$/;
    if (
      config.allow_custom_models &&
      !config.demo_mode &&
      hubId.test(model) &&
      !model.includes('..')
    )
      return { model, source: model };
    throw new ApiError(404, 'UNKNOWN_MODEL', `no model named '${model.slice(0, 100)}'`);
  }

  /**
   * Checks a `POST /api/traces` body: fields, settings, prompt limits in
   * characters and tokens, demo-mode prompts, the model name.
   */
  async prepare(body: unknown): Promise<PreparedTrace> {
    const { config, datasets } = this.deps;
    const request = parseTraceRequest(body);
    const { prompt } = request;
    if (prompt.trim().length === 0)
      throw new ApiError(400, 'EMPTY_PROMPT', 'the prompt is empty: type some text');
    if (prompt.length > config.max_user_string_length)
      throw new ApiError(
        400,
        'PROMPT_TOO_LONG',
        `the prompt is ${prompt.length} characters; at most ${config.max_user_string_length}`,
      );
    const { model, source } = this.modelSource(request.model);
    if (config.demo_mode) {
      const dataset = await datasets.preloadedDataset();
      if (!dataset?.prompts.includes(prompt))
        throw new ApiError(403, 'PROMPT_NOT_ALLOWED', 'demo mode traces dataset prompts only');
    }
    const ref = await this.#modelRef(source, request);
    const resolved: TraceRequest = { ...request, device: ref.device, dtype: ref.dtype };
    const key = requestKey(ref, resolved);
    if (!this.deps.traces.byRequest(key)) await this.#checkTokens(model, ref, resolved);
    return { request: resolved, model, ref, key };
  }

  /**
   * The device and precision a request runs on: as asked, else the
   * config's. Anything but the config's own pair or `cpu` in fp32 must be
   * one the device probe found (probed on first use).
   *
   * @throws ApiError 400 `DEVICE_UNAVAILABLE`, `DTYPE_UNAVAILABLE`, naming what is available.
   */
  async #modelRef(source: string, request: TraceRequest): Promise<ModelRef> {
    const { config, devices } = this.deps;
    const device: ConfigDevice = request.device ?? config.device;
    const dtype: ConfigDType = request.dtype ?? (device === config.device ? config.dtype : 'fp32');
    const configured = device === config.device && dtype === config.dtype;
    if (configured || (device === 'cpu' && dtype === 'fp32')) return { source, device, dtype };
    const report = await devices.report();
    const found = report.available.find((available) => available.device === device);
    const available = `available: ${describeAvailable(report)}`;
    if (!found)
      throw new ApiError(
        400,
        'DEVICE_UNAVAILABLE',
        `device '${device}' is not available on this server; ${available}`,
      );
    if (!found.dtypes.includes(dtype))
      throw new ApiError(
        400,
        'DTYPE_UNAVAILABLE',
        `${dtype} does not run on ${device}; ${available}`,
      );
    return { source, device, dtype };
  }

  /** The model a cached trace ran with (traces cached before devices were chosen ran on the config's). */
  #refOf(entry: CachedTrace): ModelRef {
    const { config } = this.deps;
    const { source } = this.modelSource(entry.model);
    const { device = config.device, dtype = config.dtype } = entry.request;
    return { source, device, dtype };
  }

  /** The error to show a client: engine errors name the model, never a server path. */
  #clientError(error: unknown, model: string, source: string): ApiError {
    const api = toApiError(error, this.deps.config.debug);
    if (this.deps.config.debug || !api.message.includes(source)) return api;
    const message = api.message.replaceAll(source, `model '${model}'`);
    return new ApiError(api.status, api.code, message, { cause: error, headers: api.headers });
  }

  async #checkTokens(model: string, ref: ModelRef, request: TraceRequest): Promise<void> {
    const tokens = await this.deps.engine
      .tokenCount(ref, request.prompt, request.prependBos)
      .catch((error: unknown) => {
        throw this.#clientError(error, model, ref.source);
      });
    const limit = this.deps.config.max_prompt_tokens;
    if (tokens > limit)
      throw new ApiError(
        400,
        'PROMPT_TOO_LONG',
        `the prompt is ${tokens} tokens; at most ${limit}`,
      );
  }

  /**
   * Streams the trace of a prepared request: from the cache (one `done`
   * event), by joining an identical run in flight, or as a new queued job.
   *
   * @throws ApiError 429 `QUEUE_FULL` when over capacity.
   */
  start(prepared: PreparedTrace): JobSubscription<StreamedEvent> {
    const cached = this.deps.traces.byRequest(prepared.key);
    if (cached) return single(streamedDone(cached.trace, cached.text));
    return this.deps.scheduler.submit(prepared.key, (signal) => this.#run(prepared, signal));
  }

  async *#run(prepared: PreparedTrace, signal: AbortSignal): AsyncGenerator<StreamedEvent> {
    const { config, engine } = this.deps;
    const timeout = AbortSignal.timeout(config.job_timeout_ms);
    const { request } = prepared;
    const options = {
      ...request.settings,
      detail: request.detail,
      prependBos: request.prependBos,
      modelName: prepared.model,
    };
    try {
      const events = engine.trace(
        prepared.ref,
        request.prompt,
        options,
        AbortSignal.any([signal, timeout]),
      );
      for await (const { event, data, text } of events) {
        if (event.type === 'error' && event.code === 'ABORTED' && timeout.aborted) {
          yield streamed({ type: 'error', ...this.#timeoutError() });
          return;
        }
        if (event.type === 'error' && event.code === 'INTERNAL' && !config.debug) {
          yield streamed({
            type: 'error',
            code: 'INTERNAL',
            message: 'internal error while tracing',
          });
          return;
        }
        if (event.type === 'done') this.#store(prepared, event.trace, text);
        yield { event, data };
      }
    } catch (error) {
      // The model would not load, or the worker died (or was ended, stuck after the timeout).
      const { code, message } = timeout.aborted
        ? this.#timeoutError()
        : this.#clientError(error, prepared.model, prepared.ref.source);
      yield streamed({ type: 'error', code, message });
    }
  }

  #timeoutError(): { code: string; message: string } {
    const ms = this.deps.config.job_timeout_ms;
    return { code: 'TIMEOUT', message: `the trace took over ${ms} ms` };
  }

  /** Caches a finished trace with its file, encoded by the worker when it sent one. */
  #store(prepared: PreparedTrace, trace: Trace, text = encodeTrace(trace)): void {
    this.deps.traces.put({
      trace,
      text,
      requestKey: prepared.key,
      fullRequestKey: requestKey(prepared.ref, prepared.request, 'full'),
      model: prepared.model,
      request: prepared.request,
    });
  }

  /**
   * A finished trace by id; `full` computes the full sibling of a summary
   * when it is not cached.
   *
   * @throws ApiError 400 `BAD_TRACE_ID`, 404 `TRACE_NOT_FOUND`, or the run's error.
   */
  async get(id: string, detail?: 'summary' | 'full'): Promise<CachedTrace> {
    const entry = this.#cached(id);
    if (detail === undefined || detail === entry.trace.kind) return entry;
    if (detail === 'summary') {
      const trace = summaryOf(entry.trace);
      return { ...entry, trace, text: encodeTrace(trace) };
    }
    return this.#full(entry);
  }

  /**
   * Answers a detail question about trace `id`: from its full trace when the
   * cache holds one (a cheap lookup), else on demand by an engine worker,
   * which never computes a full trace. The question is built once the trace
   * is found, so that an unknown id answers 404 before a bad parameter
   * answers 400. Aborting `signal` (the client left)
   * drops a question that has not started; one that outlasts
   * `request_timeout_ms` is dropped too.
   *
   * @throws ApiError 400 `BAD_TRACE_ID`, 404 `TRACE_NOT_FOUND`, 429 `QUEUE_FULL`,
   *   504 `TIMEOUT`; `TraceQueryError` for a bad parameter.
   */
  async detail<Q extends DetailQuery>(
    id: string,
    question: () => Q,
    signal: AbortSignal,
  ): Promise<DetailAnswer<Q>> {
    const entry = this.#cached(id);
    const query = question();
    const { trace } = entry;
    const full =
      trace.kind === 'full' ? trace : this.deps.traces.byRequest(entry.fullRequestKey)?.trace;
    if (full?.kind === 'full') return askSource(staticSource(full), query, signal);
    if (trace.kind !== 'summary') throw new LmttError('INTERNAL', 'a cached trace of no kind');
    if (query.op === 'edgeHeads') checkEdge(trace, query.edge);
    const ref = this.#refOf(entry);
    const ms = this.deps.config.request_timeout_ms;
    const timeout = AbortSignal.timeout(ms);
    try {
      return await this.deps.engine.detail(trace, ref, query, AbortSignal.any([signal, timeout]));
    } catch (error) {
      if (timeout.aborted) throw new ApiError(504, 'TIMEOUT', `the request took over ${ms} ms`);
      if (signal.aborted) throw new ApiError(statusOfCode('ABORTED'), 'ABORTED', 'the client left');
      if (error instanceof LmttError) throw this.#clientError(error, entry.model, ref.source);
      throw error;
    }
  }

  /**
   * The cached trace of `id`.
   *
   * @throws ApiError 400 `BAD_TRACE_ID`, 404 `TRACE_NOT_FOUND`.
   */
  #cached(id: string): CachedTrace {
    if (!TRACE_ID.test(id))
      throw new ApiError(400, 'BAD_TRACE_ID', 'a trace id is 64 lowercase hex digits');
    const entry = this.deps.traces.get(id);
    if (!entry) throw new ApiError(404, 'TRACE_NOT_FOUND', `no trace ${id} (it may have expired)`);
    return entry;
  }

  async #full(entry: CachedTrace): Promise<CachedTrace> {
    const known = this.deps.traces.byRequest(entry.fullRequestKey);
    if (known) return known;
    const ref = this.#refOf(entry);
    const request: TraceRequest = { ...entry.request, detail: 'full' };
    const prepared: PreparedTrace = { request, model: entry.model, ref, key: entry.fullRequestKey };
    const subscription = this.start(prepared);
    for await (const { event } of subscription) {
      if (event.type === 'error') {
        throw new ApiError(statusOfCode(event.code), event.code, event.message);
      }
      if (event.type === 'done') {
        subscription.close();
        const stored = this.deps.traces.byRequest(entry.fullRequestKey);
        if (stored) return stored;
        return { ...entry, trace: event.trace, text: encodeTrace(event.trace) };
      }
    }
    throw new LmttError('INTERNAL', 'the full trace ended without a result');
  }
}

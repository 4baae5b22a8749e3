import { decodeEvent } from '@lmtt/engine/trace-file';
import type { TraceEvent, TraceSettings } from '@lmtt/engine/schema';
import { readSse } from './read-sse.js';

/** A configured model, as `GET /api/models` lists it. */
export interface ModelListing {
  readonly name: string;
  readonly source: string;
  readonly loaded: boolean;
  readonly available: boolean;
  readonly family: string | null;
  readonly nLayers: number | null;
  readonly weightBytes: number | null;
  readonly device: string | null;
}

/** A device the server offers, with the precisions it computes in. */
export interface ServerDevice {
  readonly device: string;
  readonly dtypes: readonly string[];
}

/** `GET /api/models`. */
export interface ModelList {
  readonly default: string;
  readonly customModels: boolean;
  readonly models: readonly ModelListing[];
  /** Devices trace requests may ask for (servers before device choice leave it out). */
  readonly devices?: readonly ServerDevice[];
  /** The device and precision a request that names none runs on. */
  readonly device?: string;
  readonly dtype?: string;
}

/** What the playground reads of `GET /api/health`. */
export interface Health {
  readonly version: string;
  readonly devices: readonly string[];
  /** The device and precision the server loads models with. */
  readonly device?: string;
  readonly dtype?: string;
  readonly limits?: { readonly maxPromptTokens?: number; readonly maxPromptChars?: number };
  readonly demoMode?: boolean;
}

/** An answer of the server that is an error: its code and message, in words for the user. */
export class ServerError extends Error {
  override readonly name = 'ServerError';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (init?.signal?.aborted) throw error;
    throw new ServerError(
      'UNREACHABLE',
      'The lmtt server did not answer. Is it running? Start it with `npm start`, or switch to browser mode.',
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    (T & { code?: string; message?: string }) | undefined;
  if (!response.ok || body === undefined)
    throw new ServerError(
      body?.code ?? `HTTP_${response.status}`,
      body?.message ?? `HTTP ${response.status}`,
    );
  return body;
}

/** The configured models. */
export function fetchModels(signal?: AbortSignal): Promise<ModelList> {
  return json('/api/models', { signal });
}

/** The server's version, devices and limits. */
export function fetchHealth(signal?: AbortSignal): Promise<Health> {
  return json('/api/health', { signal });
}

/** The prompts of the server's preloaded dataset (none when it has none). */
export async function fetchPrompts(signal?: AbortSignal): Promise<readonly string[]> {
  const { preloaded } = await json<{ preloaded: string | null }>('/api/datasets', { signal });
  if (preloaded === null) return [];
  const dataset = await json<{ prompts: string[] }>(
    `/api/datasets/${encodeURIComponent(preloaded)}`,
    {
      signal,
    },
  );
  return dataset.prompts;
}

/** What to trace. */
export interface TraceRequest {
  readonly model?: string;
  readonly prompt: string;
  /** One of the server's devices (default: the server's). */
  readonly device?: string;
  readonly dtype?: string;
  readonly settings?: Partial<TraceSettings>;
}

/**
 * Starts a trace on the server and yields its events as they stream in;
 * refusals (bad prompt, queue full) throw a {@link ServerError} first.
 */
export async function* streamTrace(
  request: TraceRequest,
  signal?: AbortSignal,
): AsyncGenerator<TraceEvent> {
  let response: Response;
  try {
    response = await fetch('/api/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ServerError(
      'UNREACHABLE',
      'The lmtt server did not answer. Is it running? Start it with `npm start`.',
    );
  }
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
    const wait = response.headers.get('retry-after');
    const hint = wait ? ` Try again in ${wait} s.` : '';
    throw new ServerError(
      body.code ?? `HTTP_${response.status}`,
      `${body.message ?? `HTTP ${response.status}`}.${hint}`,
    );
  }
  for await (const message of readSse(response.body, signal)) yield decodeEvent(message.data);
}

import type { BackendSession, Device, ExternalDataFile } from '../backend/backend.js';
import { resolveBackend } from '../backend/registry.js';
import { LmttError } from '../errors.js';
import { familyFor } from '../families/registry.js';
import type { RawConfig } from '../families/family.js';
import { buildEmbedGraph } from '../graphs/embed-graph.js';
import type { ComputeDType } from '../graphs/graph-context.js';
import { buildLayerGraph } from '../graphs/layer-graph.js';
import type { BuiltGraph } from '../graphs/layer-graph.js';
import { buildUnembedGraph } from '../graphs/unembed-graph.js';
import type { ModelSource, Progress } from '../source/source.js';
import { readCheckpoint } from '../weights/checkpoint.js';
import { Model } from './model.js';
import type { HubOptions, Platform } from './platform.js';

/** Options of `loadModel`. */
export interface LoadOptions extends HubOptions {
  /** A device, or devices to try in order; the platform's best first by default. */
  readonly device?: Device | readonly Device[];
  /** Compute precision: `fp32` (default) or `fp16` (GPU devices only). */
  readonly dtype?: ComputeDType;
  /** Intra-op threads of the CPU sessions. */
  readonly threads?: number;
  readonly signal?: AbortSignal;
  /** Download and session-creation progress. */
  readonly onProgress?: (progress: Progress) => void;
}

async function readJson(
  source: ModelSource,
  name: string,
  signal?: AbortSignal,
): Promise<RawConfig> {
  const text = await (await source.open(name, { signal })).text({ signal });
  try {
    return JSON.parse(text) as RawConfig;
  } catch (cause) {
    throw new LmttError('MODEL_FILE_MISSING', `${name} of ${source.id} is not valid JSON`, {
      cause,
    });
  }
}

function devicesOf(options: LoadOptions, platform: Platform): Device[] {
  if (options.device === undefined) return [...platform.defaultDevices];
  const asked = typeof options.device === 'string' ? [options.device] : [...options.device];
  // A requested device that cannot start falls back to the platform's defaults.
  return [...new Set([...asked, ...platform.defaultDevices])];
}

/**
 * Loads a model folder, hub id or URL on the best device that starts.
 * Weights are never copied: graphs point into the safetensors files.
 *
 * @throws LmttError `MODEL_NOT_FOUND`, `MODEL_FILE_MISSING`, `BAD_SAFETENSORS`,
 *   `UNSUPPORTED_MODEL`, `NO_BACKEND`, `ABORTED`
 */
export async function loadModelWith(
  platform: Platform,
  idOrPath: string,
  options: LoadOptions = {},
): Promise<Model> {
  const { signal, onProgress } = options;
  const dtype = options.dtype ?? 'fp32';
  const source = await platform.resolveSource(idOrPath, options);
  const config = await readJson(source, 'config.json', signal);
  const family = familyFor(config);
  const checkpoint = await readCheckpoint(source, { signal });
  if (platform.maxWeightBytes !== undefined && checkpoint.bytes > platform.maxWeightBytes) {
    const gb = (n: number) => (n / 2 ** 30).toFixed(1);
    throw new LmttError(
      'UNSUPPORTED_MODEL',
      `${source.id} has ${gb(checkpoint.bytes)} GiB of weights; this platform holds at most ${gb(platform.maxWeightBytes)} GiB`,
    );
  }
  const spec = family.toSpec(config, new Set(checkpoint.tensors.keys()));
  const tokenizer = await platform.loadTokenizer({
    tokenizer: await readJson(source, 'tokenizer.json', signal),
    config: (await source.has('tokenizer_config.json', { signal }))
      ? await readJson(source, 'tokenizer_config.json', signal)
      : {},
  });
  const { backend, fallbacks } = await resolveBackend(devicesOf(options, platform));
  if (dtype === 'fp16' && (backend.device === 'cpu' || backend.device === 'wasm')) {
    throw new LmttError(
      'UNSUPPORTED_DTYPE',
      `fp16 runs on GPU devices only; ${backend.device} computes in fp32`,
    );
  }
  const externalData: ExternalDataFile[] = [];
  for (const file of checkpoint.files) {
    const materialized = await source.materialize(file, { signal, onProgress });
    externalData.push({
      location: file,
      source: materialized.kind === 'path' ? materialized.path : materialized.bytes,
    });
  }
  const graphs: BuiltGraph[] = [
    buildEmbedGraph(spec, checkpoint, dtype),
    ...spec.layers.map((_, l) => buildLayerGraph(spec, l, checkpoint, dtype)),
    buildUnembedGraph(spec, checkpoint, dtype),
  ];
  const create = (graph: BuiltGraph, extra: { memoryArena?: boolean } = {}) =>
    backend.createSession(graph.bytes, {
      ...extra,
      externalData: externalData.filter((file) => graph.files.includes(file.location)),
      ...(options.threads ? { threads: options.threads } : {}),
    });
  const sessions = await createSessions(create, graphs, options);
  const info = {
    id: source.id,
    family: family.name,
    nLayers: spec.nLayers,
    nHeads: spec.nHeads,
    dModel: spec.dModel,
    dMlp: spec.dMlp,
    dVocab: spec.dVocab,
    nCtx: spec.nCtx,
    weightBytes: checkpoint.bytes,
    device: backend.device,
    dtype,
    fallbacks,
  };
  const model = new Model(
    info,
    spec,
    tokenizer,
    { embed: sessions[0]!, layers: sessions.slice(1, -1), unembed: sessions.at(-1)! },
    { checkpoint, create },
  );
  if (dtype === 'fp16') await probeFp16(model);
  return model;
}

/**
 * Some GPU adapters (software WebGPU among them) accept fp16 graphs but fail
 * at the first run: find out at load time, where the user can pick fp32.
 */
async function probeFp16(model: Model): Promise<void> {
  try {
    await model.run([0]);
  } catch (cause) {
    await model.dispose();
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new LmttError(
      'UNSUPPORTED_DTYPE',
      `fp16 does not run on this ${model.info.device} device (${reason}); use fp32`,
      { cause },
    );
  }
}

async function createSessions(
  create: (graph: BuiltGraph) => Promise<BackendSession>,
  graphs: readonly BuiltGraph[],
  options: LoadOptions,
): Promise<BackendSession[]> {
  const sessions: BackendSession[] = [];
  try {
    for (const [i, graph] of graphs.entries()) {
      if (options.signal?.aborted) {
        throw new LmttError('ABORTED', 'loading was cancelled', { cause: options.signal.reason });
      }
      options.onProgress?.({ phase: 'create sessions', loaded: i, total: graphs.length });
      sessions.push(await create(graph));
    }
    options.onProgress?.({ phase: 'create sessions', loaded: graphs.length, total: graphs.length });
    return sessions;
  } catch (error) {
    await Promise.all(sessions.map((s) => s.release()));
    throw error;
  }
}

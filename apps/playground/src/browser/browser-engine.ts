import type { TraceEvent, TraceSettings } from '@lmtt/engine/schema';
import type * as EngineWeb from '@lmtt/engine/web';

/** The embedded model as the playground's static files serve it. */
export const EMBEDDED_MODEL_URL = './models/lmtt-tiny-gpt2';

/** Devices a browser may run the engine on, best first. */
export const BROWSER_DEVICES = ['webgpu', 'wasm'] as const;
/** A browser device. */
export type BrowserDevice = (typeof BROWSER_DEVICES)[number];

/** Whether this browser exposes WebGPU at all (an adapter may still be refused). */
export function hasWebGpu(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator;
}

/** Loading progress, for the progress bar. */
export interface LoadProgress {
  readonly phase: string;
  readonly loaded: number;
  readonly total: number;
}

type EngineModule = typeof EngineWeb;
type LoadedModel = Awaited<ReturnType<EngineModule['loadModel']>>;

/**
 * The engine running in this tab: ONNX Runtime Web in a Web Worker (WebGPU,
 * WASM fallback), loaded on first use so that server mode never downloads
 * it. One model is kept loaded; asking for another disposes it.
 */
export class BrowserEngine {
  #engine: Promise<EngineModule> | undefined;
  #model: { key: string; model: Promise<LoadedModel> } | undefined;

  /** Loads (or reuses) a model: a URL of a model folder or a Hugging Face id. */
  async load(
    id: string,
    device: BrowserDevice,
    dtype: 'fp32' | 'fp16',
    onProgress?: (progress: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<LoadedModel> {
    const key = `${id}|${device}|${dtype}`;
    if (this.#model?.key === key) return this.#model.model;
    const previous = this.#model;
    this.#model = undefined;
    if (previous) await previous.model.then((model) => model.dispose()).catch(() => {});
    this.#engine ??= import('@lmtt/engine/web');
    const { loadModel } = await this.#engine;
    const devices = device === 'webgpu' ? (['webgpu', 'wasm'] as const) : (['wasm'] as const);
    const model = loadModel(id, {
      device: devices,
      dtype,
      signal,
      onProgress: (p) => onProgress?.({ phase: p.phase, loaded: p.loaded, total: p.total ?? 0 }),
    });
    this.#model = { key, model };
    model.catch(() => {
      if (this.#model?.model === model) this.#model = undefined;
    });
    return model;
  }

  /** Traces a prompt with full detail, so every view works with no server. */
  async *trace(
    model: LoadedModel,
    prompt: string,
    settings: Partial<TraceSettings>,
    modelName: string,
    signal?: AbortSignal,
  ): AsyncGenerator<TraceEvent> {
    const { trace } = await this.#engine!;
    yield* trace(model, prompt, { ...settings, detail: 'full', modelName, signal });
  }
}

import { readFile, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { EnginePool } from '../engine-pool/engine-pool.js';

/** One entry of `GET /api/models`. */
export interface ModelListing {
  readonly name: string;
  /** The Hugging Face id, or `local` for a folder (paths stay on the server). */
  readonly source: string;
  readonly loaded: boolean;
  /** Whether the files are there (always true for hub ids, which load on demand). */
  readonly available: boolean;
  readonly family: string | null;
  readonly nLayers: number | null;
  /** Bytes of weights. */
  readonly weightBytes: number | null;
  /** The device it runs on, once loaded. */
  readonly device: string | null;
}

async function describeFolder(dir: string) {
  try {
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as {
      model_type?: unknown;
      n_layer?: unknown;
      num_hidden_layers?: unknown;
    };
    const files = (await readdir(dir)).filter((f) => f.endsWith('.safetensors'));
    const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size));
    const layers = config.n_layer ?? config.num_hidden_layers;
    return {
      available: true,
      family: typeof config.model_type === 'string' ? config.model_type : null,
      nLayers: typeof layers === 'number' ? layers : null,
      weightBytes: sizes.length ? sizes.reduce((a, b) => a + b, 0) : null,
    };
  } catch {
    return { available: false, family: null, nLayers: null, weightBytes: null };
  }
}

/** Describes a configured model from the engine when loaded, else from its folder. */
export async function describeModel(
  name: string,
  source: string,
  engine: EnginePool,
): Promise<ModelListing> {
  const local = isAbsolute(source);
  const info = engine.info(source);
  if (info) {
    return {
      name,
      source: local ? 'local' : source,
      loaded: true,
      available: true,
      family: info.family,
      nLayers: info.nLayers,
      weightBytes: info.weightBytes,
      device: info.device,
    };
  }
  const files = local
    ? await describeFolder(source)
    : { available: true, family: null, nLayers: null, weightBytes: null };
  return { name, source: local ? 'local' : source, loaded: false, device: null, ...files };
}

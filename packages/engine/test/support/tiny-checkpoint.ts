import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { byteLevelTokenizer } from './byte-tokenizer.js';
import { createRng } from './rng.js';
import { roundTo, writeSafetensors, type WriterTensor } from './safetensors-writer.js';

/** What {@link writeTinyCheckpoint} writes. */
export interface TinyCheckpointSpec {
  /** The `config.json` object. */
  readonly config: object;
  /** Every tensor's full checkpoint name and shape, in file order. */
  readonly shapes: readonly (readonly [string, readonly number[]])[];
  readonly seed: number;
  readonly vocabSize: number;
  readonly maxPositions: number;
}

/**
 * Writes a Hugging Face folder with seeded random F32 weights: LayerNorm
 * weights (names ending `norm.weight`) near 1, biases small, other weights
 * N(0, 0.2^2); plus a byte-level tokenizer.
 *
 * @returns Every tensor as stored (rounded to float32), by full name.
 */
export async function writeTinyCheckpoint(
  dir: string,
  spec: TinyCheckpointSpec,
): Promise<Map<string, Float64Array>> {
  const rng = createRng(spec.seed);
  const weights = new Map<string, Float64Array>();
  const tensors: Record<string, WriterTensor> = {};
  for (const [name, shape] of spec.shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float64Array(size); // [size]
    for (let i = 0; i < size; i++) {
      if (name.endsWith('norm.weight')) values[i] = 0.8 + 0.4 * rng.uniform();
      else if (name.endsWith('.bias')) values[i] = 0.1 * rng.normal();
      else values[i] = 0.2 * rng.normal();
    }
    const stored = values.map((x) => roundTo('F32', x));
    weights.set(name, stored);
    tensors[name] = { dtype: 'F32', shape, data: stored };
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.safetensors'), writeSafetensors(tensors, { format: 'pt' }));
  const { tokenizer, tokenizerConfig } = byteLevelTokenizer(spec.vocabSize);
  await writeFile(join(dir, 'config.json'), JSON.stringify(spec.config, null, 2));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  await writeFile(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ ...tokenizerConfig, model_max_length: spec.maxPositions }, null, 2),
  );
  return weights;
}

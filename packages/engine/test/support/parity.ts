import type { Tensor } from '../../src/backend/tensor.js';
import { LAYER_OUTPUTS } from '../../src/graphs/layer-graph.js';
import type { ForwardResult } from '../../src/model/forward.js';
import type { Array64, ReferenceForward, ReferenceLayer } from './reference-gpt2.js';

/** The per-layer activations the engine exposes and the reference computes. */
export const HOOKS = ['resid_pre', ...LAYER_OUTPUTS] as const;

/** A reference layer of either block kind: parallel blocks have no `resid_mid`. */
export type ParityLayer = Omit<ReferenceLayer, 'resid_mid'> & { readonly resid_mid?: Array64 };

/** A reference forward of sequential ({@link ReferenceForward}) or parallel blocks. */
export interface ParityReference extends Omit<ReferenceForward, 'layers'> {
  readonly layers: readonly ParityLayer[];
}

/**
 * Largest |actual - expected| over the largest |expected|: the relative error
 * of a whole tensor, so one tolerance fits logits and attention patterns alike.
 *
 * @throws Error when the shapes differ.
 */
export function relativeError(actual: Tensor<'float32'>, expected: Array64): number {
  if (actual.dims.join() !== expected.dims.join()) {
    throw new Error(`shape [${actual.dims.join(', ')}], expected [${expected.dims.join(', ')}]`);
  }
  let err = 0;
  let scale = 0;
  for (let i = 0; i < expected.data.length; i++) {
    err = Math.max(err, Math.abs(actual.data[i]! - expected.data[i]!));
    scale = Math.max(scale, Math.abs(expected.data[i]!));
  }
  return err / scale;
}

/**
 * The relative error of every intermediate and of the logits of `result`
 * against the float64 `reference`, by name (`layer 0 attn.pattern`,
 * `ln_final`, `logits`), in forward order.
 *
 * @example
 * const errors = parityErrors(await model.run(ids), referenceGpt2(tiny, ids));
 * for (const [name, error] of errors) expect(error, name).toBeLessThan(1e-5);
 */
export function parityErrors(
  result: ForwardResult,
  reference: ParityReference,
): Map<string, number> {
  const errors = new Map<string, number>();
  const measure = (name: string, actual: Tensor<'float32'> | undefined, expected: Array64) => {
    if (!actual) throw new Error(`${name} is missing from the result`);
    try {
      errors.set(name, relativeError(actual, expected));
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
    }
  };
  if (result.layers.length !== reference.layers.length) {
    throw new Error(`${result.layers.length} layers, expected ${reference.layers.length}`);
  }
  for (const [l, layer] of result.layers.entries()) {
    for (const hook of HOOKS) {
      const expected = reference.layers[l]![hook];
      if (expected) measure(`layer ${l} ${hook}`, layer[hook], expected);
      else if (layer[hook]) throw new Error(`layer ${l} ${hook}: the reference has none`);
    }
  }
  measure('ln_final', result.ln_final, reference.ln_final);
  measure('logits', result.logits, reference.logits);
  return errors;
}

/** The largest value of `errors`. */
export function worstError(errors: ReadonlyMap<string, number>): number {
  return Math.max(...errors.values());
}

import type { ModelSpec } from '../spec/model-spec.js';

/** A model's `config.json`, as parsed JSON. */
export type RawConfig = Readonly<Record<string, unknown>>;

/** One architecture family: maps its config and weight names onto a {@link ModelSpec}. */
export interface Family {
  /** Family name shown to users. */
  readonly name: string;
  /** `model_type` values of `config.json` this family handles. */
  readonly modelTypes: readonly string[];
  /**
   * Builds the spec.
   *
   * @param config - the parsed `config.json`
   * @param weights - every tensor name in the checkpoint
   * @throws LmttError `UNSUPPORTED_MODEL` for a variant the engine cannot run
   */
  toSpec(config: RawConfig, weights: ReadonlySet<string>): ModelSpec;
}

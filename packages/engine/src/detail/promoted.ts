import type { Tensor } from '../backend/tensor.js';
import { buildPromotedGraph } from '../graphs/vocab-projection-graph.js';
import type { Model } from '../model/model.js';
import { checkVectors, output, tokenRow } from './token-scores.js';
import type { TokenScore } from './token-scores.js';

/** Tokens an update vector pushes up and down. */
export interface PromotedTokens {
  /** Highest `update W_U` first. */
  readonly promoted: readonly TokenScore[];
  /** Lowest `update W_U` first. */
  readonly suppressed: readonly TokenScore[];
}

/** Promoted and suppressed tokens of N updates as flat [N, k] tables. */
export interface PromotedTables {
  readonly promotedIds: Int32Array;
  readonly promotedLogits: Float32Array;
  readonly suppressedIds: Int32Array;
  readonly suppressedLogits: Float32Array;
}

/** Rows per graph run, so the [rows, d_vocab] projection stays small. */
const ROWS_PER_RUN = 256;

/**
 * Promoted and suppressed tokens of update vectors `updates` [N, d_model] as
 * [N, k] tables: the vocabulary projection `update W_U`, no norm, no bias.
 */
export async function promotedTables(
  model: Model,
  updates: Tensor<'float32'>,
  k = 10,
): Promise<PromotedTables> {
  checkVectors(model, updates);
  const session = await model.session(`promoted:${k}`, (checkpoint) =>
    buildPromotedGraph(model.spec, checkpoint, model.info.dtype, k),
  );
  const d = model.spec.dModel;
  const N = updates.dims[0]!;
  const tables: PromotedTables = {
    promotedIds: new Int32Array(N * k),
    promotedLogits: new Float32Array(N * k),
    suppressedIds: new Int32Array(N * k),
    suppressedLogits: new Float32Array(N * k),
  };
  for (let n0 = 0; n0 < N; n0 += ROWS_PER_RUN) {
    const rows = Math.min(ROWS_PER_RUN, N - n0);
    const update: Tensor<'float32'> = {
      dtype: 'float32',
      dims: [rows, d],
      data: updates.data.slice(n0 * d, (n0 + rows) * d),
    };
    const out = await session.run({ update });
    tables.promotedIds.set(
      Int32Array.from(output(out, 'promoted_ids') as BigInt64Array, Number),
      n0 * k,
    );
    tables.promotedLogits.set(output(out, 'promoted_logits') as Float32Array, n0 * k);
    tables.suppressedIds.set(
      Int32Array.from(output(out, 'suppressed_ids') as BigInt64Array, Number),
      n0 * k,
    );
    tables.suppressedLogits.set(output(out, 'suppressed_logits') as Float32Array, n0 * k);
  }
  return tables;
}

/**
 * Promoted and suppressed tokens of update vectors `updates` [N, d_model]
 * (DESIGN §2.4): a block's output, one head's output, one neuron's output.
 */
export async function promotedTokens(
  model: Model,
  updates: Tensor<'float32'>,
  k = 10,
): Promise<PromotedTokens[]> {
  const tables = await promotedTables(model, updates, k);
  const promotedIds = BigInt64Array.from(tables.promotedIds, (id) => BigInt(id));
  const suppressedIds = BigInt64Array.from(tables.suppressedIds, (id) => BigInt(id));
  return Array.from({ length: updates.dims[0]! }, (_, n) => ({
    promoted: tokenRow(model, promotedIds, tables.promotedLogits, k, n),
    suppressed: tokenRow(model, suppressedIds, tables.suppressedLogits, k, n),
  }));
}

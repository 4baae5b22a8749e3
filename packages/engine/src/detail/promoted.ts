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

/**
 * Promoted and suppressed tokens of update vectors `updates` [N, d_model]
 * (DESIGN §2.4): the vocabulary projection `update W_U`, no norm, no bias.
 */
export async function promotedTokens(
  model: Model,
  updates: Tensor<'float32'>,
  k = 10,
): Promise<PromotedTokens[]> {
  checkVectors(model, updates);
  const session = await model.session(`promoted:${k}`, (checkpoint) =>
    buildPromotedGraph(model.spec, checkpoint, model.info.dtype, k),
  );
  const out = await session.run({ update: updates });
  const upIds = output(out, 'promoted_ids') as BigInt64Array;
  const up = output(out, 'promoted_logits') as Float32Array;
  const downIds = output(out, 'suppressed_ids') as BigInt64Array;
  const down = output(out, 'suppressed_logits') as Float32Array;
  return Array.from({ length: updates.dims[0]! }, (_, n) => ({
    promoted: tokenRow(model, upIds, up, k, n),
    suppressed: tokenRow(model, downIds, down, k, n),
  }));
}

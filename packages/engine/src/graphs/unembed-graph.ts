import type { ModelSpec } from '../spec/model-spec.js';
import type { Checkpoint } from '../weights/checkpoint.js';
import { linear, norm } from './blocks.js';
import type { ComputeDType } from './graph-context.js';
import { GraphContext } from './graph-context.js';
import type { BuiltGraph } from './layer-graph.js';

/**
 * Final norm and unembedding of any residual states: input `resid` [N,
 * d_model], outputs `ln_final` [N, d_model] and `logits` [N, d_vocab]. The
 * same graph serves the logit lens of any residual node.
 */
export function buildUnembedGraph(
  spec: ModelSpec,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
): BuiltGraph {
  const ctx = new GraphContext('unembed', checkpoint, dtype);
  const resid = ctx.floatInput('resid', ['N', spec.dModel]); // [N, d_model]
  const normed = norm(ctx, resid, spec.lnFinal); // [N, d_model]
  ctx.floatOutput(normed, 'ln_final', ['N', spec.dModel]);
  ctx.floatOutput(linear(ctx, normed, spec.unembed), 'logits', ['N', spec.dVocab]);
  return { bytes: ctx.g.toBytes(), files: ctx.usedFiles };
}

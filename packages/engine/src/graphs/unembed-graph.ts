import type { ModelSpec } from '../spec/model-spec.js';
import type { Checkpoint } from '../weights/checkpoint.js';
import { linear, norm } from './blocks.js';
import type { ComputeDType } from './graph-context.js';
import { GraphContext } from './graph-context.js';
import type { BuiltGraph } from './layer-graph.js';

/**
 * Final norm and unembedding of any residual states: input `resid` [N,
 * d_model], outputs `ln_final` [N, d_model], `logits` [N, d_vocab] and
 * `logsumexp` [N] (the softmax's log normaliser, in float32, so next-token
 * probabilities need no pass over the vocabulary in JavaScript). The same
 * graph serves the logit lens of any residual node.
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
  const logits = linear(ctx, normed, spec.unembed); // [N, d_vocab]
  ctx.floatOutput(logits, 'logits', ['N', spec.dVocab]);
  const logits32 = dtype === 'fp16' ? ctx.cast(logits, 'float32') : logits;
  const logsumexp = ctx.g.op('ReduceLogSumExp', [logits32], { axes: [-1], keepdims: 0 }); // [N]
  ctx.g.output(logsumexp, 'logsumexp', 'float32', ['N']);
  return { bytes: ctx.g.toBytes(), files: ctx.usedFiles };
}

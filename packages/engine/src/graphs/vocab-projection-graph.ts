import type { Value } from '../onnx/graph-builder.js';
import type { ModelSpec } from '../spec/model-spec.js';
import type { Checkpoint } from '../weights/checkpoint.js';
import { norm } from './blocks.js';
import type { ComputeDType } from './graph-context.js';
import { GraphContext } from './graph-context.js';
import type { BuiltGraph } from './layer-graph.js';

/** `x W_U` without the unembedding bias: [N, d_vocab]. */
function project(ctx: GraphContext, spec: ModelSpec, x: Value): Value {
  const { g } = ctx;
  const w = ctx.weight(spec.unembed.weight); // [V, d] (out_in) or [d, V] (in_out)
  return spec.unembed.layout === 'out_in'
    ? g.op('Gemm', [x, w], { transB: 1 })
    : g.op('MatMul', [x, w]);
}

function topK(ctx: GraphContext, logits: Value, k: number, largest: boolean): [Value, Value] {
  const [values, indices] = ctx.g.opN('TopK', [logits, ctx.ints([k])], 2, {
    axis: -1,
    largest: largest ? 1 : 0,
    sorted: 1,
  });
  return [values!, indices!];
}

/**
 * Logit lens: residual states `resid` [N, d_model] projected onto the
 * vocabulary (after the final norm when `normalize`), with each state's
 * previous state `previous` [N, d_model] for rank changes.
 *
 * Outputs: `top_ids` [N, k] int64, `top_logits` [N, k], `top_probs` [N, k],
 * and `previous_ranks` [N, k] int64: the 0-based rank each of the top
 * tokens had in the previous state's projection.
 */
export function buildLensGraph(
  spec: ModelSpec,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
  k: number,
  normalize: boolean,
): BuiltGraph {
  const ctx = new GraphContext(`lens_${k}_${normalize ? 'norm' : 'raw'}`, checkpoint, dtype);
  const { g } = ctx;
  const logitsOf = (x: Value) => project(ctx, spec, normalize ? norm(ctx, x, spec.lnFinal) : x); // [N, V]
  const logits = logitsOf(ctx.floatInput('resid', ['N', spec.dModel]));
  const previous = logitsOf(ctx.floatInput('previous', ['N', spec.dModel]));
  const [values, ids] = topK(ctx, logits, k, true); // [N, k]
  const probs = g.op('GatherElements', [g.op('Softmax', [logits], { axis: -1 }), ids], { axis: 1 }); // [N, k]
  const before = g.op('GatherElements', [previous, ids], { axis: 1 }); // [N, k]
  const higher = g.op('Greater', [
    g.op('Unsqueeze', [previous, ctx.ints([1])]),
    g.op('Unsqueeze', [before, ctx.ints([2])]),
  ]); // [N, k, V]
  // Count in float32 (4 bytes per [N, k, V] element, not int64's 8), then cast.
  const counted = g.op('ReduceSum', [g.op('Cast', [higher], { to: 1 }), ctx.ints([2])], {
    keepdims: 0,
  }); // [N, k]
  const ranks = g.op('Cast', [counted], { to: 7 }); // [N, k] int64
  ctx.floatOutput(values, 'top_logits', ['N', k]);
  ctx.floatOutput(probs, 'top_probs', ['N', k]);
  g.output(ids, 'top_ids', 'int64', ['N', k]);
  g.output(ranks, 'previous_ranks', 'int64', ['N', k]);
  return { bytes: g.toBytes(), files: ctx.usedFiles };
}

/**
 * Promoted and suppressed tokens of update vectors `update` [N, d_model]
 * (a block's output, one head's output, one neuron's output vector): the
 * top and bottom k of `update W_U`, no norm, no bias.
 *
 * Outputs: `promoted_ids`/`suppressed_ids` [N, k] int64 and
 * `promoted_logits`/`suppressed_logits` [N, k].
 */
export function buildPromotedGraph(
  spec: ModelSpec,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
  k: number,
): BuiltGraph {
  const ctx = new GraphContext(`promoted_${k}`, checkpoint, dtype);
  const { g } = ctx;
  const logits = project(ctx, spec, ctx.floatInput('update', ['N', spec.dModel])); // [N, V]
  const [up, upIds] = topK(ctx, logits, k, true);
  const [down, downIds] = topK(ctx, logits, k, false);
  ctx.floatOutput(up, 'promoted_logits', ['N', k]);
  ctx.floatOutput(down, 'suppressed_logits', ['N', k]);
  g.output(upIds, 'promoted_ids', 'int64', ['N', k]);
  g.output(downIds, 'suppressed_ids', 'int64', ['N', k]);
  return { bytes: g.toBytes(), files: ctx.usedFiles };
}

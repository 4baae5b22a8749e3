import type { ModelSpec } from '../spec/model-spec.js';
import type { Checkpoint } from '../weights/checkpoint.js';
import type { ComputeDType } from './graph-context.js';
import { GraphContext } from './graph-context.js';
import type { BuiltGraph } from './layer-graph.js';
import { headOutputs } from './attention-proximity-graph.js';

/**
 * Each head's output at each position, `sum_s pattern[h,t,s] v[s,h] W_O[h]`
 * (no output bias): inputs `pattern` [H, T, T] and `v` [T, H_kv, d_head];
 * output `head_out` [T, H, d_model]. Summed over heads plus b_O it is
 * `attn_out`.
 */
export function buildHeadOutputGraph(
  spec: ModelSpec,
  l: number,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
): BuiltGraph {
  const ctx = new GraphContext(`head_output_${l}`, checkpoint, dtype);
  const { g } = ctx;
  const pattern = ctx.floatInput('pattern', [spec.nHeads, 'T', 'T']); // [H, T, T]
  const v = ctx.floatInput('v', ['T', spec.nKvHeads, spec.dHead]); // [T, H_kv, d_head]
  const vo = headOutputs(ctx, spec, l, v); // [H, T, d]
  const out = g.op('Transpose', [g.op('MatMul', [pattern, vo])], { perm: [1, 0, 2] }); // [T, H, d]
  ctx.floatOutput(out, 'head_out', ['T', spec.nHeads, spec.dModel]);
  return { bytes: g.toBytes(), files: ctx.usedFiles };
}

import type { ModelSpec } from '../spec/model-spec.js';
import type { Checkpoint } from '../weights/checkpoint.js';
import type { ComputeDType } from './graph-context.js';
import { GraphContext } from './graph-context.js';
import type { BuiltGraph } from './layer-graph.js';

/**
 * Token and position embeddings: inputs `input_ids` and `positions` (int64
 * [T]), output `embed` [T, d_model], the first block's `resid_pre`. Token
 * embeddings are multiplied by `embedScale` when the spec has one. Rotary
 * models have no position table: `positions` is declared (callers feed every
 * model alike) but unused, and the blocks rotate q and k instead.
 */
export function buildEmbedGraph(
  spec: ModelSpec,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
): BuiltGraph {
  const ctx = new GraphContext('embed', checkpoint, dtype);
  const { g } = ctx;
  const ids = g.input('input_ids', 'int64', ['T']);
  const positions = g.input('positions', 'int64', ['T']);
  const looked = g.op('Gather', [ctx.weight(spec.embed), ids], { axis: 0 }); // [T, d_model]
  const tokens = spec.embedScale
    ? g.op('Mul', [looked, ctx.scalar(spec.embedScale, 'embed_scale')])
    : looked; // [T, d_model]
  if (spec.positions.kind === 'rotary') {
    ctx.floatOutput(tokens, 'embed', ['T', spec.dModel]);
    return { bytes: g.toBytes(), files: ctx.usedFiles };
  }
  const shifted = spec.positions.offset
    ? g.op('Add', [positions, g.constant('int64', [], [spec.positions.offset])])
    : positions; // [T]
  const place = g.op('Gather', [ctx.weight(spec.positions.weight), shifted], { axis: 0 }); // [T, d_model]
  ctx.floatOutput(g.op('Add', [tokens, place]), 'embed', ['T', spec.dModel]);
  return { bytes: g.toBytes(), files: ctx.usedFiles };
}

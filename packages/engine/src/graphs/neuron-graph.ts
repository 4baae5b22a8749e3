import type { ModelSpec } from '../spec/model-spec.js';
import type { Checkpoint } from '../weights/checkpoint.js';
import type { ComputeDType } from './graph-context.js';
import { GraphContext } from './graph-context.js';
import type { Distance } from './attention-proximity-graph.js';
import type { BuiltGraph } from './layer-graph.js';
import type { Value } from '../onnx/graph-builder.js';

/** W_out of layer `l` as [d_mlp, d_model]. */
function neuronWeights(ctx: GraphContext, spec: ModelSpec, l: number): Value {
  const out = spec.layers[l]!.mlp.out;
  const w = ctx.weight(out.weight);
  return out.layout === 'out_in' ? ctx.g.op('Transpose', [w], { perm: [1, 0] }) : w;
}

/**
 * Raw proximities of each neuron's part `post[i] W_out[i]` to the whole
 * `resid_post` at N positions: inputs `resid_post` [N, d_model], `mlp_post`
 * [N, d_mlp]; output `proximity` [N, d_mlp]. Materialises [N, d_mlp,
 * d_model] for L1: callers pass few positions at a time.
 */
export function buildNeuronProximityGraph(
  spec: ModelSpec,
  l: number,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
  distance: Distance,
  eps: number,
): BuiltGraph {
  const ctx = new GraphContext(`neuron_proximity_${l}_${distance}`, checkpoint, dtype);
  const { g } = ctx;
  const y = ctx.floatInput('resid_post', ['N', spec.dModel]); // [N, d]
  const post = ctx.floatInput('mlp_post', ['N', spec.dMlp]); // [N, d_mlp]
  const w = neuronWeights(ctx, spec, l); // [d_mlp, d]
  const parts = g.op('Mul', [g.op('Unsqueeze', [post, ctx.ints([2])]), w]); // [N, d_mlp, d]
  const diff = g.op('Sub', [g.op('Unsqueeze', [y, ctx.ints([1])]), parts]); // [N, d_mlp, d]
  const size = (x: Value) =>
    distance === 'l1'
      ? g.op('ReduceSum', [g.op('Abs', [x]), ctx.ints([-1])], { keepdims: 0 })
      : g.op('Sqrt', [g.op('ReduceSum', [g.op('Mul', [x, x]), ctx.ints([-1])], { keepdims: 0 })]);
  const yNorm = g.op('Unsqueeze', [size(y), ctx.ints([1])]); // [N, 1]
  const proximity = g.op('Max', [g.op('Sub', [yNorm, size(diff)]), ctx.scalar(eps)]); // [N, d_mlp]
  ctx.floatOutput(proximity, 'proximity', ['N', spec.dMlp]);
  return { bytes: g.toBytes(), files: ctx.usedFiles };
}

/** Output vectors `W_out[i]` of chosen neurons: input `neurons` [K] int64, output `vectors` [K, d_model]. */
export function buildNeuronVectorGraph(
  spec: ModelSpec,
  l: number,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
): BuiltGraph {
  const ctx = new GraphContext(`neuron_vectors_${l}`, checkpoint, dtype);
  const { g } = ctx;
  const neurons = g.input('neurons', 'int64', ['K']);
  ctx.floatOutput(g.op('Gather', [neuronWeights(ctx, spec, l), neurons], { axis: 0 }), 'vectors', [
    'K',
    spec.dModel,
  ]);
  return { bytes: g.toBytes(), files: ctx.usedFiles };
}

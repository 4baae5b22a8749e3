import type { Value } from '../onnx/graph-builder.js';
import type { ModelSpec } from '../spec/model-spec.js';
import type { Checkpoint } from '../weights/checkpoint.js';
import type { ComputeDType } from './graph-context.js';
import { GraphContext } from './graph-context.js';
import type { BuiltGraph } from './layer-graph.js';

/** The distance of DESIGN §2.2: L1 (default) or L2. */
export type Distance = 'l1' | 'l2';

/** W_O of layer `l` as [n_heads, d_head, d_model]. */
function headOutputWeights(ctx: GraphContext, spec: ModelSpec, l: number): Value {
  const { g } = ctx;
  const out = spec.layers[l]!.attnOut;
  let w = ctx.weight(out.weight); // [H d_head, d_model] or [d_model, H d_head]
  if (out.layout === 'out_in') w = g.op('Transpose', [w], { perm: [1, 0] });
  return g.op('Reshape', [w, ctx.ints([spec.nHeads, spec.dHead, spec.dModel])]);
}

/** Per-head output vectors `v[s, kv(h)] @ W_O[h]`: [H, S, d_model]. */
export function headOutputs(ctx: GraphContext, spec: ModelSpec, l: number, v: Value): Value {
  const { g } = ctx;
  const { nHeads, nKvHeads, dHead } = spec;
  let vh = g.op('Transpose', [v], { perm: [1, 0, 2] }); // [H_kv, S, d_head]
  if (nKvHeads !== nHeads) {
    const group = nHeads / nKvHeads;
    const tiled = g.op('Tile', [
      g.op('Unsqueeze', [vh, ctx.ints([1])]),
      ctx.ints([1, group, 1, 1]),
    ]); // [H_kv, group, S, d_head]
    vh = g.op('Reshape', [tiled, ctx.ints([nHeads, -1, dHead])]); // [H, S, d_head]
  }
  return g.op('MatMul', [vh, headOutputWeights(ctx, spec, l)]); // [H, S, d_model]
}

/**
 * Each head's output vector at each key position, `vo[s, h] = v[s, kv(h)]
 * W_O[h]`: input `v` [S, H_kv, d_head], output `vo` [S, H, d_model]. The
 * attention part `part[t, s, h]` is `pattern[h, t, s] * vo[s, h]`.
 */
export function buildValueOutputGraph(
  spec: ModelSpec,
  l: number,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
): BuiltGraph {
  const ctx = new GraphContext(`value_output_${l}`, checkpoint, dtype);
  const { g } = ctx;
  const v = ctx.floatInput('v', ['S', spec.nKvHeads, spec.dHead]); // [S, H_kv, d_head]
  const vo = g.op('Transpose', [headOutputs(ctx, spec, l, v)], { perm: [1, 0, 2] }); // [S, H, d]
  ctx.floatOutput(vo, 'vo', ['S', spec.nHeads, spec.dModel]);
  return { bytes: g.toBytes(), files: ctx.usedFiles };
}

/**
 * Raw proximities of attention parts for a chunk of C query positions
 * against the first S key positions (DESIGN §2.2):
 * `max(eps, ||y||_p - ||y - pattern[h,t,s] vo[s,h]||_p)`. It reads no
 * weights, so one session serves every layer (and one memory arena).
 *
 * Inputs: `resid_mid` [C, d_model] (the wholes), `pattern` [H, C, S] (the
 * chunk's attention rows), `vo` [S, H, d_model] (from
 * {@link buildValueOutputGraph}). Output: `proximity` [C, S, H]; entries
 * with s > t are meaningless and ignored downstream. L1 materialises [C, S,
 * H, d_model]; L2 expands the distance into dot products and never does.
 */
export function buildAttentionProximityGraph(
  spec: ModelSpec,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
  distance: Distance,
  eps: number,
): BuiltGraph {
  const ctx = new GraphContext(`attention_proximity_${distance}`, checkpoint, dtype);
  const { g } = ctx;
  const { nHeads, dModel } = spec;
  const y = ctx.floatInput('resid_mid', ['C', dModel]); // [C, d]
  const pattern = ctx.floatInput('pattern', [nHeads, 'C', 'S']); // [H, C, S]
  const voKeysFirst = ctx.floatInput('vo', ['S', nHeads, dModel]); // [S, H, d]
  const weights = g.op('Transpose', [pattern], { perm: [1, 2, 0] }); // [C, S, H]
  const proximity =
    distance === 'l1'
      ? l1Proximity(ctx, y, weights, voKeysFirst, eps)
      : l2Proximity(ctx, y, weights, g.op('Transpose', [voKeysFirst], { perm: [1, 0, 2] }), eps);
  ctx.floatOutput(proximity, 'proximity', ['C', 'S', nHeads]);
  return { bytes: g.toBytes(), files: ctx.usedFiles };
}

/** `max(eps, ||y||_1 - ||y - a x||_1)` through the [C, S, H, d_model] parts. */
function l1Proximity(
  ctx: GraphContext,
  y: Value,
  weights: Value,
  voKeysFirst: Value,
  eps: number,
): Value {
  const { g } = ctx;
  const parts = g.op('Mul', [g.op('Unsqueeze', [weights, ctx.ints([3])]), voKeysFirst]); // [C, S, H, d]
  const y4 = g.op('Unsqueeze', [y, ctx.ints([1, 2])]); // [C, 1, 1, d]
  const l1 = (x: Value) => g.op('ReduceSum', [g.op('Abs', [x]), ctx.ints([3])], { keepdims: 0 });
  const dist = l1(g.op('Sub', [y4, parts])); // [C, S, H]
  return g.op('Max', [g.op('Sub', [l1(y4), dist]), ctx.scalar(eps)]); // [C, S, H]
}

/**
 * `max(eps, ||y||_2 - ||y - a x||_2)` with x = vo[h, s], from dot products
 * only: `||y - a x||^2 = ||y||^2 - 2a y.x + a^2 ||x||^2`, and the difference
 * of norms as `(2a y.x - a^2 ||x||^2) / (||y|| + ||y - a x||)`, which does
 * not cancel in float32.
 */
function l2Proximity(ctx: GraphContext, y: Value, weights: Value, vo: Value, eps: number): Value {
  const { g } = ctx;
  const ySquare = g.op('Unsqueeze', [
    g.op('ReduceSum', [g.op('Mul', [y, y]), ctx.ints([1])], { keepdims: 1 }),
    ctx.ints([2]),
  ]); // [C, 1, 1]
  const voT = g.op('Transpose', [vo], { perm: [0, 2, 1] }); // [H, d, S]
  const dots = g.op('Transpose', [g.op('MatMul', [g.op('Unsqueeze', [y, ctx.ints([0])]), voT])], {
    perm: [1, 2, 0],
  }); // [C, S, H]
  const voSquare = g.op(
    'Transpose',
    [g.op('ReduceSum', [g.op('Mul', [vo, vo]), ctx.ints([2])], { keepdims: 0 })],
    { perm: [1, 0] },
  ); // [S, H]
  const cross = g.op('Mul', [g.op('Mul', [weights, dots]), ctx.scalar(2)]); // [C, S, H]
  const quad = g.op('Mul', [g.op('Mul', [weights, weights]), voSquare]); // [C, S, H]
  const distSquare = g.op('Max', [
    g.op('Add', [g.op('Sub', [ySquare, cross]), quad]),
    ctx.scalar(0),
  ]); // [C, S, H]
  const denominator = g.op('Max', [
    g.op('Add', [g.op('Sqrt', [ySquare]), g.op('Sqrt', [distSquare])]),
    ctx.scalar(1e-30),
  ]);
  return g.op('Max', [g.op('Div', [g.op('Sub', [cross, quad]), denominator]), ctx.scalar(eps)]); // [C, S, H]
}

import type { Value } from '../onnx/graph-builder.js';
import type { LayerSpec, ModelSpec } from '../spec/model-spec.js';
import { linear } from './blocks.js';
import type { GraphContext } from './graph-context.js';
import { applyRotary, rotaryTables } from './rotary.js';

/** What self-attention exposes for the decomposition of DESIGN §2.2. */
export interface AttentionValues {
  /** [n_heads, T, T] softmax over key positions, zero above the diagonal. */
  readonly pattern: Value;
  /** [T, n_kv_heads, d_head] values, bias included. */
  readonly v: Value;
  /** [T, d_model] the block's output, output bias included. */
  readonly out: Value;
}

function projections(
  ctx: GraphContext,
  x: Value,
  layer: LayerSpec,
  spec: ModelSpec,
): [Value, Value, Value] {
  if (layer.qkv.kind === 'separate') {
    return [linear(ctx, x, layer.qkv.q), linear(ctx, x, layer.qkv.k), linear(ctx, x, layer.qkv.v)];
  }
  if (layer.qkv.kind === 'fused_per_head') {
    const { g } = ctx;
    const { nHeads, dHead } = spec;
    const perHead = g.op('Reshape', [
      linear(ctx, x, layer.qkv.proj),
      ctx.ints([-1, nHeads, 3 * dHead]),
    ]); // [T, H, 3 d_head]
    const chunks = g.opN('Split', [perHead, ctx.ints([dHead, dHead, dHead])], 3, { axis: 2 }); // 3 x [T, H, d_head]
    const flat = (chunk: Value | undefined) =>
      g.op('Reshape', [chunk!, ctx.ints([-1, nHeads * dHead])]); // [T, H d_head]
    return [flat(chunks[0]), flat(chunks[1]), flat(chunks[2])];
  }
  const qkv = linear(ctx, x, layer.qkv.proj); // [T, (n_heads + 2 n_kv_heads) d_head]
  const sizes = [spec.nHeads, spec.nKvHeads, spec.nKvHeads].map((h) => h * spec.dHead);
  const [q, k, v] = ctx.g.opN('Split', [qkv, ctx.ints(sizes)], 3, { axis: 1 });
  return [q!, k!, v!];
}

/** A [T, T] boolean mask, true where the key comes after the query. */
function futureMask(ctx: GraphContext, x: Value): Value {
  const { g } = ctx;
  const t = g.op('Squeeze', [g.op('Shape', [x], { start: 0, end: 1 }), ctx.ints([0])]); // scalar T
  const zero = g.constant('int64', [], [0]);
  const one = g.constant('int64', [], [1]);
  const positions = g.op('Range', [zero, t, one]); // [T]
  const queries = g.op('Unsqueeze', [positions, ctx.ints([1])]); // [T, 1]
  const keys = g.op('Unsqueeze', [positions, ctx.ints([0])]); // [1, T]
  return g.op('Less', [queries, keys]); // [T, T]
}

/**
 * Causal multi-head self-attention over `x` [T, d_model] (the normalised
 * residual). Grouped-query attention repeats each kv head for its queries;
 * rotary models rotate q and k (never v) by their positions 0..T-1.
 */
export function attention(
  ctx: GraphContext,
  x: Value,
  layer: LayerSpec,
  spec: ModelSpec,
): AttentionValues {
  const { g } = ctx;
  const { nHeads, nKvHeads, dHead } = spec;
  const [q, k, v] = projections(ctx, x, layer, spec);
  let q3 = g.op('Reshape', [q, ctx.ints([-1, nHeads, dHead])]); // [T, H, d_head]
  let k3 = g.op('Reshape', [k, ctx.ints([-1, nKvHeads, dHead])]); // [T, H_kv, d_head]
  if (spec.positions.kind === 'rotary') {
    const rotaryDims = spec.positions.rotaryDims ?? dHead;
    const tables = rotaryTables(ctx, rotaryDims);
    q3 = applyRotary(ctx, q3, tables, dHead, rotaryDims); // [T, H, d_head]
    k3 = applyRotary(ctx, k3, tables, dHead, rotaryDims); // [T, H_kv, d_head]
  }
  const qh = g.op('Transpose', [q3], { perm: [1, 0, 2] }); // [H, T, d_head]
  const v3 = g.op('Reshape', [v, ctx.ints([-1, nKvHeads, dHead])], {}, 'attn_v'); // [T, H_kv, d_head]
  let kh = g.op('Transpose', [k3], { perm: [1, 2, 0] }); // [H_kv, d_head, T]
  let vh = g.op('Transpose', [v3], { perm: [1, 0, 2] }); // [H_kv, T, d_head]
  if (nKvHeads !== nHeads) {
    const group = nHeads / nKvHeads;
    const repeat = (t: Value, rest: number[]) => {
      const expanded = g.op('Unsqueeze', [t, ctx.ints([1])]); // [H_kv, 1, ...]
      const tiled = g.op('Tile', [expanded, ctx.ints([1, group, 1, 1])]); // [H_kv, group, ...]
      return g.op('Reshape', [tiled, ctx.ints([nHeads, ...rest])]); // [H, ...]
    };
    kh = repeat(kh, [dHead, -1]);
    vh = repeat(vh, [-1, dHead]);
  }
  const scores = g.op('Mul', [g.op('MatMul', [qh, kh]), ctx.scalar(spec.attnScale)]); // [H, T, T]
  const masked = g.op('Where', [futureMask(ctx, x), ctx.scalar(-Infinity), scores]); // [H, T, T]
  const pattern = g.op('Softmax', [masked], { axis: -1 }, 'attn_pattern'); // [H, T, T]
  const z = g.op('MatMul', [pattern, vh]); // [H, T, d_head]
  const zFlat = g.op('Reshape', [
    g.op('Transpose', [z], { perm: [1, 0, 2] }),
    ctx.ints([-1, nHeads * dHead]),
  ]); // [T, H d_head]
  return { pattern, v: v3, out: linear(ctx, zFlat, layer.attnOut) };
}

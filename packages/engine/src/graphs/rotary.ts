import type { Value } from '../onnx/graph-builder.js';
import type { RotaryPositions } from '../spec/model-spec.js';
import { rotaryInverseFrequencies } from '../spec/rotary.js';
import type { GraphContext } from './graph-context.js';

/** cos and sin of every position's rotation angles, each [T, 1, rotary] (rotary = the rotated width). */
export interface RotaryTables {
  readonly cos: Value;
  readonly sin: Value;
}

/**
 * The rotation tables for positions 0..T-1, T read from `x` [T, ...], over
 * the rotated width `dims` (d_head, or fewer for partial rotary). The angles
 * `t * f[i]` are computed in float32 (as Hugging Face does) and repeated over
 * both halves of that width, then cast to the compute type.
 */
export function rotaryTables(
  ctx: GraphContext,
  x: Value,
  positions: RotaryPositions,
  dims: number,
): RotaryTables {
  const { g } = ctx;
  const t = g.op('Squeeze', [g.op('Shape', [x], { start: 0, end: 1 }), ctx.ints([0])]); // scalar T
  const zero = g.constant('int64', [], [0]);
  const one = g.constant('int64', [], [1]);
  const index = g.op('Cast', [g.op('Range', [zero, t, one])], { to: 1 }); // [T] float32
  const frequencies = g.constant(
    'float32',
    [1, dims / 2],
    Float32Array.from(rotaryInverseFrequencies(positions, dims)),
    'rotary_inv_freq',
  ); // [1, rotary / 2]
  const angles = g.op('Mul', [g.op('Unsqueeze', [index, ctx.ints([1])]), frequencies]); // [T, rotary / 2]
  const both = g.op('Unsqueeze', [g.op('Concat', [angles, angles], { axis: 1 }), ctx.ints([1])]); // [T, 1, rotary]
  const table = (op: 'Cos' | 'Sin') => {
    const value = g.op(op, [both]); // [T, 1, rotary] float32
    return ctx.type === 'float32' ? value : ctx.cast(value, ctx.type);
  };
  return { cos: table('Cos'), sin: table('Sin') };
}

/** `x cos + rotate_half(x) sin` over all of x [T, heads, d]. */
function rotate(ctx: GraphContext, x: Value, tables: RotaryTables): Value {
  const { g } = ctx;
  const [first, second] = g.opN('Split', [x], 2, { axis: 2 }); // [T, heads, d / 2] each
  const rotated = g.op('Concat', [g.op('Neg', [second!]), first!], { axis: 2 }); // [T, heads, d]
  return g.op('Add', [g.op('Mul', [x, tables.cos]), g.op('Mul', [rotated, tables.sin])]); // [T, heads, d]
}

/**
 * Rotates queries or keys `x` [T, heads, d_head] by their positions:
 * `x cos + rotate_half(x) sin`, where `rotate_half([a, b]) = [-b, a]` for the
 * two halves a, b of the first `rotaryDims` dimensions (the tables' width);
 * the remaining `d_head - rotaryDims` dimensions pass through (partial
 * rotary: GPT-NeoX, Phi).
 */
export function applyRotary(
  ctx: GraphContext,
  x: Value,
  tables: RotaryTables,
  dHead: number,
  rotaryDims: number,
): Value {
  if (rotaryDims === dHead) return rotate(ctx, x, tables);
  const { g } = ctx;
  const sizes = ctx.ints([rotaryDims, dHead - rotaryDims]);
  const [head, rest] = g.opN('Split', [x, sizes], 2, { axis: 2 }); // [T, heads, rotary], [T, heads, d_head - rotary]
  return g.op('Concat', [rotate(ctx, head!, tables), rest!], { axis: 2 }); // [T, heads, d_head]
}

import type { Value } from '../onnx/graph-builder.js';
import type { GraphContext } from './graph-context.js';

/** cos and sin of every position's rotation angles, each [T, 1, rotary] (rotary = the rotated width). */
export interface RotaryTables {
  readonly cos: Value;
  readonly sin: Value;
}

/** The graph inputs that carry the rotation tables. */
export const ROTARY_INPUTS = { cos: 'rotary_cos', sin: 'rotary_sin' } as const;

/**
 * The rotation tables of the layer's positions over the rotated width
 * `dims` (d_head, or fewer for partial rotary), as float32 graph inputs
 * `rotary_cos` and `rotary_sin` [T, 1, rotary] cast to the compute type. The
 * model computes them in float64 (`rotaryTableData`): a GPU's `cos` and
 * `sin` are not accurate enough.
 */
export function rotaryTables(ctx: GraphContext, dims: number): RotaryTables {
  return {
    cos: ctx.floatInput(ROTARY_INPUTS.cos, ['T', 1, dims]),
    sin: ctx.floatInput(ROTARY_INPUTS.sin, ['T', 1, dims]),
  };
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

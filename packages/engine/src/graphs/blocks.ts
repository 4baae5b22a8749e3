/**
 * The building blocks every family's graph is made of, over 2-D activations
 * [T, d] (one sequence at a time).
 */
import type { Value } from '../onnx/graph-builder.js';
import type { Activation, LinearSpec, NormSpec } from '../spec/model-spec.js';
import type { GraphContext } from './graph-context.js';

/** `x W + b` for either weight layout. */
export function linear(ctx: GraphContext, x: Value, spec: LinearSpec): Value {
  const { g } = ctx;
  const w = ctx.weight(spec.weight);
  if (spec.layout === 'out_in') {
    const bias = spec.bias ? ctx.weight(spec.bias) : null;
    return g.op('Gemm', bias ? [x, w, bias] : [x, w], { transB: 1 });
  }
  const y = g.op('MatMul', [x, w]);
  return spec.bias ? g.op('Add', [y, ctx.weight(spec.bias)]) : y;
}

/** LayerNorm or RMSNorm over the last axis. */
export function norm(ctx: GraphContext, x: Value, spec: NormSpec): Value {
  const { g } = ctx;
  if (spec.kind === 'layernorm') {
    const weight = spec.weightOffset
      ? g.op('Add', [ctx.weight(spec.weight), ctx.scalar(spec.weightOffset)])
      : ctx.weight(spec.weight); // [d]
    const inputs = [x, weight, spec.bias ? ctx.weight(spec.bias) : null];
    return g.op('LayerNormalization', inputs, { axis: -1, epsilon: { float: spec.eps } });
  }
  // x / sqrt(mean(x^2) + eps) in float32 whatever the compute type (as Hugging
  // Face does: squares of fp16 activations overflow), then times the weight.
  const x32 = ctx.type === 'float32' ? x : ctx.cast(x, 'float32'); // [T, d]
  const meanSquare = g.op('ReduceMean', [g.op('Mul', [x32, x32])], { axes: [-1], keepdims: 1 }); // [T, 1]
  const eps = g.constant('float32', [], [spec.eps], 'rms_eps');
  const inverseRms = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [meanSquare, eps])])]); // [T, 1]
  const normed = g.op('Mul', [x32, inverseRms]); // [T, d] float32
  if (spec.weightOffset) {
    // Gemma scales by (offset + w) in float32 and casts after (Llama casts
    // before it scales).
    const w = ctx.weight(spec.weight); // [d]
    const w32 = ctx.type === 'float32' ? w : ctx.cast(w, 'float32'); // [d] float32
    const offset = g.constant('float32', [], [spec.weightOffset], 'norm_offset');
    const scaled = g.op('Mul', [normed, g.op('Add', [w32, offset])]); // [T, d] float32
    return ctx.type === 'float32' ? scaled : ctx.cast(scaled, ctx.type);
  }
  const back = ctx.type === 'float32' ? normed : ctx.cast(normed, ctx.type); // [T, d]
  return g.op('Mul', [back, ctx.weight(spec.weight)]); // [T, d]
}

/** The MLP's elementwise non-linearity. */
export function activation(ctx: GraphContext, x: Value, kind: Activation): Value {
  const { g } = ctx;
  switch (kind) {
    case 'relu':
      return g.op('Relu', [x]);
    case 'silu':
      // x sigmoid(x)
      return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    case 'gelu': {
      // 0.5 x (1 + erf(x / sqrt 2))
      const erf = g.op('Erf', [g.op('Mul', [x, ctx.scalar(Math.SQRT1_2)])]);
      return g.op('Mul', [g.op('Mul', [x, ctx.scalar(0.5)]), g.op('Add', [erf, ctx.scalar(1)])]);
    }
    case 'gelu_new': {
      // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
      const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
      const inner = g.op('Add', [x, g.op('Mul', [cube, ctx.scalar(0.044715)])]);
      const tanh = g.op('Tanh', [g.op('Mul', [inner, ctx.scalar(Math.sqrt(2 / Math.PI))])]);
      return g.op('Mul', [g.op('Mul', [x, ctx.scalar(0.5)]), g.op('Add', [tanh, ctx.scalar(1)])]);
    }
  }
}

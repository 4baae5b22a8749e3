import type { ModelSpec } from '../spec/model-spec.js';
import type { Checkpoint } from '../weights/checkpoint.js';
import { attention } from './attention.js';
import { activation, linear, norm } from './blocks.js';
import type { ComputeDType } from './graph-context.js';
import { GraphContext } from './graph-context.js';
import type { Value } from '../onnx/graph-builder.js';
import type { MlpSpec } from '../spec/model-spec.js';

/** Hook names of the per-layer graph outputs (TransformerLens names). */
export const LAYER_OUTPUTS = [
  'attn.pattern',
  'attn.v',
  'attn_out',
  'resid_mid',
  'mlp.pre',
  'mlp.post',
  'mlp_out',
  'resid_post',
] as const;

/** One per-layer output name. */
export type LayerOutput = (typeof LAYER_OUTPUTS)[number];

/** A serialised graph and the weight files it reads. */
export interface BuiltGraph {
  readonly bytes: Uint8Array;
  readonly files: readonly string[];
}

function mlp(
  ctx: GraphContext,
  x: Value,
  spec: MlpSpec,
  model: ModelSpec,
): { pre: Value; post: Value; out: Value } {
  const { g } = ctx;
  if (spec.kind === 'plain') {
    const pre = linear(ctx, x, spec.in); // [T, d_mlp]
    const post = activation(ctx, pre, model.activation); // [T, d_mlp]
    return { pre, post, out: linear(ctx, post, spec.out) };
  }
  const pre = linear(ctx, x, spec.gate); // [T, d_mlp]
  const post = g.op('Mul', [activation(ctx, pre, model.activation), linear(ctx, x, spec.up)]); // [T, d_mlp]
  return { pre, post, out: linear(ctx, post, spec.out) };
}

/**
 * The graph of block `l`: input `resid_pre` [T, d_model], outputs every
 * quantity of DESIGN §2.1 for that block.
 */
export function buildLayerGraph(
  spec: ModelSpec,
  l: number,
  checkpoint: Checkpoint,
  dtype: ComputeDType,
): BuiltGraph {
  const layer = spec.layers[l]!;
  const ctx = new GraphContext(`layer_${l}`, checkpoint, dtype);
  const { g } = ctx;
  const { nHeads, nKvHeads, dHead, dModel, dMlp } = spec;
  const residPre = ctx.floatInput('resid_pre', ['T', dModel]); // [T, d_model]
  const normed = norm(ctx, residPre, layer.ln1); // [T, d_model]
  const attn = attention(ctx, normed, layer, spec);
  let residMid: Value | undefined;
  let block: { pre: Value; post: Value; out: Value };
  let residPost: Value;
  if (spec.parallelBlock) {
    // Phi's MLP reads the attention's normalised input; GPT-NeoX's has its own norm.
    const mlpIn = layer.ln2 ? norm(ctx, residPre, layer.ln2) : normed; // [T, d_model]
    block = mlp(ctx, mlpIn, layer.mlp, spec);
    residPost = g.op('Add', [g.op('Add', [residPre, attn.out]), block.out]); // [T, d_model]
  } else {
    residMid = g.op('Add', [residPre, attn.out]); // [T, d_model]
    block = mlp(ctx, norm(ctx, residMid, layer.ln2!), layer.mlp, spec);
    residPost = g.op('Add', [residMid, block.out]); // [T, d_model]
  }
  ctx.floatOutput(attn.pattern, 'attn.pattern', [nHeads, 'T', 'T']);
  ctx.floatOutput(attn.v, 'attn.v', ['T', nKvHeads, dHead]);
  ctx.floatOutput(attn.out, 'attn_out', ['T', dModel]);
  if (residMid) ctx.floatOutput(residMid, 'resid_mid', ['T', dModel]);
  ctx.floatOutput(block.pre, 'mlp.pre', ['T', dMlp]);
  ctx.floatOutput(block.post, 'mlp.post', ['T', dMlp]);
  ctx.floatOutput(block.out, 'mlp_out', ['T', dModel]);
  ctx.floatOutput(residPost, 'resid_post', ['T', dModel]);
  return { bytes: g.toBytes(), files: ctx.usedFiles };
}

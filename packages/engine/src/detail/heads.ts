import type { Tensor } from '../backend/tensor.js';
import { buildHeadOutputGraph } from '../graphs/head-output-graph.js';
import type { LayerActivations } from '../model/forward.js';
import type { Model } from '../model/model.js';
import { output } from './token-scores.js';

/**
 * Every head's output at every position of layer `l`, `attn.result`
 * [T, n_heads, d_model] (no output bias): summed over heads plus b_O it is
 * `attn_out`.
 */
export async function headOutputs(
  model: Model,
  l: number,
  layer: LayerActivations,
): Promise<Tensor<'float32'>> {
  const session = await model.session(`head-output:${l}`, (checkpoint) =>
    buildHeadOutputGraph(model.spec, l, checkpoint, model.info.dtype),
  );
  const out = await session.run({ pattern: layer['attn.pattern'], v: layer['attn.v'] });
  const T = layer.resid_pre.dims[0]!;
  return {
    dtype: 'float32',
    dims: [T, model.spec.nHeads, model.spec.dModel],
    data: output(out, 'head_out') as Float32Array,
  };
}

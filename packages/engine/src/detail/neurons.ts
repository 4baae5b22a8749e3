import { normalizeProximities, proximity } from '../attribution/proximity.js';
import { topNeurons } from '../attribution/neurons.js';
import type { NeuronShare } from '../attribution/neurons.js';
import type { Tensor } from '../backend/tensor.js';
import type { Distance } from '../graphs/attention-proximity-graph.js';
import { buildNeuronProximityGraph, buildNeuronVectorGraph } from '../graphs/neuron-graph.js';
import type { LayerActivations } from '../model/forward.js';
import type { Model } from '../model/model.js';
import { output } from './token-scores.js';

/** The top contributing neurons of one FFN node and the residual's share. */
export interface FfnNeurons {
  readonly neurons: readonly NeuronShare[];
  readonly residual: number;
}

/** Options of {@link ffnNeurons}. */
export interface NeuronOptions {
  readonly distance?: Distance;
  readonly eps?: number;
  readonly k?: number;
  /** Bytes one run's [N, d_mlp, d_model] parts may take (default 128 MiB). */
  readonly chunkBytes?: number;
}

/**
 * The top contributing neurons (not the top activated ones) of the FFN nodes
 * `mlp[l][t]` for positions `positions` (DESIGN §2.4): parts are every
 * neuron's update `mlp.post[t, i] W_out[i]` and the residual, the whole
 * `resid_post[t]`. The residual is what `resid_post` holds besides the FFN:
 * `resid_mid[t]`, or `resid_pre[t] + attn_out[t]` in a parallel block.
 */
export async function ffnNeurons(
  model: Model,
  l: number,
  layer: LayerActivations,
  positions: readonly number[],
  options: NeuronOptions = {},
): Promise<FfnNeurons[]> {
  const distance = options.distance ?? 'l1';
  const eps = options.eps ?? 1e-5;
  const { dModel: d, dMlp } = model.spec;
  const session = await model.session(
    `neuron-proximity:${l}:${distance}`,
    (checkpoint) =>
      buildNeuronProximityGraph(model.spec, l, checkpoint, model.info.dtype, distance, eps),
    { memoryArena: false },
  );
  const perPosition = dMlp * d * 4 * 3;
  const batch = Math.max(1, Math.floor((options.chunkBytes ?? 128 * 2 ** 20) / perPosition));
  const residual =
    layer.resid_mid?.data ?? layer.resid_pre.data.map((x, i) => x + layer.attn_out.data[i]!); // [T, d_model]
  const results: FfnNeurons[] = [];
  for (let i0 = 0; i0 < positions.length; i0 += batch) {
    const chunk = positions.slice(i0, i0 + batch);
    const whole = new Float32Array(chunk.length * d); // [N, d_model]
    const post = new Float32Array(chunk.length * dMlp); // [N, d_mlp]
    chunk.forEach((t, n) => {
      whole.set(layer.resid_post.data.subarray(t * d, (t + 1) * d), n * d);
      post.set(layer['mlp.post'].data.subarray(t * dMlp, (t + 1) * dMlp), n * dMlp);
    });
    const out = await session.run({
      resid_post: { dtype: 'float32', dims: [chunk.length, d], data: whole },
      mlp_post: { dtype: 'float32', dims: [chunk.length, dMlp], data: post },
    });
    const proximities = output(out, 'proximity') as Float32Array; // [N, d_mlp]
    chunk.forEach((t, n) => {
      const parts = new Float64Array(dMlp + 1); // neurons, then the residual
      parts.set(proximities.subarray(n * dMlp, (n + 1) * dMlp));
      const y = whole.subarray(n * d, (n + 1) * d);
      parts[dMlp] = proximity(
        residual.subarray(t * d, (t + 1) * d),
        y,
        distance === 'l1' ? 1 : 2,
        eps,
      );
      const shares = normalizeProximities(parts);
      results.push({
        neurons: topNeurons(shares.subarray(0, dMlp), options.k ?? 10),
        residual: shares[dMlp]!,
      });
    });
  }
  return results;
}

/** Output vectors `W_out[i]` of neurons `indices` of layer `l`: [K, d_model]. */
export async function neuronVectors(
  model: Model,
  l: number,
  indices: readonly number[],
): Promise<Tensor<'float32'>> {
  const session = await model.session(`neuron-vectors:${l}`, (checkpoint) =>
    buildNeuronVectorGraph(model.spec, l, checkpoint, model.info.dtype),
  );
  const out = await session.run({
    neurons: {
      dtype: 'int64',
      dims: [indices.length],
      data: BigInt64Array.from(indices, (i) => BigInt(i)),
    },
  });
  return {
    dtype: 'float32',
    dims: [indices.length, model.spec.dModel],
    data: output(out, 'vectors') as Float32Array,
  };
}

/** A neuron of layer `l` at a position. */
export interface NeuronAt {
  readonly pos: number;
  readonly neuron: number;
}

/**
 * The updates neurons wrote into the residual stream, `mlp.post[pos, i]
 * W_out[i]`, one row per entry of `at`: [at.length, d_model].
 */
export async function neuronUpdates(
  model: Model,
  l: number,
  layer: LayerActivations,
  at: readonly NeuronAt[],
): Promise<Float32Array> {
  const { dModel: d, dMlp } = model.spec;
  const vectors = (
    await neuronVectors(
      model,
      l,
      at.map((n) => n.neuron),
    )
  ).data; // [N, d_model]
  const post = layer['mlp.post'].data; // [T, d_mlp]
  at.forEach(({ pos, neuron }, n) => {
    const activation = post[pos * dMlp + neuron]!;
    for (let j = n * d; j < (n + 1) * d; j++) vectors[j]! *= activation;
  });
  return vectors;
}

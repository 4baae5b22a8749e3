import type { Tensor } from '../backend/tensor.js';
import { LmttError } from '../errors.js';
import { buildAttentionProximityGraph } from '../graphs/attention-proximity-graph.js';
import type { Distance } from '../graphs/attention-proximity-graph.js';
import type { LayerActivations } from '../model/forward.js';
import type { Model } from '../model/model.js';

/** Options of {@link attentionProximities}. */
export interface ProximityOptions {
  readonly distance: Distance;
  readonly eps: number;
  /** Bytes the [C, S, H, d_model] intermediates of one chunk may take (L1). */
  readonly chunkBytes: number;
  readonly signal?: AbortSignal;
}

/** Default memory budget of one L1 chunk: 256 MiB. */
export const DEFAULT_CHUNK_BYTES = 256 * 2 ** 20;

/**
 * The largest chunk of queries starting at `t0` whose intermediates fit:
 * keys run up to the chunk's last query, so a chunk [t0, t0 + C) costs
 * C * (t0 + C) * perPair bytes.
 */
export function chunkSize(t0: number, T: number, perPair: number, budget: number): number {
  let c = 1;
  while (t0 + c < T && (c + 1) * (t0 + c + 1) * perPair <= budget) c++;
  return c;
}

/**
 * Raw proximities [T, T, H] of every attention part of one layer (DESIGN
 * §2.2), computed in ONNX graphs on the model's device, query positions in
 * chunks and key positions after each chunk skipped, so memory stays
 * O(chunk * T * H * d_model). Entries with s > t are meaningless.
 */
export async function attentionProximities(
  model: Model,
  l: number,
  layer: LayerActivations,
  options: ProximityOptions,
): Promise<Float32Array> {
  const { spec } = model;
  const { nHeads: H, nKvHeads: Hkv, dHead, dModel: d } = spec;
  const residMid = layer.resid_mid;
  if (!residMid)
    throw new LmttError('INTERNAL', 'parallel blocks are attributed through resid_post');
  const T = residMid.dims[0]!;
  const session = await model.session(
    `attention-proximity:${l}:${options.distance}`,
    (checkpoint) =>
      buildAttentionProximityGraph(
        spec,
        l,
        checkpoint,
        model.info.dtype,
        options.distance,
        options.eps,
      ),
  );
  const pattern = layer['attn.pattern'].data; // [H, T, T]
  const v = layer['attn.v'].data; // [T, H_kv, d_head]
  const perPair = options.distance === 'l1' ? H * d * 4 * 3 : H * 4 * 6;
  const out = new Float32Array(T * T * H); // [T, T, H]
  for (let t0 = 0; t0 < T;) {
    if (options.signal?.aborted)
      throw new LmttError('ABORTED', 'the trace was cancelled', { cause: options.signal.reason });
    const C = chunkSize(t0, T, perPair, options.chunkBytes);
    const S = t0 + C;
    const chunkPattern = new Float32Array(H * C * S); // [H, C, S]
    for (let h = 0; h < H; h++) {
      for (let c = 0; c < C; c++) {
        const from = (h * T + t0 + c) * T;
        chunkPattern.set(pattern.subarray(from, from + S), (h * C + c) * S);
      }
    }
    const feeds: Record<string, Tensor> = {
      resid_mid: { dtype: 'float32', dims: [C, d], data: residMid.data.slice(t0 * d, S * d) },
      pattern: { dtype: 'float32', dims: [H, C, S], data: chunkPattern },
      v: { dtype: 'float32', dims: [S, Hkv, dHead], data: v.slice(0, S * Hkv * dHead) },
    };
    const result = (await session.run(feeds))['proximity'];
    if (!result || result.dtype !== 'float32')
      throw new LmttError('INTERNAL', 'proximity graph gave no float32 output');
    const proximity = result.data as Float32Array; // [C, S, H]
    for (let c = 0; c < C; c++) {
      out.set(proximity.subarray(c * S * H, (c + 1) * S * H), (t0 + c) * T * H);
    }
    t0 = S;
  }
  return out;
}

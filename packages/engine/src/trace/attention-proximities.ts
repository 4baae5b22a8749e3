import type { Tensor } from '../backend/tensor.js';
import { LmttError } from '../errors.js';
import {
  buildAttentionProximityGraph,
  buildValueOutputGraph,
} from '../graphs/attention-proximity-graph.js';
import type { Distance } from '../graphs/attention-proximity-graph.js';
import type { LayerActivations } from '../model/forward.js';
import type { Model } from '../model/model.js';
import { l1AttentionProximities, l1KernelAvailable } from '../kernels/l1-proximity-kernel.js';

/** Options of {@link attentionProximities}. */
export interface ProximityOptions {
  readonly distance: Distance;
  readonly eps: number;
  /** Bytes the [C, S, H, d_model] intermediates of one chunk may take (L1). */
  readonly chunkBytes: number;
  readonly signal?: AbortSignal;
  /**
   * Where L1 proximities are computed: `auto` (default) uses the fused
   * WebAssembly kernel when the model runs on the CPU (or WASM) and ONNX
   * graphs on a GPU; `onnx` and `wasm` force one (tests compare them). L2
   * always runs as an ONNX graph: it is matrix products.
   */
  readonly kernel?: 'auto' | 'onnx' | 'wasm';
}

/** Whether L1 proximities go through the fused kernel rather than ONNX graphs. */
function useL1Kernel(model: Model, options: ProximityOptions): boolean {
  if (options.distance !== 'l1') return false;
  const kernel = options.kernel ?? 'auto';
  if (kernel === 'onnx') return false;
  if (kernel === 'wasm') return true;
  const onCpu = model.info.device === 'cpu' || model.info.device === 'wasm';
  return onCpu && l1KernelAvailable();
}

/** Default memory budget of one L1 chunk: 256 MiB. */
export const DEFAULT_CHUNK_BYTES = 256 * 2 ** 20;

/**
 * How many key positions one chunk may take: a chunk of keys [s0, s0 + C)
 * meets every query t >= s0, so it costs (T - s0) * C * perPair bytes.
 */
export function chunkSize(s0: number, T: number, perPair: number, budget: number): number {
  const queries = T - s0;
  return Math.max(1, Math.min(queries, Math.floor(budget / (queries * perPair))));
}

/**
 * Raw proximities [T, T, H] of every attention part of one layer (DESIGN
 * §2.2), computed in ONNX graphs on the model's device in chunks of key
 * positions, each against only the queries at or after it (queries before a
 * key never see it), so memory stays O(chunk * T * H * d_model). Entries with
 * s > t are meaningless.
 *
 * On the CPU, L1 goes through a fused WebAssembly SIMD kernel instead
 * (`options.kernel`): ONNX Runtime's CPU provider has no fused op for it, and
 * the chain Mul, Sub, Abs, ReduceSum writes and re-reads [chunk, T, H,
 * d_model] four times, bound by memory bandwidth; the kernel keeps each part
 * in registers and is about ten times faster.
 */
export async function attentionProximities(
  model: Model,
  l: number,
  layer: LayerActivations,
  options: ProximityOptions,
): Promise<Float32Array> {
  const { spec } = model;
  const { nHeads: H, dModel: d } = spec;
  // The node attention writes into: resid_mid, or resid_post in a parallel block.
  const whole = layer.resid_mid ?? layer.resid_post; // [T, d_model]
  const T = whole.dims[0]!;
  const values = await model.session(`value-output:${l}`, (checkpoint) =>
    buildValueOutputGraph(spec, l, checkpoint, model.info.dtype),
  );
  const pattern = layer['attn.pattern'].data; // [H, T, T]
  const voOut = (await values.run({ v: layer['attn.v'] }))['vo'];
  if (!voOut || voOut.dtype !== 'float32') {
    throw new LmttError('INTERNAL', 'value-output graph gave no float32 output');
  }
  const vo = voOut.data as Float32Array; // [T, H, d_model]
  if (useL1Kernel(model, options)) {
    const { eps, chunkBytes } = options;
    return l1AttentionProximities({ wholes: whole.data, pattern, vo, T, H, d, eps, chunkBytes });
  }
  const session = await model.session(
    `attention-proximity:${options.distance}:${options.eps}`,
    (checkpoint) =>
      buildAttentionProximityGraph(
        spec,
        checkpoint,
        model.info.dtype,
        options.distance,
        options.eps,
      ),
  );
  const perPair = options.distance === 'l1' ? H * d * 4 * 3 : H * 4 * 6;
  const out = new Float32Array(T * T * H); // [T, T, H]
  // Chunks of key positions: each chunk's value vectors cross to the device
  // once, and only the queries at or after the chunk's first key come along.
  for (let s0 = 0; s0 < T;) {
    if (options.signal?.aborted) {
      throw new LmttError('ABORTED', 'the trace was cancelled', { cause: options.signal.reason });
    }
    const C = chunkSize(s0, T, perPair, options.chunkBytes);
    const Q = T - s0;
    const chunkPattern = new Float32Array(H * Q * C); // [H, Q, C]
    for (let h = 0; h < H; h++) {
      for (let q = 0; q < Q; q++) {
        const from = (h * T + s0 + q) * T + s0;
        chunkPattern.set(pattern.subarray(from, from + C), (h * Q + q) * C);
      }
    }
    const feeds: Record<string, Tensor> = {
      resid_mid: { dtype: 'float32', dims: [Q, d], data: whole.data.slice(s0 * d) },
      pattern: { dtype: 'float32', dims: [H, Q, C], data: chunkPattern },
      vo: { dtype: 'float32', dims: [C, H, d], data: vo.slice(s0 * H * d, (s0 + C) * H * d) },
    };
    const result = (await session.run(feeds))['proximity'];
    if (!result || result.dtype !== 'float32') {
      throw new LmttError('INTERNAL', 'proximity graph gave no float32 output');
    }
    const proximity = result.data as Float32Array; // [Q, C, H]
    for (let q = 0; q < Q; q++) {
      out.set(proximity.subarray(q * C * H, (q + 1) * C * H), ((s0 + q) * T + s0) * H);
    }
    s0 += C;
  }
  return out;
}

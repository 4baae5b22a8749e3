import { l1WasmModuleBytes } from './l1-wasm-module.js';

/** The inputs of {@link l1AttentionProximities}. */
export interface L1ProximityInput {
  /** [T, d_model] the wholes: `resid_mid` (or `resid_post` of a parallel block). */
  readonly wholes: Float32Array;
  /** [H, T, T] attention weights of each query over keys. */
  readonly pattern: Float32Array;
  /** [T, H, d_model] each head's output vector at each key position. */
  readonly vo: Float32Array;
  readonly T: number;
  readonly H: number;
  readonly d: number;
  /** The floor of every proximity. */
  readonly eps: number;
  /** Bytes the key vectors of one chunk may take in the kernel's memory. */
  readonly chunkBytes: number;
}

interface L1Exports {
  readonly memory: WebAssembly.Memory;
  readonly l1: (
    y: number,
    ay: number,
    x: number,
    a: number,
    out: number,
    n: number,
    dBytes: number,
  ) => void;
}

const PAGE = 65_536;
/** Rows are padded to a multiple of the kernel's unrolled step (16 floats). */
const STEP = 16;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD is not available. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = l1WasmModuleBytes();
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Whether this JavaScript engine can run the fused L1 kernel (WebAssembly with SIMD). */
export function l1KernelAvailable(): boolean {
  return typeof WebAssembly === 'object' && kernelModule() !== null;
}

/**
 * Raw L1 proximities [T, T, H] of every attention part of one layer (DESIGN
 * §2.2), `max(eps, ||y_t||_1 - ||y_t - pattern[h,t,s] vo[s,h]||_1)`, fused
 * into one WebAssembly SIMD loop: each part is formed, subtracted and summed
 * in registers, so nothing of size [.., d_model] is ever written and the work
 * is the O(T^2 H d_model) arithmetic alone. Entries with s > t are 0 and
 * meaningless.
 *
 * Keys go through the kernel's memory in chunks of at most `chunkBytes`;
 * every entry is computed by the same loop in the same order whatever the
 * chunking, so chunked and unchunked results are bit for bit identical.
 * Each call uses its own instance, so its memory is freed with the result.
 *
 * @throws Error when WebAssembly SIMD is not available (check {@link l1KernelAvailable}).
 */
export function l1AttentionProximities(input: L1ProximityInput): Float32Array {
  const { wholes, pattern, vo, T, H, d, eps } = input;
  const module = kernelModule();
  if (!module) throw new Error('WebAssembly SIMD is not available');
  const { memory, l1 } = new WebAssembly.Instance(module).exports as unknown as L1Exports;
  const dp = Math.ceil(d / STEP) * STEP; // padded row length
  const keysPerChunk = Math.max(1, Math.min(T, Math.floor(input.chunkBytes / (H * dp * 4))));
  // Layout, in floats, every region 64-byte aligned: y [dp], |y| [dp], a [C H], out [C H], x [C H, dp].
  const rows = Math.ceil((keysPerChunk * H) / STEP) * STEP;
  const Y = 0;
  const AY = dp;
  const A = 2 * dp;
  const OUT = A + rows;
  const X = OUT + rows;
  const bytes = (X + keysPerChunk * H * dp) * 4;
  if (memory.buffer.byteLength < bytes)
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
  const heap = new Float32Array(memory.buffer); // zeroed: the padding stays 0

  const out = new Float32Array(T * T * H); // [T, T, H]
  for (let s0 = 0; s0 < T; s0 += keysPerChunk) {
    const C = Math.min(keysPerChunk, T - s0);
    for (let r = 0; r < C * H; r++) {
      const from = (s0 * H + r) * d;
      heap.set(vo.subarray(from, from + d), X + r * dp);
    }
    for (let t = s0; t < T; t++) {
      const y = wholes.subarray(t * d, (t + 1) * d);
      heap.set(y, Y);
      for (let i = 0; i < d; i++) heap[AY + i] = Math.abs(y[i]!);
      const keys = Math.min(t + 1 - s0, C); // keys s0 .. s0 + keys - 1, all <= t
      for (let k = 0; k < keys; k++) {
        for (let h = 0; h < H; h++) heap[A + k * H + h] = pattern[(h * T + t) * T + s0 + k]!;
      }
      l1(Y * 4, AY * 4, X * 4, A * 4, OUT * 4, keys * H, dp * 4);
      const row = (t * T + s0) * H;
      for (let r = 0; r < keys * H; r++) out[row + r] = Math.max(eps, heap[OUT + r]!);
    }
  }
  return out;
}

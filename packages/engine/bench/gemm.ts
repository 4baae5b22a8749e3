import type { Backend } from '../src/backend/backend.js';
import { float32 } from '../src/backend/tensor.js';
import { matmulModel } from '../src/runtime/test-support/graphs.js';

/** The shape and timing of one GEMM measurement. */
export interface GemmOptions {
  /** Rows of x (positions). */
  readonly T: number;
  readonly dIn: number;
  readonly dOut: number;
  /** Intra-op threads of the session (Node; browsers fix threads per backend). */
  readonly threads?: number;
  /** Timed runs; the median counts. */
  readonly repeats: number;
  /** Untimed runs first. Default 3. */
  readonly warmup?: number;
}

/**
 * Median GFLOP/s of `y = x @ W` on `backend`, with x: [T, d_in] and W:
 * [d_in, d_out] given as external data, timed around `session.run` exactly as
 * the engine calls it (the hop to the worker and back included).
 *
 * @example
 * await measureGemm(backend, { T: 128, dIn: 768, dOut: 3072, threads: 1, repeats: 20 });
 */
export async function measureGemm(backend: Backend, options: GemmOptions): Promise<number> {
  const { T, dIn, dOut, threads, repeats, warmup = 3 } = options;
  const w = new Float32Array(dIn * dOut).map((_, i) => ((i % 17) - 8) / 64); // W: [d_in, d_out]
  const session = await backend.createSession(matmulModel(dIn, dOut, 'gemm.bin'), {
    externalData: [{ location: 'gemm.bin', source: new Uint8Array(w.buffer) }],
    ...(threads !== undefined && { threads }),
  });
  try {
    const x = float32(new Float32Array(T * dIn).fill(0.5), [T, dIn]); // x: [T, d_in]
    for (let i = 0; i < warmup; i++) await session.run({ x });
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      await session.run({ x });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const medianMs = times[Math.floor(times.length / 2)]!;
    return (2 * T * dIn * dOut) / (medianMs * 1e6);
  } finally {
    await session.release();
  }
}

/** Whether this file is the script Node was started with (`npx tsx bench/gemm.ts`). */
async function isMain(): Promise<boolean> {
  const script = typeof process === 'undefined' ? undefined : process.argv[1];
  if (!script) return false;
  const { pathToFileURL } = await import('node:url');
  return import.meta.url === pathToFileURL(script).href;
}

if (await isMain()) {
  const { createNodeBackend } = await import('../src/runtime/node/node-backend.js');
  const cpu = createNodeBackend('cpu');
  const shape = { T: 128, dIn: 768, dOut: 3072 };
  console.log(
    `Node CPU GEMM, float32 [${shape.T} x ${shape.dIn}] @ [${shape.dIn} x ${shape.dOut}]`,
  );
  for (const threads of [1, 2]) {
    const rate = await measureGemm(cpu, { ...shape, threads, repeats: 30 });
    console.log(
      `  ${threads} thread${threads > 1 ? 's' : ' '}  ${rate.toFixed(1).padStart(6)} GFLOP/s (median)`,
    );
  }
  await cpu.dispose();
}

/**
 * `npm run bench`: the engine's speed and memory on a GPT-2-small-shaped
 * model with random weights (generated here, never committed), on Node CPU.
 * Each forward case runs in its own process so its peak RSS is its own.
 *
 * Environment: LMTT_BENCH_T (default "32,128,512"), LMTT_BENCH_THREADS
 * (default 2, as the reference pipeline was measured), LMTT_BENCH_REPEATS (default 5).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeBackend } from '../src/runtime/node/node-backend.js';
import { gpt2ForwardFlops, llamaForwardFlops } from './forward-flops.js';
import { measureGemm } from './gemm.js';
import { GPT2_SMALL, writeRandomGpt2 } from './random-gpt2.js';
import { LLAMA_3_2_1B, writeRandomLlama } from './random-llama.js';

const lengths = (process.env['LMTT_BENCH_T'] ?? '32,128,512').split(',').map(Number);
const threads = Number(process.env['LMTT_BENCH_THREADS'] ?? 2);
const repeats = Number(process.env['LMTT_BENCH_REPEATS'] ?? 5);

interface CaseResult {
  readonly T: number;
  readonly createMs: number;
  readonly forwardMs: number;
  readonly peakRssMb: number;
}

async function benchModel(): Promise<string> {
  const dir = join(tmpdir(), 'lmtt-bench-gpt2-small');
  const file = join(dir, 'model.safetensors');
  if (!existsSync(file) || statSync(file).size < 400e6) {
    process.stderr.write(`writing a random GPT-2-small-shaped model to ${dir} …\n`);
    await writeRandomGpt2(dir, GPT2_SMALL);
  }
  return dir;
}

function runCase(dir: string, T: number, mode: 'forward' | 'trace'): CaseResult {
  const script = fileURLToPath(new URL('./forward-case.ts', import.meta.url));
  const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const out = execFileSync(
    process.execPath,
    [
      tsx,
      script,
      dir,
      String(T),
      String(mode === 'trace' ? Math.min(repeats, 3) : repeats),
      String(threads),
      mode,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as CaseResult;
}

const dir = await benchModel();
const backend = createNodeBackend('cpu');
await backend.init();
const gflops = await measureGemm(backend, { T: 128, dIn: 768, dOut: 3072, threads, repeats: 20 });
await backend.dispose?.();

const rows = lengths.map((T) => {
  const result = runCase(dir, T, 'forward');
  const flops = gpt2ForwardFlops(GPT2_SMALL, T);
  const idealMs = (flops / (gflops * 1e9)) * 1e3;
  return {
    T,
    'session create (s)': (result.createMs / 1e3).toFixed(2),
    'forward (ms, median)': result.forwardMs.toFixed(1),
    'MatMul GFLOP': (flops / 1e9).toFixed(2),
    'at GEMM rate (ms)': idealMs.toFixed(1),
    'forward / GEMM-bound': (result.forwardMs / idealMs).toFixed(2),
    'peak RSS (MB)': result.peakRssMb.toFixed(0),
  };
});

console.log(
  `\nlmtt engine bench — GPT-2-small shape (12 layers, d_model 768, vocab 50257), random F32 weights, Node CPU, ${threads} thread(s)`,
);
console.log(
  `ONNX Runtime GEMM rate (128×768 · 768×3072, ${threads} thread(s)): ${gflops.toFixed(1)} GFLOP/s\n`,
);
console.table(rows);

const traceRows = lengths.map((T) => {
  const forward = rows.find((row) => row.T === T)!;
  const result = runCase(dir, T, 'trace');
  return {
    T,
    'summary trace (ms, median)': result.forwardMs.toFixed(0),
    'trace / forward': (result.forwardMs / Number(forward['forward (ms, median)'])).toFixed(2),
    'peak RSS (MB)': result.peakRssMb.toFixed(0),
    'RSS / forward RSS': (result.peakRssMb / Number(forward['peak RSS (MB)'])).toFixed(2),
  };
});
console.log(
  "\nsummary trace: forward + every layer's contributions (L1) + graph + routes of every position",
);
console.table(traceRows);

// A Llama-3.2-1B-shaped model (16 layers, d_model 2048, GQA 32:8, SwiGLU
// d_mlp 8192, tied 128256-token embeddings), random bf16 weights as the real
// checkpoint ships (2.5 GB in a temp folder, never committed; the CPU
// sessions compute in f32). LMTT_BENCH_LLAMA_T sets T (default 128; 0 skips).
const llamaT = Number(process.env['LMTT_BENCH_LLAMA_T'] ?? 128);
if (llamaT > 0) {
  const llamaDir = join(tmpdir(), 'lmtt-bench-llama-3.2-1b-bf16');
  const llamaFile = join(llamaDir, 'model.safetensors');
  if (!existsSync(llamaFile) || statSync(llamaFile).size < 2.4e9) {
    process.stderr.write(`writing a random Llama-3.2-1B-shaped model to ${llamaDir} …\n`);
    await writeRandomLlama(llamaDir, LLAMA_3_2_1B, 'BF16');
  }
  const forward = runCase(llamaDir, llamaT, 'forward');
  const traced = runCase(llamaDir, llamaT, 'trace');
  const flops = llamaForwardFlops(LLAMA_3_2_1B, llamaT);
  const idealMs = (flops / (gflops * 1e9)) * 1e3;
  console.log(
    `\nLlama-3.2-1B shape (16 layers, d_model 2048, 32 query / 8 kv heads, d_mlp 8192, vocab 128256, tied), random BF16 weights, Node CPU, ${threads} thread(s)`,
  );
  console.table([
    {
      T: llamaT,
      'session create (s)': (forward.createMs / 1e3).toFixed(2),
      'forward (ms, median)': forward.forwardMs.toFixed(0),
      'MatMul GFLOP': (flops / 1e9).toFixed(1),
      'forward / GEMM-bound': (forward.forwardMs / idealMs).toFixed(2),
      'forward peak RSS (MB)': forward.peakRssMb.toFixed(0),
      'summary trace (ms, median)': traced.forwardMs.toFixed(0),
      'trace / forward': (traced.forwardMs / forward.forwardMs).toFixed(2),
      'trace peak RSS (MB)': traced.peakRssMb.toFixed(0),
    },
  ]);
}

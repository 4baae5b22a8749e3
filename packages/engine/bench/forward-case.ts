/**
 * One benchmark case in its own process, so its peak RSS is its own:
 * `tsx forward-case.ts <modelDir> <T> <repeats> <threads>` prints one JSON line.
 */
import { loadModel } from '../src/node.js';

const [dir, tArg, repeatsArg, threadsArg] = process.argv.slice(2);
const T = Number(tArg);
const repeats = Number(repeatsArg ?? 5);
const threads = Number(threadsArg ?? 1);

const started = performance.now();
const model = await loadModel(dir!, { device: 'cpu', threads });
const createMs = performance.now() - started;
const ids = Array.from({ length: T }, (_, i) => (i * 7919) % 256);
await model.run(ids);
const times: number[] = [];
for (let i = 0; i < repeats; i++) {
  const t0 = performance.now();
  await model.run(ids);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
await model.dispose();
console.log(
  JSON.stringify({
    T,
    createMs,
    forwardMs: times[Math.floor(times.length / 2)],
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
process.exit(0);

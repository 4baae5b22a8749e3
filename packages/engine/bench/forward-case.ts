/**
 * One benchmark case in its own process, so its peak RSS is its own:
 * `tsx forward-case.ts <modelDir> <T> <repeats> <threads> [forward|trace]`
 * prints one JSON line. `trace` times a summary trace: the forward pass,
 * every layer's contributions, the graph and the routes of every position.
 */
import type { Model } from '../src/model/model.js';
import { loadModel, trace } from '../src/node.js';

const [dir, tArg, repeatsArg, threadsArg, modeArg] = process.argv.slice(2);
const mode = modeArg === 'trace' ? 'trace' : 'forward';

async function once(model: Model, ids: number[]): Promise<void> {
  if (mode === 'forward') {
    await model.run(ids);
    return;
  }
  const prompt = model.tokenizer.decode(ids);
  for await (const event of trace(model, prompt)) {
    if (event.type === 'error') throw new Error(event.message);
  }
}
const T = Number(tArg);
const repeats = Number(repeatsArg ?? 5);
const threads = Number(threadsArg ?? 1);

const started = performance.now();
const model = await loadModel(dir!, { device: 'cpu', threads });
const createMs = performance.now() - started;
// Byte tokens re-encode to themselves, so traces see exactly T tokens.
const ids = Array.from({ length: T }, (_, i) => 65 + ((i * 7919) % 26));
await once(model, ids);
const times: number[] = [];
for (let i = 0; i < repeats; i++) {
  const t0 = performance.now();
  await once(model, ids);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
await model.dispose();
console.log(
  JSON.stringify({
    T,
    mode,
    createMs,
    forwardMs: times[Math.floor(times.length / 2)],
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
process.exit(0);

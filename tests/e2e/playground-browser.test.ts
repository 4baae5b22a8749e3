import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser } from './browser.js';
import { startLmtt } from './lmtt-server.js';
import type { LmttServer } from './lmtt-server.js';
import { drawnGraph, followEveryView, openPlayground, shot, traced } from './playground-page.js';
import type { DrawnGraph } from './playground-page.js';

const PROMPT = 'When Mary and John went to the store, John gave a drink to';
const HASH = `prompt=${encodeURIComponent(PROMPT)}`;

/**
 * How far a weight computed in the browser may be from the server's
 * (onnxruntime-node, CPU). Weights are shares in [0, 1] after the cut; WASM
 * and software WebGPU differ from the native CPU by float32 rounding
 * (measured at most 1.3e-6 for this prompt), far below any visible difference.
 */
const WEIGHT_TOLERANCE = 1e-5;

let server: LmttServer;
let browser: Awaited<ReturnType<typeof openBrowser>>;
/** The graph the server computes for PROMPT: what every browser run must match. */
let onServer: DrawnGraph;

beforeAll(async () => {
  server = await startLmtt();
  browser = await openBrowser();
  const { page } = await openPlayground(browser.context, server.url, HASH);
  await traced(page);
  onServer = (await drawnGraph(page))!;
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** What the page saw while it worked: each progress line, and how often its timers ran. */
interface Watch {
  readonly stages: string[];
  readonly ticks: number;
}

/**
 * Before the page loads: record every line the progress bar shows, and
 * count a 10 ms timer's ticks (a page blocked by the engine would not tick).
 */
const watchProgress = (page: Page) =>
  page.addInitScript(() => {
    const watch = { stages: [] as string[], ticks: 0 };
    Object.assign(window, { lmttWatch: watch });
    setInterval(() => watch.ticks++, 10);
    new MutationObserver(() => {
      const line = document.querySelector('.progress span')?.textContent?.trim();
      if (line && line !== watch.stages.at(-1)) watch.stages.push(line);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });

const watched = (page: Page) =>
  page.evaluate(() => (window as unknown as { lmttWatch: Watch }).lmttWatch);

/** Resources the page itself fetched (a worker's fetches are its own). */
const pageFetches = (page: Page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));

/** Expects `graph` to be the server's: the same kept edges, weights within the tolerance. */
function expectServerGraph(graph: DrawnGraph | undefined): void {
  expect(graph?.edges).toEqual(onServer.edges);
  const worst = Math.max(...graph!.weights.map((w, k) => Math.abs(w - onServer.weights[k]!)));
  expect(worst).toBeLessThanOrEqual(WEIGHT_TOLERANCE);
}

describe('the playground in browser mode (the engine in a Web Worker)', () => {
  it('on WASM: shows loading progress, keeps the page live, matches the server, answers detail, exports', async () => {
    const { page, traces, errors } = await openPlayground(
      browser.context,
      server.url,
      `mode=browser&device=wasm&${HASH}`,
      watchProgress,
    );
    await traced(page);
    expect(await page.textContent('.notice')).toContain('on wasm');
    expect(await page.textContent('table.info')).toContain('yes, on wasm');
    expectServerGraph(await drawnGraph(page));
    expect(traces()).toBe(0);

    // Download and session creation were shown, then the trace's own stages.
    const { stages, ticks } = await watched(page);
    expect(stages).toContainEqual(
      expect.stringMatching(/^download model\.safetensors · [\d.]+ of [\d.]+ MB$/),
    );
    expect(stages).toContainEqual(expect.stringMatching(/^create sessions · \d+ of 6$/));
    expect(stages).toContainEqual(expect.stringMatching(/^contributions · layer \d of 4$/));
    expect(ticks).toBeGreaterThan(3);
    // The engine ran off the page: the page fetched neither the model nor ONNX Runtime.
    const fetched = await pageFetches(page);
    expect(fetched.filter((url) => /models\/|\.wasm|ort|transformers/.test(url))).toEqual([]);
    expect(page.workers().map((worker) => worker.url())).toContainEqual(
      expect.stringContaining('engine-worker'),
    );

    // Detail comes from the worker, from the model on demand: heads, maps, neurons, the logit lens.
    await followEveryView(page);
    expect(await page.locator('lmtt-explorer .status.error').count()).toBe(0); // no failed view
    await shot(page, 'browser-mode');

    // The file holds every table: the worker traces again in full for it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#export-trace'),
    ]);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Record<
      string,
      unknown
    >;
    expect(file).toMatchObject({ kind: 'full', prompt: PROMPT, model: { device: 'wasm' } });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('cancels a browser trace while the model downloads; the next one runs to the end', async () => {
    // Hold the weights' download (not the header reads, which ask for a range) until cancelled.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = (page: Page) =>
      page.route('**/model.safetensors', async (route) => {
        if (!route.request().headers()['range']) await held;
        await route.continue().catch(() => {}); // the cancelled fetch may be gone
      });
    const { page, errors } = await openPlayground(
      browser.context,
      server.url,
      `mode=browser&device=wasm&${HASH}`,
      hold,
    );
    await page.locator('.progress').waitFor();
    await shot(page, 'browser-loading');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.notice', { hasText: 'Cancelled.' }).waitFor();
    release();
    expect(await page.locator('.error').count()).toBe(0);
    await page.click('#run');
    await traced(page);
    expectServerGraph(await drawnGraph(page));
    expect(errors).toEqual([]);
    await page.close();
  });

  // Software WebGPU is slow (~0.5 GFLOP/s): give it room on a busy machine.
  it('on WebGPU (software adapter): matches the server', { timeout: 300_000 }, async () => {
    const gpu = await openBrowser(['--enable-unsafe-webgpu']);
    try {
      const probe = await gpu.context.newPage();
      await probe.goto(server.url);
      const adapter = await probe.evaluate(async () => {
        const { gpu } = navigator as Navigator & {
          gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string } } | null> };
        };
        if (!gpu) return 'navigator.gpu is missing';
        return (await gpu.requestAdapter()) ? 'ok' : 'requestAdapter() found no adapter';
      });
      await probe.close();
      if (adapter !== 'ok') {
        throw new Error(
          `This Chromium has no WebGPU adapter even with --enable-unsafe-webgpu (${adapter}): ` +
            'the WebGPU parity test cannot run. Check LMTT_CHROMIUM and the notes on SwiftShader.',
        );
      }

      const { page, traces, errors } = await openPlayground(
        gpu.context,
        server.url,
        `mode=browser&device=webgpu&${HASH}`,
        watchProgress,
      );
      await traced(page, 280_000);
      // On WebGPU itself, not a silent fallback to WASM.
      expect(await page.textContent('.notice')).toContain('on webgpu');
      expectServerGraph(await drawnGraph(page));
      expect(traces()).toBe(0);
      await shot(page, 'browser-webgpu');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await gpu.close();
    }
  });
});

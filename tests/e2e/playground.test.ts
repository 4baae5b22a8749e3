import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, SCREENSHOTS } from './browser.js';
import { startLmtt } from './lmtt-server.js';
import type { LmttServer } from './lmtt-server.js';
import {
  drawnGraph,
  followEveryView,
  kept,
  openPlayground,
  shot,
  traced,
} from './playground-page.js';

const PROMPT = 'When Mary and John went to the store, John gave a drink to';
const FIXTURE = fileURLToPath(
  new URL('../../packages/components/fixtures/war.json', import.meta.url),
);

let server: LmttServer;
let browser: Awaited<ReturnType<typeof openBrowser>>;
/** Where the tests save what the playground offers as downloads. */
let downloads: string;

beforeAll(async () => {
  downloads = mkdtempSync(join(tmpdir(), 'lmtt-downloads-'));
  server = await startLmtt();
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(downloads, { recursive: true, force: true });
});

/** A fresh page of the playground at `hash`. */
const open = (hash: string) => openPlayground(browser.context, server.url, hash);

/** Clicks `button` and saves the download it starts; resolves to the file's path. */
async function downloadOf(page: Page, button: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const file = join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

describe('the playground against lmtt serve', () => {
  it('traces a typed prompt, then follows clicks through every view', async () => {
    const { page, traces, errors } = await open('');
    await page.fill('#prompt', PROMPT);
    await page.click('#run');
    await traced(page);
    const edge = page.locator('lmtt-graph path.edge.attention[data-edge]').first();
    await edge.waitFor();
    await shot(page, 'graph');
    await followEveryView(page, (view) => shot(page, view));

    const before = await kept(page);
    await page.locator('#threshold').fill('0.1');
    await expect.poll(() => kept(page)).not.toBe(before);
    expect(traces()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('restores a permalink in a fresh page', async () => {
    const { page } = await open('');
    await page.fill('#prompt', PROMPT);
    await page.click('#run');
    await traced(page);
    const edge = page.locator('lmtt-graph path.edge.attention[data-edge]').nth(1);
    await edge.waitFor();
    await edge.click({ force: true });
    await page.locator('lmtt-heads [data-chart="bars"]').waitFor();
    const link = page.url();
    expect(link).toContain('sel=');
    await page.close();

    const again = await open(new URL(link).hash.slice(1));
    await again.page.locator('lmtt-heads [data-chart="bars"]').waitFor();
    expect(again.page.url()).toBe(link);
    await shot(again.page, 'permalink');
    await again.page.close();
  });

  it('traces on a device chosen from those the server offers, and keeps it in the link', async () => {
    const { page, errors } = await open('');
    const device = page.locator('#device');
    // cpu always; WebGPU too where the server's probe started it (SwiftShader here).
    await expect.poll(() => device.locator('option').allTextContents()).toContain('cpu');
    const offered = await device.locator('option').allTextContents();
    const chosen = offered.includes('webgpu') ? 'webgpu' : 'cpu';
    await page.fill('#prompt', 'the cat sat on the mat');
    await page.click('#run');
    await traced(page);
    if (offered.length > 1) expect(await device.isEnabled()).toBe(true);
    await device.selectOption(chosen);
    await page.locator('.notice', { hasText: `on ${chosen} (fp32)` }).waitFor({ timeout: 60_000 });
    expect(page.url()).toContain(`device=${chosen}`);
    expect(errors).toEqual([]);
    await page.close();

    const again = await open(new URL(page.url()).hash.slice(1));
    await again.page
      .locator('.notice', { hasText: `on ${chosen} (fp32)` })
      .waitFor({ timeout: 60_000 });
    expect(await again.page.locator('#device').inputValue()).toBe(chosen);
    // The screenshot once the detail views have drawn.
    await again.page.locator('lmtt-top-tokens [part~="change"]').first().waitFor();
    await again.page.locator('lmtt-heads [data-chart="overview"]').waitFor();
    await shot(again.page, 'device');
    await again.page.close();
  });

  it('imports a trace file and shows its graph with no server request', async () => {
    const { page, traces } = await open('');
    await page.setInputFiles('#import', FIXTURE);
    await page.locator('lmtt-graph path.edge[data-edge]').first().waitFor();
    expect(await page.textContent('.notice')).toContain('war.json');
    expect(traces()).toBe(0);
    await page.close();
  });

  it('round-trips a trace: export it, import the file in a fresh page, the same graph shows', async () => {
    const traced0 = await open('');
    await traced0.page.fill('#prompt', PROMPT);
    await traced0.page.click('#run');
    await traced(traced0.page);
    const drawn = await drawnGraph(traced0.page);
    expect(drawn?.edges.length).toBeGreaterThan(0);
    const file = await downloadOf(traced0.page, '#export-trace');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kind: 'full', prompt: PROMPT });
    await traced0.page.close();

    const fresh = await open('');
    await fresh.page.setInputFiles('#import', file);
    await fresh.page.locator('lmtt-graph path.edge[data-edge]').first().waitFor();
    expect(await fresh.page.textContent('.notice')).toContain(basename(file));
    expect(await drawnGraph(fresh.page)).toEqual(drawn);
    expect(fresh.traces()).toBe(0);
    expect(fresh.errors).toEqual([]);
    await shot(fresh.page, 'imported');
    await fresh.page.close();
  });

  it('exports the complete graph as SVG (every kept edge and node) and as PNG', async () => {
    const { page, errors } = await open(`prompt=${encodeURIComponent(PROMPT)}`);
    await traced(page);
    const drawn = (await drawnGraph(page))!;
    const svg = readFileSync(await downloadOf(page, '#export-svg'), 'utf8');
    const edges = [...svg.matchAll(/data-edge="(\d+)"/g)].map((match) => Number(match[1]));
    expect(edges.sort((a, b) => a - b)).toEqual(drawn.edges);
    const tokens = await page.locator('lmtt-graph [part~="selector"]').count();
    const layers = 4; // the embedded model
    expect(svg.match(/data-node="/g)).toHaveLength(tokens * (1 + 3 * layers));
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);

    const png = readFileSync(await downloadOf(page, '#export-png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(2 * width); // IHDR width: drawn at twice the size
    expect(png.length).toBeGreaterThan(20_000);

    // How the file looks on its own, outside the page.
    const look = await browser.context.newPage();
    await look.setContent(
      `<img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`,
    );
    await look.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await look.screenshot({
      path: join(SCREENSHOTS, 'playground-exported-svg.png'),
      fullPage: true,
    });
    await look.close();
    expect(errors).toEqual([]);
    await page.close();
  });
});

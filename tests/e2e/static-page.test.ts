import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, SCREENSHOTS } from './browser.js';
import { serveStatic } from './static-server.js';

const COMPONENTS = fileURLToPath(new URL('../../packages/components/', import.meta.url));
const BUNDLE = join(COMPONENTS, 'dist/bundle/lmtt-components.js');

let site: { url: string; close: () => Promise<void> };
let root: string;

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`build @lmtt/components first: ${BUNDLE} is missing`);
  // A static folder with exactly three files: the page, the bundle, a trace.
  root = mkdtempSync(join(tmpdir(), 'lmtt-static-'));
  copyFileSync(join(COMPONENTS, 'examples/static-page.html'), join(root, 'index.html'));
  copyFileSync(BUNDLE, join(root, 'lmtt-components.js'));
  copyFileSync(join(COMPONENTS, 'fixtures/war.json'), join(root, 'war.json'));
  site = await serveStatic(root);
});

afterAll(async () => {
  await site?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('a static page with only the single-file bundle and a trace file', () => {
  it('renders an interactive graph: click an edge, then a head, and the views follow', async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const requests: string[] = [];
      page.on('request', (request) => requests.push(new URL(request.url()).pathname));
      await page.goto(site.url);
      const edge = page.locator('lmtt-graph path.edge.attention[data-edge]').first();
      await edge.waitFor();
      await edge.click({ force: true });
      // the heads of that edge, then the maps and promoted tokens of a head
      const head = page.locator('lmtt-heads [data-chart="bars"] [role="button"]').first();
      await head.waitFor();
      await head.click({ force: true });
      await page.locator('lmtt-attention-map [part~="map"]').first().waitFor();
      await page.locator('lmtt-promoted [part~="promoted"]').first().waitFor();
      const file = join(SCREENSHOTS, 'static-page.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
      expect([...new Set(requests)].sort()).toEqual(['/', '/lmtt-components.js', '/war.json']);
    } finally {
      await browser.close();
    }
  });
});

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, SCREENSHOTS } from './browser.js';
import { startLmtt } from './lmtt-server.js';
import type { LmttServer } from './lmtt-server.js';

let server: LmttServer;

beforeAll(async () => {
  server = await startLmtt();
});

afterAll(async () => {
  await server?.stop();
});

describe('lmtt serve', () => {
  it('answers the health check on its port', async () => {
    const response = await fetch(new URL('api/health', server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('serves the playground, which renders in Chromium', async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(server.url);
      await page.waitForSelector('lmtt-playground[data-ready="true"]');
      expect(await page.textContent('h1')).toBe('lmtt');
      expect(await page.inputValue('input[name="mode"][value="server"]')).toBe('server');
      expect(await page.isChecked('input[name="mode"][value="server"]')).toBe(true);
      const file = join(SCREENSHOTS, 'serve-home.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(existsSync(file) && statSync(file).size).toBeGreaterThan(1000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('lmtt serve API', () => {
  it('prints its models and lists them', async () => {
    expect(server.output()).toContain('lmtt-tiny-gpt2');
    const response = await fetch(new URL('api/models', server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      default: 'lmtt-tiny-gpt2',
      models: [{ name: 'lmtt-tiny-gpt2' }],
    });
  });

  it('answers a bad trace request with a JSON error', async () => {
    const response = await fetch(new URL('api/traces', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 42 }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

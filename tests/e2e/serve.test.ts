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

  it('gives 20 concurrent clients on the embedded model a complete trace or a 429', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const response = await fetch(new URL('api/traces', server.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: `Client ${i % 8} asks what the weather is like in` }),
        });
        if (response.status === 429) return 'busy';
        expect(response.status).toBe(200);
        const text = await response.text();
        expect(text).toContain('event: done');
        return 'done';
      }),
    );
    expect(outcomes.filter((o) => o === 'done').length).toBeGreaterThanOrEqual(8);
    const health = (await (await fetch(new URL('api/health', server.url))).json()) as {
      queue: { running: number; queued: number };
    };
    expect(health.queue).toMatchObject({ running: 0, queued: 0 });
  });
});

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { chromiumLaunchOptions } from '../../vitest.shared.js';

/** Git-ignored folder the end-to-end tests write their screenshots to. */
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** A Debian Chromium with a fresh profile, closed and deleted by `close()`. */
export async function openBrowser(extraArgs: readonly string[] = []) {
  const profile = mkdtempSync(join(tmpdir(), 'lmtt-chromium-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions(extraArgs),
    headless: true,
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

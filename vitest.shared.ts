/**
 * Settings every browser test shares: Debian's Chromium, never a downloaded
 * browser, with the flags that keep it quiet on a machine without network.
 */
export const CHROMIUM_PATH = process.env['LMTT_CHROMIUM'] ?? '/usr/bin/chromium';

/** Command-line flags for headless Chromium on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch options for playwright-core's Chromium. */
export function chromiumLaunchOptions(extraArgs: readonly string[] = []) {
  return { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] };
}

/**
 * Resolve workspace packages to their TypeScript sources (the `@lmtt/source`
 * export condition), so tests and dev servers need no build first.
 */
export const SOURCE_CONDITION = '@lmtt/source';

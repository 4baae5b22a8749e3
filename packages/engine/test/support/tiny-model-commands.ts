import { rmSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { BrowserCommand } from 'vitest/node';
import { referenceGpt2 } from './reference-gpt2.js';
import { referenceToJson } from './reference-json.js';
import type { ReferenceForwardJson } from './reference-json.js';
import { writeTinyGpt2 } from './tiny-gpt2.js';
import type { TinyGpt2 } from './tiny-gpt2.js';

/**
 * Browser tests cannot write files or run the float64 reference on the
 * model's weights: these commands run in the Vite server (Node) on their behalf.
 */
declare module 'vitest/browser' {
  interface BrowserCommands {
    /** The URL, on the test server, of a tiny GPT-2 folder (seed 41, 2 layers, d_model 32). */
    tinyGpt2Url(): Promise<string>;
    /** The float64 reference forward pass of that model on `ids`. */
    tinyGpt2Reference(ids: readonly number[]): Promise<ReferenceForwardJson>;
  }
}

/** Written once per test run, into a fresh folder under the (git-ignored) `.cache/`. */
let written: Promise<{ tiny: TinyGpt2; url: string }> | undefined;

function tinyGpt2(root: string): Promise<{ tiny: TinyGpt2; url: string }> {
  written ??= (async () => {
    // Under the Vite root, so the dev server serves it (with Range requests).
    const parent = join(root, '.cache', 'test-models');
    await mkdir(parent, { recursive: true });
    const dir = await mkdtemp(join(parent, 'tiny-gpt2-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const tiny = await writeTinyGpt2(dir, { seed: 41 });
    return { tiny, url: `/${relative(root, dir).split(sep).join('/')}` };
  })();
  return written;
}

/** See `BrowserCommands.tinyGpt2Url`. */
export const tinyGpt2Url: BrowserCommand<[]> = async ({ project }) =>
  (await tinyGpt2(project.config.root)).url;

/** See `BrowserCommands.tinyGpt2Reference`. */
export const tinyGpt2Reference: BrowserCommand<[ids: readonly number[]]> = async (
  { project },
  ids,
) => referenceToJson(referenceGpt2((await tinyGpt2(project.config.root)).tiny, ids));

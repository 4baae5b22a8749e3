import { rmSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { BrowserCommand } from 'vitest/node';
import { referenceGpt2 } from './reference-gpt2.js';
import { referenceToJson } from './reference-json.js';
import type { ReferenceForwardJson } from './reference-json.js';
import type { ReferenceForward } from './reference-gpt2.js';
import { writeTinyGpt2 } from './tiny-gpt2.js';
import type { TinyGpt2 } from './tiny-gpt2.js';
import { referenceGemma } from './reference-gemma.js';
import { referenceLlama } from './reference-llama.js';
import { referencePhi } from './reference-phi.js';
import { writeTinyGemma } from './tiny-gemma.js';
import { writeTinyLlama } from './tiny-llama.js';
import { writeTinyPhi } from './tiny-phi.js';

/** Families whose tiny models browser tests load (their ops beyond GPT-2's: rotary, RMSNorm, gated MLPs, GQA, parallel blocks). */
export type TinyFamily = 'llama' | 'phi' | 'gemma';

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
    /** The URL of a tiny model of `family` (Llama with GQA 4:2; Phi with partial rotary; Gemma with MQA and head_dim 16). */
    tinyFamilyUrl(family: TinyFamily): Promise<string>;
    /** The float64 reference forward pass of that model on `ids`. */
    tinyFamilyReference(family: TinyFamily, ids: readonly number[]): Promise<ReferenceForwardJson>;
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

/** A written tiny model and its float64 reference forward. */
interface Written {
  readonly url: string;
  readonly reference: (ids: readonly number[]) => ReferenceForwardJson;
}

const families = new Map<TinyFamily, Promise<Written>>();

/** A fresh folder under the (git-ignored) `.cache/` of the Vite root, removed at exit. */
async function modelFolder(root: string, name: string): Promise<{ dir: string; url: string }> {
  const parent = join(root, '.cache', 'test-models');
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, `${name}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { dir, url: `/${relative(root, dir).split(sep).join('/')}` };
}

function tinyFamily(root: string, family: TinyFamily): Promise<Written> {
  let written = families.get(family);
  if (!written) {
    written = (async () => {
      const { dir, url } = await modelFolder(root, `tiny-${family}`);
      switch (family) {
        case 'llama': {
          const tiny = await writeTinyLlama(dir, { modelType: 'llama', seed: 43, nKvHeads: 2 });
          return { url, reference: (ids) => referenceToJson(referenceLlama(tiny, ids)) };
        }
        case 'phi': {
          const tiny = await writeTinyPhi(dir, { seed: 44 });
          const reference = (ids: readonly number[]) =>
            referenceToJson(referencePhi(tiny, ids) as ReferenceForward);
          return { url, reference };
        }
        case 'gemma': {
          const tiny = await writeTinyGemma(dir, { seed: 45 });
          return { url, reference: (ids) => referenceToJson(referenceGemma(tiny, ids)) };
        }
      }
    })();
    families.set(family, written);
  }
  return written;
}

/** See `BrowserCommands.tinyFamilyUrl`. */
export const tinyFamilyUrl: BrowserCommand<[family: TinyFamily]> = async ({ project }, family) =>
  (await tinyFamily(project.config.root, family)).url;

/** See `BrowserCommands.tinyFamilyReference`. */
export const tinyFamilyReference: BrowserCommand<
  [family: TinyFamily, ids: readonly number[]]
> = async ({ project }, family, ids) =>
  (await tinyFamily(project.config.root, family)).reference(ids);

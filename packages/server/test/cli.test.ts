import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTrace } from '@lmtt/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeTinyGpt2 } from '../../engine/test/support/tiny-gpt2.js';
import { main } from '../src/cli/main.js';

let root: string;
let modelDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lmtt-cli-'));
  modelDir = (await writeTinyGpt2(join(root, 'tiny'), { seed: 3, nLayers: 2 })).dir;
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('lmtt trace', () => {
  it('writes a trace file of the prompt', async () => {
    const out = join(root, 'trace.json');
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const code = await main([
        'trace',
        '--model',
        modelDir,
        '--detail',
        'full',
        '--out',
        out,
        'a b c',
      ]);
      expect(code).toBe(0);
      expect(stderr.mock.calls.join('\n')).toContain('wrote full trace');
    } finally {
      stderr.mockRestore();
    }
    const trace = decodeTrace(await readFile(out, 'utf8'));
    expect(trace).toMatchObject({ kind: 'full', prompt: 'a b c', model: { id: modelDir } });
    expect(trace.contributions).toHaveLength(2);
  });

  it('refuses bad options with exit code 1 and a message', async () => {
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main(['trace', '--model', modelDir])).toBe(1);
      expect(await main(['trace', '--model', modelDir, '--device', 'tpu', 'x'])).toBe(1);
      expect(stderr.mock.calls.join('\n')).toMatch(/give the prompt[\s\S]*--device must be one of/);
    } finally {
      stderr.mockRestore();
    }
  });
});

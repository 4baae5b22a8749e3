import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveState } from '@lmtt/engine';
import { loadModel, trace } from '@lmtt/engine/node';
import { describe, expect, it } from 'vitest';
import { writeTinyGpt2 } from '../../../engine/test/support/tiny-gpt2.js';
import { expectedLiveBytes, retainedBytes } from './live-state-bytes.js';

describe('live state bytes', () => {
  it('estimates from the model what a retained state measures', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lmtt-live-bytes-'));
    const tiny = await writeTinyGpt2(join(root, 'm'), { seed: 3, nLayers: 2 });
    const model = await loadModel(tiny.dir, { device: 'cpu' });
    try {
      let state: LiveState | undefined;
      let tokens = 0;
      for await (const event of trace(model, 'one two three four', {
        retain: (s) => (state = s),
      }))
        if (event.type === 'done') tokens = event.trace.tokens.length;
      const measured = retainedBytes(state!);
      expect(measured).toBeGreaterThan(0);
      const expected = expectedLiveBytes(model, tokens);
      expect(Math.abs(expected - measured) / measured).toBeLessThan(0.01);
    } finally {
      await model.dispose();
      await rm(root, { recursive: true, force: true });
    }
  });
});

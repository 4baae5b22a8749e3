import { describe, expect, it } from 'vitest';
import type { ForwardResult, LayerActivations } from '../model/forward.js';
import type { Model, RunOptions } from '../model/model.js';
import { forwardByLayer } from './forward-by-layer.js';

/** A model whose forward pass runs `layers` blocks, one per macrotask, and may fail after `failAfter`. */
function fakeModel(layers: number, log: string[], failAfter?: number): Model {
  const run = async (_ids: readonly number[], options: RunOptions = {}) => {
    const done: LayerActivations[] = [];
    for (let l = 0; l < layers; l++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (l === failAfter) throw new Error('block failed');
      const activations = { layer: l } as unknown as LayerActivations;
      done.push(activations);
      log.push(`ran ${l}`);
      options.onLayer?.(l, activations);
    }
    log.push('forward done');
    return { layers: done } as unknown as ForwardResult;
  };
  return { run } as unknown as Model;
}

describe('forwardByLayer', () => {
  it('hands out each block as it finishes, before the forward pass ends', async () => {
    const log: string[] = [];
    const forward = forwardByLayer(fakeModel(3, log), [1, 2]);
    for await (const activations of forward.layers)
      log.push(`got ${(activations as unknown as { layer: number }).layer}`);
    expect((await forward.result).layers).toHaveLength(3);
    expect(log.indexOf('got 0')).toBeLessThan(log.indexOf('forward done'));
    expect(log.filter((line) => line.startsWith('got'))).toEqual(['got 0', 'got 1', 'got 2']);
  });

  it('throws what the forward pass throws, after the blocks that finished', async () => {
    const got: unknown[] = [];
    const forward = forwardByLayer(fakeModel(3, [], 1), [1]);
    await expect(
      (async () => {
        for await (const activations of forward.layers) got.push(activations);
      })(),
    ).rejects.toThrow('block failed');
    expect(got).toHaveLength(1);
    await expect(forward.result).rejects.toThrow('block failed');
  });
});

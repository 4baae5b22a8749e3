import { describe, expect, it } from 'vitest';
import type { Trace } from '@lmtt/engine/schema';
import type { BrowserEngine } from './browser-engine.js';
import type { DetailQuery } from './engine-protocol.js';
import { workerSource } from './worker-source.js';

describe('workerSource', () => {
  it('sends each detail question to the worker about its trace, with the signal', async () => {
    const asked: [string, DetailQuery, AbortSignal | undefined][] = [];
    const engine = {
      query: async (traceId: string, query: DetailQuery, signal?: AbortSignal) => {
        asked.push([traceId, query, signal]);
        return query.method;
      },
    } as unknown as BrowserEngine;
    const source = workerSource({ id: 't1' } as Trace, engine);
    const signal = new AbortController().signal;
    const node = { kind: 'resid_post', layer: 1, pos: 2 } as const;
    const ref = { block: 'mlp', layer: 1, pos: 2 } as const;
    expect(
      await Promise.all([
        source.edgeHeads(7, signal),
        source.headOverview(2),
        source.headMap(1, 3),
        source.neurons(1, 2),
        source.lens(node),
        source.update(ref as never),
      ]),
    ).toEqual(['edgeHeads', 'headOverview', 'headMap', 'neurons', 'lens', 'update']);
    expect(asked.map(([id, query]) => [id, query.args])).toEqual([
      ['t1', [7]],
      ['t1', [2]],
      ['t1', [1, 3]],
      ['t1', [1, 2]],
      ['t1', [node]],
      ['t1', [ref]],
    ]);
    expect(asked[0]![2]).toBe(signal);
  });
});

import { describe, expect, it } from 'vitest';
import type { LayerContributions } from '../schema/contributions.js';
import { lensNode, lensRow, lensRowCount } from '../schema/lens.js';
import {
  edgeAt,
  edgeCount,
  edgeIndex,
  edgeShare,
  edgesPerLayer,
  routeEdges,
} from '../schema/routes.js';

// The schema folder may import nothing, vitest included, so its numbering is tested here.
describe('canonical edge numbering', () => {
  it('numbers every edge once, in the documented order', () => {
    const T = 5;
    const L = 3;
    expect(edgesPerLayer(T)).toBe(15 + 20);
    for (let index = 0; index < edgeCount(L, T); index++) {
      expect(edgeIndex(edgeAt(index, T), T)).toBe(index);
    }
    expect(edgeAt(0, T)).toEqual({
      from: { kind: 'embed', layer: -1, pos: 0 },
      to: { kind: 'resid_mid', layer: 0, pos: 0 },
      kind: 'attention',
    });
    // Layer 1, attention t = 2, s = 1: 35 + 3 + 1.
    expect(edgeAt(39, T)).toEqual({
      from: { kind: 'resid_post', layer: 0, pos: 1 },
      to: { kind: 'resid_mid', layer: 1, pos: 2 },
      kind: 'attention',
    });
    expect(edgeAt(35 + 15 + 5 * 3 + 4, T)).toEqual({
      from: { kind: 'resid_mid', layer: 1, pos: 4 },
      to: { kind: 'resid_post', layer: 1, pos: 4 },
      kind: 'residual',
    });
  });

  it('refuses what is not an edge', () => {
    const mid = { kind: 'resid_mid', layer: 1, pos: 2 } as const;
    const later = { kind: 'resid_post', layer: 0, pos: 3 } as const;
    expect(() => edgeIndex({ from: later, to: mid, kind: 'attention' }, 5)).toThrow(RangeError);
    const twoBack = { kind: 'embed', layer: -1, pos: 1 } as const;
    expect(() => edgeIndex({ from: twoBack, to: mid, kind: 'attention' }, 5)).toThrow(RangeError);
    expect(() => edgeAt(-1, 5)).toThrow(RangeError);
  });

  it('reads an edge share from the contributions and a route from its lists', () => {
    const T = 2;
    const layer: LayerContributions = {
      layer: 0,
      attention: new Float32Array([0.25, 0, 0.5, 0.125]),
      attentionResidual: new Float32Array([0.75, 0.375]),
      ffn: new Float32Array([0.625, 0.0625]),
      ffnResidual: new Float32Array([0.375, 0.9375]),
    };
    expect([...Array(edgesPerLayer(T)).keys()].map((e) => edgeShare([layer], e, T))).toEqual([
      0.25, 0.5, 0.125, 0.75, 0.375, 0.625, 0.0625, 0.625, 0.0625, 0.375, 0.9375,
    ]);
    const routes = { offsets: new Int32Array([0, 2, 5]), edges: new Int32Array([0, 3, 1, 2, 4]) };
    expect([...routeEdges(routes, 1)]).toEqual([1, 2, 4]);
  });

  it('numbers lens rows along the residual stream', () => {
    expect(lensRowCount(12)).toBe(25);
    expect(lensRow({ kind: 'embed', layer: -1 })).toBe(0);
    expect(lensRow({ kind: 'resid_mid', layer: 3 })).toBe(7);
    expect(lensRow({ kind: 'resid_post', layer: 3 })).toBe(8);
    expect(lensNode(8, 5)).toEqual({ kind: 'resid_post', layer: 3, pos: 5 });
    expect(lensNode(0, 5)).toEqual({ kind: 'embed', layer: -1, pos: 5 });
    expect(() => lensRow({ kind: 'mlp', layer: 0 })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { readViewHash, writeViewHash } from './url-state.js';
import { DEFAULT_VIEW } from './view-state.js';
import type { ViewState } from './view-state.js';

describe('permalinks', () => {
  it('round-trip every field, selection included', () => {
    const view: ViewState = {
      mode: 'browser',
      model: 'openai-community/gpt2',
      prompt: 'When Mary & John went to the store, John gave a drink to',
      device: 'webgpu',
      dtype: 'fp16',
      threshold: 0.065,
      renormalize: false,
      lensNormalize: false,
      selection: { pos: 7, target: { type: 'edge', edge: 123 }, head: { layer: 2, head: 1 } },
    };
    expect(readViewHash(`#${writeViewHash(view)}`)).toEqual(view);
    const node: ViewState = {
      ...DEFAULT_VIEW,
      prompt: 'x',
      selection: {
        pos: 0,
        target: { type: 'node', node: { kind: 'embed', layer: -1, pos: 0 } },
        neuron: { layer: 1, pos: 0, rank: 3 },
      },
    };
    expect(readViewHash(writeViewHash(node))).toEqual(node);
  });

  it('write nothing for the defaults and read an empty hash as them', () => {
    expect(writeViewHash(DEFAULT_VIEW)).toBe('');
    expect(readViewHash('')).toEqual(DEFAULT_VIEW);
  });

  it('fall back to the defaults on malformed fields', () => {
    const view = readViewHash('#t=7&mode=gpu&dtype=int4&sel=x,edge:y');
    expect(view).toEqual(DEFAULT_VIEW);
    expect(readViewHash('#sel=3,node:attn.0.1,head:a.b').selection).toEqual({ pos: 3 });
  });
});

import { describe, expect, it } from 'vitest';
import { describeLoad } from './describe-load.js';

describe('describeLoad', () => {
  it('says downloads in MB and other phases as counts', () => {
    expect(
      describeLoad({ phase: 'download model.safetensors', loaded: 3.2e6, total: 13.6e6 }),
    ).toEqual({
      stage: 'download model.safetensors · 3.2 of 13.6 MB',
      fraction: expect.closeTo(3.2 / 13.6, 9),
    });
    expect(describeLoad({ phase: 'download model.safetensors', loaded: 1e6, total: 0 })).toEqual({
      stage: 'download model.safetensors · 1.0 MB',
      fraction: 0,
    });
    expect(describeLoad({ phase: 'create sessions', loaded: 2, total: 6 })).toEqual({
      stage: 'create sessions · 2 of 6',
      fraction: expect.closeTo(1 / 3, 9),
    });
  });
});

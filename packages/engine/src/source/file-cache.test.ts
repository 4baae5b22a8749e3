import { describe, expect, it } from 'vitest';
import { cachedModelFile, cacheKey } from './file-cache.js';

describe('cacheKey', () => {
  it('makes each part one safe segment', () => {
    expect(cacheKey('hub', '127.0.0.1:8080', 'acme/tiny', 'refs/pr/1', 'onnx/model.onnx')).toBe(
      'hub/127.0.0.1%3A8080/acme%2Ftiny/refs%2Fpr%2F1/onnx%2Fmodel.onnx',
    );
    expect(cacheKey('.', '..', '...')).toBe('%2E/%2E%2E/...');
    expect(() => cacheKey('hub', '')).toThrow(RangeError);
  });
});

describe('cachedModelFile', () => {
  it('reads the cached copy inside its bounds', async () => {
    const bytes = new TextEncoder().encode('{"a":1}');
    const file = cachedModelFile('config.json', {
      size: bytes.length,
      read: async (offset, length) => bytes.slice(offset, offset + length),
      materialize: async () => ({ kind: 'bytes', bytes }),
    });
    expect(await file.text()).toBe('{"a":1}');
    expect(await file.read(1, 3)).toEqual(bytes.slice(1, 4));
    await expect(file.read(5, 3)).rejects.toThrow(RangeError);
    await expect(file.read(0, 1, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

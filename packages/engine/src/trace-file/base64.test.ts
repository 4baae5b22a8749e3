import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';

describe('base64', () => {
  it('matches Node for every length of a few bytes and for large inputs', () => {
    for (const length of [...Array.from({ length: 40 }, (_, i) => i), 100_000, 100_001, 100_002]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
      const text = encodeBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(text)).toEqual(bytes);
    }
  });

  it('refuses what is not padded base64', () => {
    for (const bad of ['A', 'AAA', 'AA=A', 'A===', '@@@@', 'AAAA====', 'ÄAAA', 'AA A']) {
      expect(decodeBase64(bad)).toBeUndefined();
    }
  });
});

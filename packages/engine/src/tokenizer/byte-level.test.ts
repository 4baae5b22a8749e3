import { describe, expect, it } from 'vitest';
import { byteLevelText, pieceBytes } from './byte-level.js';

describe('byte-level display', () => {
  it('maps stand-in characters back to the bytes they spell', () => {
    expect(byteLevelText('Ġworld')).toBe(' world');
    expect(byteLevelText('Ċ')).toBe('\n');
    expect(byteLevelText('ĉ')).toBe('\t');
    expect([...pieceBytes('ĠĠ')!]).toEqual([32, 32]);
  });

  it('decodes a whole multi-byte character', () => {
    // '’' is e2 80 99: the stand-ins are â (e2), Ģ (80), Ļ (99).
    expect(byteLevelText('âĢĻ')).toBe('\u2019');
  });

  it('shows a split multi-byte character as its bytes, not as U+FFFD', () => {
    expect(byteLevelText('âĢ')).toBe('\\xe2\\x80');
    expect(byteLevelText('Ļ')).toBe('\\x99');
  });

  it('leaves special tokens and foreign pieces as they are', () => {
    expect(byteLevelText('<|endoftext|>', true)).toBe('<|endoftext|>');
    expect(byteLevelText('▁hello')).toBe('▁hello');
  });
});

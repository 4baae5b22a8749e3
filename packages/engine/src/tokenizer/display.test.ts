import { describe, expect, it } from 'vitest';
import { BYTE_CONTINUATION, pieceText, sequenceTexts } from './display.js';

const none = (n: number) => Array.from({ length: n }, () => false);

describe('token display', () => {
  it('shows sentencepiece ▁ as a space and ASCII byte pieces as their character', () => {
    expect(pieceText('▁world', 'sentencepiece')).toBe(' world');
    expect(pieceText('▁▁', 'sentencepiece')).toBe('  ');
    expect(pieceText('<0x0A>', 'sentencepiece')).toBe('\n');
    expect(pieceText('<0x41>', 'sentencepiece')).toBe('A');
    expect(pieceText('<s>', 'sentencepiece', true)).toBe('<s>');
  });

  it('shows a lone non-ASCII byte piece as its byte, never as U+FFFD', () => {
    expect(pieceText('<0xE2>', 'sentencepiece')).toBe('\\xe2');
    expect(pieceText('<0xe2>', 'sentencepiece')).toBe('\\xe2');
  });

  it('keeps the byte-level and plain styles apart from sentencepiece', () => {
    expect(pieceText('Ġworld', 'byte-level')).toBe(' world');
    // 'é' is a GPT-2 stand-in for a byte but a whole character to sentencepiece
    expect(pieceText('é', 'sentencepiece')).toBe('é');
    expect(pieceText('é', 'byte-level')).toBe('\\xe9');
    expect(pieceText('▁x', 'plain')).toBe('▁x');
  });

  it('groups byte-fallback runs into their characters, one text per token', () => {
    const pieces = [
      '▁costs',
      '▁',
      '<0xE2>',
      '<0x82>',
      '<0xAC>',
      '5',
      '<0xF0>',
      '<0x9F>',
      '<0x99>',
      '<0x82>',
    ];
    expect(sequenceTexts(pieces, 'sentencepiece', none(pieces.length))).toEqual([
      ' costs',
      ' ',
      '€',
      BYTE_CONTINUATION,
      BYTE_CONTINUATION,
      '5',
      '\u{1F642}',
      BYTE_CONTINUATION,
      BYTE_CONTINUATION,
      BYTE_CONTINUATION,
    ]);
    expect(BYTE_CONTINUATION).toBe('◌');
  });

  it('groups adjacent characters separately and leaves ASCII bytes alone', () => {
    const pieces = ['<0xC3>', '<0xA9>', '<0xC3>', '<0xA9>', '<0x0A>'];
    expect(sequenceTexts(pieces, 'sentencepiece', none(5))).toEqual(['é', '◌', 'é', '◌', '\n']);
  });

  it('shows bytes that form no character as bytes', () => {
    // a truncated character, a stray continuation byte, an overlong lead
    expect(sequenceTexts(['<0xE2>', '<0x82>', 'x'], 'sentencepiece', none(3))).toEqual([
      '\\xe2',
      '\\x82',
      'x',
    ]);
    expect(sequenceTexts(['<0xAC>', '<0xC0>', '<0x80>'], 'sentencepiece', none(3))).toEqual([
      '\\xac',
      '\\xc0',
      '\\x80',
    ]);
    // a special token in the middle breaks the run
    expect(sequenceTexts(['<0xC3>', '<0xA9>'], 'sentencepiece', [false, true])).toEqual([
      '\\xc3',
      '<0xA9>',
    ]);
  });

  it('does not group byte-level tokens (each keeps its own bytes)', () => {
    expect(sequenceTexts(['âĢ', 'Ļ'], 'byte-level', none(2))).toEqual(['\\xe2\\x80', '\\x99']);
  });
});

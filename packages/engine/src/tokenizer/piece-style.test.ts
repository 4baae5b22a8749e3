import { describe, expect, it } from 'vitest';
import { pieceStyleOf } from './piece-style.js';

describe('piece style of a tokenizer.json', () => {
  it('is byte-level for a ByteLevel decoder or pre-tokenizer (GPT-2, Llama 3, Qwen2)', () => {
    expect(pieceStyleOf({ decoder: { type: 'ByteLevel' }, model: { type: 'BPE' } })).toBe(
      'byte-level',
    );
    expect(
      pieceStyleOf({
        pre_tokenizer: {
          type: 'Sequence',
          pretokenizers: [{ type: 'Split' }, { type: 'ByteLevel' }],
        },
      }),
    ).toBe('byte-level');
  });

  it('is sentencepiece for byte fallback, Metaspace or a ▁ replacement (Llama 2, Gemma)', () => {
    expect(pieceStyleOf({ model: { type: 'BPE', byte_fallback: true } })).toBe('sentencepiece');
    expect(pieceStyleOf({ pre_tokenizer: { type: 'Metaspace', replacement: '▁' } })).toBe(
      'sentencepiece',
    );
    expect(
      pieceStyleOf({
        decoder: {
          type: 'Sequence',
          decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'Fuse' }],
        },
      }),
    ).toBe('sentencepiece');
  });

  it('is plain otherwise (WordPiece)', () => {
    expect(pieceStyleOf({ model: { type: 'WordPiece' }, decoder: { type: 'WordPiece' } })).toBe(
      'plain',
    );
    expect(pieceStyleOf({})).toBe('plain');
  });
});

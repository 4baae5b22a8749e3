/**
 * Display strings for sentencepiece tokens (Llama 2, Mistral, Gemma): `▁`
 * marks a space, and `<0xNN>` byte-fallback pieces each hold one byte of a
 * character the vocabulary lacks. A byte that is a whole character (ASCII,
 * e.g. `<0x0A>`) shows as that character; any other lone byte as `\xNN`,
 * never as a replacement glyph.
 */

const BYTE_PIECE = /^<0x([0-9A-Fa-f]{2})>$/;

/** The byte a `<0xNN>` byte-fallback piece holds, or `undefined` for any other piece. */
export function fallbackByte(piece: string): number | undefined {
  const match = BYTE_PIECE.exec(piece);
  return match ? Number.parseInt(match[1]!, 16) : undefined;
}

/**
 * The display text of one sentencepiece vocabulary string.
 *
 * @example
 * sentencePieceText('▁world'); // ' world'
 * sentencePieceText('<0x0A>'); // '\n'
 * sentencePieceText('<0xE2>'); // '\\xe2' (first byte of a 3-byte character)
 */
export function sentencePieceText(piece: string, special = false): string {
  if (special) return piece;
  const byte = fallbackByte(piece);
  if (byte === undefined) return piece.replaceAll('\u2581', ' ');
  return byte < 0x80 ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
}

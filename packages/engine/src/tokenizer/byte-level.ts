/**
 * Display strings for byte-level BPE tokens (GPT-2 and its descendants). A
 * vocabulary string spells bytes with printable stand-in characters; we map
 * them back to bytes and decode UTF-8. A token that holds only part of a
 * multi-byte character is shown as its bytes (`\xe2\x80`), never as a
 * replacement glyph that would pretend to be a character the model saw.
 */

/** GPT-2's byte ↔ character table: printable Latin-1 bytes stand for themselves. */
function byteDecoder(): Map<string, number> {
  const printable = (b: number) =>
    (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const decoder = new Map<string, number>();
  let next = 256;
  for (let b = 0; b < 256; b++) {
    decoder.set(String.fromCodePoint(printable(b) ? b : next++), b);
  }
  return decoder;
}

const BYTES = byteDecoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes a byte-level piece stands for, or `undefined` if it is not one (e.g. a special token). */
export function pieceBytes(piece: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const char of piece) {
    const b = BYTES.get(char);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  return Uint8Array.from(bytes);
}

function escapeBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
}

/**
 * The display text of one byte-level vocabulary string.
 *
 * @example
 * byteLevelText('Ġworld') // ' world'
 * byteLevelText('âĢ')     // '\\xe2\\x80' (first two bytes of '’')
 */
export function byteLevelText(piece: string, special = false): string {
  if (special) return piece;
  const bytes = pieceBytes(piece);
  if (!bytes) return piece;
  try {
    return utf8.decode(bytes);
  } catch {
    return escapeBytes(bytes);
  }
}

/**
 * Display texts of tokens, as the model saw them: byte-level pieces decoded,
 * sentencepiece `▁` as a space, specials verbatim.
 *
 * A prompt's tokens are shown one per position. Where sentencepiece byte
 * fallback spells one character with several `<0xNN>` tokens, the first
 * token of the run carries the whole character and each further token shows
 * {@link BYTE_CONTINUATION}: `€` as `<0xE2><0x82><0xAC>` displays `€`, `◌`,
 * `◌`. A run that forms no valid character shows each byte as `\xNN`. A token
 * shown alone (in a top-k list) is never grouped: `<0xE2>` is `\xe2`.
 */
import { byteLevelText } from './byte-level.js';
import type { PieceStyle } from './piece-style.js';
import { fallbackByte, sentencePieceText } from './sentencepiece.js';

/** The text of a byte-fallback token that continues the character the token before it began. */
export const BYTE_CONTINUATION = '\u25cc';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The display text of one token seen alone.
 *
 * @param piece - Its vocabulary string.
 * @param special - Special tokens (BOS, EOS) are shown verbatim.
 */
export function pieceText(piece: string, style: PieceStyle, special = false): string {
  switch (style) {
    case 'byte-level':
      return byteLevelText(piece, special);
    case 'sentencepiece':
      return sentencePieceText(piece, special);
    case 'plain':
      return piece;
  }
}

/** How many bytes a UTF-8 sequence starting with `lead` has (0 when `lead` cannot start one). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  return 0;
}

/** The character bytes `bytes[at..]` start, or undefined when they spell none. */
function characterAt(bytes: readonly (number | undefined)[], at: number): string | undefined {
  const length = sequenceLength(bytes[at] ?? 0);
  const run = bytes.slice(at, at + length);
  if (length === 0 || run.length < length || run.some((b) => b === undefined)) return undefined;
  try {
    return utf8.decode(Uint8Array.from(run as number[]));
  } catch {
    return undefined;
  }
}

/**
 * The display texts of a sequence's tokens, one per token, byte-fallback
 * runs grouped into the characters they form (see the module comment).
 *
 * @param pieces - The tokens' vocabulary strings, in order.
 * @param special - Whether each token is special.
 * @example
 * sequenceTexts(['▁costs', '▁', '<0xE2>', '<0x82>', '<0xAC>'], 'sentencepiece', [false, false, false, false, false]);
 * // [' costs', ' ', '€', '◌', '◌']
 */
export function sequenceTexts(
  pieces: readonly string[],
  style: PieceStyle,
  special: readonly boolean[],
): string[] {
  const texts = pieces.map((piece, i) => pieceText(piece, style, special[i]));
  if (style !== 'sentencepiece') return texts;
  const bytes = pieces.map((piece, i) => (special[i] ? undefined : fallbackByte(piece)));
  for (let i = 0; i < pieces.length; i++) {
    const character = characterAt(bytes, i);
    if (character === undefined) continue;
    const length = sequenceLength(bytes[i]!);
    texts[i] = character;
    texts.fill(BYTE_CONTINUATION, i + 1, i + length);
    i += length - 1;
  }
  return texts;
}

/** One token of a prompt as the model saw it. */
export interface TokenView {
  /** Vocabulary id. */
  readonly id: number;
  /**
   * The token's text for display: byte-level pieces decoded losslessly,
   * sentencepiece `▁` as a space, special tokens (BOS) verbatim. A piece that
   * is only part of a multi-byte character is shown as its bytes (e.g.
   * `\xe2\x80`), never as a replacement glyph; in a prompt, a character
   * spelled by several sentencepiece byte-fallback tokens (`<0xE2><0x82><0xAC>`)
   * is shown on the first of them (`€`) and each other shows `◌`, so there
   * is still one text per position.
   */
  readonly text: string;
}

/** One token of a prompt as the model saw it. */
export interface TokenView {
  /** Vocabulary id. */
  readonly id: number;
  /**
   * The token's text for display: byte-level pieces decoded losslessly. A
   * piece that is only part of a multi-byte character is shown as its bytes
   * (e.g. `\xe2\x80`), never as a replacement glyph.
   */
  readonly text: string;
}

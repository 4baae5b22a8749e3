import type { PieceStyle } from './piece-style.js';

/** What the engine needs of a tokenizer; platforms provide the implementation. */
export interface Tokenizer {
  /** Ids of `text`, with no special tokens added. */
  encode(text: string): number[];
  /** The vocabulary strings of `ids`, exactly as stored (byte-level or `▁` pieces). */
  pieces(ids: readonly number[]): string[];
  /** Text of `ids`. */
  decode(ids: readonly number[]): string;
  /** How vocabulary strings spell text, for display. */
  readonly pieceStyle: PieceStyle;
  /** The beginning-of-sequence token, when the tokenizer has one. */
  readonly bosTokenId?: number;
  /**
   * Whether the model expects BOS first: `add_bos_token` of
   * `tokenizer_config.json` when it says, else whether the `tokenizer.json`
   * post-processor adds it. `encode` adds no special tokens; the model
   * prepends BOS itself.
   */
  readonly addBosToken: boolean;
}

/** The two files a Hugging Face tokenizer is made of, parsed. */
export interface TokenizerFiles {
  readonly tokenizer: Readonly<Record<string, unknown>>;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Builds a {@link Tokenizer} from its files (a platform's job). */
export type TokenizerFactory = (files: TokenizerFiles) => Promise<Tokenizer>;

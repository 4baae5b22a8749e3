/** What the engine needs of a tokenizer; platforms provide the implementation. */
export interface Tokenizer {
  /** Ids of `text`, with no special tokens added. */
  encode(text: string): number[];
  /** The vocabulary strings of `ids`, exactly as stored (byte-level or `▁` pieces). */
  pieces(ids: readonly number[]): string[];
  /** Text of `ids`. */
  decode(ids: readonly number[]): string;
  /** The beginning-of-sequence token, when the tokenizer has one. */
  readonly bosTokenId?: number;
  /** `add_bos_token` of `tokenizer_config.json` (libraries ignore it; we apply it). */
  readonly addBosToken: boolean;
}

/** The two files a Hugging Face tokenizer is made of, parsed. */
export interface TokenizerFiles {
  readonly tokenizer: Readonly<Record<string, unknown>>;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Builds a {@link Tokenizer} from its files (a platform's job). */
export type TokenizerFactory = (files: TokenizerFiles) => Promise<Tokenizer>;

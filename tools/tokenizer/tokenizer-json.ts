// The subset of Hugging Face's tokenizer files that a byte-level BPE needs. Field names and
// their order follow what the `tokenizers` library (Rust, serialization version "1.0") and
// `transformers` (Python) write, so that both they and the JS ports load the files unchanged.

/** A token matched in the raw text before pre-tokenization, with a fixed id (`added_tokens`). */
export interface AddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/**
 * The `ByteLevel` component: maps every byte to a printable character (a space becomes `Ġ`).
 * The same four fields describe it as a pre-tokenizer, a post-processor and a decoder.
 */
export interface ByteLevel {
  type: 'ByteLevel';
  add_prefix_space: boolean;
  trim_offsets: boolean;
  use_regex: boolean;
}

/** A `BPE` model: token strings with their ids, and merge rules from highest priority down. */
export interface BpeModel {
  type: 'BPE';
  dropout: number | null;
  unk_token: string | null;
  continuing_subword_prefix: string | null;
  end_of_word_suffix: string | null;
  fuse_unk: boolean;
  byte_fallback: boolean;
  ignore_merges: boolean;
  vocab: Record<string, number>;
  /** Pairs, as `tokenizers` writes them since 0.20 (older files hold `"a b"` strings). */
  merges: [string, string][];
}

/** A `tokenizer.json` whose pipeline is byte-level BPE, without normalizer, padding or truncation. */
export interface ByteLevelBpeTokenizerJson {
  version: '1.0';
  truncation: null;
  padding: null;
  added_tokens: AddedToken[];
  normalizer: null;
  pre_tokenizer: ByteLevel;
  post_processor: ByteLevel;
  decoder: ByteLevel;
  model: BpeModel;
}

/** An added token as `tokenizer_config.json` describes it under `added_tokens_decoder`. */
export type AddedTokenDecoderEntry = Omit<AddedToken, 'id'>;

/** `tokenizer_config.json` for a GPT-2 tokenizer, its keys sorted as `transformers` writes them. */
export interface Gpt2TokenizerConfig {
  add_bos_token: boolean;
  add_prefix_space: boolean;
  added_tokens_decoder: Record<string, AddedTokenDecoderEntry>;
  bos_token: string;
  clean_up_tokenization_spaces: boolean;
  eos_token: string;
  errors: 'replace';
  model_max_length: number;
  tokenizer_class: 'GPT2Tokenizer';
  unk_token: string;
}

/**
 * Serializes a `tokenizer.json` on one line, with the vocabulary in id order as `tokenizers` writes
 * it. (`JSON.stringify` alone would list integer-like tokens such as `"0"` or `"12"` first, since
 * JS objects keep such keys in numeric order.)
 *
 * @param tokenizer - the tokenizer to serialize
 */
export function stringifyTokenizerJson(tokenizer: ByteLevelBpeTokenizerJson): string {
  const { vocab, merges, ...modelFields } = tokenizer.model;
  const vocabEntries = Object.entries(vocab)
    .sort(([, a], [, b]) => a - b)
    .map(([token, id]) => `${JSON.stringify(token)}:${id}`);
  // `model` is the last field of the tokenizer and `vocab`, `merges` the last ones of the model:
  // reopen the closing `}}` to append them.
  const head = JSON.stringify({ ...tokenizer, model: modelFields }).slice(0, -2);
  return `${head},"vocab":{${vocabEntries.join(',')}},"merges":${JSON.stringify(merges)}}}`;
}

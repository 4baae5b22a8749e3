/** The `tokenizer.json` of a byte-level BPE tokenizer, as the `tokenizers` library writes it. */
export interface ByteLevelTokenizerJson {
  readonly version: '1.0';
  readonly added_tokens: readonly Record<string, unknown>[];
  readonly model: {
    readonly type: 'BPE';
    readonly vocab: Readonly<Record<string, number>>;
    readonly merges: readonly (readonly [string, string])[];
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

/** A tokenizer folder's two JSON files. */
export interface ByteLevelTokenizer {
  /** Contents of `tokenizer.json`. */
  readonly tokenizer: ByteLevelTokenizerJson;
  /** Contents of `tokenizer_config.json`. */
  readonly tokenizerConfig: Readonly<Record<string, unknown>>;
}

/** GPT-2's end-of-text token, the last id of the vocabulary. */
export const END_OF_TEXT = '<|endoftext|>';

/** GPT-2's pre-tokenizer split: contractions, words, numbers, punctuation runs, spaces. */
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** The text the merges are learned from: plain English so merges look like GPT-2's. */
const CORPUS = `The quick brown fox jumps over the lazy dog. The residual stream is the sum of
the outputs of every layer, and the attention pattern tells us which earlier tokens each
token reads from. In the beginning there was the word, and the word was with the model.
It is the thing that they do with the data in the network: they train it on the text of
the internet, then they ask it to continue a sentence. When the heads attend to the
previous token, the information moves forward through the layers of the transformer.
There are three things to think about: the tokens, the weights and the activations.
Mary went to the store on Monday, bought 12 apples for $3.50, and walked home again.
"Where is everyone?" she asked. Nobody answered; the house was quiet, except for a clock
ticking somewhere upstairs. Interpretability research looks for circuits: small groups of
neurons and attention heads that implement a recognisable algorithm inside a language model.`;

/**
 * GPT-2's byte-to-unicode table: printable bytes map to themselves, the rest
 * to U+0100 onwards. Entries are in GPT-2's vocabulary order, so entry i is
 * the token with id i (`!` is 0, `Ġ` (space) is 220).
 */
function gpt2ByteSymbols(): { byte: number; symbol: string }[] {
  const printable = (byte: number) =>
    (byte >= 33 && byte <= 126) || (byte >= 161 && byte <= 172) || (byte >= 174 && byte <= 255);
  const entries: { byte: number; symbol: string }[] = [];
  for (let byte = 0; byte < 256; byte++) {
    if (printable(byte)) entries.push({ byte, symbol: String.fromCharCode(byte) });
  }
  let next = 256;
  for (let byte = 0; byte < 256; byte++) {
    if (!printable(byte)) entries.push({ byte, symbol: String.fromCharCode(next++) });
  }
  return entries;
}

/** Learns `count` merges from {@link CORPUS} by greedy pair frequency, ties broken by the pair's text. */
function learnMerges(symbolOf: readonly string[], count: number): [string, string][] {
  const encoder = new TextEncoder();
  const wordCounts = new Map<string, number>();
  for (const piece of CORPUS.match(GPT2_SPLIT) ?? []) {
    const word = Array.from(encoder.encode(piece), (byte) => symbolOf[byte]!).join(' ');
    wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  }
  let words = [...wordCounts].map(([word, n]) => ({ symbols: word.split(' '), n }));
  const merges: [string, string][] = [];
  const known = new Set(symbolOf);
  while (merges.length < count) {
    const pairCounts = new Map<string, number>();
    for (const { symbols, n } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const pair = `${symbols[i]} ${symbols[i + 1]}`;
        pairCounts.set(pair, (pairCounts.get(pair) ?? 0) + n);
      }
    }
    let best: string | undefined;
    let bestCount = 0;
    for (const [pair, n] of pairCounts) {
      if (n > bestCount || (n === bestCount && best !== undefined && pair < best)) {
        best = pair;
        bestCount = n;
      }
    }
    if (best === undefined) {
      throw new Error(`byteLevelTokenizer: the corpus yields only ${merges.length} merges`);
    }
    const [left, right] = best.split(' ') as [string, string];
    if (!known.has(left + right)) {
      merges.push([left, right]);
      known.add(left + right);
    }
    words = words.map(({ symbols, n }) => {
      const merged: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (symbols[i] === left && symbols[i + 1] === right) {
          merged.push(left + right);
          i++;
        } else merged.push(symbols[i]!);
      }
      return { symbols: merged, n };
    });
  }
  return merges;
}

/**
 * A tiny GPT-2-style byte-level BPE tokenizer: ids 0..255 are GPT-2's byte
 * symbols in GPT-2's order, then `vocabSize - 257` merges learned from a short
 * English text (the first is `Ġ t`), and `<|endoftext|>` as the last id, special.
 * The JSON is laid out as the `tokenizers` library writes it; transformers.js
 * `AutoTokenizer.from_pretrained` loads it and round-trips any text.
 *
 * @param vocabSize - From 257 to 609 (the built-in text yields 352 merges).
 * @example
 * const { tokenizer, tokenizerConfig } = byteLevelTokenizer(300);
 * await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
 */
export function byteLevelTokenizer(vocabSize: number): ByteLevelTokenizer {
  if (!Number.isInteger(vocabSize) || vocabSize < 257) {
    throw new Error(`byteLevelTokenizer: vocabSize must be an integer >= 257, got ${vocabSize}`);
  }
  const bytes = gpt2ByteSymbols();
  const symbolOf: string[] = [];
  for (const { byte, symbol } of bytes) symbolOf[byte] = symbol;
  const merges = learnMerges(symbolOf, vocabSize - 257);
  const vocab: Record<string, number> = {};
  bytes.forEach(({ symbol }, id) => (vocab[symbol] = id));
  merges.forEach(([left, right], i) => (vocab[left + right] = 256 + i));
  vocab[END_OF_TEXT] = vocabSize - 1;

  const endOfText = {
    content: END_OF_TEXT,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  };
  const byteLevel = { type: 'ByteLevel', use_regex: true };
  const tokenizer: ByteLevelTokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: vocabSize - 1, ...endOfText }],
    normalizer: null,
    pre_tokenizer: { ...byteLevel, add_prefix_space: false, trim_offsets: true },
    post_processor: { ...byteLevel, add_prefix_space: true, trim_offsets: false },
    decoder: { ...byteLevel, add_prefix_space: true, trim_offsets: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
  const tokenizerConfig = {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: { [String(vocabSize - 1)]: endOfText },
    bos_token: END_OF_TEXT,
    // GPT-2 says true, which rewrites " ." to "." on decode; false keeps round trips exact.
    clean_up_tokenization_spaces: false,
    eos_token: END_OF_TEXT,
    errors: 'replace',
    model_max_length: 1024,
    pad_token: null,
    tokenizer_class: 'GPT2Tokenizer',
    unk_token: END_OF_TEXT,
  };
  return { tokenizer, tokenizerConfig };
}

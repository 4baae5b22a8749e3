import type { ByteLevelTokenizer, ByteLevelTokenizerJson } from './byte-tokenizer.js';

/** Whose layout to copy: Llama 2 / Mistral (`<s>`, a `▁` prepended) or Gemma (`<bos>`, none). */
export type SentencePieceStyle = 'llama' | 'gemma';

/** The sentencepiece word-boundary mark that stands for a space. */
const SPACE = '\u2581';

/** ASCII prose: every character of it is in the vocabulary, anything else falls back to bytes. */
const CORPUS = `The quick brown fox jumps over the lazy dog. The residual stream is the sum of
the outputs of every layer, and the attention pattern tells us which earlier tokens each
token reads from. When the heads attend to the previous token, the information moves
forward through the layers of the transformer. Mary went to the store on Monday, bought
12 apples for 3.50, and walked home again. "Where is everyone?" she asked. Nobody answered;
the house was quiet, except for a clock ticking somewhere upstairs.`;

/** The special tokens at the start of the vocabulary, in id order. */
const SPECIALS: Readonly<Record<SentencePieceStyle, readonly string[]>> = {
  llama: ['<unk>', '<s>', '</s>'],
  gemma: ['<pad>', '<eos>', '<bos>', '<unk>'],
};

/** The text's words as sentencepiece sees them: spaces become `▁`, each word starts with one. */
function words(style: SentencePieceStyle): string[] {
  const normalized = (style === 'llama' ? ' ' : '') + CORPUS.replace(/\s+/g, ' ');
  return normalized.replaceAll(' ', SPACE).match(/▁?[^▁]+/g) ?? [];
}

/** Learns `count` merges by greedy pair frequency, ties broken by the pair's text. */
function learnMerges(corpus: readonly string[], count: number): [string, string][] {
  const wordCounts = new Map<string, number>();
  for (const word of corpus) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  let split = [...wordCounts].map(([word, n]) => ({ symbols: Array.from(word), n }));
  const merges: [string, string][] = [];
  while (merges.length < count) {
    const pairs = new Map<string, { pair: [string, string]; n: number }>();
    for (const { symbols, n } of split) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
        const entry = pairs.get(key) ?? { pair: [symbols[i]!, symbols[i + 1]!], n: 0 };
        entry.n += n;
        pairs.set(key, entry);
      }
    }
    let best: { key: string; pair: [string, string]; n: number } | undefined;
    for (const [key, { pair, n }] of pairs) {
      if (!best || n > best.n || (n === best.n && key < best.key)) best = { key, pair, n };
    }
    if (!best) throw new Error(`sentencePieceTokenizer: the corpus yields ${merges.length} merges`);
    const [left, right] = best.pair;
    merges.push([left, right]);
    split = split.map(({ symbols, n }) => {
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

/** `<0x00>` .. `<0xFF>`, the byte-fallback pieces. */
function bytePieces(): string[] {
  return Array.from(
    { length: 256 },
    (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`,
  );
}

/**
 * A tiny sentencepiece-style BPE tokenizer with byte fallback, laid out as
 * Hugging Face converts Llama 2's and Gemma's `tokenizer.model` into
 * `tokenizer.json`: special tokens first, the 256 byte pieces `<0x00>` ..
 * `<0xFF>`, the characters of a short ASCII text (with `▁` for a space),
 * then `merges` learned pieces. Any other character is encoded as the byte
 * pieces of its UTF-8. Llama style prepends `▁` to the text (its "dummy
 * prefix"), Gemma style does not; both add BOS through `add_bos_token` and
 * their post-processor template.
 *
 * @param merges - Learned merges, at most about 250.
 * @returns The two files; the vocabulary size is `Object.keys(tokenizer.model.vocab).length`.
 * @example
 * const { tokenizer, tokenizerConfig } = sentencePieceTokenizer('gemma', 100);
 */
export function sentencePieceTokenizer(
  style: SentencePieceStyle,
  merges: number,
): ByteLevelTokenizer {
  const corpus = words(style);
  const characters = [...new Set(corpus.flatMap((word) => Array.from(word)))].sort();
  const learned = learnMerges(corpus, merges);
  const pieces = [
    ...SPECIALS[style],
    ...bytePieces(),
    ...characters,
    ...learned.map(([a, b]) => a + b),
  ];
  const vocab: Record<string, number> = {};
  for (const piece of pieces) vocab[piece] ??= Object.keys(vocab).length;
  const [unk, bos, eos] =
    style === 'llama' ? ['<unk>', '<s>', '</s>'] : ['<unk>', '<bos>', '<eos>'];
  const special = (content: string) => ({
    id: vocab[content]!,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const replaceSpace = { type: 'Replace', pattern: { String: ' ' }, content: SPACE };
  const tokenizer: ByteLevelTokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS[style].map(special),
    normalizer:
      style === 'llama'
        ? { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: SPACE }, replaceSpace] }
        : replaceSpace,
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: bos, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: bos, type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { [bos]: { id: bos, ids: [vocab[bos]!], tokens: [bos] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: SPACE }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        ...(style === 'llama' ? [{ type: 'Strip', content: ' ', start: 1, stop: 0 }] : []),
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: unk,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: learned,
    },
  };
  const tokenizerConfig = {
    add_bos_token: true,
    add_eos_token: false,
    added_tokens_decoder: Object.fromEntries(
      SPECIALS[style].map((content) => {
        const { id, ...rest } = special(content);
        return [String(id), rest];
      }),
    ),
    bos_token: bos,
    clean_up_tokenization_spaces: false,
    eos_token: eos,
    legacy: false,
    model_max_length: 1000000000000000019884624838656,
    pad_token: style === 'gemma' ? '<pad>' : null,
    sp_model_kwargs: {},
    spaces_between_special_tokens: false,
    tokenizer_class: style === 'llama' ? 'LlamaTokenizer' : 'GemmaTokenizer',
    unk_token: unk,
    use_default_system_prompt: false,
  };
  return { tokenizer, tokenizerConfig };
}

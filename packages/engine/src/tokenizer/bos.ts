/**
 * Whether a model expects a beginning-of-sequence token before the prompt,
 * as the Python `transformers` tokenizer would add it: `add_bos_token` of
 * `tokenizer_config.json` when present (Llama 2, Mistral, Gemma say true,
 * OPT's `</s>` too), else the `tokenizer.json` post-processor's template
 * (Llama 3 adds `<|begin_of_text|>` this way). GPT-2, GPT-NeoX and Qwen2
 * have neither and get no BOS.
 */
import type { TokenizerFiles } from './tokenizer.js';

type Json = Readonly<Record<string, unknown>>;

/** Whether to prepend BOS and, when a template names it, which id. */
export interface BosPolicy {
  readonly add: boolean;
  /** The id the post-processor template prepends, when it prepends one. */
  readonly id?: number;
}

/** The `TemplateProcessing` of a post-processor, alone or inside a `Sequence`. */
function template(processor: unknown): Json | undefined {
  if (!processor || typeof processor !== 'object') return undefined;
  const json = processor as Json;
  if (json['type'] === 'TemplateProcessing') return json;
  const inner = json['processors'];
  return Array.isArray(inner) ? inner.map(template).find(Boolean) : undefined;
}

/** The id of the special token a template puts before the sequence, if any. */
function templateBos(tokenizer: Json): number | undefined {
  const processing = template(tokenizer['post_processor']);
  const first = (processing?.['single'] as Json[] | undefined)?.[0];
  const special = first?.['SpecialToken'] as Json | undefined;
  if (!processing || typeof special?.['id'] !== 'string') return undefined;
  const tokens = processing['special_tokens'] as Json | undefined;
  const ids = (tokens?.[special['id']] as Json | undefined)?.['ids'];
  return Array.isArray(ids) && typeof ids[0] === 'number' ? ids[0] : undefined;
}

/**
 * The BOS policy of a tokenizer's files.
 *
 * @example
 * bosPolicy({ tokenizer: llama3Json, config: {} }); // { add: true, id: 128000 }
 */
export function bosPolicy(files: TokenizerFiles): BosPolicy {
  const id = templateBos(files.tokenizer);
  const configured = files.config['add_bos_token'];
  const add = typeof configured === 'boolean' ? configured : id !== undefined;
  return id === undefined ? { add } : { add, id };
}

/**
 * Tokenizers through `@huggingface/transformers`, built from the files our
 * own model source fetched (local folder, hub cache, or URL), choosing the
 * class by `tokenizer_class` exactly as its `AutoTokenizer` does.
 *
 * The library is imported lazily: in Node it eagerly loads `onnxruntime-node`
 * and `sharp`, and in browsers it rewrites shared ONNX Runtime settings
 * (`wasmPaths` to a CDN, `proxy`, log level, WebGPU power preference). The
 * engine runs ONNX Runtime in its own worker, which these writes cannot
 * reach; we still restore the main thread's values so a host page that uses
 * ONNX Runtime itself is not changed behind its back.
 */
import { env as ortEnv } from 'onnxruntime-common';
import { bosPolicy } from '../tokenizer/bos.js';
import { pieceStyleOf } from '../tokenizer/piece-style.js';
import type { Tokenizer, TokenizerFiles } from '../tokenizer/tokenizer.js';

interface TransformersTokenizer {
  encode(text: string, options: { add_special_tokens: boolean }): number[];
  decode(ids: number[], options: { skip_special_tokens: boolean }): string;
  /** The `@huggingface/tokenizers` engine underneath. */
  _tokenizer: { id_to_token(id: number): string | undefined };
  bos_token_id?: number | null;
}

type TokenizerClass = new (json: unknown, config: unknown) => TransformersTokenizer;

function snapshotOrtEnv() {
  const { wasm, webgpu } = ortEnv;
  const saved = {
    logLevel: ortEnv.logLevel,
    wasmPaths: wasm.wasmPaths,
    proxy: wasm.proxy,
    powerPreference: webgpu.powerPreference,
  };
  return () => {
    ortEnv.logLevel = saved.logLevel;
    wasm.wasmPaths = saved.wasmPaths;
    wasm.proxy = saved.proxy;
    webgpu.powerPreference = saved.powerPreference;
  };
}

let library: Promise<Record<string, unknown>> | undefined;

async function transformers(): Promise<Record<string, unknown>> {
  library ??= (async () => {
    const restore = snapshotOrtEnv();
    try {
      const mod = (await import('@huggingface/transformers')) as unknown as Record<
        string,
        unknown
      > & {
        env: { allowRemoteModels: boolean; allowLocalModels: boolean };
      };
      mod.env.allowRemoteModels = false;
      return mod;
    } finally {
      restore();
    }
  })();
  return library;
}

/** Builds a tokenizer from `tokenizer.json` and `tokenizer_config.json`. */
export async function loadTransformersTokenizer(files: TokenizerFiles): Promise<Tokenizer> {
  const mod = await transformers();
  const restore = snapshotOrtEnv();
  let tokenizer: TransformersTokenizer;
  try {
    const className = String(files.config['tokenizer_class'] ?? 'PreTrainedTokenizer').replace(
      /Fast$/,
      '',
    );
    const cls = (mod[className] ?? mod['PreTrainedTokenizer']) as TokenizerClass;
    tokenizer = new cls(files.tokenizer, files.config);
  } finally {
    restore();
  }
  const bos = bosPolicy(files);
  const bosTokenId = tokenizer.bos_token_id;
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
    pieces: (ids) => ids.map((id) => tokenizer._tokenizer.id_to_token(id) ?? ''),
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: false }),
    pieceStyle: pieceStyleOf(files.tokenizer),
    bosTokenId: bos.id ?? (typeof bosTokenId === 'number' ? bosTokenId : undefined),
    addBosToken: bos.add,
  };
}

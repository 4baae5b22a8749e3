/** Progress of a long operation, in bytes when `total` is known. */
export interface Progress {
  /** What is happening, e.g. `download model.safetensors` or `create session layer 3`. */
  readonly phase: string;
  readonly loaded: number;
  readonly total?: number;
}

/** Options every long source operation takes. */
export interface SourceOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
}

/** One file of a model repository, opened lazily. */
export interface ModelFile {
  /** Path inside the repository, e.g. `model.safetensors`. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * Reads `length` bytes from `offset`. For a hub file not yet cached this is
   * an HTTP range request; nothing else is downloaded.
   */
  read(offset: number, length: number, options?: SourceOptions): Promise<Uint8Array>;
  /** The whole file as UTF-8 text (for small files: config, tokenizer). */
  text(options?: SourceOptions): Promise<string>;
}

/**
 * Where a whole weights file ends up so ONNX Runtime can read it: a path on
 * this machine's disk (Node: nothing held in memory), or the bytes
 * (browsers).
 */
export type MaterializedFile =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

/**
 * A model repository in Hugging Face layout: a local folder, a hub id, or a
 * folder served over HTTP.
 */
export interface ModelSource {
  /** What the user named: a folder path, `owner/name@revision`, or a URL. */
  readonly id: string;
  /** Whether the repository has a file at `name`. */
  has(name: string, options?: SourceOptions): Promise<boolean>;
  /**
   * Opens a file lazily.
   *
   * @throws LmttError `MODEL_FILE_MISSING` naming the file and the source.
   */
  open(name: string, options?: SourceOptions): Promise<ModelFile>;
  /**
   * The whole file, cached where the platform caches (disk in Node, Cache
   * Storage in browsers), reporting download progress.
   *
   * @throws LmttError `MODEL_FILE_MISSING`, `DOWNLOAD_FAILED` or `ABORTED`.
   */
  materialize(name: string, options?: SourceOptions): Promise<MaterializedFile>;
}
